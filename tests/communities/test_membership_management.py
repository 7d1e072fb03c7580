"""Managing a community's members (issue 17): a leader changes a member's role or removes them
(with a message mailed in the member's language), a member leaves, and the community keeps a
history of it; the last leader goes only by naming a successor. A member who leaves is news to the
other leaders (each mailed in their own language, with the successor when one was named); a person
whose request is pending withdraws it at the same address, and it can no longer be decided.

Who may: the community's active leaders and coordinators, as on the members page; anyone else
signed in gets 403 there (tests/permissions/members.py walks every role). A membership that is
not an active one of that community (removed a moment ago, or another community's) changes
nothing and says so.
"""

import os
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from communities import membership as membership_services
from communities import services
from communities.models import Membership, MembershipChange, Profile
from core.models import OutgoingMail
from tests.events.test_concurrency import _at_once
from tests.factories import CommunityFactory, MembershipFactory, verified_user, with_totp
from tests.html import parse

GONE = "Šī persona vairs nav kopienas dalībnieks: noņemta vai pametusi kopienu."
MEMBERS = "/kopienas/preili/dalibnieki/"
LAST_LEADER_ROLE = (
    "Kopienai jāpaliek vismaz vienam līderim. Pirms maināt pēdējā līdera lomu, izvēlieties pēcteci."
)
PICK_SUCCESSOR = "Izvēlieties pēcteci no kopienas aktīvajiem dalībniekiem."


@pytest.fixture
def community(db):
    return CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")


@pytest.fixture
def leader(community):
    user = verified_user(email="lidere@example.lv", first_name="Līga", last_name="Līdere")
    MembershipFactory(user=user, community=community, leader=True)
    return user


def active(community, role=Membership.Role.MEMBER, **user):
    return MembershipFactory(
        user=verified_user(**user),
        community=community,
        role=role,
        status=Membership.Status.ACTIVE,
    )


@pytest.fixture
def janis(community):
    return active(community, email="janis@example.lv", first_name="Jānis", last_name="Jaunais")


def change_role(client, membership, role, **data):
    return client.post(f"{MEMBERS}{membership.pk}/loma/", {"role": role, **data})


def remove(client, membership, **data):
    return client.post(f"{MEMBERS}{membership.pk}/nonemt/", data)


def messages_after(client, response) -> list[str]:
    return parse(client.get(response["Location"]).content).texts("ul.messages li")


def history(community) -> list[tuple]:
    return list(
        MembershipChange.objects.filter(community=community)
        .order_by("pk")
        .values_list("person_name", "kind", "old_role", "new_role", "message", "changed_by__email")
    )


def set_language(user, language):
    Profile.objects.update_or_create(user=user, defaults={"language": language})


# --- The members page --------------------------------------------------------------------------


def test_the_members_page_offers_a_role_form_and_a_removal_per_member(
    client, community, leader, janis
):
    client.force_login(leader)

    doc = parse(client.get(MEMBERS).content)

    forms = doc.select("ul.members form.role-form")
    assert [form.get("action") for form in forms] == [
        f"{MEMBERS}{Membership.objects.get(user=leader).pk}/loma/",
        f"{MEMBERS}{janis.pk}/loma/",
    ]
    assert [
        (option.get("value"), "selected" in option.attrs) for option in forms[1].select("option")
    ] == [("member", True), ("activist", False), ("leader", False)]
    # The only leader's row asks for a successor, from the other active members.
    assert [option.text for option in forms[0].select("select[name=successor] option")] == [
        "—",
        "Jānis Jaunais",
    ]
    assert forms[1].select("select[name=successor]") == []
    assert [(a.get("href"), a.text) for a in doc.select("a.member-remove")] == [
        (f"{MEMBERS}{Membership.objects.get(user=leader).pk}/nonemt/", "Noņemt Līga Līdere"),
        (f"{MEMBERS}{janis.pk}/nonemt/", "Noņemt Jānis Jaunais"),
    ]
    assert doc.texts("ol.membership-history li") == []
    assert doc.texts("section p.empty")[-1] == "Izmaiņu vēl nav."


def test_an_approval_is_a_line_of_the_history(client, community, leader):
    person = verified_user(email="anna@example.lv", first_name="Anna", last_name="Ābele")
    request_ = MembershipFactory(user=person, community=community)
    client.force_login(leader)

    client.post(f"{MEMBERS}{request_.pk}/", {"decision": "approve", "role": "activist"})

    assert history(community) == [("Anna Ābele", "joined", "", "activist", "", "lidere@example.lv")]
    doc = parse(client.get(MEMBERS).content)
    [line] = doc.texts("ol.membership-history li")
    assert line.split(": ", 1)[1] == (
        "Anna Ābele – Apstiprināts dalībnieks (Aktīvists); mainīja Līga Līdere"
    )


# --- Changing a role ---------------------------------------------------------------------------


def test_a_leader_changes_a_role_and_the_member_is_mailed_in_latvian(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_role(client, janis, "activist")
    # A double submit: the role already is the one asked for.
    with django_capture_on_commit_callbacks(execute=True):
        again = change_role(client, janis, "activist")

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    janis.refresh_from_db()
    assert janis.role == "activist"
    assert messages_after(client, again) == [
        "Loma mainīta: Jānis Jaunais – Aktīvists. Persona saņems e-pastu.",
        "Loma jau ir „Aktīvists” (Jānis Jaunais): nekas nav mainīts.",
    ]
    assert history(community) == [
        ("Jānis Jaunais", "role_changed", "member", "activist", "", "lidere@example.lv")
    ]
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["janis@example.lv"],
        "Darbīgās kopienas: jūsu loma kopienā „Preiļu darbīgā kopiena” mainīta",
    )
    assert message.body.splitlines() == [
        "Labdien!",
        "",
        "Jūsu loma kopienā „Preiļu darbīgā kopiena” mainīta: Dalībnieks → Aktīvists.",
        "http://127.0.0.1:8000/kopienas/preili/",
        "",
        "Darbīgās kopienas",
        "",
    ]


