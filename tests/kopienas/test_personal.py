"""The signed-in person's pages: /mans/, the profile, "download my data" and deleting the account.
Also the query ceilings of /mans/ and of a community page with its join form."""

import json
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import Membership, Profile
from core import mail
from core.formats import RIGA, riga_today
from core.models import OutgoingMail
from events import following
from grants.models import Application
from kopienas import booking_usage
from kopienas.figures.sources import TOTAL, breakdown
from resource_centres import booking_services
from resource_centres.booking_models import Booking, Instruction
from resource_centres.booking_selectors import monday_of
from tests.factories import (
    CommunityFactory,
    EmailAddressFactory,
    EventFactory,
    MembershipFactory,
    ProfileFactory,
    RegistrationFactory,
    populate_community,
    verified_user,
    with_totp,
)
from tests.factories.grants import ApplicationFactory, BudgetLineFactory, GrantRoundFactory
from tests.factories.initiatives import own_initiative
from tests.html import parse
from tests.resource_centres.booking_support import bookable

User = get_user_model()
PASSWORD = "parole-testiem-2026"  # UserFactory's
QUERY_BUDGET = 20  # pages behind a log-in: the session and the user come first


@pytest.fixture
def anna(db):
    user = verified_user(
        username="anna", email="anna@example.lv", first_name="Anna", last_name="Bērziņa"
    )
    ProfileFactory(user=user, phone="+371 20 000 000")
    return user


def errors(response) -> dict[str, list[str]]:
    doc = parse(response.content)
    return {
        ul.get("id").removeprefix("id_").removesuffix("_error"): [li.text for li in ul.select("li")]
        for ul in doc.select("ul.errorlist")
        if ul.get("id")
    }


# --- /mans/ ----------------------------------------------------------------------------------


def test_my_page_shows_empty_states_for_a_new_person(client, anna):
    client.force_login(anna)

    doc = parse(client.get("/mans/").content)

    assert doc.select_one("main h1").text == "Mans konts"
    assert doc.texts("main section h2") == [
        "Mani pieteikumi konkursiem",
        "Manas iniciatīvas",
        "Rezervācijas",
        "Mani pasākumi",
        "Manas kopienas",
        "Kam sekoju",
        "Konta iestatījumi",
        "Mani dati",
    ]
    assert doc.texts("main p.empty") == [
        "Jums vēl nav neviena pieteikuma. Atvērtos konkursus atradīsiet sadaļā „Konkursi”. "
        "Skatīt konkursus",
        "Jums vēl nav iniciatīvu: tās parādās, kad konkursā atbalsta jūsu ideju.",
        "Jums nav gaidāmu rezervāciju. Aprīkojumu un telpas var rezervēt resursu centru lapās. "
        "Skatīt centrus",
        "Jūs vēl neesat pieteicies nevienam pasākumam. Apskatiet gaidāmos pasākumus.",
        "Jūs vēl neesat pievienojies nevienai kopienai. Skatīt kopienas",
        "Jūs vēl nesekojat nevienai kopienai vai centram. Sekot var kopienas vai centra lapā, "
        "sadaļā “Tuvākie pasākumi”.",
    ]
    assert [(a.text, a.get("href")) for a in doc.select("ul.account-links a")] == [
        ("Profils: vārds, uzvārds, tālrunis", "/mans/profils/"),
        ("E-pasta adreses", "/konts/email/"),
        ("Mainīt paroli", "/konts/password/change/"),
        ("Divpakāpju autentifikācija", "/konts/2fa/"),
        ("Iziet", "/konts/logout/"),
        ("Lejupielādēt manus datus", "/mans/dati/"),
        ("Dzēst kontu", "/mans/dzest/"),
    ]
    assert doc.select("ul.account-links li")[3].text == "Divpakāpju autentifikācija (izslēgta)"


