"""/pasakumi/ sorted by distance from a municipality or the browser's location, by the centre
each event is held at; /pasakumi/?q= for the site search's "show all" link."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import EventFactory, ResourceCentreFactory
from tests.html import parse

QUERY_BUDGET = 10


def _event(slug, title, centre, days, **kwargs):
    starts_at = timezone.now() + timedelta(days=days)
    return EventFactory(
        slug=slug,
        title=title,
        centre=centre,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def events(db):
    ludza = ResourceCentreFactory(
        slug="ludza", name="Ludzas centrs", latitude=Decimal("56.546"), longitude=Decimal("27.719")
    )
    rezekne = ResourceCentreFactory(
        slug="rezekne",
        name="Rēzeknes centrs",
        latitude=Decimal("56.5099"),
        longitude=Decimal("27.3322"),
    )
    riga = ResourceCentreFactory(
        slug="riga", name="Rīgas centrs", latitude=Decimal("56.9496"), longitude=Decimal("24.1052")
    )
    _event("r1", "Rīgas seminārs", riga, 1)
    _event("z1", "Rēzeknes talka", rezekne, 2)
    _event("l2", "Ludzas vakars", ludza, 5)
    _event("l1", "Ludzas darbnīca", ludza, 3)
    _event("o1", "Tiešsaistes lekcija", None, 1, format="online")
    past = timezone.now() - timedelta(days=3)
    EventFactory(slug="p1", title="Ludzas pagātne", centre=ludza, starts_at=past, ends_at=past)


def _cards(response) -> list[tuple[str, str]]:
    page = parse(response.content)
    return [
        (
            card.select_one(".card-title a").text,
            card.select_one(".card-distance").text if card.select(".card-distance") else "",
        )
        for card in page.select("#pasakumu-saraksts .event-card")
    ]


def test_sorted_nearest_first_then_by_start_with_events_without_a_centre_last(client, events):
    response = client.get("/pasakumi/?tuvu=Ludzas novads")

    assert _cards(response) == [
        ("Ludzas darbnīca", "Attālums: 0 km"),
        ("Ludzas vakars", "Attālums: 0 km"),
        ("Rēzeknes talka", "Attālums: 24 km"),
        ("Rīgas seminārs", "Attālums: 225 km"),
        ("Tiešsaistes lekcija", ""),
    ]


def test_the_past_list_sorts_the_same_way(client, events):
    response = client.get("/pasakumi/?tuvu=Rīgas valstspilsēta&laiks=pagajusi")

    assert _cards(response) == [("Ludzas pagātne", "Attālums: 225 km")]


def test_sorted_from_the_browsers_location_never_cached(client, events):
    response = client.get("/pasakumi/?lat=56.9512&lon=24.1049")

    assert [name for name, _km in _cards(response)] == [
        "Rīgas seminārs",
        "Rēzeknes talka",
        "Ludzas darbnīca",
        "Ludzas vakars",
        "Tiešsaistes lekcija",
    ]
    page = parse(response.content)
    assert [page.select_one(f"input[name={name}]").get("value") for name in ("lat", "lon")] == [
        "56.95",
        "24.1",
    ]
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_sort_keeps_the_count(client, events):
    page = parse(client.get("/pasakumi/?tuvu=Ludzas novads").content)

    assert page.select_one(".result-count").text == "Atrasti 5 pasākumi"


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("lat=91&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lat=56&lon=-181", ["Garumam jābūt skaitlim no −180 līdz 180."]),
        ("lat=%3Cscript%3E&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lon=24", ["Atrašanās vietai vajag gan platumu, gan garumu."]),
    ],
)
def test_a_bad_location_is_ignored_with_a_clear_message(client, events, query, messages):
    response = client.get(f"/pasakumi/?{query}")
    page = parse(response.content)

    assert (response.status_code, page.texts(".messages li")) == (
        200,
        ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā.", *messages],
    )
    assert [name for name, _km in _cards(response)] == [
        "Rīgas seminārs",
        "Tiešsaistes lekcija",
        "Rēzeknes talka",
        "Ludzas darbnīca",
        "Ludzas vakars",
    ]


def test_search_words_filter_the_list_ignoring_diacritics(client, events):
    page = parse(client.get("/pasakumi/?q=LUDZAS darbnica").content)

    assert page.texts("#pasakumu-saraksts .card-title a") == ["Ludzas darbnīca"]
    assert page.select_one("#id_q").get("value") == "LUDZAS darbnica"


def test_a_too_long_search_is_ignored_with_a_message(client, events):
    page = parse(client.get("/pasakumi/?q=" + "a" * 101).content)

    assert page.texts(".messages li") == ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."]
    assert len(page.select("#pasakumu-saraksts .event-card")) == 5


def test_query_count_of_the_distance_sort_does_not_grow(client, events, django_assert_num_queries):
    client.get("/pasakumi/?tuvu=Ludzas novads")
    with CaptureQueriesContext(connection) as few:
        client.get("/pasakumi/?tuvu=Ludzas novads&x=1")
    # Read now: the next request clears the connection's log of queries.
    count = len(few.captured_queries)
    centre = ResourceCentreFactory(slug="vel")
    for number in range(15):
        _event(f"m{number}", f"Vēl viens {number}", centre, number + 1)
    client.get("/pasakumi/?tuvu=Ludzas novads&x=2")  # The shared cache renewed after the change.
    assert 0 < count <= QUERY_BUDGET
    with django_assert_num_queries(count):
        response = client.get("/pasakumi/?tuvu=Ludzas novads&x=3")
    assert len(_cards(response)) == 20


def _reference_order(origin, *, past=False, **filters) -> list[str]:
    """The order nearest-first means, computed the plain way: a distance for every event by
    the database's formula, then the list's own order (what NearestFirst must equal)."""
    from django.db.models import F

    from core import geo
    from events import selectors

    return list(
        selectors.event_list(past=past)
        .filter(**filters)
        .annotate(
            distance=geo.distance_km(
                *origin, lat_field="centre__latitude", lon_field="centre__longitude"
            )
        )
        .order_by(F("distance").asc(nulls_last=True), "-starts_at" if past else "starts_at", "pk")
        .values_list("title", flat=True)
    )


def _all_pages(client, query: str) -> list[str]:
    titles, number = [], 1
    while True:
        page = parse(client.get(f"/pasakumi/?{query}&lapa={number}").content)
        titles += page.texts("#pasakumu-saraksts .event-card .card-title a")
        if not page.select("a[rel=next]"):
            return titles
        number += 1


@pytest.fixture
def many(db):
    """Pages that start and end inside a centre's events: 13 at Ludza, 9 at each of two centres
    at the same point (one distance, their events in the list's order between them), 30 at
    Rīga and 4 with no centre (every centre has a point)."""
    ludza = ResourceCentreFactory(
        slug="ludza", name="Ludzas centrs", latitude=Decimal("56.546"), longitude=Decimal("27.719")
    )
    twins = [
        ResourceCentreFactory(
            slug=f"rezekne{n}",
            name=f"Rēzeknes centrs {n}",
            latitude=Decimal("56.5099"),
            longitude=Decimal("27.3322"),
        )
        for n in (1, 2)
    ]
    riga = ResourceCentreFactory(
        slug="riga", name="Rīgas centrs", latitude=Decimal("56.9496"), longitude=Decimal("24.1052")
    )
    day = 0
    for centre, count in ((riga, 30), (ludza, 13), (twins[0], 9), (twins[1], 9)):
        for number in range(count):
            day += 1
            _event(f"{centre.slug}-{number}", f"{centre.name} {number}", centre, day % 40 + 1)
    for number in range(4):
        _event(f"online-{number}", f"Tiešsaistē {number}", None, number + 2, format="online")
    past = timezone.now() - timedelta(days=3)
    for number in range(25):
        centre = (ludza, riga, twins[1])[number % 3]
        EventFactory(
            slug=f"past-{number}",
            title=f"Pagātne {number}",
            centre=centre,
            starts_at=past - timedelta(days=number),
            ends_at=past - timedelta(days=number) + timedelta(hours=1),
        )


LUDZA = (56.546, 27.719)


def test_every_page_of_the_distance_sort_follows_the_plain_order(client, many):
    titles = _all_pages(client, "tuvu=Ludzas novads")

    assert len(titles) == 65
    assert titles == _reference_order(LUDZA)
    assert titles[:13] == [
        f"Ludzas centrs {n}" for n in sorted(range(13), key=lambda n: ((31 + n) % 40, n))
    ]
    # The online events last.
    assert titles[-4:] == [f"Tiešsaistē {n}" for n in range(4)]


def test_the_past_list_and_filters_page_the_same_way(client, many):
    assert _all_pages(client, "tuvu=Ludzas novads&laiks=pagajusi") == _reference_order(
        LUDZA, past=True
    )
    assert _all_pages(client, "tuvu=Ludzas novads&q=rezeknes") == _reference_order(
        LUDZA, title__startswith="Rēzeknes"
    )


def test_free_seats_with_the_distance_sort_are_counted_afresh(client, many):
    from events.models import Event

    full = Event.objects.get(slug="ludza-0")
    Event.objects.filter(pk=full.pk).update(seats_confirmed=full.capacity)

    titles = _all_pages(client, "tuvu=Ludzas novads&brivas=on")

    assert "Ludzas centrs 0" not in titles
    assert titles == [
        t for t in _reference_order(LUDZA, registration_mode="platform") if t != "Ludzas centrs 0"
    ]


def test_a_new_event_at_the_nearest_centre_shows_on_the_next_request(client, many):
    from resource_centres.models import ResourceCentre

    before = _all_pages(client, "tuvu=Ludzas novads")
    _event("jauns", "Jauns Ludzā", ResourceCentre.objects.get(slug="ludza"), 0.5)

    after = _all_pages(client, "tuvu=Ludzas novads")

    assert after == ["Jauns Ludzā", *before] == _reference_order(LUDZA)
