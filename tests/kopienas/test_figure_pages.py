"""The home page's figures block, /skaitli/ and its CSV: every figure shown comes from the
registry (kopienas.figures), with its definition, and the pages cost the same few queries
however many rows there are."""

import csv
import io
import re
from datetime import datetime

import pytest

from communities.models import Community, ImpactFigure, TargetGroup
from core.formats import RIGA
from kopienas.figures.registry import BY_KEY, FIGURES, HEADLINE
from kopienas.figures.sources import CENTRE, COMMUNITY, TOTAL, YEAR, breakdown
from resource_centres.models import ResourceCentre
from tests.factories import CommunityFactory, ResourceCentreFactory, TargetGroupFactory
from tests.html import parse
from tests.kopienas.figures_support import (
    booked,
    held_event,
    idea,
    initiative,
    reached,
    results_round,
)

QUERY_BUDGET = 10


def _spaced(text: str) -> str:
    """As tests.html reads text: non-breaking spaces are spaces."""
    return " ".join(text.split())


@pytest.fixture
def activity(latgale):
    """A little of everything in the Preiļi and Aglona communities."""
    preili = Community.objects.get(slug="preili")
    aglona = Community.objects.get(slug="aglona")
    # After the four groups of Latgale, whatever the factory sequence has reached.
    youth, men = TargetGroupFactory(order=100), TargetGroupFactory(order=101)
    event = held_event(
        attendees=1234,
        centre=preili.resource_centre,
        community=preili,
        starts=datetime(2024, 4, 1, 10, 0, tzinfo=RIGA),
    )
    reached(event, youth, 30)
    reached(event, men, 2)
    held_event(attendees=15, centre=aglona.resource_centre, community=aglona)
    reached(initiative(community=preili, year=2024, institutions=["Preiļu novada dome"]), men, 1)
    initiative(
        community=aglona, year=2025, institutions=["Aglonas vidusskola", "Preiļu novada dome"]
    )
    grant_round = results_round(year=2024)
    idea(grant_round, community=preili)
    idea(grant_round, community=aglona)
    # Three hours of the Preiļi centre's projector in 2024: a centre's figure, not a community's.
    booked(preili.resource_centre, datetime(2024, 5, 6, 10, 0, tzinfo=RIGA), hours=3)
    return {"preili": preili, "aglona": aglona}


def _marked(doc):
    return [(el.get("data-figure"), el.text) for el in doc.select("[data-figure]")]


def test_home_shows_the_headline_figures_from_the_registry_with_the_coordinators_labels(
    client, activity
):
    doc = parse(client.get("/").content)

    totals = breakdown(TOTAL)
    assert [
        (li.select_one(".figure-value").text, li.select_one(".figure-label").text)
        for li in doc.select("li.figure")
    ] == [
        ("1 289", "latgaliešu iesaistījušies iniciatīvā"),
        ("2", "iestādes un organizācijas"),
        ("2", "īstenotas vietējo kopienu iniciatīvas"),
        ("2", "dažādas mācību nodarbības kopienām un pedagogiem"),
        ("1", "kopienu iniciatīvu konkursi"),
        ("2", "kopienu idejas guvušas atbalstu konkursos"),
        ("10", "izveidoti kopienu resursu centri"),
    ]
    assert _marked(doc) == [(key, _spaced(BY_KEY[key].written(totals[key]))) for key in HEADLINE]
    assert [a.get("href") for a in doc.select("p.figures-how a")] == ["/skaitli/"]
    assert "/skaitli/" in [a.get("href") for a in doc.select("footer a")]


def test_no_number_in_the_figures_block_without_its_registry_marker(client, activity):
    """A typed figure ("300+") slipped into the block, or a value not from the registry, fails."""
    for url in ["/", "/en/"]:
        block = parse(client.get(url).content).select_one("ul.figures")
        for li in block.select("li"):
            marked = li.select("[data-figure]")
            assert len(marked) == 1
            assert marked[0].get("data-figure") in BY_KEY
            rest = li.text.replace(marked[0].text, "", 1)
            assert not re.search(r"\d", rest), (url, li.text)