def test_my_page_lists_memberships_with_status_and_role(client, anna):
    MembershipFactory(
        user=anna,
        community=CommunityFactory(name="Aglonas kopiena"),
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    MembershipFactory(user=anna, community=CommunityFactory(name="Dagdas kopiena"))
    client.force_login(with_totp(anna))

    doc = parse(client.get("/mans/").content)

    assert doc.texts("ul.my-memberships li") == [
        "Aglonas kopiena: Aktīvists (Pamest kopienu Aglonas kopiena)",
        "Dagdas kopiena: pieteikums gaida apstiprinājumu (Atsaukt pieteikumu Dagdas kopiena)",
    ]
    # An active member leaves the community; a pending request is withdrawn at the same address.
    aglona = Membership.objects.get(community__name="Aglonas kopiena").community
    dagda = Membership.objects.get(status="requested").community
    assert [a.get("href") for a in doc.select("ul.my-memberships li a")] == [
        f"/kopienas/{aglona.slug}/",
        f"/kopienas/{aglona.slug}/pamest/",
        f"/kopienas/{dagda.slug}/",
        f"/kopienas/{dagda.slug}/pamest/",
    ]
    assert doc.select("ul.account-links li")[3].text == ("Divpakāpju autentifikācija (ieslēgta)")


def test_my_page_lists_the_persons_applications_only(client, anna):
    grant_round = GrantRoundFactory(title="Mazo iniciatīvu konkurss 2026")
    ApplicationFactory(applicant=anna, round=grant_round, title="Kopienas dārzs")
    ApplicationFactory(round=grant_round, title="Cita cilvēka pieteikums")
    client.force_login(anna)

    doc = parse(client.get("/mans/").content)

    assert doc.texts("main .application-title") == ["Kopienas dārzs"]


def _fill(user, count: int) -> None:
    grant_round = GrantRoundFactory()
    for number in range(count):
        application = ApplicationFactory(applicant=user, round=grant_round, title=f"Nr. {number}")
        BudgetLineFactory(application=application)
        community = CommunityFactory()
        MembershipFactory(user=user, community=community, status="active")
        following.follow(user=user, community=community)
        own_initiative(community=community, leader=user, title=f"Talka Nr. {number}")
        RegistrationFactory(user=user, name=user.get_full_name(), email=user.email)
        # A booking next week at another centre each time.
        item = bookable()
        day = monday_of(riga_today()) + timedelta(days=7)
        start = datetime.combine(day, time(10), tzinfo=RIGA)
        booking_services.request_booking(
            request=booking_services.Request(item, start, start + timedelta(hours=1)),
            person=user,
        )


def test_my_page_query_count_does_not_grow_with_what_the_person_has(
    client, anna, django_assert_num_queries
):
    client.force_login(anna)
    # The session, the user, which lists hold anything (with the calendar feed's address and
    # whether 2FA is on), then for each list that does: the applications, the initiatives, the
    # upcoming and the earlier bookings, the upcoming and the earlier event registrations, the
    # memberships, what they follow (with whether their digest is on).
    queries = {0: 3, 1: 11, 20: 11}
    assert max(queries.values()) <= QUERY_BUDGET
    counted = []
    made = 0
    for size, expected in queries.items():
        _fill(anna, size - made)
        made = size
        with django_assert_num_queries(expected):
            response = client.get("/mans/")
        doc = parse(response.content)
        counted.append(
            (
                len(doc.select(".application-title")),
                len(doc.select(".initiative-title")),
                len(doc.select("ul.registrations > li")),
                len(doc.select(".my-memberships li")),
                len(doc.select("ul.bookings > li")),
                len(doc.select(".my-follows li")),
            )
        )

    # Of the registrations and the bookings, the ten soonest (the rest are a link away).
    assert counted == [(0, 0, 0, 0, 0, 0), (1, 1, 1, 1, 1, 1), (20, 20, 10, 20, 10, 20)]


def test_my_page_asks_only_for_the_lists_that_hold_something(
    client, anna, django_assert_num_queries
):
    """Applications and a membership: the session, the user, which lists hold anything, the
    applications and the memberships; the empty lists show their empty states all the same."""
    ApplicationFactory(applicant=anna, title="Kopienas dārzs")
    MembershipFactory(user=anna, community=CommunityFactory(name="Aglonas kopiena"))
    client.force_login(anna)

    with django_assert_num_queries(5):
        doc = parse(client.get("/mans/").content)

    assert doc.texts("main .application-title") == ["Kopienas dārzs"]
    assert doc.texts("ul.my-memberships li") == [
        "Aglonas kopiena: pieteikums gaida apstiprinājumu (Atsaukt pieteikumu Aglonas kopiena)"
    ]
    assert doc.texts("main p.empty") == [
        "Jums vēl nav iniciatīvu: tās parādās, kad konkursā atbalsta jūsu ideju.",
        "Jums nav gaidāmu rezervāciju. Aprīkojumu un telpas var rezervēt resursu centru lapās. "
        "Skatīt centrus",
        "Jūs vēl neesat pieteicies nevienam pasākumam. Apskatiet gaidāmos pasākumus.",
        "Jūs vēl nesekojat nevienai kopienai vai centram. Sekot var kopienas vai centra lapā, "
        "sadaļā “Tuvākie pasākumi”.",
    ]


def test_the_community_page_query_count_does_not_grow_with_members(
    client, anna, django_assert_num_queries
):
    community = CommunityFactory(slug="preili")
    client.force_login(anna)
    # Session, user, the community, its leaders, its testimonials, its next events, its latest
    # initiatives, the model elements and the years it practised them, the visitor's
    # membership, whether they may join (verified address), whether they decide (leadership;
    # someone who is not staff has no coordinator's powers to look up), whether they follow it.
    # The signed-in reads (session, user, membership, may join, may decide, following) come on
    # top of the public page's eight.
    queries = 14
    assert queries <= QUERY_BUDGET
    seen = []
    made = 0
    for count in (1, 20):
        populate_community(community, count=count - made)
        made = count
        with django_assert_num_queries(queries):
            response = client.get("/kopienas/preili/")
        doc = parse(response.content)
        seen.append(
            (len(doc.select(".leaders")[0].text.split(", ")), len(doc.select("form.join-form")))
        )

    assert seen == [(1, 1), (20, 1)]


# --- The profile -------------------------------------------------------------------------------


def test_the_profile_form_shows_the_current_values_and_the_address(client, anna):
    EmailAddressFactory(user=anna, email="anna.cita@example.lv", primary=False, verified=False)
    client.force_login(anna)

    doc = parse(client.get("/mans/profils/").content)

    assert [
        (el.get("name"), el.get("value"))
        for el in doc.select("main form input")
        if el.get("type") != "hidden"
    ] == [("first_name", "Anna"), ("last_name", "Bērziņa"), ("phone", "+371 20 000 000")]
    assert {label.get("for"): label.text for label in doc.select("main form label")} == {
        "id_first_name": "Vārds:",
        "id_last_name": "Uzvārds:",
        "id_phone": "Tālrunis:",
    }
    assert doc.texts("ul.my-emails li") == [
        "anna@example.lv (galvenā)",
        "anna.cita@example.lv (nav apstiprināta)",
    ]
    assert doc.select("main .prose > p a")[-1].get("href") == "/konts/email/"


def test_the_profile_is_saved(client, anna):
    client.force_login(anna)

    response = client.post(
        "/mans/profils/",
        {"first_name": " Anna Marija ", "last_name": "Kalniņa", "phone": "(+371) 6512-3456"},
    )

    assert (response.status_code, response["Location"]) == (302, "/mans/profils/")
    anna.refresh_from_db()
    assert (anna.first_name, anna.last_name, anna.profile.phone) == (
        "Anna Marija",
        "Kalniņa",
        "(+371) 6512-3456",
    )
    doc = parse(client.get("/mans/profils/").content)
    assert doc.texts("ul.messages li") == ["Profils saglabāts."]


def test_the_phone_may_be_left_empty_and_a_missing_profile_is_made(client, db):
    user = verified_user(first_name="Jānis", last_name="Ozols")
    client.force_login(user)

    client.post("/mans/profils/", {"first_name": "Jānis", "last_name": "Ozols", "phone": ""})

    assert list(Profile.objects.filter(user=user).values_list("phone", flat=True)) == [""]


PHONE_ERROR = "Ierakstiet tālruņa numuru ar 8–15 cipariem, piemēram, +371 20 000 000."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"first_name": "", "last_name": ""},
            {"first_name": ["Šis lauks ir obligāts."], "last_name": ["Šis lauks ir obligāts."]},
        ),
        ({"first_name": "A" * 151}, {"first_name": ["Ne vairāk kā 150 rakstzīmes (tagad 151)."]}),
        ({"phone": "1" * 31}, {"phone": ["Ne vairāk kā 30 rakstzīmes (tagad 31)."]}),
        ({"phone": "zvaniet vakarā"}, {"phone": [PHONE_ERROR]}),
        ({"phone": "123"}, {"phone": [PHONE_ERROR]}),
        ({"phone": "<script>alert(1)</script>"}, {"phone": [PHONE_ERROR]}),
        ({"phone": "+371 2000 0000 0000 0000"}, {"phone": [PHONE_ERROR]}),
    ],
    ids=["empty-names", "long-name", "long-phone", "words", "short", "script", "too-many-digits"],
)
def test_bad_profile_input_is_refused_kept_and_shown_escaped(client, anna, data, expected):
    client.force_login(anna)
    posted = {"first_name": "Anna", "last_name": "Bērziņa", "phone": "", **data}

    response = client.post("/mans/profils/", posted)

    assert (response.status_code, errors(response)) == (200, expected)
    doc = parse(response.content)
    assert {el.get("name"): el.get("value") or "" for el in doc.select("main form input")} | {
        "csrfmiddlewaretoken": ""
    } == {**posted, "csrfmiddlewaretoken": ""}
    assert b"<script>alert(1)</script>" not in response.content
    anna.refresh_from_db()
    assert (anna.first_name, anna.profile.phone) == ("Anna", "+371 20 000 000")


