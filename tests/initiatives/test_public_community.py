"""The community page's part of initiatives: its latest published initiatives and the model
elements it has practised, by year, from its published initiatives and its held events."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from initiatives.models import Initiative
from initiatives.services import reports
from tests.factories import CommunityFactory, EventFactory, ModelElementFactory
from tests.factories.initiatives import own_initiative
from tests.html import parse
from tests.initiatives.public_support import published_own, report_with


@pytest.fixture
def elements(db):
    return [
        ModelElementFactory(slug=slug, title=title, order=order)
        for order, (slug, title) in enumerate(
            [
                ("talkas", "Talkas"),
                ("kulinarija", "Kopīga ēst gatavošana"),
                ("stasti", "Stāstu vakari"),
                ("sports", "Sporta spēles"),
            ]
        )
    ]


def _held_event(community, starts_at, elements, **fields):
    event = EventFactory(
        community=community,
        starts_at=starts_at,
        ends_at=starts_at + timezone.timedelta(hours=2),
        closed_at=starts_at + timezone.timedelta(days=1),
        attendees_count=10,
        **fields,
    )
    event.model_elements.set(elements)
    return event


def _table(doc) -> list[list[str]]:
    table = doc.select_one("table.element-years")
    rows = [[cell.text for cell in table.select("thead th")]]
    for row in table.select("tbody tr"):
        rows.append([row.select_one("th").text, *[cell.text for cell in row.select("td")]])
    return rows


def test_the_table_shows_elements_by_year_from_published_initiatives_and_held_events(
    client, elements, coordinator
):
    talks, cooking, stories, sports = elements
    community = CommunityFactory(slug="kraslava", name="Krāslavas kopiena")
    published_own(community=community, title="Talka", year=2024, elements=[talks])
    published_own(community=community, title="Zupas svētki", year=2025, elements=[cooking])
    # Not published: not counted.
    waiting = own_initiative(community=community, title="Vēl top", year=2023)
    reports.submit_report(report=report_with(waiting, elements=[sports]), actor=None)
    # Held at 01:30 on New Year's night in Riga: a 2024 event, though UTC still says 2023.
    _held_event(community, datetime(2023, 12, 31, 23, 30, tzinfo=UTC), [stories])
    # Cancelled, not yet closed, or another community's: not counted.
    _held_event(
        community,
        datetime(2022, 5, 1, 12, tzinfo=UTC),
        [sports],
        cancelled_at=datetime(2022, 4, 1, tzinfo=UTC),
    )
    open_event = EventFactory(community=community, starts_at=datetime(2021, 5, 1, tzinfo=UTC))
    open_event.model_elements.set([sports])
    _held_event(CommunityFactory(), datetime(2020, 5, 1, tzinfo=UTC), [sports])

    doc = parse(client.get("/kopienas/kraslava/").content)

    assert _table(doc) == [
        ["Modeļa elements", "2025", "2024"],
        ["Talkas", "–Nē", "Jā"],
        ["Kopīga ēst gatavošana", "Jā", "–Nē"],
        ["Stāstu vakari", "–Nē", "Jā"],
        ["Sporta spēles", "–Nē", "–Nē"],
    ]
    # The dash is for the eye; a screen reader hears "Nē".
    dash, word = doc.select("table.element-years tbody td span")[:2]
    assert [(dash.get("aria-hidden"), dash.text), (word.get("class"), word.text)] == [
        ("true", "–"),
        ("visually-hidden", "Nē"),
    ]


def test_a_community_with_nothing_practised_says_so(client, elements):
    CommunityFactory(slug="jauna", name="Jauna kopiena")

    doc = parse(client.get("/kopienas/jauna/").content)

    assert doc.select("table.element-years") == []
    section = doc.select_one("section.community-elements")
    assert section.select_one("p").text == (
        "Kopienas iniciatīvās un pasākumos modeļa elementi vēl nav atzīmēti."
    )
    assert doc.select_one("section.community-initiatives p").text == (
        "Kopienai vēl nav publicētu iniciatīvu."
    )


def test_the_latest_three_published_initiatives_and_a_link_to_all(client, elements):
    community = CommunityFactory(slug="kraslava", name="Krāslavas kopiena")
    for year, title in [(2022, "Pirmā"), (2023, "Otrā"), (2024, "Trešā"), (2025, "Ceturtā")]:
        published_own(community=community, title=title, year=year)
    own_initiative(community=community, title="Nepublicētā", year=2026)

    doc = parse(client.get("/kopienas/kraslava/").content)

    section = doc.select_one("section.community-initiatives")
    assert section.texts(".card-title") == ["Ceturtā", "Trešā", "Otrā"]
    assert [(a.text, a.get("href")) for a in section.select("p a")] == [
        ("Visas kopienas iniciatīvas", "/iniciativas/?kopiena=kraslava")
    ]


def test_the_link_to_all_initiatives_lists_exactly_the_communitys(client, elements):
    community = CommunityFactory(slug="kraslava", name="Krāslavas kopiena")
    published_own(community=community, title="Talka", year=2024)
    published_own(community=CommunityFactory(), title="Cita talka", year=2024)

    doc = parse(client.get("/iniciativas/?kopiena=kraslava").content)

    assert doc.texts("#iniciativu-saraksts .card-title") == ["Talka"]
    assert Initiative.objects.count() == 2