def test_the_figures_page_shows_each_figure_with_its_definition(client, activity):
    doc = parse(client.get("/skaitli/").content)

    assert doc.select_one("h1").text == "Iniciatīva skaitļos"
    totals = breakdown(TOTAL)
    definitions = doc.select("li.figure-definition")
    assert [li.get("id") for li in definitions] == [f"skaitlis-{f.key}" for f in FIGURES]
    for li, figure in zip(definitions, FIGURES, strict=True):
        assert li.select_one("[data-figure]").text == _spaced(figure.written(totals[figure.key]))
        assert li.select_one("p").text == _spaced(str(figure.definition))
        assert li.texts("dd") == [
            _spaced(str(figure.counts)),
            _spaced(str(figure.leaves_out)),
            _spaced(str(figure.time_basis)),
        ]
    participants = doc.select_one("#skaitlis-participants h3")
    assert participants.text == "1 289 latgaliešu iesaistījušies iniciatīvā"
    assert doc.select_one("a[download]").get("href") == "/skaitli/skaitli.csv"


def test_every_figure_on_the_figures_page_maps_to_the_registry(client, activity):
    """Totals, the year and centre tables and a community's figures: each marked element names
    a registry key and shows exactly what the registry counts for its place."""
    preili = activity["preili"]
    doc = parse(client.get("/skaitli/?kopiena=preili").content)
    values = {
        None: {key: {None: value} for key, value in breakdown(TOTAL).items()},
        "year": breakdown(YEAR),
        "centre": breakdown(CENTRE),
        "community": breakdown(COMMUNITY),
    }
    centres = dict(ResourceCentre.objects.values_list("slug", "pk"))
    seen = set()
    for el in doc.select("[data-figure]"):
        key = el.get("data-figure")
        assert key in BY_KEY
        if el.get("data-year"):
            scope, place = "year", int(el.get("data-year"))
        elif el.get("data-centre"):
            scope, place = "centre", centres[el.get("data-centre")]
        elif el.get("data-community"):
            scope, place = "community", preili.pk if el.get("data-community") == "preili" else None
        else:
            scope, place = None, None
        expected = values[scope].get(key, {}).get(place, 0)
        assert el.text == _spaced(BY_KEY[key].written(expected)), (key, scope, place)
        seen.add(scope)
    assert seen == {None, "year", "centre", "community"}
    assert [
        (row.select_one("th").text, row.texts("td"))
        for row in doc.select("table[data-breakdown=year] tbody tr")
    ] == [
        ("2024", ["1 254", "1", "1", "1", "1", "2", "3", "3"]),
        ("2025", ["35", "1", "1", "1", "0", "0", "3", "0"]),
    ]
    assert doc.texts("ul[data-community=preili] .figure-value") == [
        "1 254",
        "1",
        "1",
        "1",
        "1",
        "3",
    ]


def test_reach_under_five_people_is_written_less_than_five(client, activity):
    doc = parse(client.get("/skaitli/?kopiena=preili").content)

    def reach(of):
        rows = doc.select(f"table[data-reach-of={of}] tbody tr")
        return [(row.select_one("th").text, row.select_one("td").text) for row in rows][-2:]

    # The two groups the fixture made, after the four of Latgale (none reached): 30 young
    # people at the event; 2 men at the event and 1 in an initiative.
    youth, men = (group.title for group in TargetGroup.objects.order_by("-order", "-pk")[:2][::-1])
    assert reach("all") == [(youth, "30"), (men, "mazāk nekā 5")]
    assert reach("preili") == [(youth, "30"), (men, "mazāk nekā 5")]
    assert [row.text for row in doc.select("table[data-reach-of=all] tbody td")][:4] == [
        "mazāk nekā 5"
    ] * 4


def test_an_unknown_community_is_a_note_not_an_error(client, latgale):
    response = client.get("/skaitli/?kopiena=%3Cscript%3Ealert(1)%3C/script%3E")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("p.notice").text == (
        "Šāda publicēta kopiena nav atrasta. Izvēlieties kopienu sarakstā."
    )
    assert b"<script>alert(1)" not in response.content


