"""The results page (a data table first, then the server-drawn radar chart) and the CSV of a
community's capacity self-assessment, and the query ceilings of every capacity page."""

from datetime import date, timedelta

import pytest

from communities import capacity
from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityInstrument,
    CapacityLevel,
    Membership,
)
from core.formats import riga_today
from devtools.bench.pages import MEMBER_MAX_QUERIES
from tests.communities.capacity_support import in_community, open_round
from tests.html import parse

BASE = "/kopienas/preili/ricibspeja/"
# Pages behind a log-in: the session and the user come first. The bench holds the same.
QUERY_BUDGET = MEMBER_MAX_QUERIES


def agreed(round_, dimensions, levels, reason="Vienojāmies sapulcē", evidence=""):
    CapacityConsensus.objects.bulk_create(
        CapacityConsensus(round=round_, dimension=d, level=level, reason=reason, evidence=evidence)
        for d, level in zip(dimensions, levels, strict=True)
        if level is not None
    )


@pytest.fixture
def three_rounds(community, dimensions):
    baseline = open_round(
        community, title="Sākums 2019", opens_on=date(2019, 3, 1), closes_on=date(2019, 3, 31)
    )
    middle = open_round(
        community,
        title="Vidusposms 2020",
        kind=AssessmentRound.Kind.FOLLOW_UP,
        opens_on=date(2020, 3, 1),
        closes_on=date(2020, 3, 31),
    )
    latest = open_round(
        community,
        title="Pēc trim gadiem 2022",
        kind=AssessmentRound.Kind.FOLLOW_UP,
        opens_on=date(2022, 3, 1),
        closes_on=date(2022, 3, 31),
    )
    agreed(baseline, dimensions, [1, 1, 2, 1, 1, 2, 2, 1])
    agreed(middle, dimensions, [2, 2, 2, 2, 2, 2, 2, 2])
    agreed(latest, dimensions, [3, 2, 3, 2, 3, 4, 3, None])
    return baseline, middle, latest


def test_the_table_comes_first_with_every_round_of_the_version(
    client, member, three_rounds, dimensions
):
    client.force_login(member)

    doc = parse(client.get(f"{BASE}rezultati/").content)
    table = doc.select_one("table.capacity-results")

    assert [th.text for th in table.select("thead th")] == [
        "Dimensija",
        "Sākums 2019",
        "Vidusposms 2020",
        "Pēc trim gadiem 2022",
    ]
    assert [
        [row.select_one("th").text] + [td.text for td in row.select("td")]
        for row in table.select("tbody tr")
    ] == [
        [f"{n}. {d.title}", *levels]
        for n, (d, levels) in enumerate(
            zip(
                dimensions,
                [
                    ["1", "2", "3"],
                    ["1", "2", "2"],
                    ["2", "2", "3"],
                    ["1", "2", "2"],
                    ["1", "2", "3"],
                    ["2", "2", "4"],
                    ["2", "2", "3"],
                    ["1", "2", "—"],
                ],
                strict=True,
            ),
            start=1,
        )
    ]
    # The table precedes the chart in the page.
    sections = [s.get("aria-labelledby") for s in doc.select("main section")]
    assert sections == ["tabula", "diagramma"]


def test_the_chart_draws_the_baseline_beside_the_latest_with_title_and_description(
    client, member, three_rounds, dimensions
):
    client.force_login(member)

    svg = parse(client.get(f"{BASE}rezultati/").content).select_one("figure.radar svg")
    series = svg.select("g.radar-series")

    assert svg.select_one("title").text == (
        "Kopienas rīcībspēja: Sākums 2019 un Pēc trim gadiem 2022"
    )
    assert svg.select_one("desc").text == (
        "Radara diagramma ar astoņām asīm, pa vienai katrai dimensijai, numurētām kā tabulā; "
        "tālāk no centra ir augstāks līmenis (1–4). Pēc trim gadiem 2022: "
        + "; ".join(
            f"{n}. {d.title} – {level}"
            for n, (d, level) in enumerate(
                zip(dimensions, [3, 2, 3, 2, 3, 4, 3, "nav vienošanās"], strict=True), start=1
            )
        )
        + ". Sākums 2019: "
        + "; ".join(
            f"{n}. {d.title} – {level}"
            for n, (d, level) in enumerate(
                zip(dimensions, [1, 1, 2, 1, 1, 2, 2, 1], strict=True), start=1
            )
        )
        + "."
    )
    assert len(svg.select("polygon.radar-round")) == 2
    # The latest: seven points (one dimension has no consensus), solid line, circles; the
    # baseline: eight, dashed, squares.
    assert [
        (
            len(g.select_one("polygon.radar-round").get("points").split()),
            g.select_one("polygon.radar-round").get("stroke-dasharray"),
            len(g.select("circle")),
            len(g.select("rect")),
        )
        for g in series
    ] == [(7, None, 7, 0), (8, "8 5", 0, 8)]
    # Level 4 on the sixth axis (of eight) lies on the outer ring: 140 from the centre.
    assert series[0].select("circle")[5].get("cx") == "101.0"
    assert [t.text for t in svg.select("g.radar-legend text")] == [
        "Pēc trim gadiem 2022",
        "Sākums 2019",
    ]