def test_the_role_mail_is_written_in_the_members_language(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    set_language(janis.user, "en")
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        change_role(client, janis, "leader")

    [row] = OutgoingMail.objects.all()
    assert (row.recipient, row.language) == ("janis@example.lv", "en")
    [message] = mail.outbox
    lines = message.body.splitlines()
    # The sentence itself is translated by the lead after merging (no makemessages here): what
    # the catalogue already knows is in English.
    assert (lines[0], lines[-2]) == ("Hello,", "Active Communities")
    assert lines[2].endswith(": Member → Leader.")


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("admin", "Izvēlieties lomu no saraksta."),
        ("", "Izvēlieties lomu no saraksta."),
        ("<script>alert(1)</script>", "Izvēlieties lomu no saraksta."),
        ("l" * 5000, "Izvēlieties lomu no saraksta."),
    ],
    ids=["unknown", "empty", "script", "huge"],
)
def test_a_bad_role_changes_nothing_and_says_why(client, community, leader, janis, role, message):
    client.force_login(leader)

    response = change_role(client, janis, role)

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    page = client.get(MEMBERS)
    assert parse(page.content).texts("ul.messages li") == [message]
    assert b"<script>alert(1)</script>" not in page.content
    janis.refresh_from_db()
    assert (janis.role, history(community), mail.outbox) == ("member", [], [])


def test_a_role_change_by_get_is_not_allowed(client, community, leader, janis):
    client.force_login(leader)

    response = client.get(f"{MEMBERS}{janis.pk}/loma/?role=leader")

    janis.refresh_from_db()
    assert (response.status_code, janis.role) == (405, "member")


def test_another_communitys_member_cannot_be_changed_through_ones_own(client, community, leader):
    other = CommunityFactory(slug="aglona")
    foreign = active(other)
    client.force_login(leader)

    role = change_role(client, foreign, "leader")
    removal = remove(client, foreign, message="Prom")
    shown = messages_after(client, removal)
    page = client.get(f"{MEMBERS}{foreign.pk}/nonemt/")

    assert (role["Location"], removal["Location"], page.status_code) == (MEMBERS, MEMBERS, 404)
    assert shown == [GONE, GONE]
    foreign.refresh_from_db()
    assert (foreign.role, MembershipChange.objects.count(), mail.outbox) == ("member", 0, [])


@pytest.mark.parametrize("who", ["other_leader", "member", "activist"])
def test_only_a_leader_of_this_community_changes_or_removes(client, community, leader, janis, who):
    other = CommunityFactory(slug="aglona")
    user = verified_user()
    if who == "other_leader":
        MembershipFactory(user=user, community=other, leader=True)
    else:
        MembershipFactory(user=user, community=community, role=who, status=Membership.Status.ACTIVE)
    client.force_login(user)

    answers = [
        change_role(client, janis, "leader").status_code,
        remove(client, janis, message="x").status_code,
        client.get(f"{MEMBERS}{janis.pk}/nonemt/").status_code,
        client.post(f"/kopienas/aglona/dalibnieki/{janis.pk}/nonemt/").status_code,
    ]

    assert answers[:3] == [403, 403, 403]
    # Aglona's own leader, asking there, finds no such member of Aglona.
    assert answers[3] == (302 if who == "other_leader" else 403)
    janis.refresh_from_db()
    assert (janis.role, MembershipChange.objects.count()) == ("member", 0)


def test_a_coordinator_changes_roles_in_any_community(client, community, leader, janis):
    coordinator = with_totp(verified_user(is_staff=True, email="koord@example.lv"))
    coordinator.groups.add(Group.objects.get(name="Koordinatori"))
    client.force_login(coordinator)

    change_role(client, janis, "activist")

    assert history(community) == [
        ("Jānis Jaunais", "role_changed", "member", "activist", "", "koord@example.lv")
    ]


# --- The last leader ---------------------------------------------------------------------------


def test_the_last_leader_is_not_demoted_without_a_successor(client, community, leader, janis):
    own = Membership.objects.get(user=leader)
    client.force_login(leader)

    response = change_role(client, own, "member")

    assert messages_after(client, response) == [LAST_LEADER_ROLE]
    own.refresh_from_db()
    assert (own.role, history(community), mail.outbox) == ("leader", [], [])