def test_an_unpublished_community_is_neither_offered_nor_shown(client, latgale):
    CommunityFactory(slug="slepena", name="Slepenā kopiena", is_published=False)
    doc = parse(client.get("/skaitli/?kopiena=slepena").content)
    assert "slepena" not in [option.get("value") for option in doc.select("#kopiena option")]
    assert doc.select("ul[data-community]") == []


def test_the_chooser_follows_a_change_of_the_communities_on_the_very_next_request(client, latgale):
    # The list is kept in the shared cache and by each process (core.generations): read twice.
    client.get("/skaitli/")

    def offered(url: str) -> list[tuple[str, str, bool]]:
        doc = parse(client.get(url).content)
        return [
            (option.get("value"), option.text, "selected" in option.attrs)
            for option in doc.select("#kopiena option")
            if option.get("value") in ("", "preili", "zzz")
        ]

    before = offered("/skaitli/?kopiena=preili")
    preili = Community.objects.get(slug="preili")
    preili.name = "Zaļā Preiļu kopiena"
    preili.save()
    CommunityFactory(slug="zzz", name='Kopiena "<&>"')

    assert before == [
        ("", "Izvēlieties kopienu", False),
        ("preili", "Preiļu darbīgā kopiena", True),
    ]
    assert offered("/skaitli/?kopiena=preili") == [
        ("", "Izvēlieties kopienu", False),
        ("zzz", 'Kopiena "<&>"', False),
        ("preili", "Zaļā Preiļu kopiena", True),
    ]


def test_the_tables_cells_are_escaped_as_the_template_escaped_them(client, activity):
    ResourceCentre.objects.filter(slug="preili").update(name='Preiļu "<centrs>" & co')
    content = client.get("/skaitli/").content.decode()

    assert '<a href="/centri/preili/">Preiļu &quot;&lt;centrs&gt;&quot; &amp; co</a>' in content
    assert '<td class="number" data-figure="participants" data-centre="preili">' in content
    assert '<td class="number" data-figure="participants" data-year="2024">1 254</td>' in (
        content.replace("\xa0", " ")
    )


