"""What applicants and the public see of a round's decisions: /konkursi/<slug>/rezultati/, the
decision on /mans/ and /pieteikumi/<reference>/, and the personal data export.

Everywhere the decision shown is the one the applicant was told (Application.notified_*): a
decision changed after publication stays internal until a coordinator re-notifies.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Membership
from grants.models import Application, Assessment, GrantRound
from grants.services import publish_results, record_decision, renotify
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.factories.grants import closed_round, submitted_application, verified_user
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db

D = Decimal
SUPPORTED = Application.Decision.SUPPORTED
RESERVE = Application.Decision.RESERVE
NOT_SUPPORTED = Application.Decision.NOT_SUPPORTED


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinatore", first_name="Inese", last_name="Kalniņa")


@pytest.fixture
def applicant():
    return verified_user(username="ilze", first_name="Ilze", last_name="Ozola")


@pytest.fixture
def grant_round():
    return closed_round(
        status=GrantRound.Status.DECISIONS,
        slug="konkurss-2025",
        title="Mazo iniciatīvu konkurss 2025",
        reference_code="DK-2025",
        total_budget=D("5000.00"),
        max_grant=D("2000.00"),
    )


def decide(application, actor, decision, amount=None, message=""):
    return record_decision(
        application=application,
        actor=actor,
        decision=decision,
        awarded_amount=amount,
        message=message,
    )


@pytest.fixture
def published(grant_round, coordinator, applicant, django_capture_on_commit_callbacks):
    """Four applications decided and published: two supported, one on the reserve list, one
    not supported. Then, after publication, the reserve one is made supported and the first
    supported one gets less, neither re-notified yet."""
    preili = CommunityFactory(slug="preili", name="Preiļu kopiena")
    hidden = CommunityFactory(slug="slepta", name="Slēptā kopiena", is_published=False)
    first = submitted_application(
        grant_round,
        applicant=applicant,
        community=preili,
        title="Senioru deju vakari",
        requested=D("1500.00"),
    )
    second = submitted_application(
        grant_round, community=hidden, title="Ģimeņu pārgājiens", requested=D("1234.50")
    )
    third = submitted_application(
        grant_round,
        applicant=verified_user(username="janis"),
        community=preili,
        title="Jauniešu podkāsts",
        requested=D("900.00"),
    )
    fourth = submitted_application(
        grant_round, community=preili, title="Ūdens tūre", requested=D("700.00")
    )
    decide(first, coordinator, SUPPORTED, D("1500.00"), "Apsveicam! Līgumu sūtīsim drīz.")
    decide(second, coordinator, SUPPORTED, D("1234.50"))
    decide(third, coordinator, RESERVE, None, "Jūs esat rezerves sarakstā.")
    decide(fourth, coordinator, NOT_SUPPORTED)
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(grant_round=grant_round, actor=coordinator)
    decide(first, coordinator, SUPPORTED, D("1200.00"), "Summa samazināta.")
    decide(third, coordinator, SUPPORTED, D("900.00"), "Jūs saņemat atbalstu.")
    return first, second, third, fourth


def rows(page) -> list[list[str]]:
    return [
        [cell.text for cell in row.children if getattr(cell, "tag", None) in ("th", "td")]
        for row in page.select("#results tr")
    ]


# --- /konkursi/<slug>/rezultati/ -------------------------------------------------------------


def test_results_page_lists_the_supported_ideas_as_told(client, published, grant_round):
    GrantRound.objects.filter(pk=grant_round.pk).update(
        results_published_at=datetime(2025, 12, 1, 10, 0, tzinfo=UTC)
    )

    response = client.get("/konkursi/konkurss-2025/rezultati/")

    assert (response.status_code, response.headers["Content-Language"]) == (200, "lv")
    page = parse(response.content)
    assert page.select_one("title").text.startswith("Mazo iniciatīvu konkurss 2025: rezultāti")
    assert page.select_one("main h1").text == "Konkursa rezultāti"
    assert definitions(page.select_one("#results-facts")) == [
        ("Rezultāti publicēti", "2025. gada 1. decembris plkst. 12.00"),
        ("Atbalstītās idejas", "2"),
        ("Piešķirts kopā", "2 734,50 €"),
        ("Kopējais budžets", "5 000,00 €"),
    ]
    assert page.select_one("#results caption").text == "Atbalstītās idejas"
    # The amounts told, not the changes made since: 1 500,00 € (not 1 200,00 €), and the
    # reserve idea made supported after publication is not listed until re-notified.
    assert rows(page) == [
        ["Numurs", "Iniciatīva", "Kopiena", "Piešķirtā summa"],
        ["DK-2025-001", "Senioru deju vakari", "Preiļu kopiena", "1 500,00 €"],
        ["DK-2025-002", "Ģimeņu pārgājiens", "Slēptā kopiena", "1 234,50 €"],
        ["Kopā", "2 734,50 €"],
    ]
    assert [th.get("scope") for th in page.select("#results th")] == [
        "col",
        "col",
        "col",
        "col",
        "row",
        "row",
        "row",
    ]
    # A published community is linked; an unpublished one is named without a dead link.
    assert [(a.text, a.get("href")) for a in page.select("#results tbody a")] == [
        ("Preiļu kopiena", "/kopienas/preili/")
    ]


def test_results_follow_a_renotification(
    client, published, grant_round, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert renotify(grant_round=grant_round, actor=coordinator) == 2

    page = parse(client.get("/konkursi/konkurss-2025/rezultati/").content)

    assert rows(page) == [
        ["Numurs", "Iniciatīva", "Kopiena", "Piešķirtā summa"],
        ["DK-2025-001", "Senioru deju vakari", "Preiļu kopiena", "1 200,00 €"],
        ["DK-2025-002", "Ģimeņu pārgājiens", "Slēptā kopiena", "1 234,50 €"],
        ["DK-2025-003", "Jauniešu podkāsts", "Preiļu kopiena", "900,00 €"],
        ["Kopā", "3 334,50 €"],
    ]


def test_results_page_in_english(client, published):
    response = client.get("/en/konkursi/konkurss-2025/rezultati/")

    assert (response.status_code, response.headers["Content-Language"]) == (200, "en")
    page = parse(response.content)
    assert page.select_one("html").get("lang") == "en"
    assert rows(page)[1:3] == [
        ["DK-2025-001", "Senioru deju vakari", "Preiļu kopiena", "€1,500.00"],
        ["DK-2025-002", "Ģimeņu pārgājiens", "Slēptā kopiena", "€1,234.50"],
    ]
    assert [a.get("href") for a in page.select("#results tbody a")] == ["/en/kopienas/preili/"]


def test_results_page_says_when_nothing_was_supported(
    client, grant_round, coordinator, django_capture_on_commit_callbacks
):
    decide(submitted_application(grant_round), coordinator, NOT_SUPPORTED)
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(grant_round=grant_round, actor=coordinator)

    page = parse(client.get("/konkursi/konkurss-2025/rezultati/").content)

    assert page.select("#results") == []
    assert page.select_one("main p.notice").text == (
        "Šajā konkursā neviena ideja netika atbalstīta."
    )


@pytest.mark.parametrize(
    "status",
    [
        GrantRound.Status.DRAFT,
        GrantRound.Status.OPEN,
        GrantRound.Status.ASSESSMENT,
        GrantRound.Status.DECISIONS,
    ],
)
def test_results_are_not_found_before_publication(client, grant_round, coordinator, status):
    application = submitted_application(grant_round)
    decide(application, coordinator, SUPPORTED, D("1000.00"))
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    staff = UserFactory(is_staff=True, is_superuser=True)

    answers = [client.get("/konkursi/konkurss-2025/rezultati/").status_code]
    client.force_login(staff)
    answers.append(client.get("/konkursi/konkurss-2025/rezultati/").status_code)
    answers.append(client.get("/en/konkursi/konkurss-2025/rezultati/").status_code)

    assert answers == [404, 404, 404]


def test_unknown_round_is_not_found(client, db):
    assert client.get("/konkursi/nav-tada/rezultati/").status_code == 404


def _supported(grant_round, count):
    community = CommunityFactory()
    for _ in range(count):
        application = submitted_application(grant_round, community=community)
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.DECIDED,
            decision=SUPPORTED,
            awarded_amount=D("100.00"),
            notified_decision=SUPPORTED,
            notified_amount=D("100.00"),
            notified_at=datetime(2025, 12, 1, tzinfo=UTC),
        )


def test_results_page_queries_do_not_grow(client, grant_round):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=GrantRound.Status.RESULTS)
    _supported(grant_round, 1)
    with CaptureQueriesContext(connection) as one:
        first = parse(client.get("/konkursi/konkurss-2025/rezultati/").content)
    _supported(grant_round, 29)
    with CaptureQueriesContext(connection) as thirty:
        second = parse(client.get("/konkursi/konkurss-2025/rezultati/").content)

    assert (len(rows(first)), len(rows(second))) == (3, 32)
    assert len(one) == len(thirty) <= 10


# --- /konkursi/<slug>/ links to the results --------------------------------------------------


def test_round_page_links_to_published_results_only(client, grant_round):
    before = parse(client.get("/konkursi/konkurss-2025/").content)
    GrantRound.objects.filter(pk=grant_round.pk).update(status=GrantRound.Status.RESULTS)
    after = parse(client.get("/konkursi/konkurss-2025/").content)

    assert before.select("#round-results") == []
    link = after.select_one("#round-results a")
    assert (link.text, link.get("href")) == ("Rezultāti", "/konkursi/konkurss-2025/rezultati/")


# --- The applicant's own pages ---------------------------------------------------------------


def _my_card(client) -> list[tuple[str, str]]:
    page = parse(client.get("/mans/").content)
    [card] = page.select("li.application-card")
    return definitions(card.select_one("dl"))


def _facts(client, reference) -> list[tuple[str, str]]:
    page = parse(client.get(f"/pieteikumi/{reference}/").content)
    return definitions(page.select_one("#application-facts"))


def test_applicant_sees_no_decision_before_publication(client, grant_round, applicant, coordinator):
    application = submitted_application(grant_round, applicant=applicant, title="Dārzs")
    decide(application, coordinator, SUPPORTED, D("1000.00"), "Apsveicam!")
    client.force_login(applicant)

    card_terms = [term for term, _ in _my_card(client)]
    page = parse(client.get("/pieteikumi/DK-2025-001/").content)

    assert "Lēmums" not in card_terms
    assert "Lēmums" not in [term for term, _ in definitions(page.select_one("#application-facts"))]
    assert page.select(".decision-message") == []


def test_applicant_sees_the_decision_as_told_not_a_later_change(
    client, published, applicant, grant_round, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    assert _my_card(client)[-2:] == [("Lēmums", "Atbalstīts"), ("Piešķirtā summa", "1 500,00 €")]
    facts = _facts(client, "DK-2025-001")
    assert facts[-3:-1] == [("Lēmums", "Atbalstīts"), ("Piešķirtā summa", "1 500,00 €")]
    assert facts[-1][0] == "Paziņots"
    page = parse(client.get("/pieteikumi/DK-2025-001/").content)
    assert page.select_one(".decision-message h2").text == "Ziņa par lēmumu"
    assert page.select_one(".decision-message .prose").text == "Apsveicam! Līgumu sūtīsim drīz."

    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)

    assert _my_card(client)[-2:] == [("Lēmums", "Atbalstīts"), ("Piešķirtā summa", "1 200,00 €")]
    page = parse(client.get("/pieteikumi/DK-2025-001/").content)
    assert page.select_one(".decision-message .prose").text == "Summa samazināta."


def test_a_reserve_decision_shows_without_an_amount(client, published):
    client.force_login(Application.objects.get(reference="DK-2025-003").applicant)

    # Made supported after publication, not yet re-notified: still the reserve list.
    assert _my_card(client)[-1] == ("Lēmums", "Rezerves sarakstā")
    page = parse(client.get("/pieteikumi/DK-2025-003/").content)
    terms = [term for term, _ in definitions(page.select_one("#application-facts"))]
    assert (terms[-2:], "Piešķirtā summa" in terms) == (["Lēmums", "Paziņots"], False)
    assert page.select_one(".decision-message .prose").text == "Jūs esat rezerves sarakstā."


def test_personal_data_holds_the_decision_as_told(
    client, published, applicant, grant_round, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    told_at = Application.objects.get(reference="DK-2025-001").notified_at

    [exported] = json.loads(client.get("/mans/dati/?format=json").content)["applications"]

    assert {key: exported[key] for key in _DECISION_KEYS} == {
        "reference": "DK-2025-001",
        "decision": "supported",
        "awarded_amount": "1500.00",
        "decision_message": "Apsveicam! Līgumu sūtīsim drīz.",
        "notified_at": told_at.isoformat(),
    }


def test_personal_data_holds_no_decision_before_it_is_told(
    client, grant_round, applicant, coordinator
):
    decide(
        submitted_application(grant_round, applicant=applicant),
        coordinator,
        SUPPORTED,
        D("1000.00"),
        "Apsveicam!",
    )
    client.force_login(applicant)

    [exported] = json.loads(client.get("/mans/dati/?format=json").content)["applications"]

    assert {key: exported[key] for key in _DECISION_KEYS} == {
        "reference": "DK-2025-001",
        "decision": "",
        "awarded_amount": None,
        "decision_message": "",
        "notified_at": None,
    }


_DECISION_KEYS = ("reference", "decision", "awarded_amount", "decision_message", "notified_at")


# --- Published figures stay as published -----------------------------------------------------


def assess(application, assessor, points):
    """Open, declare no conflict, score and submit, through the services."""
    from grants.services import declare_conflict, open_assessment, save_scores

    opened = open_assessment(application=application, assessor=assessor)
    declared = declare_conflict(
        assessment=opened, actor=assessor, conflict="none", reason="", version=opened.version
    )
    criteria = list(application.round.criteria.order_by("order"))
    return save_scores(
        assessment=declared,
        actor=assessor,
        values={
            criterion.pk: (str(value), "Pamatots.")
            for criterion, value in zip(criteria, points, strict=True)
        },
        version=declared.version,
        submit=True,
    )


def test_a_later_membership_changes_no_published_figure(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    from grants.selectors import round_figures
    from grants.services import change_round_status

    assessors = [UserFactory(username=f"vertetajs{number}") for number in range(4)]
    grant_round = closed_round(
        status=GrantRound.Status.ASSESSMENT,
        criteria=[(10, 2), (5, 1)],
        assessors=assessors,
        slug="konkurss-2024",
        reference_code="DK-2024",
    )
    preili = CommunityFactory(slug="preili", name="Preiļu kopiena")
    application = submitted_application(
        grant_round, applicant=applicant, community=preili, title="Senioru deju vakari"
    )
    assess(application, assessors[0], [8, 5])  # 86.67
    assess(application, assessors[1], [2, 1])  # 20.00
    assess(application, assessors[2], [10, 5])  # 100.00
    # assessors[3] never opens it.
    change_round_status(grant_round=grant_round, status=GrantRound.Status.DECISIONS, actor=None)
    decide(application, coordinator, SUPPORTED, D("800.00"))
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(grant_round=grant_round, actor=coordinator)
    grant_round.refresh_from_db()
    before = round_figures(grant_round=grant_round)[application.pk]
    page_before = parse(client.get("/konkursi/konkurss-2024/rezultati/").content)

    # Long after publication, two of the assessors join the applicant's community.
    for assessor in (assessors[2], assessors[3]):
        MembershipFactory(user=assessor, community=preili, status=Membership.Status.ACTIVE)

    after = round_figures(grant_round=grant_round)[application.pk]
    page_after = parse(client.get("/konkursi/konkurss-2024/rezultati/").content)
    assert after == before
    assert (after.count, after.mean, after.median, after.excluded, after.pending) == (
        3,
        D("68.89"),
        D("86.67"),
        0,
        1,
    )
    assert page_after.select_one("main").text == page_before.select_one("main").text
    assert rows(page_after) == [
        ["Numurs", "Iniciatīva", "Kopiena", "Piešķirtā summa"],
        ["DK-2024-001", "Senioru deju vakari", "Preiļu kopiena", "800,00 €"],
        ["Kopā", "800,00 €"],
    ]
    assert list(
        Assessment.objects.filter(application=application)
        .order_by("assessor__username")
        .values_list("status", "auto_conflict")
    ) == [("submitted", ""), ("submitted", ""), ("submitted", "")]
