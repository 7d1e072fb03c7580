"""The coordinators' ranking of a round in the admin (issue 4): order by mean and by median with
hand-computed figures, the funding line, the filters, the exports and the query ceiling."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import grants
from grants.models import Application, Assessment, GrantRound
from tests.factories import CommunityFactory, staff
from tests.factories.grants import (
    AssessmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessors(db):
    return [staff("Vērtētāji", username=f"vertetajs{n}") for n in (1, 2, 3)]


@pytest.fixture
def ranked_round(assessors):
    """Two criteria: 10 points of weight 1 and 20 points of weight 3, so an assessment's total
    is (p1/10·1 + p2/20·3) / 4 · 100 = 2.5·p1 + 3.75·p2. Budget 8 000 €.

    A: 100, 60, 80      → mean 80,     median 80,    spread 40 (disagreement)
    B: 95, 87.5, 20     → mean 67,50,  median 87,50, spread 75 (disagreement)
    C: 80, 77.5, and a declared conflict (excluded) → mean 78,75, median 78,75, spread 2,50
    D: 40 from one assessor, two missing            → mean 40, median 40, spread 0
    """
    third = assessors[2]
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS,
        criteria=[(10, "1"), (20, "3")],
        assessors=assessors,
        total_budget=Decimal("8000.00"),
        max_grant=Decimal("5000.00"),
        reference_code="DK-2024",
        slug="lemumi",
    )
    community = CommunityFactory(slug="rezekne", name="Rēzeknes jauniešu kopiena")
    a, b, c, d = (
        submitted_application(
            grant_round, title=title, community=community, requested=Decimal(requested)
        )
        for title, requested in (
            ("Ābeļu dārzs", "4000.00"),
            ("Bērnu laukums", "3000.00"),
            ("Ceļš uz ezeru", "2500.00"),
            ("Dziesmu vakari", "1000.00"),
        )
    )
    for application, scores in (
        (a, [(10, 20), (6, 12), (8, 16)]),
        (b, [(8, 20), (8, 18), (2, 4)]),
        (c, [(8, 16), (7, 16)]),
        (d, [(4, 8)]),
    ):
        for assessor, points in zip(assessors, scores, strict=False):
            submitted_assessment(application, assessor, points)
    AssessmentFactory(
        application=c, assessor=third, conflict=Assessment.Conflict.DECLARED, conflict_reason="Māsa"
    )
    return grant_round


def ranking_url(grant_round, query=""):
    return f"/admin/grants/grantround/{grant_round.pk}/ranking/{query}"


def table(response):
    """The ranking's rows as the coordinator reads them, the funding line included."""
    rows = []
    for tr in parse(response.content).select("table#ranking tbody tr"):
        if "funding-line" in tr.classes:
            rows.append(tr.text)
        else:
            rows.append([td.text for td in tr.select("td")])
    return rows


LINE = "Finansējuma robeža: zemāk esošie pieteikumi budžetā (8 000,00 €) vairs neietilpst"