def test_rounds_of_another_instrument_version_are_not_compared(
    client, member, community, three_rounds, dimensions
):
    second = CapacityInstrument.objects.create(number=2, is_published=True)
    CapacityLevel.objects.bulk_create(
        CapacityLevel(instrument=second, dimension=d, level=level, text=f"Teksts {level}")
        for d in dimensions
        for level in range(1, 5)
    )
    newest = open_round(
        community,
        title="Jaunā versija 2024",
        kind=AssessmentRound.Kind.FOLLOW_UP,
        opens_on=date(2024, 3, 1),
        closes_on=date(2024, 3, 31),
    )
    assert newest.instrument == second
    agreed(newest, dimensions, [4] * 8)
    client.force_login(member)

    doc = parse(client.get(f"{BASE}rezultati/").content)

    assert [th.text for th in doc.select("table.capacity-results thead th")] == [
        "Dimensija",
        "Jaunā versija 2024",
    ]
    assert "3 kārtas ar citu instrumenta versiju nav salīdzinātas." in doc.texts("main p")
    assert len(doc.select("polygon.radar-round")) == 1


def test_without_a_consensus_the_results_say_so(client, member, community, dimensions):
    open_round(community)
    client.force_login(member)

    doc = parse(client.get(f"{BASE}rezultati/").content)

    assert doc.texts("p.empty") == ["Kopiena vēl nav ierakstījusi nevienas kārtas vienošanos."]
    assert doc.select("svg") == []


def test_the_csv_has_every_consensus_with_formulas_defused(client, member, community, dimensions):
    round_ = open_round(community, title="=Sākums", opens_on=date(2019, 3, 1))
    agreed(
        round_,
        dimensions[:2],
        [1, 3],
        reason='=HYPERLINK("http://x")',
        evidence="Protokols; foto",
    )
    client.force_login(member)

    response = client.get(f"{BASE}rezultati.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ricibspeja-preili.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffKārta;Veids;Atvērta no;Atvērta līdz;Instrumenta versija;Dimensija;"
        "Vienošanās līmenis;Pamatojums;Pierādījumi\r\n"
        "'=Sākums;Sākotnējais novērtējums;2019-03-01;2026-03-31;1;"
        'Līdzdarbošanās un pielāgošanās pārmaiņām;1;"\'=HYPERLINK(""http://x"")";'
        '"Protokols; foto"\r\n'
        "'=Sākums;Sākotnējais novērtējums;2019-03-01;2026-03-31;1;"
        "Personību un kopienu grupu potenciāla realizācijas iespējas;3;"
        '"\'=HYPERLINK(""http://x"")";"Protokols; foto"\r\n'
    )


# --- Query ceilings ----------------------------------------------------------------------------


def _fill(community, round_, dimensions, count: int) -> None:
    """`count` more activists with submitted answers, plan items, and a consensus."""
    for _ in range(count):
        person = in_community(community, Membership.Role.ACTIVIST)
        CapacityAnswer.objects.bulk_create(
            CapacityAnswer(
                round=round_, person=person, dimension=d, level=2, submitted_at=round_.created_at
            )
            for d in dimensions
        )
        ActionItem.objects.create(round=round_, dimension=dimensions[0], text="Talka", owner=person)
    CapacityConsensus.objects.filter(round=round_).delete()
    agreed(round_, dimensions, [2] * 8)


@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("", 6),
        ("jauna/", 5),
        ("{round}/", 17),
        ("{round}/vienosanas/", 11),
        ("{round}/plans/", 9),
        ("rezultati/", 7),
        ("rezultati.csv", 5),
    ],
)
def test_each_page_has_a_fixed_number_of_queries(
    client, community, leader, dimensions, django_assert_num_queries, page, queries
):
    assert queries <= QUERY_BUDGET
    today = riga_today()
    earlier = open_round(
        community, opens_on=today - timedelta(days=400), closes_on=today - timedelta(days=300)
    )
    round_ = open_round(community, opens_on=today, closes_on=today + timedelta(days=5))
    capacity.submit_answers(
        round_=round_,
        person=leader,
        answers={d.pk: (3, "") for d in dimensions},
        final=True,
    )
    client.force_login(leader)
    statuses = []
    for count in (1, 20):
        _fill(community, round_, dimensions, count)
        _fill(community, earlier, dimensions, count)
        with django_assert_num_queries(queries):
            response = client.get(f"{BASE}{page}".format(round=round_.pk))
        statuses.append(response.status_code)

    assert statuses == [200, 200]


def test_a_round_is_named_with_its_year_once():
    def named(title):
        return AssessmentRound(title=title, opens_on=date(2022, 3, 1)).dated_title

    assert [named("Atkārtots novērtējums"), named("Pēc trim gadiem 2022")] == [
        "Atkārtots novērtējums (2022)",
        "Pēc trim gadiem 2022",
    ]
