"""Public pages of the resource centres: the list with its filters and search, one centre."""

from datetime import time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from communities.latgale import read_latgale_data
from core.formats import riga_today
from resource_centres.booking_models import Booking
from resource_centres.models import CentrePhoto, Equipment, OpeningException, ResourceCentre
from resource_centres.services import set_weekly_hours
from tests.factories import (
    CommunityFactory,
    EquipmentFactory,
    ResourceCentreFactory,
    UserFactory,
    populate_centre,
)
from tests.html import definitions, parse

QUERY_BUDGET = 10
INVALID_FILTERS = "Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."
APPROXIMATE = (
    "Kartē atzīmēta aptuvena vieta – apdzīvotās vietas centrs. Precīzu vietu jautājiet centram."
)

AGLONA = "Aglonas kopienu resursu centrs"
DAGDA = "Dagdas kopienas resursu centrs"
DAUGAVPILS = "Daugavpils kopienas resursu centrs"
ILUKSTE = "Ilūkstes kopienas resursu centrs"
NAUTRENI = "Nautrēnu kopienas resursu centrs"
PREILI = "Preiļu kopienas resursu centrs"
PRIEZMALE = "Priežmales kopienas resursu centrs"
SAKSTAGALS = "Sakstagala kopienu resursu centrs „Pī Boņa”"
VARKAVA = "Vārkavas kopienas resursu centrs"
ZILUPE = "Zilupes kopienas resursu centrs"
ALL_CENTRES = [
    AGLONA,
    DAGDA,
    DAUGAVPILS,
    ILUKSTE,
    NAUTRENI,
    PREILI,
    PRIEZMALE,
    SAKSTAGALS,
    VARKAVA,
    ZILUPE,
]
MUNICIPALITY_OPTIONS = [
    ("", "Visi novadi"),
    ("Augšdaugavas novads", "Augšdaugavas novads"),
    ("Daugavpils valstspilsēta", "Daugavpils valstspilsēta"),
    ("Krāslavas novads", "Krāslavas novads"),
    ("Ludzas novads", "Ludzas novads"),
    ("Preiļu novads", "Preiļu novads"),
    ("Rēzeknes novads", "Rēzeknes novads"),
]


def _list(client, **params):
    response = client.get("/centri/", params)
    assert response.status_code == 200
    return parse(response.content)


def _card_titles(doc):
    return doc.texts("#centru-saraksts .card-title")


def _selected_municipality(doc):
    return [option.get("value") for option in doc.select("select[name=novads] option[selected]")]


def test_list_shows_every_published_centre(client, latgale):
    ResourceCentreFactory(name="Slēpts centrs", municipality="Ogres novads", is_published=False)

    doc = _list(client)

    assert doc.select_one("h1").text == "Kopienu resursu centri"
    assert _card_titles(doc) == ALL_CENTRES
    assert [a.get("href") for a in doc.select("#centru-saraksts .card-title a")] == [
        f"/centri/{centre['slug']}/"
        for centre in sorted(read_latgale_data()["resource_centres"], key=lambda c: c["name"])
    ]
    assert doc.select_one("p.result-count").text == "Atrasti 10 centri"
    # The unpublished centre's municipality is not offered either.
    assert [
        (option.get("value"), option.text) for option in doc.select("select[name=novads] option")
    ] == MUNICIPALITY_OPTIONS
    assert doc.select_one("main input[name=q]").get("value") == ""
    assert doc.select("ul.messages") == []
    assert doc.texts(".field-actions a") == []


def test_list_card_shows_place_host_and_map_point(client, latgale):
    card = _list(client).select("#centru-saraksts li.centre-card")[ALL_CENTRES.index(SAKSTAGALS)]

    assert card.texts("p") == ["Sakstagals, Rēzeknes novads", "Sakstagala Jāņa Klīdzēja pamatskola"]
    assert [card.get(name) for name in ("data-lat", "data-lon", "data-name", "data-url")] == [
        "56.50000",
        "27.10000",
        SAKSTAGALS,
        "/centri/sakstagals/",
    ]


