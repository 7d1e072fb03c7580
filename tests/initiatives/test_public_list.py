"""/iniciativas/: the published initiatives, their cards, filters, search, map and pages."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import GrantRound
from initiatives.models import Initiative
from initiatives.services import lifecycle
from tests.factories import (
    CommunityFactory,
    ModelElementFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
)
from tests.factories.grants import closed_round
from tests.factories.initiatives import funded_initiative, own_initiative
from tests.html import parse
from tests.initiatives.public_support import published_funded, published_own

QUERY_BUDGET = 10
LATVIAN_LETTERS = re.compile(r"[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]")


def _cards(response) -> list[dict]:
    doc = parse(response.content)
    cards = []
    for card in doc.select("ul#iniciativu-saraksts li.card"):
        image = card.select("img")
        cards.append(
            {
                "title": card.select_one(".card-title").text,
                "href": card.select_one(".card-title a").get("href"),
                "meta": card.select_one(".card-meta").text,
                "summary": card.select_one(".card-summary").text,
                "tags": card.texts(".tag"),
                "photo": (image[0].get("src"), image[0].get("alt")) if image else None,
            }
        )
    return cards


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [
        card.text for card in parse(response.content).select("#iniciativu-saraksts .card-title")
    ]


@pytest.fixture
def world(db, coordinator):
    """Three published initiatives in two communities of two centres, with model elements and
    reach, and one funded in a round."""
    centre_k = ResourceCentreFactory(slug="kraslavas-centrs", name="Krāslavas resursu centrs")
    centre_p = ResourceCentreFactory(slug="preilu-centrs", name="Preiļu resursu centrs")
    kraslava = CommunityFactory(slug="kraslava", name="Krāslavas kopiena", resource_centre=centre_k)
    preili = CommunityFactory(slug="preili", name="Preiļu kopiena", resource_centre=centre_p)
    talks, cooking = (
        ModelElementFactory(slug="talkas", title="Talkas"),
        ModelElementFactory(slug="kulinarija", title="Kopīga ēst gatavošana"),
    )
    seniors, youth = (
        TargetGroupFactory(slug="seniori", title="Seniori"),
        TargetGroupFactory(slug="jauniesi", title="Jaunieši"),
    )
    lake = published_own(
        community=kraslava,
        title="Krāslavas ezera talka",
        year=2024,
        coordinator=coordinator,
        participants=6014,
        elements=[talks],
        reach={seniors: 12},
        photos=[("Cilvēki vāc atkritumus ezera krastā", "Talkas rīts")],
    )
    grant_round = closed_round(
        status=GrantRound.Status.RESULTS, title="Mazo iniciatīvu konkurss 2025", year=2025
    )
    garden = published_funded(
        coordinator=coordinator,
        grant_round=grant_round,
        application={
            "community": preili,
            "title": "Skolas dārzs",
            "summary": "Skolēni un seniori kopā iekārto dārzu.",
        },
        participants=21,
        elements=[cooking],
        reach={youth: 20},
    )
    soup = published_own(
        community=kraslava,
        title="Zupas svētki",
        year=2025,
        coordinator=coordinator,
        participants=25,
        elements=[cooking],
    )
    return {"lake": lake, "garden": garden, "soup": soup}


def test_cards_show_title_community_year_summary_funding_participants_and_photo(client, world):
    response = client.get("/iniciativas/")

    photo = world["lake"].report.photos.get()
    assert _cards(response) == [
        {
            "title": "Skolas dārzs",
            "href": f"/iniciativas/{world['garden'].slug}/",
            "meta": "Preiļu kopiena · 2025",
            "summary": "Skolēni un seniori kopā iekārto dārzu.",
            "tags": ["finansēts konkursā „Mazo iniciatīvu konkurss 2025”", "21 dalībnieks"],
            "photo": None,
        },
        {
            "title": "Zupas svētki",
            "href": "/iniciativas/zupas-svetki/",
            "meta": "Krāslavas kopiena · 2025",
            "summary": "Kopiena sakopa ezera krastu un uzstādīja soliņus.",
            "tags": ["kopienas pašu iniciatīva", "25 dalībnieki"],
            "photo": None,
        },
        {
            "title": "Krāslavas ezera talka",
            "href": "/iniciativas/kraslavas-ezera-talka/",
            "meta": "Krāslavas kopiena · 2024",
            "summary": "Kopiena sakopa ezera krastu un uzstādīja soliņus.",
            "tags": ["kopienas pašu iniciatīva", "6 014 dalībnieki"],
            "photo": (
                f"/iniciativas/kraslavas-ezera-talka/foto/{photo.pk}/mazs/",
                "Cilvēki vāc atkritumus ezera krastā",
            ),
        },
    ]
    assert parse(response.content).select_one(".result-count").text == "Atrastas 3 iniciatīvas"


def test_english_cards_keep_latvian_content_marked(client, world):
    response = client.get("/en/iniciativas/")

    doc = parse(response.content)
    assert doc.select_one("h1").text == "Community initiatives"
    assert _cards(response)[0]["tags"] == [
        "funded in the round “Mazo iniciatīvu konkurss 2025”",
        "21 participants",
    ]
    assert [a.get("lang") for a in doc.select("#iniciativu-saraksts .card-title a")] == ["lv"] * 3
    assert doc.select_one(".result-count").text == "3 initiatives found"


def test_only_published_initiatives_of_published_communities_are_listed(client, world, coordinator):
    hidden_community = CommunityFactory(slug="slepta", name="Slēptā kopiena")
    published_own(community=hidden_community, title="Slēptās kopienas talka", year=2024)
    hidden_community.is_published = False
    hidden_community.save()
    funded_initiative()  # supported, no report yet
    cancelled = own_initiative(title="Atceltā talka")
    lifecycle.change_status(initiative=cancelled, to=Initiative.Status.CANCELLED, actor=coordinator)

    response = client.get("/iniciativas/")

    assert _titles(response) == ["Skolas dārzs", "Zupas svētki", "Krāslavas ezera talka"]
    doc = parse(response.content)
    # Nor do the filters offer the hidden community.
    assert "slepta" not in [o.get("value") for o in doc.select("select[name=kopiena] option")]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kopiena=kraslava", ["Zupas svētki", "Krāslavas ezera talka"]),
        ("centrs=preilu-centrs", ["Skolas dārzs"]),
        ("gads=2024", ["Krāslavas ezera talka"]),
        ("elements=kulinarija", ["Skolas dārzs", "Zupas svētki"]),
        ("grupa=seniori", ["Krāslavas ezera talka"]),
        ("grupa=jauniesi", ["Skolas dārzs"]),
        ("q=kraslavas", ["Krāslavas ezera talka"]),
        ("q=Krāslavas", ["Krāslavas ezera talka"]),
        ("q=KRASLAVAS+ezera", ["Krāslavas ezera talka"]),
        ("q=skoleni", ["Skolas dārzs"]),  # in the summary: "Skolēni"
        ("kopiena=kraslava&gads=2025", ["Zupas svētki"]),
        ("kopiena=kraslava&elements=kulinarija&q=zupas", ["Zupas svētki"]),
        ("centrs=preilu-centrs&gads=2024", []),
    ],
)
def test_each_filter_and_their_combinations(client, world, query, titles):
    assert _titles(client.get(f"/iniciativas/?{query}")) == titles


def test_the_search_finds_kraslava_without_diacritics(client, world):
    response = client.get("/iniciativas/?q=kraslava")

    assert _titles(response) == ["Krāslavas ezera talka"]
    assert parse(response.content).select_one("main input[name=q]").get("value") == "kraslava"


def test_with_many_communities_their_filter_is_a_box_to_type_in_as_on_the_events(client, world):
    from core.forms import SELECT_LIMIT

    CommunityFactory.create_batch(SELECT_LIMIT)

    response = client.get("/iniciativas/?kopiena=KRASLAVAS")
    by_slug = client.get("/iniciativas/?kopiena=preili")

    box = parse(response.content).select_one("#id_kopiena")
    assert (box.tag, box.get("type"), box.get("value")) == ("input", "search", "KRASLAVAS")
    assert _titles(response) == ["Zupas svētki", "Krāslavas ezera talka"]
    assert _titles(by_slug) == ["Skolas dārzs"]


def test_filter_options_are_the_published_communities_centres_years_elements_and_groups(
    client, world
):
    doc = parse(client.get("/iniciativas/").content)

    def options(name):
        return [(o.get("value"), o.text) for o in doc.select(f"select[name={name}] option")]

    assert options("kopiena") == [
        ("", "Visas kopienas"),
        ("kraslava", "Krāslavas kopiena"),
        ("preili", "Preiļu kopiena"),
    ]
    assert options("gads") == [("", "Visi gadi"), ("2025", "2025"), ("2024", "2024")]
    assert options("elements") == [
        ("", "Visi elementi"),
        ("talkas", "Talkas"),
        ("kulinarija", "Kopīga ēst gatavošana"),
    ]
    assert options("grupa")[1:] == [("seniori", "Seniori"), ("jauniesi", "Jaunieši")]


def _count_and_options(client, url: str, name: str) -> tuple[str, list[tuple[str, str]]]:
    doc = parse(client.get(url).content)
    options = [(o.get("value"), o.text) for o in doc.select(f"select[name={name}] option")]
    return doc.select_one(".result-count").text, options[1:]


def _hide_kraslava(world, coordinator):
    community = world["lake"].community
    community.is_published = False
    community.save()


def _rename_the_centre(world, coordinator):
    centre = world["garden"].community.resource_centre
    centre.name = "Preiļu kopienu centrs"
    centre.save()


def _publish_another(world, coordinator):
    published_own(
        community=world["lake"].community, title="Jauna talka", year=2026, coordinator=coordinator
    )


def _add_an_element_in_the_admin(world, coordinator):
    world["soup"].model_elements.add(world["lake"].model_elements.get())


def _add_a_group_in_the_admin(world, coordinator):
    world["soup"].target_groups.add(world["garden"].target_groups.get())


def _rename_an_element(world, coordinator):
    element = world["soup"].model_elements.get()
    element.title = "Kopīgi gatavojam"
    element.save()


@pytest.mark.parametrize(
    ("change", "url", "name", "expected"),
    [
        (
            _hide_kraslava,
            "/iniciativas/",
            "kopiena",
            ("Atrasta 1 iniciatīva", [("preili", "Preiļu kopiena")]),
        ),
        (
            _rename_the_centre,
            "/iniciativas/?centrs=preilu-centrs",
            "centrs",
            (
                "Atrasta 1 iniciatīva",
                [
                    ("kraslavas-centrs", "Krāslavas resursu centrs"),
                    ("preilu-centrs", "Preiļu kopienu centrs"),
                ],
            ),
        ),
        (
            _publish_another,
            "/iniciativas/?kopiena=kraslava",
            "gads",
            ("Atrastas 3 iniciatīvas", [("2026", "2026"), ("2025", "2025"), ("2024", "2024")]),
        ),
        (
            _add_an_element_in_the_admin,
            "/iniciativas/?elements=talkas",
            "elements",
            (
                "Atrastas 2 iniciatīvas",
                [("talkas", "Talkas"), ("kulinarija", "Kopīga ēst gatavošana")],
            ),
        ),
        (
            _add_a_group_in_the_admin,
            "/iniciativas/?grupa=jauniesi",
            "grupa",
            ("Atrastas 2 iniciatīvas", [("seniori", "Seniori"), ("jauniesi", "Jaunieši")]),
        ),
        (
            _rename_an_element,
            "/iniciativas/?elements=kulinarija",
            "elements",
            ("Atrastas 2 iniciatīvas", [("talkas", "Talkas"), ("kulinarija", "Kopīgi gatavojam")]),
        ),
    ],
)
def test_cached_counts_and_options_change_on_the_very_next_request(
    client, world, coordinator, change, url, name, expected
):
    # The count and the option lists are kept in the shared cache (core.generations): read
    # twice so that they are, then changed the way the admin changes them (a plain save).
    client.get(url)
    before = _count_and_options(client, url, name)

    change(world, coordinator)

    assert before != expected
    assert _count_and_options(client, url, name) == expected


def test_no_match_shows_an_empty_state_in_latvian(client, world):
    response = client.get("/iniciativas/?q=nekas+tads")

    doc = parse(response.content)
    assert _titles(response) == []
    assert doc.select_one(".result-count").text == "Atrastas 0 iniciatīvas"
    assert doc.select_one("p.empty").text == (
        "Neviena iniciatīva neatbilst izvēlētajam. Pamēģiniet citu vārdu vai mainiet filtrus."
    )
    assert doc.select("#iniciativu-karte") == []
    assert doc.select_one(".filters a").text == "Notīrīt filtrus"


@pytest.mark.parametrize(
    "query",
    [
        "gads=abc",
        "gads=99999999999999999999",
        "kopiena=%3Cscript%3Ealert(1)%3C/script%3E",
        "elements=nav-tads&grupa=",
        "lapa=abc",
        "lapa=999",
        "centrs=%00x",
    ],
)
def test_bad_values_never_fail_and_leave_the_list_unfiltered(client, world, query):
    response = client.get(f"/iniciativas/?{query}")

    if "%00" in query:
        # The site refuses NUL in a query outright (kopienas.middleware).
        assert response.status_code == 400
        return
    assert _titles(response) == ["Skolas dārzs", "Zupas svētki", "Krāslavas ezera talka"]
    content = response.content.decode()
    assert "<script>alert" not in content
    messages = parse(response.content).texts(".messages li")
    if query.startswith("lapa"):
        assert messages == []
    else:
        assert messages == ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."]


def test_a_search_with_markup_is_shown_escaped(client, world):
    response = client.get("/iniciativas/?q=%3Cscript%3Ealert(1)%3C/script%3E")

    assert _titles(response) == []
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert parse(response.content).select_one("main input[name=q]").get("value") == (
        "<script>alert(1)</script>"
    )


def test_a_search_too_long_is_refused_with_a_message_and_the_rest_applied(client, world):
    response = client.get("/iniciativas/?kopiena=kraslava&q=" + "a" * 101)

    assert _titles(response) == ["Zupas svētki", "Krāslavas ezera talka"]
    assert parse(response.content).texts(".messages li") == [
        "Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."
    ]


def test_pages_of_twenty_keep_the_filters(client, db):
    community = CommunityFactory(slug="daugavpils", name="Daugavpils kopiena")
    for number in range(21):
        Initiative.objects.create(
            slug=f"iniciativa-{number:02d}",
            title=f"Iniciatīva {number:02d}",
            community=community,
            year=2025,
            status=Initiative.Status.PUBLISHED,
            published_at=timezone.now(),
        )

    first = client.get("/iniciativas/?kopiena=daugavpils")
    second = client.get("/iniciativas/?kopiena=daugavpils&lapa=2")

    assert _titles(first) == [f"Iniciatīva {n:02d}" for n in range(20)]
    assert _titles(second) == ["Iniciatīva 20"]
    nav = parse(first.content).select_one("nav.pagination")
    assert nav.text == "1. lapa no 2 Nākamā lapa"
    assert nav.select_one("a").get("href") == "?kopiena=daugavpils&lapa=2"


def test_the_map_list_names_the_same_initiatives_as_the_cards_grouped_by_centre(
    client, world, coordinator
):
    # A third community without a centre and one whose centre is not published: listed, not
    # on the map.
    no_centre = CommunityFactory(slug="bez-centra", name="Kopiena bez centra", resource_centre=None)
    hidden_centre = ResourceCentreFactory(slug="slepts-centrs", is_published=False)
    behind = CommunityFactory(slug="aiz-centra", name="Kopiena", resource_centre=hidden_centre)
    published_own(community=no_centre, title="Bez centra", year=2023)
    published_own(community=behind, title="Aiz slēpta centra", year=2023)

    response = client.get("/iniciativas/")

    doc = parse(response.content)
    places = doc.select("#iniciativu-vietas > li")
    mapped = [
        (
            place.get("data-name"),
            place.get("data-lat"),
            place.get("data-lon"),
            place.get("data-url"),
            [a.get("href") for a in place.select("ul[data-map-popup] a")],
        )
        for place in places
        if place.get("data-lat") is not None
    ]
    assert mapped == [
        (
            "Krāslavas resursu centrs",
            "56.35420",
            "26.17610",
            "/centri/kraslavas-centrs/",
            ["/iniciativas/zupas-svetki/", "/iniciativas/kraslavas-ezera-talka/"],
        ),
        (
            "Preiļu resursu centrs",
            "56.35420",
            "26.17610",
            "/centri/preilu-centrs/",
            [f"/iniciativas/{world['garden'].slug}/"],
        ),
    ]
    unmapped = doc.select_one("#iniciativu-vietas > li.map-unmapped")
    assert unmapped.get("data-lat") is None
    assert [a.get("href") for a in unmapped.select("a")] == [
        "/iniciativas/aiz-slepta-centra/",
        "/iniciativas/bez-centra/",
    ]
    # Together they are exactly the cards of the page, each once.
    listed = [a.get("href") for place in places for a in place.select("ul a")]
    assert sorted(listed) == sorted(card["href"] for card in _cards(response))
    assert doc.select_one("#iniciativu-karte").get("data-map-list") == "iniciativu-vietas"


def _network(size: int, coordinator, *, start: int = 0) -> None:
    """`size` published initiatives, each in a community of its own centre, with reach, an
    element, institutions and (every other one) a photo."""
    group = TargetGroupFactory(slug="seniori", title="Seniori")
    element = ModelElementFactory(slug="talkas", title="Talkas")
    for number in range(start, start + size):
        community = CommunityFactory()
        published_own(
            community=community,
            title=f"Talka {number}",
            year=2020 + number % 6,
            coordinator=coordinator,
            elements=[element],
            reach={group: 10},
            photos=[("Talka", "")] if number % 2 else [],
        )


@pytest.mark.parametrize(
    ("url", "cards"),
    [
        ("/iniciativas/", [1, 20]),
        ("/en/iniciativas/?gads=2020&grupa=seniori&q=talka", [1, 10]),
        # An invalid filter is dropped and the list filtered again, with the same option lists.
        ("/iniciativas/?gads=abc&kopiena=nav-tada", [1, 20]),
    ],
)
def test_list_query_count_does_not_grow_with_initiatives(
    client, db, coordinator, django_assert_num_queries, url, cards
):
    # Warm: the cached count and the generation of the filter options, which each process
    # keeps itself (one round trip each), and the page's rows (with community, centre, round and
    # first photo).
    warm = 3
    # After a change, the count and the five option lists are read again and stored (the
    # database cache of the tests writes in four queries a value; Redis takes one command); the
    # options' stored value is asked for once the generation has shown the process's own copy
    # outdated.
    after_change = 20
    assert warm <= QUERY_BUDGET
    shown = []
    _network(1, coordinator)
    for size in (1, 60):
        if size == 60:
            _network(59, coordinator, start=1)
        with django_assert_num_queries(after_change):
            client.get(url)
        with django_assert_num_queries(warm):
            response = client.get(url)
        shown.append(len(_cards(response)))

    assert shown == cards


def test_amount_of_award_is_never_on_the_card(client, world):
    # Money stays private: the card says where the money came from, never how much.
    assert world["garden"].application.awarded_amount == Decimal("1000.00")
    assert "1000" not in response_text(client.get("/iniciativas/"))


def response_text(response) -> str:
    return parse(response.content).select_one("main").text


def test_no_latvian_in_the_english_list_without_content(client, db):
    doc = parse(client.get("/en/iniciativas/").content)

    texts = [doc.select_one("title").text, doc.select_one("body").text]
    texts += [
        element.get(attr)
        for element in doc.iter()
        for attr in ("aria-label", "alt", "title", "placeholder", "content")
        if element.get(attr)
    ]
    texts = [text.replace("Latviešu", "") for text in texts]
    assert [text for text in texts if LATVIAN_LETTERS.search(text)] == []
    assert doc.select_one("p.empty").text == (
        "No initiatives match your choices. Try another word or change the filters."
    )