def test_ranking_orders_by_mean_with_hand_computed_figures(client, coordinator, ranked_round):
    client.force_login(coordinator)

    response = client.get(ranking_url(ranked_round))

    assert response.status_code == 200
    # The deciding columns first (mean, median, spread, decision, award), then the sums and
    # counts: they stay on a 1280 px screen (tests/browser/test_assessment_journey.py).
    assert table(response) == [
        [
            "1",
            "DK-2024-001",
            "Ābeļu dārzs Rēzeknes jauniešu kopiena",
            "80,00",
            "80,00",
            "40,00 Nesaskaņas",
            "Pieņemt lēmumu",
            "—",
            "4 000,00 €",
            "4 000,00 €",
            "3",
            "0",
        ],
        [
            "2",
            "DK-2024-003",
            "Ceļš uz ezeru Rēzeknes jauniešu kopiena",
            "78,75",
            "78,75",
            "2,50",
            "Pieņemt lēmumu",
            "—",
            "2 500,00 €",
            "6 500,00 €",
            "2",
            "1",
        ],
        LINE,
        [
            "3",
            "DK-2024-002",
            "Bērnu laukums Rēzeknes jauniešu kopiena",
            "67,50",
            "87,50",
            "75,00 Nesaskaņas",
            "Pieņemt lēmumu",
            "—",
            "3 000,00 €",
            "9 500,00 €",
            "3",
            "0",
        ],
        [
            "4",
            "DK-2024-004",
            "Dziesmu vakari Rēzeknes jauniešu kopiena",
            "40,00",
            "40,00",
            "0,00",
            "Pieņemt lēmumu",
            "—",
            "1 000,00 €",
            "10 500,00 €",
            "1 trūkst 2",
            "0",
        ],
    ]
    headers = parse(response.content).texts("table#ranking thead th")
    assert headers == [
        "Vieta",
        "Numurs",
        "Nosaukums un kopiena",
        "Vidējais",
        "Mediāna",
        "Izkliede",
        "Lēmums",
        "Piešķirts",
        "Prasīts",
        "Kopā prasīts",
        "Vērtējumi",
        "Izslēgti (konflikts)",
    ]
    assert parse(response.content).select_one("tr.funding-line th").get("colspan") == "12"


def test_ranking_breadcrumbs_name_the_round(client, coordinator, ranked_round):
    client.force_login(coordinator)

    response = client.get(ranking_url(ranked_round))

    crumbs = parse(response.content).select("ol.breadcrumbs li")
    assert [crumb.text for crumb in crumbs] == [
        "Sākums",
        "Konkursi",
        ranked_round.title,
        "Reitings",
    ]
    assert [a.get("href") for crumb in crumbs for a in crumb.select("a")] == [
        "/admin/",
        "/admin/grants/grantround/",
        f"/admin/grants/grantround/{ranked_round.pk}/change/",
    ]


def references(response):
    return [row if isinstance(row, str) else row[1] for row in table(response)]


def test_ranking_by_median_moves_the_funding_line(client, coordinator, ranked_round):
    client.force_login(coordinator)

    response = client.get(ranking_url(ranked_round, "?pec=mediana"))

    # Medians 87,50 (B), 80 (A), 78,75 (C), 40 (D); B and A together ask 7 000 € of 8 000 €.
    assert references(response) == [
        "DK-2024-002",
        "DK-2024-001",
        LINE,
        "DK-2024-003",
        "DK-2024-004",
    ]
    assert [(row[0], row[4], row[9]) for row in table(response) if isinstance(row, list)] == [
        ("1", "87,50", "3 000,00 €"),
        ("2", "80,00", "7 000,00 €"),
        ("3", "78,75", "9 500,00 €"),
        ("4", "40,00", "10 500,00 €"),
    ]
    assert [
        radio.get("value")
        for radio in parse(response.content).select("input[name=pec]")
        if "checked" in radio.attrs
    ] == ["mediana"]


def test_header_shows_budget_awarded_remaining_and_threshold(client, coordinator, ranked_round):
    Application.objects.filter(reference="DK-2024-001").update(
        decision=Application.Decision.SUPPORTED, awarded_amount=Decimal("3500.00")
    )
    client.force_login(coordinator)

    response = client.get(ranking_url(ranked_round))

    page = parse(response.content)
    assert [
        (div.select_one("dt").text, div.select_one("dd").text)
        for div in page.select("dl.ranking-summary div")
    ] == [
        ("Statuss", "Lēmumu pieņemšana"),
        ("Budžets", "8 000,00 €"),
        ("Piešķirts", "3 500,00 €"),
        ("Atlikums", "4 500,00 €"),
        ("Lielākais atbalsts", "5 000,00 €"),
        ("Nesaskaņu slieksnis", "25 punkti"),
    ]
    assert table(response)[0][6:8] == ["Atbalstīts", "3 500,00 €"]