def _add_photos(centre, count, **fields):
    start = centre.photos.count()
    CentrePhoto.objects.bulk_create(
        CentrePhoto(
            centre=centre,
            image=f"centres/photos/{centre.slug}-extra-{number}.jpg",
            thumbnail=f"centres/thumbs/{centre.slug}-extra-{number}.jpg",
            alt_text=f"{number}. foto",
            order=fields.get("order", 100 + number),
        )
        for number in range(start, start + count)
    )


def test_list_card_shows_the_first_photo_as_its_cover(client, db):
    centre = ResourceCentreFactory(slug="livani")
    _add_photos(centre, 3)
    # Added last, but first in the gallery's order: this one is the cover.
    CentrePhoto.objects.create(
        centre=centre, image="centres/photos/a.jpg", thumbnail="centres/thumbs/a.jpg", order=0
    )
    CentrePhoto.objects.create(
        centre=centre, image="centres/photos/b.jpg", thumbnail="centres/thumbs/b.jpg", order=0
    )
    # A centre whose first photo has no thumbnail yet shows none rather than a full image.
    other = ResourceCentreFactory(slug="berzi")
    CentrePhoto.objects.create(centre=other, image="centres/photos/c.jpg", order=0)
    _add_photos(other, 1)
    ResourceCentreFactory(slug="ciruli")

    doc = _list(client)

    assert {
        card.get("data-url"): [img.get("src") for img in card.select("img.card-photo")]
        for card in doc.select("#centru-saraksts li.centre-card")
    } == {
        "/centri/livani/": ["/media/centres/thumbs/a.jpg"],
        "/centri/berzi/": [],
        "/centri/ciruli/": [],
    }


def test_list_filters_by_municipality(client, latgale):
    doc = _list(client, novads="Preiļu novads")

    assert _card_titles(doc) == [AGLONA, PREILI, VARKAVA]
    assert doc.select_one("p.result-count").text == "Atrasti 3 centri"
    assert _selected_municipality(doc) == ["Preiļu novads"]
    assert [(a.text, a.get("href")) for a in doc.select(".field-actions a")] == [
        ("Notīrīt filtrus", "/centri/")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("preili", [PREILI]),
        ("PREIĻI", [PREILI]),
        ("kraslava", [DAGDA, PRIEZMALE]),
        ("Krāslavas", [DAGDA, PRIEZMALE]),
        ("PĪ BOŅA", [SAKSTAGALS]),
        ("pi bona", [SAKSTAGALS]),
        ("  pi bona  ", [SAKSTAGALS]),
        ("rogovka", [NAUTRENI]),
        ("klidzeja pamatskola", [SAKSTAGALS]),
        ("darbnīca", []),
    ],
)
def test_search_ignores_case_and_diacritics(client, latgale, query, expected):
    doc = _list(client, q=query)

    assert _card_titles(doc) == expected
    assert doc.select_one("main input[name=q]").get("value") == query.strip()
    assert doc.select("ul.messages") == []


def test_search_combines_with_municipality(client, latgale):
    doc = _list(client, q="kopienas resursu", novads="Krāslavas novads")

    assert _card_titles(doc) == [DAGDA, PRIEZMALE]
    assert _selected_municipality(doc) == ["Krāslavas novads"]


def test_search_without_results_says_so(client, latgale):
    doc = _list(client, q="Valmiera")

    assert doc.select("#centru-saraksts") == []
    assert doc.select_one("p.result-count").text == "Atrasti 0 centri"
    assert doc.texts("p.empty") == [
        "Neviens centrs neatbilst meklētajam. Pamēģiniet citu vārdu vai izvēlieties visus novadus."
    ]


def test_search_finds_one_centre_in_the_singular(client, latgale):
    doc = _list(client, q="sakstagal")

    assert doc.select_one("p.result-count").text == "Atrasts 1 centrs"


def test_search_never_finds_an_unpublished_centre(client, latgale):
    ResourceCentre.objects.filter(slug="preili").update(is_published=False)

    assert _card_titles(_list(client, q="preili")) == []
    assert _card_titles(_list(client, novads="Preiļu novads")) == [AGLONA, VARKAVA]