# --- Download my data ----------------------------------------------------------------------------


def test_the_data_page_says_what_the_file_holds(client, anna):
    client.force_login(anna)

    doc = parse(client.get("/mans/dati/").content)

    assert doc.select_one("main h1").text == "Lejupielādēt manus datus"
    assert doc.texts("ul.data-contents li")[-3:] == [
        "aprīkojuma un telpu rezervācijas, arī atceltās: centrs, laiks, statuss, jūsu piezīme un "
        "centra paskaidrojums;",
        "instruktāžas, kas jums atzīmētas;",
        "vēstules, ko platforma jums rakstījusi: temats, kad rakstīta un vai nosūtīta.",
    ]
    assert len(doc.select("ul.data-contents li")) == 10
    assert doc.select_one("main a.button").get("href") == "/mans/dati/?format=json"


def test_the_data_file_holds_everything_about_the_person_and_nothing_else(client, anna):
    community = CommunityFactory(name="Preiļu darbīgā kopiena")
    membership = MembershipFactory(user=anna, community=community, role="leader", status="active")
    grant_round = GrantRoundFactory(title="Konkurss 2026")
    application = ApplicationFactory(
        applicant=anna, round=grant_round, community=community, title="Dārzs „Ābele”"
    )
    BudgetLineFactory(application=application, item="Stādi", unit_price=Decimal("2.50"))
    other = verified_user(email="cits@example.lv")
    ApplicationFactory(applicant=other, round=grant_round, title="Cita pieteikums")
    MembershipFactory(user=other, community=community)
    client.force_login(anna)
    anna.refresh_from_db()

    response = client.get("/mans/dati/?format=json")

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "application/json; charset=utf-8",
        'attachment; filename="darbigas-kopienas-dati.json"',
    )
    # Latvian letters as they are, not \\u escapes.
    assert "Dārzs „Ābele”".encode() in response.content
    data = json.loads(response.content)
    riga = timezone.get_current_timezone()
    assert data["exported_at"][:4] == str(timezone.now().year)
    del data["exported_at"]
    [exported_application] = data.pop("applications")
    assert (exported_application["title"], exported_application["budget_lines"][0]["item"]) == (
        "Dārzs „Ābele”",
        "Stādi",
    )
    assert data == {
        "account": {
            "email": "anna@example.lv",
            "first_name": "Anna",
            "last_name": "Bērziņa",
            "date_joined": anna.date_joined.astimezone(riga).isoformat(),
            "last_login": anna.last_login.astimezone(riga).isoformat(),
            "two_factor_authentication": False,
        },
        "profile": {"phone": "+371 20 000 000"},
        "emails": [{"email": "anna@example.lv", "verified": True, "primary": True}],
        "memberships": [
            {
                "community": "Preiļu darbīgā kopiena",
                "role": "leader",
                "status": "active",
                "since": membership.created_at.astimezone(riga).isoformat(),
            }
        ],
        "membership_history": [],
        "capacity_answers": [],
        "event_registrations": [],
        "following": {"following": [], "weekly_digest": True, "events_mailed_in_digests": []},
        "assessments": [],
        "bookings": [],
        "instructions": [],
        "mails": [],
    }