def test_filters_show_only_disagreement_or_only_missing(client, coordinator, ranked_round):
    client.force_login(coordinator)

    disagreement = client.get(ranking_url(ranked_round, "?nesaskanas=1"))
    missing = client.get(ranking_url(ranked_round, "?trukst=1"))
    both = client.get(ranking_url(ranked_round, "?pec=mediana&nesaskanas=1&trukst=1"))

    # The funding line stays where the whole ranking puts it: B is below it.
    assert references(disagreement) == ["DK-2024-001", LINE, "DK-2024-002"]
    assert references(missing) == [LINE, "DK-2024-004"]
    assert references(both) == []
    assert parse(both.content).texts("p.ranking-empty") == ["Neviens pieteikums neatbilst atlasei."]
    assert parse(disagreement.content).select_one("table#ranking caption").text == (
        "Pieteikumi pēc vērtējumu vidējā · rādīti 2 no 4"
    )


def test_empty_round_says_so(client, coordinator):
    grant_round = closed_round(status=GrantRound.Status.ASSESSMENT, criteria=[(10, "1")])
    client.force_login(coordinator)

    response = client.get(ranking_url(grant_round))

    assert parse(response.content).texts("p.ranking-empty") == [
        "Šajā konkursā vēl nav neviena iesniegta pieteikuma."
    ]
    assert table(response) == []


def test_ranking_links_to_the_application_and_its_decision(client, coordinator, ranked_round):
    client.force_login(coordinator)
    first = Application.objects.get(reference="DK-2024-001")

    response = client.get(ranking_url(ranked_round))

    row = parse(response.content).select("table#ranking tbody tr")[0]
    assert [a.get("href") for a in row.select("a")] == [
        f"/admin/grants/application/{first.pk}/change/",
        f"/admin/grants/application/{first.pk}/lemums/",
    ]
    assert row.get("id") == f"pieteikums-{first.pk}"


def test_ranking_query_count_does_not_grow_with_applications(client, coordinator, assessors):
    def round_with(count: int, slug: str):
        grant_round = closed_round(
            status=GrantRound.Status.DECISIONS,
            criteria=[(10, "1"), (20, "2")],
            assessors=assessors,
            slug=slug,
        )
        for _ in range(count):
            application = submitted_application(grant_round)
            for assessor in assessors[:2]:
                submitted_assessment(application, assessor, (5, 10))
            application.decision = Application.Decision.RESERVE
            application.notified_at = application.submitted_at
            application.save()
        return grant_round

    small, large = round_with(1, "viens"), round_with(50, "piecdesmit")
    client.force_login(coordinator)
    client.get(ranking_url(small))  # the session and permission caches warm up

    counts = []
    for grant_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ranking_url(grant_round, "?pec=mediana"))
        assert response.status_code == 200
        counts.append(len(queries))

    assert len(response.context["rows"]) == 50
    # Every decided application has a pending notification listed too: still no growth.
    assert len(response.context["pending"]) == 50
    assert counts[0] == counts[1]
    assert counts[0] <= 16


class FakeExports:
    """grants.exports as this page uses it: the CSV in pieces, the XLSX as a file."""

    def __init__(self):
        self.calls = []
        self.xlsx = io.BytesIO(b"PK\x03\x04xlsx")

    def round_csv(self, *, grant_round):
        self.calls.append(("csv", grant_round.pk))
        return iter(["\ufeffNumurs;Nosaukums\r\n".encode(), "DK-2024-001;Ābeļu dārzs\r\n".encode()])

    def round_xlsx(self, *, grant_round):
        self.calls.append(("xlsx", grant_round.pk))
        return self.xlsx