@pytest.mark.parametrize(
    ("params", "titles", "query", "municipality"),
    [
        ({"novads": "Ogres novads"}, ALL_CENTRES, "", ""),
        ({"q": "p" * 101}, ALL_CENTRES, "", ""),
        # Only the invalid filter is dropped; the valid one still applies and stays filled in.
        (
            {"novads": "Preiļu novads", "q": "p" * 101},
            [AGLONA, PREILI, VARKAVA],
            "",
            "Preiļu novads",
        ),
        ({"q": "preili", "novads": "nonsense"}, [PREILI], "preili", ""),
    ],
)
def test_invalid_filters_are_ignored_with_a_notice(
    client, latgale, params, titles, query, municipality
):
    doc = _list(client, **params)

    assert doc.texts("ul.messages li") == [INVALID_FILTERS]
    assert _card_titles(doc) == titles
    assert doc.select_one("main input[name=q]").get("value") == query
    assert _selected_municipality(doc) == [municipality]
    # The notice is announced from a wrapper: role="status" on the list would hide its items.
    assert doc.select("ul.messages[role]") == []
    assert [div.get("role") for div in doc.select("div[role=status]")] == ["status"]


def test_longest_allowed_search_is_valid(client, latgale):
    doc = _list(client, q="p" * 100)

    assert doc.select("ul.messages") == []
    assert doc.select_one("main input[name=q]").get("value") == "p" * 100
    assert _card_titles(doc) == []


def test_search_text_is_shown_escaped(client, latgale):
    query = '<script>alert("x")</script>'

    response = client.get("/centri/", {"q": query})

    doc = parse(response.content)
    assert doc.select_one("main input[name=q]").get("value") == query
    # Only the page's own scripts: the query never became an element.
    assert [script.get("src") for script in doc.select("script")] == [
        "/static/leaflet/leaflet.js",
        "/static/js/map.js",
        "/static/js/near-me.js",
    ]
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in response.content.decode()


def test_list_is_paginated_and_pages_keep_the_filters(client, db):
    ResourceCentreFactory.create_batch(51)

    first = _list(client, q="centrs")
    second = _list(client, q="centrs", lapa="2")

    assert [len(_card_titles(first)), len(_card_titles(second))] == [50, 1]
    # Latvian agrees with the last digit: 51 takes the singular, as 1 and 21 do.
    assert first.select_one("p.result-count").text == "Atrasts 51 centrs"
    assert first.select_one("nav.pagination span").text == "1. lapa no 2"
    assert [a.get("href") for a in first.select("nav.pagination a")] == ["?q=centrs&lapa=2"]
    assert [a.get("href") for a in second.select("nav.pagination a")] == ["?q=centrs&lapa=1"]