def test_the_last_leader_hands_over_to_a_successor_in_the_same_step(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    own = Membership.objects.get(user=leader)
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_role(client, own, "activist", successor=janis.pk)

    assert messages_after(client, response) == [
        "Loma mainīta: Līga Līdere – Aktīvists. Persona saņems e-pastu."
    ]
    assert dict(Membership.objects.values_list("user__email", "role")) == {
        "lidere@example.lv": "activist",
        "janis@example.lv": "leader",
    }
    assert history(community) == [
        ("Jānis Jaunais", "role_changed", "member", "leader", "", "lidere@example.lv"),
        ("Līga Līdere", "role_changed", "leader", "activist", "", "lidere@example.lv"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "janis@example.lv",
        "lidere@example.lv",
    ]


@pytest.mark.parametrize("successor", ["foreign", "self", "requested", "text"])
def test_a_successor_must_be_another_active_member_of_the_community(
    client, community, leader, janis, successor
):
    own = Membership.objects.get(user=leader)
    pk = {
        "foreign": lambda: active(CommunityFactory(slug="aglona")).pk,
        "self": lambda: own.pk,
        "requested": lambda: MembershipFactory(community=community).pk,
        "text": lambda: "<script>x</script>",
    }[successor]()
    client.force_login(leader)

    response = change_role(client, own, "member", successor=pk)

    assert messages_after(client, response) == [PICK_SUCCESSOR]
    own.refresh_from_db()
    assert (own.role, history(community)) == ("leader", [])


def test_a_leader_demoted_a_moment_ago_changes_nothing_more(community, leader):
    # Two leaders, each about to demote the other: the first wins; the second is no leader
    # by the time their change is made (the locks make the moments one after the other).
    second = active(community, Membership.Role.LEADER, email="otra@example.lv")
    first = Membership.objects.get(user=leader)

    membership_services.change_role(
        membership_id=second.pk, community=community, role="member", by=leader
    )
    with pytest.raises(ValidationError) as refused:
        membership_services.change_role(
            membership_id=first.pk, community=community, role="member", by=second.user
        )

    assert refused.value.messages == [
        "Jūs vairs neesat šīs kopienas līderis, tāpēc dalībniekus mainīt nevarat."
    ]
    assert dict(Membership.objects.values_list("user__email", "role")) == {
        "lidere@example.lv": "leader",
        "otra@example.lv": "member",
    }


# --- Removing ----------------------------------------------------------------------------------


def test_the_removal_page_asks_first_with_an_optional_message(client, community, leader, janis):
    client.force_login(leader)

    doc = parse(client.get(f"{MEMBERS}{janis.pk}/nonemt/").content)

    assert doc.select_one("main h1").text == "Noņemt dalībnieku"
    assert doc.select_one("p.remove-question").text == (
        "Vai noņemt no kopienas „Preiļu darbīgā kopiena” šo dalībnieku: Jānis Jaunais (Dalībnieks)?"
    )
    form = doc.select_one("main form.account-form")
    assert ([t.get("name") for t in form.select("textarea")], form.select("select")) == (
        ["message"],
        [],
    )
    assert form.select_one("button").text == "Noņemt no kopienas"


def test_a_leader_removes_a_member_with_a_message_mailed_as_plain_text(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    person = janis.user
    client.force_login(leader)
    text = "Paldies par darbu!\n<script>alert('x')</script> & <b>tā</b>"

    with django_capture_on_commit_callbacks(execute=True):
        response = remove(client, janis, message=text)
    with django_capture_on_commit_callbacks(execute=True):
        again = remove(client, janis, message=text)

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    page = client.get(again["Location"])
    doc = parse(page.content)
    assert doc.texts("ul.messages li") == [
        "Dalībnieks noņemts no kopienas: Jānis Jaunais. Persona saņems e-pastu.",
        GONE,
    ]
    # Shown as the text it is on the members page, never as markup.
    assert b"<script>alert" not in page.content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.content.decode()
    assert doc.select_one("span.history-message").text == (
        "Ziņa: Paldies par darbu! <script>alert('x')</script> & <b>tā</b>"
    )
    assert not Membership.objects.filter(user=person).exists()
    assert history(community) == [
        ("Jānis Jaunais", "removed", "member", "", text, "lidere@example.lv")
    ]
    [message] = mail.outbox
    assert (message.to, message.subject, message.content_subtype) == (
        ["janis@example.lv"],
        "Darbīgās kopienas: jūs vairs neesat kopienas „Preiļu darbīgā kopiena” dalībnieks",
        "plain",
    )
    assert message.body.splitlines() == [
        "Labdien!",
        "",
        "Kopienas „Preiļu darbīgā kopiena” līderis jūs noņēma no kopienas dalībnieku saraksta.",
        "",
        "Līdera ziņa:",
        "Paldies par darbu!",
        "<script>alert('x')</script> & <b>tā</b>",
        "",
        "Ja domājat, ka tā ir kļūda, sazinieties ar kopienu vai piesakieties vēlreiz:",
        "http://127.0.0.1:8000/kopienas/preili/",
        "",
        "Darbīgās kopienas",
        "",
    ]
    # The person may ask to join again.
    client.force_login(person)
    client.post("/kopienas/preili/pievienoties/")
    assert Membership.objects.get(user=person).status == "requested"


def test_the_removal_mail_is_written_in_the_members_language(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    set_language(janis.user, "en")
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        remove(client, janis, message="")

    [row] = OutgoingMail.objects.all()
    [message] = mail.outbox
    assert (row.language, message.body.splitlines()[0], message.body.splitlines()[-2]) == (
        "en",
        "Hello,",
        "Active Communities",
    )
    assert "Līdera ziņa:" not in message.body  # no message, no heading for it


def test_a_message_too_long_keeps_what_was_typed(client, community, leader, janis):
    client.force_login(leader)
    text = "<script>x</script>" + "ā" * 1000

    response = remove(client, janis, message=text)

    assert response.status_code == 400
    doc = parse(response.content)
    assert doc.texts("section.error-summary li") == [
        "Ziņa personai (nav obligāta): Ne vairāk kā 1000 rakstzīmes (tagad 1018)."
    ]
    assert doc.select_one("textarea[name=message]").text == text
    assert b"<script>x</script>" not in response.content
    assert (Membership.objects.filter(pk=janis.pk).exists(), history(community)) == (True, [])


def test_removing_the_last_leader_needs_a_successor(client, community, leader, janis):
    coordinator = with_totp(verified_user(is_staff=True, email="koord@example.lv"))
    coordinator.groups.add(Group.objects.get(name="Koordinatori"))
    own = Membership.objects.get(user=leader)
    client.force_login(coordinator)
    path = f"{MEMBERS}{own.pk}/nonemt/"

    page = parse(client.get(path).content)
    refused = client.post(path, {"message": "Paldies", "successor": ""})
    done = client.post(path, {"message": "Paldies", "successor": janis.pk})

    assert [option.text for option in page.select("select[name=successor] option")] == [
        "—",
        "Jānis Jaunais",
    ]
    assert refused.status_code == 400
    refused_doc = parse(refused.content)
    assert refused_doc.texts("section.error-summary li") == [
        f"Pēctecis (kļūs par līderi): {PICK_SUCCESSOR}"
    ]
    assert refused_doc.select_one("textarea[name=message]").text == "Paldies"
    assert (done.status_code, done["Location"]) == (302, MEMBERS)
    assert list(Membership.objects.values_list("user__email", "role")) == [
        ("janis@example.lv", "leader")
    ]
    assert [row[:4] for row in history(community)] == [
        ("Jānis Jaunais", "role_changed", "member", "leader"),
        ("Līga Līdere", "removed", "leader", ""),
    ]


# --- Leaving -----------------------------------------------------------------------------------


def test_a_member_leaves_after_confirming(client, community, leader, janis):
    client.force_login(janis.user)
    community_page = parse(client.get("/kopienas/preili/").content)

    page = parse(client.get("/kopienas/preili/pamest/").content)
    response = client.post("/kopienas/preili/pamest/")
    again = client.post("/kopienas/preili/pamest/")

    assert community_page.select_one("p.membership-leave a").get("href") == (
        "/kopienas/preili/pamest/"
    )
    assert page.select_one("p.leave-question").text == (
        "Vai tiešām vēlaties pamest kopienu „Preiļu darbīgā kopiena”? Jūsu loma tajā: Dalībnieks."
    )
    assert page.select("main form select") == []
    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert messages_after(client, again) == [
        "Jūs pametāt kopienu „Preiļu darbīgā kopiena”.",
        "Jūs neesat šīs kopienas dalībnieks.",
    ]
    assert not Membership.objects.filter(pk=janis.pk).exists()
    assert history(community) == [("Jānis Jaunais", "left", "member", "", "", "janis@example.lv")]
    assert client.get("/kopienas/preili/pamest/").status_code == 404


def test_the_last_leader_leaves_only_by_naming_a_successor(client, community, leader, janis):
    client.force_login(leader)

    page = parse(client.get("/kopienas/preili/pamest/").content)
    refused = client.post("/kopienas/preili/pamest/")
    foreign = client.post("/kopienas/preili/pamest/", {"successor": active(CommunityFactory()).pk})
    done = client.post("/kopienas/preili/pamest/", {"successor": janis.pk})

    assert page.select_one("p.notice").text == (
        "Jūs esat kopienas pēdējais līderis: izvēlieties pēcteci, kurš kļūs par līderi."
    )
    assert (refused.status_code, foreign.status_code) == (400, 400)
    assert parse(refused.content).texts("section.error-summary li") == [
        f"Pēctecis (kļūs par līderi): {PICK_SUCCESSOR}"
    ]
    assert parse(foreign.content).texts("section.error-summary li") == [
        f"Pēctecis (kļūs par līderi): {PICK_SUCCESSOR}"
    ]
    assert (done.status_code, done["Location"]) == (302, "/kopienas/preili/")
    assert list(
        Membership.objects.filter(community=community).values_list("user__email", "role")
    ) == [("janis@example.lv", "leader")]


def test_the_last_leader_service_refuses_without_a_successor(community, leader):
    with pytest.raises(ValidationError) as refused:
        membership_services.leave_community(user=leader, community=community)

    assert refused.value.message_dict == {
        "successor": [
            "Jūs esat kopienas pēdējais līderis. Lai pamestu kopienu, izvēlieties pēcteci, "
            "kurš kļūs par līderi."
        ]
    }
    assert Membership.objects.get(user=leader).role == "leader"


def test_one_of_two_leaders_leaves_without_a_successor(client, community, leader):
    active(community, Membership.Role.LEADER, email="otra@example.lv")
    client.force_login(leader)

    page = parse(client.get("/kopienas/preili/pamest/").content)
    response = client.post("/kopienas/preili/pamest/")

    assert (page.select("main form select"), response.status_code) == ([], 302)
    assert list(Membership.objects.values_list("user__email", flat=True)) == ["otra@example.lv"]


def test_leaving_needs_the_csrf_token(community, janis):
    client = Client(enforce_csrf_checks=True)
    client.force_login(janis.user)

    response = client.post("/kopienas/preili/pamest/")

    assert (response.status_code, Membership.objects.filter(pk=janis.pk).exists()) == (403, True)


# --- The other leaders hear of a departure -----------------------------------------------------


def left_mails() -> list[tuple[str, str, str]]:
    return list(
        OutgoingMail.objects.filter(kind="communities/mail/member_left")
        .order_by("recipient")
        .values_list("recipient", "language", "subject")
    )


def test_the_other_leaders_are_mailed_once_each_when_a_member_leaves(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    second = active(
        community, Membership.Role.LEADER, email="otra@example.lv", first_name="Otra"
    ).user
    set_language(second, "en")
    # Neither a plain member nor a leader whose account is closed hears of it.
    active(community, email="cits@example.lv")
    active(community, Membership.Role.LEADER, email="slegts@example.lv", is_active=False)
    client.force_login(janis.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kopienas/preili/pamest/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kopienas/preili/pamest/")  # a double submit

    subject = "Darbīgās kopienas: Jānis Jaunais pameta kopienu „Preiļu darbīgā kopiena”"
    english_subject = (
        "Active Communities: Jānis Jaunais left the community “Preiļu darbīgā kopiena”"
    )
    assert left_mails() == [
        ("lidere@example.lv", "lv", subject),
        ("otra@example.lv", "en", english_subject),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lidere@example.lv",
        "otra@example.lv",
    ]
    latvian = next(message for message in mail.outbox if message.to == ["lidere@example.lv"])
    assert (latvian.subject, latvian.content_subtype) == (subject, "plain")
    assert latvian.body.splitlines() == [
        "Labdien!",
        "",
        "Jānis Jaunais pameta kopienu „Preiļu darbīgā kopiena”. Loma kopienā bija: Dalībnieks.",
        "",
        "Kopienas dalībnieki un izmaiņu vēsture:",
        "http://127.0.0.1:8000/kopienas/preili/dalibnieki/",
        "",
        "Darbīgās kopienas",
        "",
    ]
    english = next(message for message in mail.outbox if message.to == ["otra@example.lv"])
    assert (english.subject, english.body.splitlines()) == (
        english_subject,
        [
            "Hello,",
            "",
            "Jānis Jaunais left the community “Preiļu darbīgā kopiena”. Their role in it was: "
            "Member.",
            "",
            "The community's members and the history of changes:",
            "http://127.0.0.1:8000/kopienas/preili/dalibnieki/",
            "",
            "Active Communities",
            "",
        ],
    )


def test_the_last_leader_who_leaves_names_the_successor_in_the_mail(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    active(community, Membership.Role.ACTIVIST, email="aktivists@example.lv")
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kopienas/preili/pamest/", {"successor": janis.pk})

    # The successor, now the only leader, hears it once: the departure mail says the role is
    # theirs (no second mail of the role change); the activist is no leader and hears nothing.
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["janis@example.lv"],
        "Darbīgās kopienas: Līga Līdere pameta kopienu „Preiļu darbīgā kopiena”",
    )
    assert message.body.splitlines() == [
        "Labdien!",
        "",
        "Līga Līdere pameta kopienu „Preiļu darbīgā kopiena”. Loma kopienā bija: Līderis.",
        "",
        "Līga Līdere bija kopienas pēdējais līderis un nodeva līdera lomu jums: tagad jūs esat "
        "kopienas līderis. Jūs varat apstiprināt pieteikumus, mainīt dalībnieku lomas un rīkot "
        "kopienas pasākumus.",
        "",
        "Kopienas dalībnieki un izmaiņu vēsture:",
        "http://127.0.0.1:8000/kopienas/preili/dalibnieki/",
        "",
        "Darbīgās kopienas",
        "",
    ]
    # The history still records the hand-over, then the departure.
    assert history(community) == [
        ("Jānis Jaunais", "role_changed", "member", "leader", "", "lidere@example.lv"),
        ("Līga Līdere", "left", "leader", "", "", "lidere@example.lv"),
    ]


def test_one_of_two_leaders_leaves_and_the_other_is_told_without_a_successor(
    community, leader, django_capture_on_commit_callbacks
):
    other = active(
        community, Membership.Role.LEADER, email="otra@example.lv", first_name="", last_name=""
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        membership_services.leave_community(user=other, community=community)

    [message] = mail.outbox
    assert message.to == ["lidere@example.lv"]
    assert message.body.splitlines()[2:5] == [
        "otra@example.lv pameta kopienu „Preiļu darbīgā kopiena”. Loma kopienā bija: Līderis.",
        "",
        "Kopienas dalībnieki un izmaiņu vēsture:",
    ]


def test_a_removal_mails_the_removed_person_only(
    client, community, leader, janis, django_capture_on_commit_callbacks
):
    active(community, Membership.Role.LEADER, email="otra@example.lv")
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        remove(client, janis, message="")

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["janis@example.lv"],
            "Darbīgās kopienas: jūs vairs neesat kopienas „Preiļu darbīgā kopiena” dalībnieks",
        )
    ]
    assert left_mails() == []


# --- Withdrawing a pending request -------------------------------------------------------------


@pytest.fixture
def anna(community):
    """A person whose request to join Preiļi is pending."""
    return MembershipFactory(
        user=verified_user(email="anna@example.lv", first_name="Anna", last_name="Ābele"),
        community=community,
    ).user


WITHDRAWN = "Jūsu pieteikums kopienā „Preiļu darbīgā kopiena” atsaukts."
NO_REQUEST = "Jums šajā kopienā nav pieteikuma, kas gaida atbildi."


def test_a_pending_request_is_withdrawn_after_confirming(
    client, community, leader, anna, django_capture_on_commit_callbacks
):
    client.force_login(anna)
    community_page = parse(client.get("/kopienas/preili/").content)

    page = parse(client.get("/kopienas/preili/pamest/").content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kopienas/preili/pamest/", {"withdraw": "1"})
        again = client.post("/kopienas/preili/pamest/", {"withdraw": "1"})

    assert [(a.text, a.get("href")) for a in community_page.select("p.membership-leave a")] == [
        ("Atsaukt pieteikumu", "/kopienas/preili/pamest/")
    ]
    assert page.select_one("title").text.startswith("Atsaukt pieteikumu · Preiļu darbīgā kopiena")
    assert page.select_one("main h1").text == "Atsaukt pieteikumu"
    assert page.select_one("p.leave-question").text == (
        "Atsaukt pieteikumu kopienā „Preiļu darbīgā kopiena”?"
    )
    assert [button.text for button in page.select("main form button")] == ["Atsaukt pieteikumu"]
    assert (page.select("main form select"), page.select("main form textarea")) == ([], [])
    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert (again.status_code, again["Location"]) == (302, "/kopienas/preili/")
    assert messages_after(client, again) == [WITHDRAWN, NO_REQUEST]
    assert not Membership.objects.filter(user=anna).exists()
    assert history(community) == [("Anna Ābele", "withdrawn", "", "", "", "anna@example.lv")]
    # Nobody is mailed: the request simply is no more.
    assert (mail.outbox, OutgoingMail.objects.count()) == ([], 0)
    assert client.get("/kopienas/preili/pamest/").status_code == 404
    # The community page offers to ask again.
    assert parse(client.get("/kopienas/preili/").content).select_one(
        "form.join-form button"
    ).text == ("Pieteikties kopienā")
    # The leaders' list of requests has it no more; their history says why.
    client.force_login(leader)
    members_page = parse(client.get(MEMBERS).content)
    assert members_page.select("form.decision-form") == []
    assert members_page.texts("section p.empty")[0] == "Jaunu pieteikumu nav."
    [line] = members_page.texts("ol.membership-history li")
    assert line.split(": ", 1)[1] == "Anna Ābele – Atsauca pieteikumu"


def test_a_pending_request_is_withdrawn_from_my_page(client, community, anna):
    client.force_login(anna)

    links = parse(client.get("/mans/").content).select("ul.my-memberships li a")
    link = links[1]
    response = client.post(link.get("href"), {"withdraw": "1"})

    assert [(a.text, a.get("href")) for a in links] == [
        ("Preiļu darbīgā kopiena", "/kopienas/preili/"),
        ("Atsaukt pieteikumu Preiļu darbīgā kopiena", "/kopienas/preili/pamest/"),
    ]
    assert messages_after(client, response) == [WITHDRAWN]
    assert parse(client.get("/mans/").content).texts("ul.my-memberships li") == []


def test_a_withdrawal_ignores_anything_else_sent_with_it(client, community, anna):
    client.force_login(anna)

    response = client.post(
        "/kopienas/preili/pamest/",
        {"withdraw": "<script>alert(1)</script>" + "x" * 5000, "successor": "ne-skaitlis"},
    )

    assert messages_after(client, response) == [WITHDRAWN]
    assert history(community) == [("Anna Ābele", "withdrawn", "", "", "", "anna@example.lv")]


def test_withdrawing_needs_the_csrf_token(community, anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)

    response = client.post("/kopienas/preili/pamest/", {"withdraw": "1"})

    assert (response.status_code, Membership.objects.filter(user=anna).exists()) == (403, True)


def test_a_withdrawn_request_can_no_longer_be_decided(
    client, community, leader, anna, django_capture_on_commit_callbacks
):
    request_ = Membership.objects.get(user=anna)
    membership_services.withdraw_request(user=anna, community=community)
    client.force_login(leader)

    # The leader's page was open before the withdrawal: the buttons are pressed after it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{MEMBERS}{request_.pk}/", {"decision": "approve", "role": "member"}
        )
        declined = client.post(f"{MEMBERS}{request_.pk}/", {"decision": "decline"})

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert messages_after(client, declined) == [
        "Šis pieteikums jau ir izskatīts vai atsaukts.",
        "Šis pieteikums jau ir izskatīts vai atsaukts.",
    ]
    assert not Membership.objects.filter(user=anna).exists()
    assert mail.outbox == []
    assert history(community) == [("Anna Ābele", "withdrawn", "", "", "", "anna@example.lv")]
    with pytest.raises(Membership.DoesNotExist):
        services.decide_membership(
            membership_id=request_.pk, community=community, approve=True, by=leader
        )


def test_a_request_approved_before_the_withdrawal_stays_a_membership(
    client, community, leader, anna
):
    client.force_login(anna)
    page = client.get("/kopienas/preili/pamest/")
    # The leader approves while the person looks at the question.
    services.decide_membership(
        membership_id=Membership.objects.get(user=anna).pk,
        community=community,
        approve=True,
        by=leader,
    )

    response = client.post("/kopienas/preili/pamest/", {"withdraw": "1"})

    # The person was asked to withdraw a pending request, not to leave.
    assert parse(page.content).select_one("p.leave-question").text == (
        "Atsaukt pieteikumu kopienā „Preiļu darbīgā kopiena”?"
    )
    assert messages_after(client, response) == [
        "Jūsu pieteikums jau ir apstiprināts: jūs esat šīs kopienas dalībnieks."
    ]
    assert Membership.objects.get(user=anna).status == "active"
    assert [row[1] for row in history(community)] == ["joined"]
    with pytest.raises(Membership.DoesNotExist):
        membership_services.withdraw_request(user=anna, community=community)


def test_only_ones_own_pending_request_here_is_withdrawn(client, community, leader, anna):
    stranger = verified_user(email="svesais@example.lv")
    elsewhere = MembershipFactory(community=CommunityFactory(slug="aglona")).user
    other_leader = active(CommunityFactory(slug="dagda"), Membership.Role.LEADER).user
    answers = []
    for person in (stranger, elsewhere, other_leader):
        client.force_login(person)
        answers.append(
            (
                client.get("/kopienas/preili/pamest/").status_code,
                messages_after(client, client.post("/kopienas/preili/pamest/", {"withdraw": "1"})),
            )
        )

    assert answers == [(404, [NO_REQUEST])] * 3
    assert sorted(
        Membership.objects.filter(community=community).values_list("user__email", "status")
    ) == [("anna@example.lv", "requested"), ("lidere@example.lv", "active")]
    assert history(community) == []


# --- The person's data -------------------------------------------------------------------------


def test_the_data_export_holds_the_persons_history(client, community, leader, janis):
    membership_services.change_role(
        membership_id=janis.pk, community=community, role="activist", by=leader
    )
    membership_services.remove_member(
        membership_id=janis.pk, community=community, message="Paldies", by=leader
    )
    client.force_login(janis.user)

    data = client.get("/mans/dati/?format=json").json()

    assert [
        {key: row[key] for key in ("community", "kind", "old_role", "new_role", "message")}
        for row in data["membership_history"]
    ] == [
        {
            "community": "Preiļu darbīgā kopiena",
            "kind": "role_changed",
            "old_role": "member",
            "new_role": "activist",
            "message": "",
        },
        {
            "community": "Preiļu darbīgā kopiena",
            "kind": "removed",
            "old_role": "activist",
            "new_role": "",
            "message": "Paldies",
        },
    ]


def test_a_deleted_account_leaves_the_history_without_its_name(community, leader, janis):
    from kopienas.services import delete_account

    membership_services.change_role(
        membership_id=janis.pk, community=community, role="activist", by=leader
    )
    delete_account(user=janis.user)

    # Their departure is a line too, without their name or who made it (themselves).
    assert history(community) == [
        ("", "role_changed", "member", "activist", "", "lidere@example.lv"),
        ("", "left", "activist", "", "", None),
    ]


def test_a_deleted_account_is_news_to_the_other_leaders_without_its_name(
    community, leader, janis, django_capture_on_commit_callbacks
):
    from kopienas.services import delete_account

    second = active(community, Membership.Role.LEADER, email="otra@example.lv").user
    set_language(second, "en")
    # A co-leader who deletes their account is not mailed about themselves; a second community
    # they led hears it too, and a pending request elsewhere goes unannounced.
    other_community = CommunityFactory(name="Viļānu kopiena", slug="vilani")
    active(other_community, Membership.Role.LEADER, email="vilani@example.lv")
    MembershipFactory(
        user=janis.user,
        community=other_community,
        role=Membership.Role.LEADER,
        status=Membership.Status.ACTIVE,
    )
    MembershipFactory(community=CommunityFactory(), user=janis.user)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=janis.user)

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (
            "lidere@example.lv",
            "Darbīgās kopienas: kāds dalībnieks vairs nav kopienā „Preiļu darbīgā kopiena”",
        ),
        (
            "otra@example.lv",
            "Active Communities: a member is no longer in the community “Preiļu darbīgā kopiena”",
        ),
        (
            "vilani@example.lv",
            "Darbīgās kopienas: kāds dalībnieks vairs nav kopienā „Viļānu kopiena”",
        ),
    ]
    latvian = next(m for m in mail.outbox if m.to == ["lidere@example.lv"])
    assert latvian.body.splitlines() == [
        "Labdien!",
        "",
        "Kāds kopienas „Preiļu darbīgā kopiena” dalībnieks izdzēsa savu kontu platformā "
        "„Darbīgās kopienas”, tāpēc vairs nav kopienā. Loma kopienā bija: Dalībnieks.",
        "",
        "Konts tika dzēsts pēc paša cilvēka lūguma, tāpēc vārds šajā vēstulē un kopienas "
        "vēsturē netiek rādīts.",
        "",
        "Kopienas dalībnieki un izmaiņu vēsture:",
        "http://127.0.0.1:8000/kopienas/preili/dalibnieki/",
        "",
        "Darbīgās kopienas",
        "",
    ]
    # No mail names them.
    assert [m for m in mail.outbox if "Jānis" in m.body or "Jaunais" in m.body] == []
    assert history(other_community) == [("", "left", "leader", "", "", None)]


# --- Queries -----------------------------------------------------------------------------------


def test_the_members_page_has_a_fixed_number_of_queries(
    client, community, leader, django_assert_num_queries
):
    client.force_login(leader)
    statuses = []
    for count in (1, 30):
        for _ in range(count):
            membership = active(community)
            membership_services.change_role(
                membership_id=membership.pk, community=community, role="activist", by=leader
            )
            MembershipFactory(community=community)
        with django_assert_num_queries(8):
            response = client.get(MEMBERS)
        statuses.append(response.status_code)

    assert statuses == [200, 200]
    doc = parse(response.content)
    # The latest twenty lines, then a link to the earlier ones.
    assert len(doc.select("ol.membership-history li")) == 20
    assert doc.select_one("nav.pagination a").get("href") == "?lapa=2"


@pytest.mark.parametrize("page", ["nonemt", "pamest", "atsaukt"])
def test_the_confirmation_pages_have_a_fixed_number_of_queries(
    client, community, leader, django_assert_num_queries, page
):
    own = Membership.objects.get(user=leader)
    client.force_login(leader)
    path = f"{MEMBERS}{own.pk}/nonemt/" if page == "nonemt" else "/kopienas/preili/pamest/"
    if page == "atsaukt":
        # A pending request's page: session, user, community, the request; nothing to list.
        client.force_login(MembershipFactory(community=community).user)
    queries = {"nonemt": 7, "pamest": 6, "atsaukt": 4}[page]
    statuses = []
    for count in (1, 30):
        for _ in range(count):
            active(community)
            MembershipFactory(community=community)
        # The last leader's page lists every possible successor in one query.
        with django_assert_num_queries(queries):
            response = client.get(path)
        statuses.append(response.status_code)

    assert statuses == [200, 200]


# --- At once (PostgreSQL) ----------------------------------------------------------------------


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The concurrency test cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(5))
def test_two_leaders_demoting_each_other_at_once_leave_one_leader(postgresql, attempt):
    community = CommunityFactory()
    first, second = (active(community, Membership.Role.LEADER) for _ in range(2))
    pairs = [(first, second), (second, first)]

    errors = _at_once(
        lambda pair: membership_services.change_role(
            membership_id=pair[1].pk, community=community, role="member", by=pair[0].user
        ),
        pairs,
    )

    leaders = Membership.objects.filter(community=community, role=Membership.Role.LEADER)
    assert leaders.count() == 1
    # The one who waited found themselves no leader any more.
    assert errors == [
        repr(
            ValidationError(
                "Jūs vairs neesat šīs kopienas līderis, tāpēc dalībniekus mainīt nevarat."
            )
        )
    ]
    assert [row[1:4] for row in history(community)] == [("role_changed", "leader", "member")]


@pytest.mark.postgres
def test_the_last_two_leaders_leaving_at_once_leave_one(postgresql):
    community = CommunityFactory()
    leaders = [active(community, Membership.Role.LEADER) for _ in range(2)]

    errors = _at_once(
        lambda membership: membership_services.leave_community(
            user=membership.user, community=community
        ),
        leaders,
    )

    assert Membership.objects.filter(community=community, role="leader").count() == 1
    assert errors == [
        repr(
            ValidationError(
                {
                    "successor": [
                        "Jūs esat kopienas pēdējais līderis. Lai pamestu kopienu, izvēlieties "
                        "pēcteci, kurš kļūs par līderi."
                    ]
                }
            )
        )
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(5))
def test_a_request_withdrawn_and_approved_at_once_is_one_or_the_other(postgresql, attempt):
    community = CommunityFactory()
    leader = active(community, Membership.Role.LEADER).user
    request_ = MembershipFactory(community=community)
    person = request_.user

    def act(who):
        if who == "person":
            membership_services.withdraw_request(user=person, community=community)
        else:
            services.decide_membership(
                membership_id=request_.pk, community=community, approve=True, by=leader
            )

    errors = _at_once(act, ["person", "leader"])

    kinds = list(
        MembershipChange.objects.filter(community=community).values_list("kind", flat=True)
    )
    statuses = list(Membership.objects.filter(user=person).values_list("status", flat=True))
    # The one who waited found the request gone (withdrawn) or no longer pending (approved).
    assert errors == [repr(Membership.DoesNotExist("Membership matching query does not exist."))]
    assert (kinds, statuses) in [(["withdrawn"], []), (["joined"], ["active"])]


def _waiting_on_a_lock(cursor) -> bool:
    cursor.execute(
        # A wait on a row is one on its holder's transaction id: a lock of no database.
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid IN "
        "(SELECT pid FROM pg_stat_activity WHERE datname = current_database())"
    )
    return cursor.fetchone()[0] > 0


@pytest.mark.postgres
def test_a_withdrawal_waiting_on_a_leaders_approval_finds_the_request_decided(postgresql):
    community = CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")
    leader = active(community, Membership.Role.LEADER).user
    request_ = MembershipFactory(community=community)
    client = Client()
    client.force_login(request_.user)
    locked = threading.Event()
    seen = {}

    def leader_approves():
        try:
            with transaction.atomic():
                Membership.objects.select_for_update().get(pk=request_.pk)
                locked.set()
                # Approve once the person's withdrawal waits on the row this leader holds.
                with connection.cursor() as cursor:
                    for _ in range(1000):
                        if _waiting_on_a_lock(cursor):
                            break
                        time.sleep(0.01)
                    seen["waited"] = _waiting_on_a_lock(cursor)
                services.decide_membership(
                    membership_id=request_.pk, community=community, approve=True, by=leader
                )
        finally:
            connection.close()

    def person_withdraws():
        try:
            locked.wait(10)
            response = client.post("/kopienas/preili/pamest/", {"withdraw": "1"})
            seen["messages"] = messages_after(client, response)
        finally:
            connection.close()

    threads = [threading.Thread(target=leader_approves), threading.Thread(target=person_withdraws)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == {"waited": True, "messages": ["Jūsu pieteikums jau ir izskatīts."]}
    assert Membership.objects.get(pk=request_.pk).status == "active"
    assert [row[1] for row in history(community)] == ["joined"]


# --- The admin ---------------------------------------------------------------------------------


def test_coordinators_read_the_history_in_the_admin_and_change_nothing(
    client, community, leader, janis
):
    membership_services.remove_member(
        membership_id=janis.pk, community=community, message="Paldies", by=leader
    )
    change = MembershipChange.objects.get()
    coordinator = with_totp(verified_user(is_staff=True))
    coordinator.groups.add(Group.objects.get(name="Koordinatori"))
    client.force_login(coordinator)
    base = "/admin/communities/membershipchange/"

    listing = parse(client.get(base).content)
    answers = [
        client.get(f"{base}{change.pk}/change/").status_code,
        client.get(f"{base}add/").status_code,
        client.post(f"{base}{change.pk}/delete/", {"post": "yes"}).status_code,
    ]

    assert listing.texts("#result_list tbody td.field-person_name") == ["Jānis Jaunais"]
    assert [a for a in listing.select("a") if a.get("href") == f"{base}add/"] == []
    assert answers == [200, 403, 403]
    assert MembershipChange.objects.count() == 1


# --- Valid HTML --------------------------------------------------------------------------------


@pytest.mark.vnu
def test_the_new_pages_are_valid_html(client, community, leader, janis, tmp_path):
    from tests.vnu import nu_errors

    membership_services.change_role(
        membership_id=janis.pk, community=community, role="activist", by=leader
    )
    client.force_login(leader)
    responses = {
        "members": client.get(MEMBERS),
        "remove": client.get(f"{MEMBERS}{janis.pk}/nonemt/"),
        "remove-errors": remove(client, janis, message="x" * 1001),
        "leave": client.get("/kopienas/preili/pamest/"),
        "leave-errors": client.post("/kopienas/preili/pamest/"),
    }
    client.force_login(MembershipFactory(community=community).user)
    responses["withdraw"] = client.get("/kopienas/preili/pamest/")
    pages = {name: response.content for name, response in responses.items()}

    # The pages themselves, not an error page in their place.
    assert [response.status_code for response in responses.values()] == [
        200,
        200,
        400,
        200,
        400,
        200,
    ]
    assert nu_errors(pages, tmp_path) == []