def test_exports_are_attachments_named_after_the_round(
    client, coordinator, ranked_round, monkeypatch
):
    fake = FakeExports()
    monkeypatch.setattr(grants, "exports", fake, raising=False)
    monkeypatch.setitem(__import__("sys").modules, "grants.exports", fake)
    client.force_login(coordinator)

    csv = client.get(f"/admin/grants/grantround/{ranked_round.pk}/eksports.csv")
    xlsx = client.get(f"/admin/grants/grantround/{ranked_round.pk}/eksports.xlsx")

    # Both are streamed, not held whole in memory: the CSV as its rows are made, the XLSX from
    # its temporary file, which the response closes.
    assert (csv.status_code, csv.streaming, csv["Content-Type"], csv["Content-Disposition"]) == (
        200,
        True,
        "text/csv; charset=utf-8",
        'attachment; filename="DK-2024-vertejumi.csv"',
    )
    assert b"".join(csv.streaming_content) == (
        "\ufeffNumurs;Nosaukums\r\nDK-2024-001;Ābeļu dārzs\r\n".encode()
    )
    assert (
        xlsx.status_code,
        xlsx.streaming,
        xlsx["Content-Type"],
        xlsx["Content-Disposition"],
        xlsx["Content-Length"],
    ) == (
        200,
        True,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="DK-2024-vertejumi.xlsx"',
        "8",
    )
    assert b"".join(xlsx.streaming_content) == b"PK\x03\x04xlsx"
    xlsx.close()
    assert fake.xlsx.closed
    assert fake.calls == [("csv", ranked_round.pk), ("xlsx", ranked_round.pk)]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_applications(
    client, coordinator, assessors, extension
):
    def round_with(count: int, slug: str):
        grant_round = closed_round(
            status=GrantRound.Status.DECISIONS,
            criteria=[(10, "1"), (20, "2")],
            assessors=assessors,
            slug=slug,
        )
        for _ in range(count):
            application = submitted_application(grant_round)
            for assessor in assessors[:2]:
                submitted_assessment(application, assessor, (5, 10))
        return grant_round

    small, large = round_with(3, "tris"), round_with(30, "trisdesmit")
    client.force_login(coordinator)
    client.get(ranking_url(small))  # the session and permission caches warm up

    counts, sizes = [], []
    for grant_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/admin/grants/grantround/{grant_round.pk}/eksports.{extension}")
            # The CSV's rows are read as it is sent: its queries count only once it is read.
            size = len(b"".join(response.streaming_content))
        counts.append((response.status_code, len(queries)))
        # The XLSX comes whole from its file, its length known; the CSV's is not.
        sizes.append((size, response.get("Content-Length")))

    assert sizes[0][0] < sizes[1][0]
    assert [length for _size, length in sizes] == (
        [str(size) for size, _length in sizes] if extension == "xlsx" else [None, None]
    )
    assert counts[0] == counts[1]


def test_ranking_page_links_the_exports_and_publishing(client, coordinator, ranked_round):
    client.force_login(coordinator)

    response = client.get(ranking_url(ranked_round))

    tools = parse(response.content).select("ul.ranking-tools a")
    assert [(a.text, a.get("href")) for a in tools] == [
        # XLSX first: it opens as a table in every spreadsheet program.
        ("Eksportēt XLSX", f"/admin/grants/grantround/{ranked_round.pk}/eksports.xlsx"),
        ("Eksportēt CSV", f"/admin/grants/grantround/{ranked_round.pk}/eksports.csv"),
        ("Publicēt rezultātus", f"/admin/grants/grantround/{ranked_round.pk}/publicet/"),
    ]


@pytest.mark.parametrize("role", ["Vērtētāji", "Centru vadītāji"])
def test_assessors_and_centre_managers_may_not_open_the_ranking_or_exports(
    client, ranked_round, assessors, role
):
    # Even an assessor assigned to this very round: the ranking shows everyone's scores.
    user = assessors[0] if role == "Vērtētāji" else staff(role)
    client.force_login(user)

    answers = [
        client.get(f"/admin/grants/grantround/{ranked_round.pk}/{page}").status_code
        for page in ("ranking/", "eksports.csv", "eksports.xlsx")
    ]

    assert answers == [403, 403, 403]