# --- Deleting the account ----------------------------------------------------------------------


def test_the_delete_page_asks_for_the_password(client, anna):
    client.force_login(anna)

    doc = parse(client.get("/mans/dzest/").content)

    assert doc.select_one("main h1").text == "Dzēst kontu"
    assert doc.select_one("main form label").text == "Jūsu parole:"
    assert doc.select_one("main form input[type=password]").get("autocomplete") == (
        "current-password"
    )


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", ["Ierakstiet savu paroli, lai apstiprinātu dzēšanu."]),
        ("nepareiza", ["Parole nav pareiza."]),
        ("<script>alert(1)</script>", ["Parole nav pareiza."]),
        ("x" * 10_000, ["Parole nav pareiza."]),
    ],
    ids=["empty", "wrong", "script", "huge"],
)
def test_a_wrong_password_deletes_nothing(client, anna, password, expected):
    client.force_login(anna)

    response = client.post("/mans/dzest/", {"password": password})

    assert (response.status_code, errors(response)) == (200, {"password": expected})
    # The password field is never sent back.
    assert parse(response.content).select_one("input[type=password]").get("value") is None
    assert User.objects.filter(pk=anna.pk).exists()


def test_deleting_the_account_erases_the_person_and_keeps_submitted_applications(client, anna):
    grant_round = GrantRoundFactory()
    community = CommunityFactory()
    MembershipFactory(user=anna, community=community, status="active")
    draft = ApplicationFactory(applicant=anna, round=grant_round, community=community)
    submitted = ApplicationFactory(
        applicant=anna,
        round=grant_round,
        community=community,
        status=Application.Status.SUBMITTED,
        reference="DK-2026-001",
        submitted_at=timezone.now(),
    )
    with_totp(anna)
    client.force_login(anna)

    response = client.post("/mans/dzest/", {"password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert not User.objects.filter(pk=anna.pk).exists()
    assert (
        EmailAddress.objects.filter(email="anna@example.lv").count(),
        Profile.objects.count(),
        Membership.objects.count(),
    ) == (0, 0, 0)
    assert not Application.objects.filter(pk=draft.pk).exists()
    submitted.refresh_from_db()
    assert (submitted.applicant_id, submitted.reference) == (None, "DK-2026-001")
    home = client.get("/")
    assert parse(home.content).texts("ul.messages li") == [
        "Jūsu konts un personas dati ir dzēsti. Paldies!"
    ]
    assert client.get("/mans/").status_code == 302  # logged out


def test_a_community_s_only_leader_names_a_successor_before_the_account_goes(client, anna):
    alone = CommunityFactory(name="Ozolu kopiena")
    shared = CommunityFactory(name="Liepu kopiena")
    MembershipFactory(user=anna, community=alone, status="active", role="leader")
    MembershipFactory(user=anna, community=shared, status="active", role="leader")
    MembershipFactory(community=shared, status="active", role="leader")
    client.force_login(anna)

    response = client.post("/mans/dzest/", {"password": PASSWORD})

    assert (response.status_code, parse(response.content).texts("#kludas li")) == (
        200,
        [
            "Jūs esat vienīgais līderis šajās kopienās: Ozolu kopiena. Pirms dzēšat kontu, "
            "kopienas lapā izvēlieties „Pamest kopienu” un norādiet pēcteci, kurš kļūs par "
            "līderi."
        ],
    )
    assert Membership.objects.filter(user=anna).count() == 2

    MembershipFactory(community=alone, status="active", role="leader")
    client.post("/mans/dzest/", {"password": PASSWORD})

    assert not User.objects.filter(pk=anna.pk).exists()


def test_a_double_submitted_deletion_finds_the_person_already_logged_out(client, anna):
    client.force_login(anna)

    client.post("/mans/dzest/", {"password": PASSWORD})
    again = client.post("/mans/dzest/", {"password": PASSWORD})

    assert (again.status_code, again["Location"]) == (302, "/konts/login/?next=/mans/dzest/")


def test_an_assessor_who_deletes_their_account_leaves_their_scores_in_the_round(client, anna):
    from grants.models import Assessment
    from tests.factories.grants import closed_round, submitted_application, submitted_assessment

    grant_round = closed_round(criteria=[(10, 1)], assessors=[anna])
    application = submitted_application(grant_round)
    assessment = submitted_assessment(application, anna, [7], comment="Labi pamatots.")
    client.force_login(anna)

    exported = json.loads(client.get("/mans/dati/?format=json").content)["assessments"]
    response = client.post("/mans/dzest/", {"password": PASSWORD})

    assert exported == [
        {
            "round": grant_round.title,
            "application": application.reference,
            "conflict": "none",
            "conflict_reason": "",
            "status": "submitted",
            "weighted_total": "70.00",
            "submitted_at": assessment.submitted_at.isoformat(),
            "scores": [{"criterion": "Kritērijs 1", "points": 7, "comment": "Labi pamatots."}],
        }
    ]
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.assessor_id, assessment.status, assessment.weighted_total) == (
        None,
        Assessment.Status.SUBMITTED,
        Decimal("70.00"),
    )


def _guest_registrations(anna):
    """Registrations made as a guest: with Anna's confirmed address (typed in other letter case),
    with an address she added but never confirmed, and with a stranger's address."""
    from events import services as event_services

    EmailAddressFactory(user=anna, email="anna.darbs@example.lv", primary=False, verified=False)
    upcoming = EventFactory(title="Talka", capacity=5)
    made = {}
    for label, email in (
        ("hers", "Anna@Example.LV"),
        ("unconfirmed", "anna.darbs@example.lv"),
        ("stranger", "janis@example.lv"),
    ):
        result = event_services.register(event=upcoming, name=label, email=email, seats=1)
        made[label] = event_services.confirm_guest(registration=result.registration)
    return upcoming, made


def test_guest_registrations_with_a_confirmed_address_are_in_the_data_file(client, anna):
    _guest_registrations(anna)
    client.force_login(anna)

    data = json.loads(client.get("/mans/dati/?format=json").content)

    # Addresses are kept in lower case, whatever case they were typed in.
    assert [(row["name"], row["email"]) for row in data["event_registrations"]] == [
        ("hers", "anna@example.lv")
    ]


def test_guest_registrations_with_a_confirmed_address_go_with_the_account(client, anna):
    upcoming, made = _guest_registrations(anna)
    client.force_login(anna)

    client.post("/mans/dzest/", {"password": PASSWORD})

    for registration in made.values():
        registration.refresh_from_db()
    upcoming.refresh_from_db()
    assert (
        (made["hers"].name, made["hers"].status, made["hers"].email.startswith("dzests-")),
        (made["unconfirmed"].name, made["unconfirmed"].email),
        (made["stranger"].name, made["stranger"].email),
        upcoming.seats_confirmed,
    ) == (
        ("", "cancelled", True),
        ("unconfirmed", "anna.darbs@example.lv"),
        ("stranger", "janis@example.lv"),
        2,
    )


# --- Bookings in the data file and after deletion (issue 13) -----------------------------------


def _riga(day, hour):
    return datetime.combine(day, time(hour), tzinfo=RIGA)


def _next_weekday(after: int = 1):
    day = riga_today() + timedelta(days=after)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def test_the_data_file_holds_the_persons_bookings_and_instructions_only(client, anna):
    item = bookable(name="Lāzergravētājs", needs_instruction=True)
    booking_services.record_instruction(person=anna, equipment=item, on=riga_today())
    day = _next_weekday()
    booking = booking_services.request_booking(
        request=booking_services.Request(item, _riga(day, 9), _riga(day, 11), "Zīmes talkai"),
        person=anna,
    )
    booking_services.cancel_own_booking(booking=booking, person=anna)
    kept = booking_services.request_booking(
        request=booking_services.Request(item, _riga(day, 13), _riga(day, 14)), person=anna
    )
    other = verified_user(email="cits@example.lv")
    booking_services.record_instruction(person=other, equipment=item, on=riga_today())
    booking_services.request_booking(
        request=booking_services.Request(item, _riga(day, 15), _riga(day, 16)), person=other
    )
    client.force_login(anna)

    data = json.loads(client.get("/mans/dati/?format=json").content)

    riga = timezone.get_current_timezone()
    centre = item.centre
    assert data["bookings"] == [
        {
            "item": "Lāzergravētājs",
            "centre": centre.name,
            "centre_url": settings.SITE_URL + centre.get_absolute_url(),
            "unit": 1,
            "starts_at": _riga(day, 9).astimezone(riga).isoformat(),
            "ends_at": _riga(day, 11).astimezone(riga).isoformat(),
            "status": "cancelled",
            "note": "Zīmes talkai",
            "language": "lv",
            "reason": "",
            "no_show": False,
            "created_at": booking.created_at.astimezone(riga).isoformat(),
            "decided_at": None,
            "cancelled_at": Booking.objects.get(pk=booking.pk)
            .cancelled_at.astimezone(riga)
            .isoformat(),
        },
        {
            "item": "Lāzergravētājs",
            "centre": centre.name,
            "centre_url": settings.SITE_URL + centre.get_absolute_url(),
            "unit": 1,
            "starts_at": _riga(day, 13).astimezone(riga).isoformat(),
            "ends_at": _riga(day, 14).astimezone(riga).isoformat(),
            "status": "confirmed",
            "note": "",
            "language": "lv",
            "reason": "",
            "no_show": False,
            "created_at": kept.created_at.astimezone(riga).isoformat(),
            "decided_at": None,
            "cancelled_at": None,
        },
    ]
    assert data["instructions"] == [
        {
            "item": "Lāzergravētājs",
            "centre": centre.name,
            "instructed_on": riga_today().isoformat(),
            "event": None,
        }
    ]


def test_deleting_the_account_frees_upcoming_bookings_and_keeps_past_hours_anonymous(client, anna):
    item = bookable(name="Šujmašīna")
    past_day = riga_today() - timedelta(days=3)
    # Two past hours on two days: made directly, as the services refuse the past.
    past = [
        Booking.objects.create(
            equipment=item,
            person=anna,
            starts_at=_riga(past_day - timedelta(days=days), 10),
            ends_at=_riga(past_day - timedelta(days=days), 11),
            blocked_until=_riga(past_day - timedelta(days=days), 11),
            status=Booking.Status.CONFIRMED,
            note="Šuvām karogus",
        )
        for days in (0, 7)
    ]
    day = _next_weekday()
    upcoming = booking_services.request_booking(
        request=booking_services.Request(item, _riga(day, 9), _riga(day, 12)), person=anna
    )
    booking_services.record_instruction(person=anna, equipment=item, on=riga_today())
    before = breakdown(TOTAL)["booked_hours"]
    client.force_login(anna)

    response = client.post("/mans/dzest/", {"password": PASSWORD})

    assert (response.status_code, before) == (302, 2 + 3)
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.person_id, upcoming.reason) == (
        "cancelled",
        None,
        "Cilvēks dzēsa savu kontu.",
    )
    rows = list(
        Booking.objects.filter(pk__in=[b.pk for b in past]).values_list(
            "person_id", "note", "status"
        )
    )
    assert rows == [(None, "", "confirmed"), (None, "", "confirmed")]
    # One person still, known by one random key; their hours stay in the figures.
    keys = set(Booking.objects.values_list("forgotten_as", flat=True))
    assert len(keys) == 1 and None not in keys
    assert breakdown(TOTAL)["booked_hours"] == 2
    months = {
        (row.month, row.hours, row.people)
        for year in {past_day.year, (past_day - timedelta(days=7)).year}
        for row in booking_usage.centre_usage(centre=item.centre, year=year)
    }
    assert sum(hours for _m, hours, _p in months) == 2
    assert {people for _m, _h, people in months} == {1}
    assert Instruction.objects.count() == 0
    # The freed time can be booked by someone else at once.
    other = verified_user(email="cits@example.lv")
    again = booking_services.request_booking(
        request=booking_services.Request(item, _riga(day, 9), _riga(day, 12)), person=other
    )
    assert again.status == "confirmed"