def test_detail_of_a_latgale_centre(client, latgale):
    response = client.get("/centri/preili/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("title").text == f"{PREILI} · Darbīgās kopienas"
    assert doc.select_one("h1").text == PREILI
    assert doc.select_one("p.lead").text == "Preiļi, Preiļu novads · Iekštelpās"
    description = next(c for c in read_latgale_data()["resource_centres"] if c["slug"] == "preili")
    assert doc.select(".centre-main p")[0].text == description["description"]
    assert doc.texts("ul.equipment li") == [
        "Keramikas ceplis Aprīkojums",
        "Darbnīca darbam ar mālu Telpa vai vieta",
    ]
    assert [(a.text, a.get("href")) for a in doc.select("section[aria-labelledby=kopiena] a")] == [
        ("Preiļu darbīgā kopiena", "/kopienas/preili/")
    ]
    assert definitions(doc.select_one("dl.facts")) == [
        ("Mājvieta", "Preiļu novada Bērnu un jauniešu centrs"),
        ("Adrese", "Kooperatīva iela 6, Preiļi"),
        ("Darba laiks", "Sazinieties ar centru."),
    ]
    assert doc.texts("ul.access li") == [
        "Ieeja bez pakāpieniem: nav zināms",
        "Pielāgota tualete: nav zināms",
        "Autostāvvieta: nav zināms",
    ]
    assert doc.texts("p.notice") == [APPROXIMATE]
    assert doc.select("section[aria-labelledby=foto]") == []


def test_detail_without_address_names_the_settlement(client, latgale):
    doc = parse(client.get("/centri/sakstagals/").content)

    assert doc.select_one("p.lead").text == "Sakstagals, Rēzeknes novads · Brīvā dabā"
    assert definitions(doc.select_one("dl.facts"))[1] == ("Adrese", "Sakstagals, Rēzeknes novads")
    assert doc.texts("ul.equipment li") == [
        "Āra sanākšanas vieta (2 ha) Telpa vai vieta",
        "Sporta laukums Telpa vai vieta",
    ]


def test_detail_shows_everything_a_centre_has(client, db):
    centre = ResourceCentreFactory(
        slug="livani",
        name="Līvānu kopienas resursu centrs",
        host="Līvānu novada kultūras centrs",
        settlement="Līvāni",
        municipality="Augšdaugavas novads",
        address="Rīgas iela 77, Līvāni",
        latitude=Decimal("56.35420"),
        longitude=Decimal("26.17610"),
        coords_approximate=False,
        setting=ResourceCentre.Setting.OUTDOOR,
        description="Pirmā rinda.\nOtrā rinda.",
        opening_hours="P.–Pk. 10.00–18.00\nS. slēgts",
        contact_person="Inese Kalniņa",
        phone="+371 2612 3456",
        email="centrs@example.lv",
        step_free_entrance=True,
        accessible_toilet=False,
        parking=None,
        accessibility_notes="Uzbrauktuve pie sētas durvīm.",
    )
    EquipmentFactory(
        centre=centre,
        name="Projektors",
        kind=Equipment.Kind.EQUIPMENT,
        quantity=2,
        description="Ar ekrānu.",
        order=1,
    )
    EquipmentFactory(centre=centre, name="Zāle 40 cilvēkiem", kind=Equipment.Kind.SPACE, order=0)
    CentrePhoto.objects.create(
        centre=centre,
        image="centres/photos/zale.jpg",
        thumbnail="centres/thumbs/zale.jpg",
        alt_text="Zāle ar apļveidā saliktiem krēsliem",
        caption="Kopienas sanāksme",
    )
    CommunityFactory(slug="livani", name="Līvānu darbīgā kopiena", resource_centre=centre)
    CommunityFactory(name="Slēpta kopiena", resource_centre=centre, is_published=False)

    response = client.get("/centri/livani/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("h1").text == "Līvānu kopienas resursu centrs"
    assert doc.select_one("p.lead").text == "Līvāni, Augšdaugavas novads · Brīvā dabā"
    assert doc.select(".centre-main p")[0].text == "Pirmā rinda. Otrā rinda."
    assert [
        (img.get("src"), img.get("alt")) for img in doc.select("section[aria-labelledby=foto] img")
    ] == [("/media/centres/thumbs/zale.jpg", "Zāle ar apļveidā saliktiem krēsliem")]
    assert doc.texts("section[aria-labelledby=foto] figcaption") == ["Kopienas sanāksme"]
    assert doc.texts("ul.equipment li") == [
        "Zāle 40 cilvēkiem Telpa vai vieta",
        "Projektors Aprīkojums × 2 Ar ekrānu.",
    ]
    assert [(a.text, a.get("href")) for a in doc.select("section[aria-labelledby=kopiena] a")] == [
        ("Līvānu darbīgā kopiena", "/kopienas/livani/")
    ]
    assert definitions(doc.select_one("dl.facts")) == [
        ("Mājvieta", "Līvānu novada kultūras centrs"),
        ("Adrese", "Rīgas iela 77, Līvāni"),
        ("Darba laiks", "P.–Pk. 10.00–18.00 S. slēgts"),
        ("Kontaktpersona", "Inese Kalniņa"),
        ("Tālrunis", "+371 2612 3456"),
        ("E-pasts", "centrs@example.lv"),
    ]
    assert [a.get("href") for a in doc.select("dl.facts a")] == [
        "tel:+37126123456",
        "mailto:centrs@example.lv",
    ]
    assert doc.texts("ul.access li") == [
        "Ieeja bez pakāpieniem: ir",
        "Pielāgota tualete: nav",
        "Autostāvvieta: nav zināms",
    ]
    assert doc.texts("aside.centre-facts > p") == ["Uzbrauktuve pie sētas durvīm."]
    assert doc.select("p.notice") == []
    assert doc.texts("ul.place-list li") == [
        "Koordinātas: 56.35420, 26.17610 · Atvērt OpenStreetMap kartē"
    ]


def test_detail_without_a_published_community_says_so(client, db):
    centre = ResourceCentreFactory(slug="livani")
    CommunityFactory(name="Slēpta kopiena", resource_centre=centre, is_published=False)

    doc = parse(client.get("/centri/livani/").content)

    assert doc.select("section[aria-labelledby=kopiena] li") == []
    assert doc.texts("section[aria-labelledby=kopiena] p.empty") == [
        "Centram vēl nav piesaistīta kopiena."
    ]


def test_detail_without_equipment_says_so(client, db):
    ResourceCentreFactory(slug="livani")

    doc = parse(client.get("/centri/livani/").content)

    assert doc.select("ul.equipment") == []
    assert doc.texts("section[aria-labelledby=aprikojums] p.empty") == [
        "Aprīkojums vēl nav aprakstīts."
    ]


@pytest.mark.parametrize("url", ["/centri/slepts/", "/en/centri/slepts/", "/centri/nav-tada/"])
def test_unpublished_or_unknown_centre_is_not_found(client, db, url):
    ResourceCentreFactory(slug="slepts", name="Slēpts centrs", is_published=False)

    response = client.get(url)

    assert response.status_code == 404
    doc = parse(response.content)
    not_found = "Page not found" if url.startswith("/en/") else "Lapa nav atrasta"
    assert doc.select_one("h1").text == not_found
    assert "Slēpts centrs" not in response.content.decode()


def test_english_list_renders_in_english_with_english_links(client, latgale):
    response = client.get("/en/centri/", {"q": "kraslava"})

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert [(a.text, a.get("href")) for a in doc.select("#centru-saraksts .card-title a")] == [
        (DAGDA, "/en/centri/dagda/"),
        (PRIEZMALE, "/en/centri/priezmale/"),
    ]
    assert doc.select_one(".lang-switch a").get("href") == "/centri/?q=kraslava"


def _language_of(element) -> str | None:
    """The language an element's text is in: its own `lang` or its nearest ancestor's."""
    while element is not None and element.get("lang") is None:
        element = element.parent
    return None if element is None else element.get("lang")


def _lang_attributes(doc) -> list[tuple[str, str]]:
    return [(el.tag, el.get("lang")) for el in doc.iter() if el.get("lang") is not None]


# The page's own language, and the switch naming each language in itself.
PAGE_LANGUAGES = {
    "lv": [("html", "lv"), ("span", "lv"), ("a", "en")],
    "en": [("html", "en"), ("a", "lv"), ("span", "en")],
}


def test_latvian_content_is_marked_latvian_under_the_english_interface(client, latgale):
    english = parse(client.get("/en/centri/").content)
    latvian = parse(client.get("/centri/").content)

    assert [_language_of(title) for title in english.select("#centru-saraksts .card-title")] == [
        "lv"
    ] * 10
    assert [_language_of(p) for p in english.select("#centru-saraksts .card-host")] == ["lv"] * 10
    # The interface around them stays English.
    assert [_language_of(english.select(selector)[0]) for selector in ("h1", "label")] == [
        "en",
        "en",
    ]
    # Under the Latvian interface, the page's own lang says it all: nothing redundant.
    assert _lang_attributes(latvian) == PAGE_LANGUAGES["lv"]


def test_english_detail_marks_the_latvian_parts(client, db):
    centre = ResourceCentreFactory(slug="livani", opening_hours="P.–Pk. 10–18")
    populate_centre(centre)

    english = parse(client.get("/en/centri/livani/").content)
    latvian = parse(client.get("/centri/livani/").content)

    assert [
        _language_of(english.select(selector)[0])
        for selector in (
            "h1",
            "p.lead span",
            ".centre-main p",
            "ul.gallery img",
            "ul.equipment strong",
            "ul.equipment .tag",
            "section[aria-labelledby=kopiena] a",
            "h2",
        )
    ] == ["lv", "lv", "lv", "lv", "lv", "en", "lv", "en"]
    # Host, address and the opening hours' text (an English fallback stands in when it is empty).
    host, address, hours = english.select("dl.facts dd")
    assert [_language_of(host), _language_of(address), _language_of(hours)] == ["lv", "lv", "en"]
    assert [_language_of(span) for span in hours.select("span")] == ["lv"]
    assert _lang_attributes(latvian) == PAGE_LANGUAGES["lv"]


def test_english_detail_renders_in_english(client, latgale):
    response = client.get("/en/centri/preili/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("h1").text == PREILI
    assert [(a.text, a.get("href")) for a in doc.select("section[aria-labelledby=kopiena] a")] == [
        ("Preiļu darbīgā kopiena", "/en/kopienas/preili/")
    ]
    assert doc.select_one(".lang-switch a").get("href") == "/centri/preili/"


@pytest.mark.parametrize(
    "url",
    [
        "/centri/",
        "/centri/?" + urlencode({"q": "centrs"}),
        "/centri/?" + urlencode({"novads": "Augšdaugavas novads"}),
        "/centri/?" + urlencode({"novads": "Ogres novads"}),
        "/en/centri/",
    ],
)
def test_list_query_count_does_not_grow_with_centres(client, db, django_assert_num_queries, url):
    # Municipalities for the filter, the paginator's count, the centres with their cover
    # thumbnail annotated (the photos are no longer fetched: one more query, and every row).
    queries = 3
    assert queries <= QUERY_BUDGET
    shown = []
    for count in (1, 49):
        for centre in ResourceCentreFactory.create_batch(count):
            populate_centre(centre)
            _add_photos(centre, 49)
        with django_assert_num_queries(queries):
            response = client.get(url)
        cards = parse(response.content).select("#centru-saraksts li.centre-card")
        shown.append([len(cards), len([card for card in cards if card.select("img.card-photo")])])

    assert shown == [[1, 1], [50, 50]]


@pytest.mark.parametrize("url", ["/centri/livani/", "/en/centri/livani/"])
def test_detail_query_count_does_not_grow_with_photos_equipment_communities(
    client, db, django_assert_num_queries, url
):
    # The centre, its photos, its equipment, its weekly hours, its opening exceptions of the next
    # 30 days, the bookings of its bookable items now (booking_selectors.free_now), its published
    # communities (communities_of_centre), its next events.
    queries = 8
    assert queries <= QUERY_BUDGET
    centre = ResourceCentreFactory(slug="livani")
    item = EquipmentFactory(centre=centre, bookable=True, quantity=100)
    today = riga_today()
    now = timezone.now()
    shown = []
    for count in (1, 49):
        populate_centre(centre, count=count)
        ResourceCentreFactory.create_batch(count)
        rows = centre.weekly_hours.count() + count
        # Half-hour rows, up to eight a day, none overlapping.
        set_weekly_hours(
            centre=centre,
            rows=[(i % 7, time(6 + i // 7), time(6 + i // 7, 30)) for i in range(rows)],
        )
        first = centre.opening_exceptions.count()
        OpeningException.objects.bulk_create(
            OpeningException(centre=centre, date=today + timedelta(days=days), reason="Talka")
            for days in range(first, first + count)
        )
        made = Booking.objects.count()
        Booking.objects.bulk_create(
            Booking(
                equipment=item,
                unit=unit,
                person=UserFactory(),
                starts_at=now - timedelta(hours=1),
                ends_at=now + timedelta(hours=1),
                blocked_until=now + timedelta(hours=1),
                status=Booking.Status.CONFIRMED,
            )
            for unit in range(made + 1, made + count + 1)
        )
        with django_assert_num_queries(queries):
            response = client.get(url)
        doc = parse(response.content)
        shown.append(
            [
                len(doc.select("section[aria-labelledby=foto] img")),
                len(doc.select("ul.equipment li")),
                len(doc.select("section[aria-labelledby=kopiena] li")),
                len(doc.select("dl.facts .hours-line")),
            ]
        )

    # Two weekly lines ("P. 06.00–06.30", "O.–Sv. slēgts"), then two again (Monday has one row
    # more than the other days), and the exceptions of the next 30 days: 1, then 31 of the 50.
    # The equipment list holds the bookable item too.
    assert shown == [[1, 2, 1, 2 + 1], [50, 51, 50, 2 + 31]]
