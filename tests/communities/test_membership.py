"""Joining a community from its page and a leader's (or coordinator's) decision on the request.

Who may decide: an active leader of that very community, or a coordinator. Anyone else signed
in gets 403 on the members page and on the decision URL (the community is public, so refusing
reveals nothing); a request that is not a waiting request of that community is answered with
"already decided" and changes nothing.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from communities.models import Membership
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    UserFactory,
    verified_user,
    with_totp,
)
from tests.html import parse

ALREADY_DECIDED = "Šis pieteikums jau ir izskatīts vai atsaukts."


@pytest.fixture
def community(db):
    return CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")


@pytest.fixture
def leader(community):
    user = verified_user(email="lidere@example.lv", first_name="Līga", last_name="Līdere")
    MembershipFactory(user=user, community=community, leader=True)
    return user


@pytest.fixture
def person(db):
    return verified_user(email="janis@example.lv", first_name="Jānis", last_name="Jaunais")


def membership_text(client, community) -> str:
    doc = parse(client.get(community.get_absolute_url()).content)
    section = doc.select_one("section.membership")
    return " ".join(p.text for p in section.select("p"))


def join(client, community):
    return client.post(f"/kopienas/{community.slug}/pievienoties/")


def decide(client, community, membership, **data):
    return client.post(f"/kopienas/{community.slug}/dalibnieki/{membership.pk}/", data)


# --- Asking to join ----------------------------------------------------------------------------


def test_the_community_page_offers_a_signed_out_visitor_to_log_in(client, community):
    doc = parse(client.get("/kopienas/preili/").content)

    link = doc.select_one("section.membership a")
    assert (link.text, link.get("href")) == (
        "pieslēdzieties",
        "/konts/login/?next=/kopienas/preili/",
    )
    assert doc.select("form.join-form") == []


def test_an_unverified_person_is_asked_to_confirm_their_address_first(client, community):
    user = UserFactory()
    client.force_login(user)

    text = membership_text(client, community)
    response = join(client, community)

    assert text == "Lai pieteiktos kopienā, vispirms apstipriniet savu e-pasta adresi."
    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert Membership.objects.count() == 0


def test_a_person_asks_to_join_once_and_the_leaders_are_mailed_after_commit(
    client, community, leader, person, django_capture_on_commit_callbacks
):
    second_leader = verified_user(email="otra@example.lv")
    MembershipFactory(user=second_leader, community=community, leader=True)
    client.force_login(person)
    form = parse(client.get("/kopienas/preili/").content).select_one("form.join-form")
    assert (form.get("action"), form.select_one("button").text) == (
        "/kopienas/preili/pievienoties/",
        "Pieteikties kopienā",
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = join(client, community)
        assert mail.outbox == []  # nothing is sent before the request is stored
    # A double click: the second request finds the first.
    with django_capture_on_commit_callbacks(execute=True):
        second = join(client, community)

    assert (first.status_code, first["Location"], second["Location"]) == (
        302,
        "/kopienas/preili/",
        "/kopienas/preili/",
    )
    # One delivery for each leader's mail, queued with the request (the outbox).
    assert len(callbacks) == 2
    assert list(Membership.objects.filter(user=person).values_list("role", "status")) == [
        ("member", "requested")
    ]
    assert membership_text(client, community) == (
        "Jūsu pieteikums gaida apstiprinājumu. Atsaukt pieteikumu"
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lidere@example.lv",
        "otra@example.lv",
    ]
    message = mail.outbox[0]
    assert message.subject == "Darbīgās kopienas: jauns pieteikums kopienā „Preiļu darbīgā kopiena”"
    assert message.body.splitlines()[:5] == [
        "Labdien!",
        "",
        "Jānis Jaunais (janis@example.lv) vēlas pievienoties kopienai „Preiļu darbīgā kopiena”.",
        "",
        "Pieteikumu var apstiprināt (izvēloties lomu) vai noraidīt šeit:",
    ]
    assert message.body.splitlines()[5] == "http://127.0.0.1:8000/kopienas/preili/dalibnieki/"


def test_joining_is_a_post_a_get_leads_back_to_the_community(client, community, person):
    client.force_login(person)

    response = client.get("/kopienas/preili/pievienoties/")

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert Membership.objects.count() == 0


def test_joining_needs_the_csrf_token(community, person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = join(client, community)

    assert (response.status_code, Membership.objects.count()) == (403, 0)


def test_a_member_sees_their_role(client, community, person):
    MembershipFactory(
        user=person,
        community=community,
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    client.force_login(person)

    assert membership_text(client, community) == (
        "Jūs esat šīs kopienas dalībnieks (loma: Aktīvists). Pamest kopienu"
    )


# --- Deciding -------------------------------------------------------------------------------


@pytest.fixture
def request_(community, person):
    return MembershipFactory(user=person, community=community)


def test_the_leader_sees_waiting_requests_and_members(client, community, leader, request_):
    client.force_login(leader)

    doc = parse(client.get("/kopienas/preili/dalibnieki/").content)

    assert doc.select_one("main h1").text == "Dalībnieki un pieteikumi"
    assert doc.texts("li.member-request p.member-name") == ["Jānis Jaunais (janis@example.lv)"]
    form = doc.select_one("form.decision-form")
    assert form.get("action") == f"/kopienas/preili/dalibnieki/{request_.pk}/"
    assert [
        (option.get("value"), option.text, "selected" in option.attrs)
        for option in form.select("option")
    ] == [
        ("member", "Dalībnieks", True),
        ("activist", "Aktīvists", False),
        ("leader", "Līderis", False),
    ]
    assert doc.texts("ul.members li.member p")[:2] == [
        "Līga Līdere (lidere@example.lv)",
        "Loma: Līderis",
    ]


def test_the_leader_approves_with_a_role_and_the_person_is_mailed(
    client, community, leader, request_, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, community, request_, decision="approve", role="activist")
    again = decide(client, community, request_, decision="approve", role="leader")

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/dalibnieki/")
    request_.refresh_from_db()
    assert (request_.role, request_.status) == ("activist", "active")
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["janis@example.lv"],
        "Darbīgās kopienas: jūs esat kopienas „Preiļu darbīgā kopiena” dalībnieks",
    )
    assert message.body.splitlines()[2:4] == [
        "Jūsu pieteikums kopienā „Preiļu darbīgā kopiena” ir apstiprināts. Jūsu loma: Aktīvists.",
        "http://127.0.0.1:8000/kopienas/preili/",
    ]
    # The second click finds nothing to decide and changes nothing.
    doc = parse(client.get(again["Location"]).content)
    assert doc.texts("ul.messages li") == [
        "Pieteikums apstiprināts: Jānis Jaunais (Aktīvists).",
        ALREADY_DECIDED,
    ]
    request_.refresh_from_db()
    assert request_.role == "activist"


def test_the_leader_declines_and_the_person_may_ask_again(
    client, community, leader, request_, person, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, community, request_, decision="decline", role="member")

    assert Membership.objects.filter(user=person).count() == 0
    [message] = mail.outbox
    assert message.subject == (
        "Darbīgās kopienas: pieteikums kopienā „Preiļu darbīgā kopiena” nav apstiprināts"
    )
    client.force_login(person)
    join(client, community)
    assert Membership.objects.filter(user=person, status="requested").count() == 1


def test_a_coordinator_may_decide_in_any_community(client, community, request_):
    coordinator = with_totp(verified_user(is_staff=True))
    coordinator.groups.add(Group.objects.get(name="Koordinatori"))
    client.force_login(coordinator)

    decide(client, community, request_, decision="approve", role="leader")

    request_.refresh_from_db()
    assert (request_.role, request_.status) == ("leader", "active")


@pytest.mark.parametrize("staff", [False, True])
def test_a_coordinator_without_the_second_factor_or_staff_status_decides_nothing(
    client, community, request_, staff
):
    # Still in the "Koordinatori" group: without two-factor authentication, or no longer staff,
    # the site treats them as anyone else.
    coordinator = verified_user(is_staff=staff)
    if not staff:
        with_totp(coordinator)
    coordinator.groups.add(Group.objects.get(name="Koordinatori"))
    client.force_login(coordinator)

    members_page = client.get(f"/kopienas/{community.slug}/dalibnieki/")
    decision = decide(client, community, request_, decision="approve", role="leader")

    request_.refresh_from_db()
    assert (members_page.status_code, decision.status_code, request_.status) == (
        403,
        403,
        "requested",
    )


@pytest.mark.parametrize("who", ["member", "activist", "other_leader", "requested_leader"])
def test_only_a_leader_of_this_community_decides(client, community, request_, who):
    other = CommunityFactory(slug="aglona")
    user = verified_user()
    if who == "member":
        MembershipFactory(user=user, community=community, status=Membership.Status.ACTIVE)
    elif who == "activist":
        MembershipFactory(
            user=user,
            community=community,
            role=Membership.Role.ACTIVIST,
            status=Membership.Status.ACTIVE,
        )
    elif who == "other_leader":
        MembershipFactory(user=user, community=other, leader=True)
    else:  # asked to lead, not yet approved
        MembershipFactory(user=user, community=community, role=Membership.Role.LEADER)
    client.force_login(user)

    page = client.get("/kopienas/preili/dalibnieki/")
    response = decide(client, community, request_, decision="approve", role="leader")

    assert (page.status_code, response.status_code) == (403, 403)
    request_.refresh_from_db()
    assert request_.status == "requested"


def test_a_leader_cannot_decide_another_communitys_request_through_their_own(
    client, community, leader
):
    other = CommunityFactory(slug="aglona")
    foreign = MembershipFactory(community=other)
    client.force_login(leader)

    response = decide(client, community, foreign, decision="approve", role="leader")

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/dalibnieki/")
    foreign.refresh_from_db()
    assert (foreign.role, foreign.status) == ("member", "requested")
    doc = parse(client.get("/kopienas/preili/dalibnieki/").content)
    assert doc.texts("ul.messages li") == [ALREADY_DECIDED]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve", "role": "admin"}, "Izvēlieties lomu no saraksta."),
        ({"decision": "approve", "role": ""}, "Izvēlieties, kādā lomā apstiprināt dalībnieku."),
        ({"decision": "<script>x</script>"}, "Izvēlieties „Apstiprināt” vai „Noraidīt”."),
        ({}, "Izvēlieties „Apstiprināt” vai „Noraidīt”."),
        ({"decision": "approve", "role": "l" * 5000}, "Izvēlieties lomu no saraksta."),
    ],
    ids=["unknown-role", "no-role", "script", "nothing", "huge"],
)
def test_a_bad_decision_changes_nothing_and_says_why(
    client, community, leader, request_, data, message
):
    client.force_login(leader)

    response = decide(client, community, request_, **data)

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/dalibnieki/")
    page = client.get(response["Location"])
    assert parse(page.content).texts("ul.messages li") == [message]
    assert b"<script>x</script>" not in page.content
    request_.refresh_from_db()
    assert (request_.role, request_.status) == ("member", "requested")
    assert mail.outbox == []


def test_a_decision_by_get_is_not_allowed(client, community, leader, request_):
    client.force_login(leader)

    response = client.get(f"/kopienas/preili/dalibnieki/{request_.pk}/")

    assert response.status_code == 405
    request_.refresh_from_db()
    assert request_.status == "requested"


def test_mails_follow_the_language_each_person_last_signed_in_with(
    client, community, leader, person, django_capture_on_commit_callbacks
):
    second_leader = verified_user(email="otra@example.lv", first_name="Otra", last_name="Līdere")
    MembershipFactory(user=second_leader, community=community, leader=True)
    # The person and one leader last signed in under /en/; the other leader in Latvian.
    for who, path in ((person, "/en/konts/login/"), (leader, "/en/konts/login/")):
        client.post(path, {"login": who.email, "password": "parole-testiem-2026"})
        client.logout()
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        join(client, community)
    client.force_login(second_leader)
    request_ = Membership.objects.get(user=person)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, community, request_, decision="approve", role="member")

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("janis@example.lv", "Active Communities: you are a member of “Preiļu darbīgā kopiena”"),
        ("lidere@example.lv", "Active Communities: new request to join “Preiļu darbīgā kopiena”"),
        ("otra@example.lv", "Darbīgās kopienas: jauns pieteikums kopienā „Preiļu darbīgā kopiena”"),
    ]