def test_the_figures_page_in_english(client, activity):
    doc = parse(client.get("/en/skaitli/").content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("h1").text == "The initiative in numbers"
    assert doc.select_one("#skaitlis-participants [data-figure]").text == "1,289"
    # The coordinators' wording is Latvian content; a figure without a row has the interface's.
    labels = {
        key: (label.text, label.get("lang"))
        for key in ("participants", "volunteers")
        for label in [doc.select_one(f"#skaitlis-{key} .figure-label")]
    }
    assert labels == {
        "participants": ("latgaliešu iesaistījušies iniciatīvā", "lv"),
        "volunteers": ("volunteers involved", None),
    }


def test_the_csv_lists_every_figure_by_year_centre_and_community(client, latgale):
    centre = ResourceCentreFactory(slug="a-centrs", name="A centrs")
    hostile = CommunityFactory(name="=cmd|' /C calc'!A0", resource_centre=centre)
    held_event(attendees=7, centre=centre, community=hostile)
    initiative(community=hostile, year=2024, participants=5, volunteers=2)
    booked(centre, datetime(2024, 5, 6, 10, 0, tzinfo=RIGA), hours=2)
    ImpactFigure.objects.filter(key="participants").update(label="+iedzīvotāji")

    response = client.get("/skaitli/skaitli.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="skaitli.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0] == ["atslēga", "skaitlis", "gads", "resursu centrs", "kopiena", "vērtība"]
    assert rows[1:] == [
        ["participants", "'+iedzīvotāji", "", "", "", "12"],
        ["participants", "'+iedzīvotāji", "2024", "", "", "5"],
        ["participants", "'+iedzīvotāji", "2025", "", "", "7"],
        ["participants", "'+iedzīvotāji", "", "A centrs", "", "12"],
        ["participants", "'+iedzīvotāji", "", "", "'=cmd|' /C calc'!A0", "12"],
        ["institutions", "iestādes un organizācijas", "", "", "", "0"],
        ["initiatives", "īstenotas vietējo kopienu iniciatīvas", "", "", "", "1"],
        ["initiatives", "īstenotas vietējo kopienu iniciatīvas", "2024", "", "", "1"],
        ["initiatives", "īstenotas vietējo kopienu iniciatīvas", "", "A centrs", "", "1"],
        [
            "initiatives",
            "īstenotas vietējo kopienu iniciatīvas",
            "",
            "",
            "'=cmd|' /C calc'!A0",
            "1",
        ],
        ["trainings", "dažādas mācību nodarbības kopienām un pedagogiem", "", "", "", "1"],
        ["trainings", "dažādas mācību nodarbības kopienām un pedagogiem", "2025", "", "", "1"],
        ["trainings", "dažādas mācību nodarbības kopienām un pedagogiem", "", "A centrs", "", "1"],
        [
            "trainings",
            "dažādas mācību nodarbības kopienām un pedagogiem",
            "",
            "",
            "'=cmd|' /C calc'!A0",
            "1",
        ],
        ["rounds", "kopienu iniciatīvu konkursi", "", "", "", "0"],
        ["supported_ideas", "kopienu idejas guvušas atbalstu konkursos", "", "", "", "0"],
        ["centres", "izveidoti kopienu resursu centri", "", "", "", "11"],
        ["volunteers", "brīvprātīgie iesaistīti", "", "", "", "2"],
        ["volunteers", "brīvprātīgie iesaistīti", "2024", "", "", "2"],
        ["volunteers", "brīvprātīgie iesaistīti", "", "A centrs", "", "2"],
        ["volunteers", "brīvprātīgie iesaistīti", "", "", "'=cmd|' /C calc'!A0", "2"],
        ["booked_hours", "stundas rezervēts centru aprīkojums un telpas", "", "", "", "2"],
        ["booked_hours", "stundas rezervēts centru aprīkojums un telpas", "2024", "", "", "2"],
        [
            "booked_hours",
            "stundas rezervēts centru aprīkojums un telpas",
            "",
            "A centrs",
            "",
            "2",
        ],
    ]


def _grow(count):
    """`count` more of every row the figures count, in new centres and communities."""
    group = TargetGroupFactory()
    grant_round = results_round()
    for _ in range(count):
        community = CommunityFactory()
        event = held_event(centre=community.resource_centre, community=community)
        reached(event, group, 3)
        reached(initiative(community=community, institutions=[f"Iestāde {community.pk}"]), group, 4)
        idea(grant_round, community=community)
        booked(community.resource_centre, datetime(2025, 3, 3, 10, 0, tzinfo=RIGA), hours=2)


@pytest.mark.parametrize(
    ("url", "queries", "after_a_change"),
    [
        # Centres with their cover thumbnail, the day's testimonial, model elements, the
        # figures' labels and the cached headline figures (one cache read).
        ("/", 5, 11),
        ("/en/", 5, 11),
        # Labels, the generation of the communities offered (each process keeps the list with
        # its options written), the page's cached counts, centre names, target groups. After a
        # change the list is read and stored again too.
        ("/skaitli/", 5, 21),
        # ... and the chosen community's target groups (found in the chooser's list).
        ("/skaitli/?kopiena=preili", 6, 24),
        # Labels, the totals and three breakdowns (each cached), centre and community names.
        ("/skaitli/skaitli.csv", 7, 31),
    ],
)
def test_query_count_does_not_grow_with_rows(
    client, latgale, django_assert_num_queries, url, queries, after_a_change
):
    """The figures are kept in the shared cache until a counted row changes (core.generations):
    a page reads them in one query. The first request after a change computes them again and
    stores them: one query per breakdown, and on the database cache (the fallback when there is
    no Redis) five more to store each value; on Redis storing is no database query at all."""
    assert queries <= QUERY_BUDGET
    for count in (1, 30):
        _grow(count)
        with django_assert_num_queries(after_a_change):
            response = client.get(url)
        with django_assert_num_queries(queries):
            again = client.get(url)
        assert (response.status_code, again.status_code) == (200, 200)