def test_the_mails_written_to_a_person_are_in_their_data_file_and_go_with_their_account(
    client, anna
):
    EmailAddress.objects.create(user=anna, email="anna.darba@example.lv", verified=True)
    first = mail.queue(
        "communities/mail/membership_decided",
        to="anna@example.lv",
        context={"community": {"name": "Rēznas kopiena"}, "approved": True, "role": "aktīvists"},
        cause="test:1",
    )
    second = mail.queue(
        "communities/mail/membership_decided",
        to="anna.darba@example.lv",
        context={"community": {"name": "Rēznas kopiena"}, "approved": True, "role": "aktīvists"},
        cause="test:2",
    )
    mail.queue(
        "communities/mail/membership_decided",
        to="cits@example.lv",
        context={"community": {"name": "Rēznas kopiena"}, "approved": True, "role": "aktīvists"},
        cause="test:3",
    )
    riga = timezone.get_current_timezone()
    client.force_login(anna)

    data = json.loads(client.get("/mans/dati/?format=json").content)
    deleted = client.post("/mans/dzest/", {"password": PASSWORD})

    assert data["mails"] == [
        {
            "to": row.recipient,
            "subject": row.subject,
            "status": "pending",
            "written_at": row.created_at.astimezone(riga).isoformat(),
            "sent_at": None,
        }
        for row in (first, second)
    ]
    assert (
        deleted.status_code,
        list(OutgoingMail.objects.values_list("recipient", flat=True)),
    ) == (
        302,
        ["cits@example.lv"],
    )
