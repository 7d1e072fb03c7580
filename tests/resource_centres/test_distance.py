"""/centri/ sorted by distance from a municipality or from the browser's (rounded) location."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import geo
from core.municipalities import ADMINISTRATIVE_CENTRES, MUNICIPALITIES
from tests.factories import ResourceCentreFactory
from tests.html import parse

QUERY_BUDGET = 10
PLACES = {
    "Ludzas centrs": ("56.54600", "27.71900"),
    "Rēzeknes centrs": ("56.50990", "27.33220"),
    "Preiļu centrs": ("56.29420", "26.72460"),
    "Daugavpils centrs": ("55.87470", "26.53620"),
    "Rīgas centrs": ("56.94960", "24.10520"),
}


def _km(a, b) -> float:
    """The haversine distance, in Python, to check the SQL against."""
    lat1, lon1 = math.radians(float(a[0])), math.radians(float(a[1]))
    lat2, lon2 = math.radians(float(b[0])), math.radians(float(b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * geo.EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@pytest.fixture
def centres(db):
    for number, (name, (lat, lon)) in enumerate(PLACES.items()):
        ResourceCentreFactory(
            slug=f"c{number}", name=name, latitude=Decimal(lat), longitude=Decimal(lon)
        )


def _cards(response) -> list[tuple[str, str]]:
    page = parse(response.content)
    return [
        (card.select_one(".card-title a").text, card.select_one(".card-distance").text)
        for card in page.select("#centru-saraksts .centre-card")
    ]


def test_every_municipality_has_its_administrative_centre():
    assert sorted(ADMINISTRATIVE_CENTRES) == sorted(MUNICIPALITIES)
    # All of them in Latvia.
    assert [
        name
        for name, (lat, lon) in ADMINISTRATIVE_CENTRES.items()
        if not (55.6 < lat < 58.1 and 20.9 < lon < 28.3)
    ] == []


def test_sorted_nearest_first_from_a_municipality_with_the_distance_on_each_card(client, centres):
    response = client.get("/centri/?tuvu=Ludzas novads")

    origin = ADMINISTRATIVE_CENTRES["Ludzas novads"]
    assert _cards(response) == [
        (name, f"Attālums: {round(_km(origin, PLACES[name]))} km")
        for name in [
            "Ludzas centrs",
            "Rēzeknes centrs",
            "Preiļu centrs",
            "Daugavpils centrs",
            "Rīgas centrs",
        ]
    ]
    assert [text for _name, text in _cards(response)][:2] == ["Attālums: 0 km", "Attālums: 24 km"]


def test_sorted_from_the_browsers_location_rounded_and_never_cached(client, centres):
    response = client.get("/centri/?lat=56.949612&lon=24.105211")

    assert [name for name, _text in _cards(response)] == [
        "Rīgas centrs",
        "Preiļu centrs",
        "Daugavpils centrs",
        "Rēzeknes centrs",
        "Ludzas centrs",
    ]
    page = parse(response.content)
    assert (
        page.select_one("input[name=lat]").get("value"),
        page.select_one("input[name=lon]").get("value"),
    ) == ("56.95", "24.11")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_location_wins_over_the_municipality(client, centres):
    response = client.get("/centri/?tuvu=Ludzas novads&lat=55.87&lon=26.53")

    assert [name for name, _text in _cards(response)] == [
        "Daugavpils centrs",
        "Preiļu centrs",
        "Rēzeknes centrs",
        "Ludzas centrs",
        "Rīgas centrs",
    ]


def test_without_a_place_the_list_is_alphabetical_with_no_distances(client, centres):
    page = parse(client.get("/centri/").content)

    assert page.texts("#centru-saraksts .card-title a") == [
        "Daugavpils centrs",
        "Ludzas centrs",
        "Preiļu centrs",
        "Rēzeknes centrs",
        "Rīgas centrs",
    ]
    assert page.select(".card-distance") == []


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("lat=91&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lat=-90.5&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lat=56&lon=181", ["Garumam jābūt skaitlim no −180 līdz 180."]),
        ("lat=abc&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lat=56&lon=%3Cscript%3E", ["Garumam jābūt skaitlim no −180 līdz 180."]),
        ("lat=56.5", ["Atrašanās vietai vajag gan platumu, gan garumu."]),
        ("lon=26.5", ["Atrašanās vietai vajag gan platumu, gan garumu."]),
        ("lat=nan&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
        ("lat=inf&lon=24", ["Platumam jābūt skaitlim no −90 līdz 90."]),
    ],
)
def test_a_bad_location_is_ignored_with_a_clear_message(client, centres, query, messages):
    response = client.get(f"/centri/?{query}")
    page = parse(response.content)

    assert (response.status_code, page.texts(".messages li")) == (
        200,
        ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā.", *messages],
    )
    assert page.texts("#centru-saraksts .card-title a")[0] == "Daugavpils centrs"
    assert page.select(".card-distance") == []


def test_an_unknown_municipality_is_ignored(client, centres):
    page = parse(client.get("/centri/?tuvu=Nekurienes novads").content)

    assert page.texts(".messages li") == ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."]
    assert page.select(".card-distance") == []


def test_the_select_offers_every_municipality_and_keeps_the_choice(client, centres):
    page = parse(client.get("/centri/?tuvu=Preiļu novads").content)

    select = page.select_one("select[name=tuvu]")
    assert page.select_one(f"label[for={select.get('id')}]").text == "Kārtot pēc attāluma no"
    assert [option.text for option in select.select("option")] == [
        "Nekārtot pēc attāluma",
        *MUNICIPALITIES,
    ]
    assert [option.text for option in select.select("option[selected]")] == ["Preiļu novads"]
    button = page.select_one("button[data-near-me]")
    assert (button.text, button.get("type"), "hidden" in button.attrs) == (
        "Izmantot manu atrašanās vietu",
        "button",
        True,
    )


def test_query_count_of_the_distance_sort_does_not_grow(client, db, django_assert_num_queries):
    ResourceCentreFactory(slug="viens")
    client.get("/centri/?tuvu=Ludzas novads")
    with CaptureQueriesContext(connection) as one:
        client.get("/centri/?tuvu=Ludzas novads&x=1")
    # Read now: the next request clears the connection's log of queries.
    count = len(one.captured_queries)
    for number in range(30):
        ResourceCentreFactory(slug=f"c{number}")
    client.get("/centri/?tuvu=Ludzas novads&x=2")  # The shared cache renewed after the change.
    assert 0 < count <= QUERY_BUDGET
    with django_assert_num_queries(count):
        response = client.get("/centri/?tuvu=Ludzas novads&x=3")
    assert len(_cards(response)) == 31
