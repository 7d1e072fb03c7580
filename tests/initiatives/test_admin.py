"""The initiatives' admin for coordinators: the list with its filters and export link, the change
page (status read-only, milestones and history), the review page with plan beside report, and
who may see any of it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.formats import riga_today
from initiatives.models import FinalReport, Initiative, ReportPhoto, ReportReceipt
from initiatives.services import lifecycle
from tests.factories import UserFactory, own_initiative, staff
from tests.html import parse
from tests.initiatives.admin_support import (
    funded,
    grant_round,
    groups_and_elements,
    review_url,
    submitted,
    write_report,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/initiatives/initiative/"
# The admin's own (session, user, permissions, second factor, filters' choices) and the page's:
# the same for one initiative and for many, for a short report and a long one.
LIST_QUERIES = 12
REVIEW_QUERIES = 19
Status = Initiative.Status


def _rows(response) -> list[list[str]]:
    page = parse(response.content)
    return [
        [
            cell.text
            for cell in row.select("th") + row.select("td")
            if "action-checkbox" not in cell.classes
        ]
        for row in page.select("#result_list tbody tr")
    ]


def _table(page, table_id: str) -> list[list[str]]:
    table = page.select_one(f"#{table_id}")
    return [
        [
            cell.text
            for cell in row.children
            if not isinstance(cell, str) and cell.tag in ("th", "td")
        ]
        for row in table.select("tr")
    ]


@pytest.fixture
def things():
    return groups_and_elements()


@pytest.fixture
def reported(things):
    initiative = submitted(funded(things=things), things=things)
    Initiative.objects.filter(pk=initiative.pk).update(report_due_on=datetime.date(2027, 7, 30))
    FinalReport.objects.filter(initiative=initiative).update(
        submitted_at=datetime.datetime(2027, 7, 20, 9, 30, tzinfo=datetime.UTC)
    )
    initiative.refresh_from_db()
    return initiative


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_initiative_with_its_round_and_due_date(client, coordinator, reported):
    own = own_initiative(community=reported.community, title="Pašu talka", year=2025)
    client.force_login(coordinator)

    response = client.get(LIST)

    assert response.status_code == 200
    assert _rows(response) == [
        [
            "Ezera krasta sakopšana",
            "Ezerkrastu kopiena",
            "2025",
            "Atskaite iesniegta",
            "2027. gada 30. jūlijs",
            "Konkursa atbalsts",
            "Mazo iniciatīvu konkurss 2025",
            reported.application.reference,
        ],
        ["Pašu talka", "Ezerkrastu kopiena", "2025", "Notiek", "—", "Pašu iniciatīva", "—", "—"],
    ]
    assert own.pk
    # The only round is still offered as a filter: choosing it leads to the round's export.
    assert [
        a.text
        for a in parse(response.content).select("#changelist-filter a")
        if "konkurss=" in (a.get("href") or "")
    ] == ["Mazo iniciatīvu konkurss 2025"]
    # Added only by the services: no "add" button.
    assert parse(response.content).select("#content-main a.addlink") == []


def test_the_overdue_filter_lists_reports_still_awaited_after_their_date(
    client, coordinator, things
):
    round_ = grant_round()
    today = riga_today()
    dates = {
        "Nokavēta": (Status.REPORT_DUE, today - datetime.timedelta(days=1)),
        "Atgriezta un nokavēta": (Status.RETURNED, today - datetime.timedelta(days=10)),
        "Termiņš šodien": (Status.REPORT_DUE, today),
        "Iesniegta pēc termiņa": (Status.SUBMITTED, today - datetime.timedelta(days=3)),
        "Bez termiņa": (Status.IN_PROGRESS, None),
    }
    for number, (title, (status, due)) in enumerate(dates.items(), start=1):
        initiative = funded(round_, things=things, title=title, number=number)
        Initiative.objects.filter(pk=initiative.pk).update(status=status, report_due_on=due)
    client.force_login(coordinator)

    response = client.get(LIST + "?nokavets=1&o=1")

    assert [row[0] for row in _rows(response)] == ["Atgriezta un nokavēta", "Nokavēta"]


def test_filters_and_search(client, coordinator, things):
    first, second = (
        grant_round(),
        grant_round(reference_code="DK-2026", slug="otrs", title="Otrais"),
    )
    funded(first, things=things, title="Ezera svētki")
    funded(second, things=things, title="Meža taka")
    client.force_login(coordinator)

    by_round = client.get(LIST + f"?konkurss={second.pk}")
    by_search = client.get(LIST + "?q=svetki")
    by_search_exact = client.get(LIST + "?q=svētki")
    by_status = client.get(LIST + "?status__exact=cancelled")

    assert [row[0] for row in _rows(by_round)] == ["Meža taka"]
    assert [row[0] for row in _rows(by_search_exact)] == ["Ezera svētki"]
    assert by_search.status_code == 200
    assert _rows(by_status) == []
    page = parse(by_round.content)
    assert [(a.text, a.get("href")) for a in page.select(".object-tools a")] == [
        (
            "Eksportēt atskaites (XLSX)",
            f"/admin/initiatives/initiative/eksports/{second.pk}/atskaites.xlsx",
        )
    ]
    assert parse(client.get(LIST).content).select(".object-tools a") == []


@pytest.mark.parametrize(
    "value", ["x", "99999", "1'; --", "\u00e9", "\u00b2", "\u0661", "9" * 30, "-1"]
)
def test_odd_filter_values_never_fail(client, coordinator, reported, value):
    client.force_login(coordinator)

    responses = {
        client.get(LIST, {"konkurss": value}).status_code,
        client.get(LIST, {"nokavets": value}).status_code,
        client.get(LIST, {"q": value}).status_code,
    }

    assert responses <= {200, 302}


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow(client, coordinator, things):
    round_ = grant_round()
    community = funded(round_, things=things, number=1).community
    client.force_login(coordinator)
    few = _list_queries(client)
    for number in range(2, 12):
        funded(round_, things=things, number=number, title=f"I{number}", community=community)

    assert (few, _list_queries(client)) == (LIST_QUERIES, LIST_QUERIES)


# --- The change page ----------------------------------------------------------------------------


def test_the_status_and_due_date_cannot_be_changed_on_the_change_page(
    client, coordinator, reported
):
    client.force_login(coordinator)
    url = f"/admin/initiatives/initiative/{reported.pk}/change/"

    response = client.post(
        url,
        {
            "title": "Ezera krasta sakopšana un svētki",
            "summary": "Jauns kopsavilkums",
            "starts_on": "2027-02-01",
            "ends_on": "2027-06-01",
            "status": "published",
            "report_due_on": "2030-01-01",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )

    reported.refresh_from_db()
    assert response.status_code == 302
    assert (reported.title, reported.status, reported.report_due_on, reported.search_text) == (
        "Ezera krasta sakopšana un svētki",
        Status.SUBMITTED,
        datetime.date(2027, 7, 30),
        "ezera krasta sakopsana un svetki jauns kopsavilkums",
    )


def test_the_change_page_shows_milestones_and_history(client, coordinator, reported):
    coordinator.first_name, coordinator.last_name = "Inese", "Koordinatore"
    coordinator.save()
    lifecycle.save_milestone(
        initiative=reported,
        actor=coordinator,
        title="Pirmā talka",
        due_on=datetime.date(2027, 3, 1),
        done_on=datetime.date(2027, 3, 2),
    )
    lifecycle.change_status(
        initiative=reported, to=Status.RETURNED, actor=coordinator, comment="Labot"
    )
    client.force_login(coordinator)

    page = parse(client.get(f"/admin/initiatives/initiative/{reported.pk}/change/").content)

    milestones = [
        [
            cell.text
            for cell in row.select("td")
            if cell.classes & {"field-title", "field-due_on", "field-done_on"}
        ]
        for row in page.select("#milestones-group tbody tr.has_original")
    ]
    history = [
        [
            cell.text
            for cell in row.select("td")
            if cell.classes
            & {
                "field-actor_name",
                "field-action",
                "field-before_readable",
                "field-after_readable",
                "field-comment",
            }
        ]
        for row in page.select("#history-group tbody tr.has_original")
    ]
    assert milestones == [["Pirmā talka", "2027. gada 1. marts", "2027. gada 2. marts"]]
    assert history == [
        [
            "Inese Koordinatore",
            "Statuss mainīts",
            "Atskaite iesniegta",
            "Atskaite atgriezta labošanai",
            "Labot",
        ],
        [
            "Inese Koordinatore",
            "Posms",
            "—",
            "Pirmā talka; 2027. gada 1. marts; 2027. gada 2. marts",
            "—",
        ],
        ["Sistēma", "Statuss mainīts", "Atbalstīta", "Atskaite iesniegta", "—"],
        ["Sistēma", "Statuss mainīts", "—", "Atbalstīta", "—"],
    ]


# --- The review page ----------------------------------------------------------------------------


def test_the_review_page_shows_plan_beside_report(client, coordinator, reported):
    report = reported.report
    ReportReceipt.objects.create(
        report=report,
        file="receipts/2027/07/a.pdf",
        original_name="Čeks <script>alert(1)</script>.pdf",
        content_type="application/pdf",
        size=1000,
    )
    photo = ReportPhoto.objects.create(
        report=report,
        image="report-photos/a.jpg",
        thumbnail="report-photos/a-mazs.jpg",
        alt_text="Talkas dalībnieki pie ezera",
        caption="Pirmā talka",
        consent=True,
    )
    client.force_login(coordinator)

    response = client.get(review_url(reported))

    page = parse(response.content)
    assert response.status_code == 200
    assert page.select_one("h1").text == "Atskaite: Ezera krasta sakopšana"
    assert [
        (item.select_one("dt").text, item.select_one("dd").text)
        for item in page.select(".review-summary div")
    ] == [
        ("Kopiena", "Ezerkrastu kopiena"),
        ("Statuss", "Atskaite iesniegta"),
        ("Atskaites termiņš", "2027. gada 30. jūlijs"),
        ("Konkurss", "Mazo iniciatīvu konkurss 2025"),
        ("Pieteikums", reported.application.reference),
        ("Piešķirtā summa", "1 000,00 €"),
        ("Iesniegta", "2027. gada 20. jūlijs plkst. 12.30"),
    ]
    assert _table(page, "plans-table") == [
        ["", "Pieteikumā plānots", "Atskaitē paveikts"],
        ["Aktivitātes", "Trīs talkas un stādīšana.", "Divas talkas, iestādīti 20 koki."],
        ["Mērķi un rezultāti", "Sakopts krasts un jauni koki.", "Krasts sakopts."],
        ["Dalībnieki", "30", "45"],
        ["Brīvprātīgie", "—", "10"],
        ["Kas notiks tālāk", "—", "Rudenī vēl viena talka."],
    ]
    assert _table(page, "reach-table") == [
        ["Mērķgrupa", "Plānota pieteikumā", "Sasniegti cilvēki"],
        ["Neredzamie jaunieši", "Jā", "—"],
        ["Vīrieši 35+", "Jā", "12"],
        ["Ģimenes ar bērniem", "Nē", "8"],
    ]
    assert _table(page, "spending-table") == [
        ["Pozīcija", "Plānots", "Izlietots", "Starpība"],
        ["Stādi", "600,00 €", "550,00 €", "−50,00 €"],
        ["Soliņi", "400,00 €", "430,00 €", "30,00 €"],
        ["Kopā", "1 000,00 €", "980,00 €", "−20,00 €"],
        ["Piešķirtā summa", "1 000,00 €"],
        ["Līdzfinansējums (plānots / norādīts)", "50,00 €", "60,00 €", ""],
    ]
    assert _table(page, "elements-table") == [
        ["Elements", "Plānots", "Īstenots"],
        ["Kopienas talka", "Jā", "Jā"],
        ["Līderu skola", "Jā", "Nē"],
        ["Kopienas svētki", "Nē", "Jā"],
    ]
    assert page.texts("#institutions-list li") == ["Ezerkrastu pamatskola", "Preiļu novada dome"]
    assert page.select_one(".review-story").text == "Visi kopā sakopām krastu."
    assert [(a.text, a.get("href")) for a in page.select("#receipts-list a")] == [
        (
            "Čeks <script>alert(1)</script>.pdf",
            f"/iniciativas/{reported.slug}/atskaite/datnes/{report.receipts.get().pk}/",
        )
    ]
    assert b"<script>alert(1)</script>" not in response.content
    assert [(img.get("src"), img.get("alt")) for img in page.select("#photos-list img")] == [
        (f"/iniciativas/{reported.slug}/foto/{photo.pk}/mazs/", "Talkas dalībnieki pie ezera")
    ]
    # Submitted: it may be returned or accepted, not published, extended or cancelled.
    assert [form.get("action") for form in page.select("form.review-decision")] == [
        f"/admin/initiatives/initiative/{reported.pk}/pienemt/",
        f"/admin/initiatives/initiative/{reported.pk}/atgriezt/",
    ]


def test_an_own_initiative_without_a_report_has_a_short_review(client, coordinator):
    own = own_initiative(title="Pašu talka")
    client.force_login(coordinator)

    page = parse(client.get(review_url(own)).content)

    assert page.select_one("#no-report").text == "Komanda atskaiti vēl nav sākusi rakstīt."
    assert ("Finansējums", "Pašu iniciatīva") in [
        (item.select_one("dt").text, item.select_one("dd").text)
        for item in page.select(".review-summary div")
    ]
    assert [form.get("action") for form in page.select("form.review-decision")] == [
        f"/admin/initiatives/initiative/{own.pk}/termins/",
        f"/admin/initiatives/initiative/{own.pk}/atcelt/",
    ]


def _review_queries(client, initiative) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(review_url(initiative))
    assert response.status_code == 200
    return len(queries)


def test_the_review_page_query_count_does_not_grow_with_the_report(client, coordinator, things):
    small = submitted(funded(things=things), things=things)
    client.force_login(coordinator)
    few = _review_queries(client, small)

    big = funded(small.application.round, things=things, title="Liela", community=small.community)
    write_report(big, things=things)
    report = big.report
    for index in range(8):
        ReportReceipt.objects.create(
            report=report,
            file=f"receipts/{index}.pdf",
            original_name=f"{index}.pdf",
            content_type="application/pdf",
            size=10,
        )
        ReportPhoto.objects.create(
            report=report, image=f"p/{index}.jpg", alt_text=f"Foto {index}", consent=True
        )
    from initiatives.services import reports

    reports.save_report(
        report=report,
        actor=None,
        version=None,
        changes=reports.ReportChanges(institutions=[f"Iestāde {n}" for n in range(20)]),
    )

    assert (few, _review_queries(client, big)) == (REVIEW_QUERIES, REVIEW_QUERIES)


# --- Who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Vērtētāji", "Centru vadītāji"])
def test_assessors_and_centre_managers_see_nothing_of_initiatives(client, reported, role):
    client.force_login(staff(role))
    round_pk = reported.application.round_id

    answers = [
        client.get(path).status_code
        for path in (
            LIST,
            f"{LIST}{reported.pk}/change/",
            review_url(reported),
            f"{LIST}eksports/{round_pk}/atskaites.xlsx",
            "/admin/initiatives/institution/",
        )
    ]
    answers.append(client.post(f"{LIST}{reported.pk}/pienemt/").status_code)
    index = parse(client.get("/admin/").content)

    assert answers == [403, 403, 403, 403, 403, 403]
    assert [a.text for a in index.select("caption a") if "Iniciatīvas" in a.text] == []
    reported.refresh_from_db()
    assert reported.status == Status.SUBMITTED


def test_a_coordinator_without_two_factor_is_sent_to_set_it_up(client, reported):
    coordinator = staff("Koordinatori")
    coordinator.authenticator_set.all().delete()
    client.force_login(coordinator)

    response = client.post(f"{LIST}{reported.pk}/pienemt/")

    reported.refresh_from_db()
    assert (response.status_code, response["Location"].split("?")[0], reported.status) == (
        302,
        "/konts/2fa/totp/activate/",
        Status.SUBMITTED,
    )


def test_a_signed_in_resident_goes_to_the_admin_login(client, reported):
    client.force_login(UserFactory())

    response = client.post(f"{LIST}{reported.pk}/pienemt/")

    reported.refresh_from_db()
    assert (response.status_code, response["Location"].split("?")[0], reported.status) == (
        302,
        "/admin/login/",
        Status.SUBMITTED,
    )


def test_institutions_are_read_with_the_initiatives_that_named_them(client, coordinator, reported):
    from initiatives.models import Institution

    school = Institution.objects.get(name="Ezerkrastu pamatskola")
    client.force_login(coordinator)

    listing = client.get("/admin/initiatives/institution/")
    page = parse(client.get(f"/admin/initiatives/institution/{school.pk}/change/").content)

    assert _rows(listing) == [["Ezerkrastu pamatskola", "1"], ["Preiļu novada dome", "1"]]
    assert [(a.text, a.get("href")) for a in page.select(".field-initiatives_named a")] == [
        ("Ezera krasta sakopšana", f"/admin/initiatives/initiative/{reported.pk}/change/")
    ]
    # Read-only: a name changed here would not be the name the team typed.
    assert page.select("input[name=name]") == []
