"""Site-wide public pages: home, the model (/par/) and the glossary (/celazimes/)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from communities import models as community_models
from communities.latgale import read_latgale_data
from kopienas import views
from tests.factories import (
    CommunityFactory,
    EventFactory,
    GlossaryTermFactory,
    ImpactFigureFactory,
    ModelElementFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
    populate_centre,
)
from tests.factories.grants import GrantRoundFactory, activist
from tests.html import definitions, parse
from tests.latgale import CENTRES_IN_LIST_ORDER

QUERY_BUDGET = 10

WHAT_IS = (
    "Aktīvi cilvēki, kuri apvienojas ar kopīgu mērķi uzņemties atbildību un darboties, lai "
    "padarītu savu, savu bērnu un līdzcilvēku dzīvi patīkamāku. Ikkatrs var dot savu "
    "ieguldījumu, lai mēs visi dzīvotu labāk."
)
ELEMENT_TITLES = [
    "Semināri pedagogiem",
    "Vienošanās ar pašvaldību par sadarbību",
    "Publicitāte",
    "Kopienu resursu centru izveide",
    "Līderu stiprināšana",
    "Mācības kopienām",
    "Ģimeņu ar bērniem īpaša iesaistīšana",
    "Ekspertu konsultācijas un motivēšana",
    "Mazās kopienu iniciatīvas",
    "Mazāk aktīvo grupu motivēšana",
]
# Counted from the records (kopienas.figures): with only the Latgale data loaded, nothing has
# happened yet but the ten centres; the labels are the coordinators' wording.
FIGURES = [
    ("0", "latgaliešu iesaistījušies iniciatīvā"),
    ("0", "iestādes un organizācijas"),
    ("0", "īstenotas vietējo kopienu iniciatīvas"),
    ("0", "dažādas mācību nodarbības kopienām un pedagogiem"),
    ("0", "kopienu iniciatīvu konkursi"),
    ("0", "kopienu idejas guvušas atbalstu konkursos"),
    ("10", "izveidoti kopienu resursu centri"),
]
# As the page lists them, with their links.
CENTRES = [(name, f"/centri/{slug}/") for name, slug in CENTRES_IN_LIST_ORDER]
GLOSSARY = [
    ("Kopiena", []),
    ("Ekosistēma", ["— Miklós Gábor Dietz"]),
    ("Līdzdalība", []),
    ("Pilsoniskā balss", ["— Zane Daudziņa, aktrise, runas pētniece"]),
    ("Sociālais taisnīgums", []),
    ("Vīriešu līdzdalība", ["— Vilis Brūveris, biedrības „NEXT” valdes loceklis"]),
    ("Iekļaujoša kopiena", []),
    ("Superpilsoņa recepte", ["— Linda Jakobsone-Gavala, „Gribu palīdzēt bēgļiem”"]),
]


def _links(doc, selector):
    return [(a.text, a.get("href")) for a in doc.select(selector)]


def test_home_shows_the_initiative_figures_model_and_centres(client, latgale):
    response = client.get("/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "lv"
    assert doc.select_one("title").text == "Sākums · Darbīgās kopienas"
    assert doc.select_one("h1").text == "Darbīgās kopienas"
    assert doc.select_one(".hero .lead").text == WHAT_IS
    figures = [
        (li.select_one(".figure-value").text, li.select_one(".figure-label").text)
        for li in doc.select("li.figure")
    ]
    assert figures == FIGURES
    assert doc.texts("ol.elements li strong") == ELEMENT_TITLES
    assert doc.select("ol.elements li")[0].text == (
        "Semināri pedagogiem – Izpratnes veidošana par izglītības iestādēm kā vietējās kopienas "
        "resursu un spēcinātāju."
    )
    assert _links(doc, "#centru-saraksts .card-title a") == CENTRES
    # The elements can be added and removed in the admin: the heading names no number.
    assert doc.select_one("#modelis").text == "Modeļa elementi"
    preili = doc.select("#centru-saraksts li.centre-card")[5]
    assert preili.texts("p") == ["Preiļi, Preiļu novads", "Preiļu novada Bērnu un jauniešu centrs"]
    assert (preili.get("data-lat"), preili.get("data-lon")) == ("56.29440", "26.72460")


def test_home_quotes_a_published_testimonial_with_its_community(client, latgale):
    community_models.Testimonial.objects.exclude(person="Sandra").update(is_published=False)

    doc = parse(client.get("/").content)

    assert doc.select_one("figure.quote blockquote").text == (
        "Kopiena sasniedz mērķus ātrāk, ja runā „kopīgā” valodā."
    )
    assert doc.select_one("figure.quote figcaption").text == "Sandra, Priežmales darbīgā kopiena"
    assert _links(doc, "figure.quote figcaption a") == [
        ("Priežmales darbīgā kopiena", "/kopienas/priezmale/")
    ]


def test_home_quote_names_role_and_does_not_link_an_unpublished_community(client, latgale):
    community_models.Testimonial.objects.exclude(person="Sandra").update(is_published=False)
    community_models.Testimonial.objects.filter(person="Sandra").update(role="kopienas līdere")
    community_models.Community.objects.filter(slug="priezmale").update(is_published=False)

    doc = parse(client.get("/").content)

    assert doc.select_one("figure.quote figcaption").text == "Sandra, kopienas līdere"
    assert doc.select("figure.quote figcaption a") == []


def test_home_quote_changes_daily(client, latgale, monkeypatch):
    # The quote is the day's ordinal modulo the number of testimonials (seven) in their order.
    first_day = date.fromordinal(7 * 105_000)

    def quote_on(day):
        monkeypatch.setattr(views, "timezone", SimpleNamespace(localdate=lambda: day))
        return parse(client.get("/").content).select_one("figure.quote figcaption").text

    assert [quote_on(first_day + timedelta(days=days)) for days in (0, 1, 6, 7)] == [
        "Arvita, Daugavpils darbīgā kopiena",
        "Sandra, Priežmales darbīgā kopiena",
        "Kristīne Liepiņa, Iniciatīvas „Darbīgās kopienas” vadītāja",
        "Arvita, Daugavpils darbīgā kopiena",
    ]


def test_home_leaves_out_unpublished_centres_and_a_missing_quote(client, latgale):
    ResourceCentreFactory(name="Slēpts centrs", is_published=False)
    community_models.Testimonial.objects.update(is_published=False)

    doc = parse(client.get("/").content)

    assert _links(doc, "#centru-saraksts .card-title a") == CENTRES
    assert doc.select("figure.quote") == []


def test_home_lists_twelve_centres_and_says_when_there_are_more(client, latgale):
    assert doc_notes(client) == []

    ResourceCentreFactory(name="Ābeļu kopienas resursu centrs", slug="abeli")
    ResourceCentreFactory(name="Bērzu kopienas resursu centrs", slug="berzi")
    assert doc_notes(client) == []  # exactly twelve: all of them are shown

    ResourceCentreFactory(name="Cīruļu kopienas resursu centrs", slug="ciruli")
    doc = parse(client.get("/").content)
    # Latvian order (CLDR): Ā sorts with A, so "Ābeļu" comes before "Aglonas".
    assert [name for name, _ in _links(doc, "#centru-saraksts .card-title a")] == [
        "Ābeļu kopienas resursu centrs",
        "Aglonas kopienu resursu centrs",
        "Bērzu kopienas resursu centrs",
        "Cīruļu kopienas resursu centrs",
        *[name for name, _ in CENTRES[1:9]],
    ]
    assert doc_notes(client) == ["Šeit redzama tikai daļa centru."]


def doc_notes(client) -> list[str]:
    doc = parse(client.get("/").content)
    return [p.text for p in doc.select("section p") if p.text == "Šeit redzama tikai daļa centru."]


def test_about_shows_the_whole_model(client, latgale):
    response = client.get("/par/")

    assert response.status_code == 200
    doc = parse(response.content)
    data = read_latgale_data()
    assert doc.select_one("h1").text == "Iniciatīvas modelis – uz saliedētu sabiedrību"
    assert doc.select_one("p.lead").text == data["initiative"]["goal"]
    assert doc.texts("ol.elements li") == [
        f"{element['title']} – {element['summary']}" for element in data["model_elements"]
    ]
    assert doc.texts("ol.elements li strong") == ELEMENT_TITLES
    assert [
        (row.select_one("th").text, row.select_one("td").text)
        for row in doc.select("table tbody tr")
    ] == [
        ("Uzsākot darbību", "Vietējo līderu iesaiste"),
        ("Īstenošanas laikā", "Elastīgums, konsultācijas, motivēšana, stimuli"),
        ("Pēc projekta", "Izaugsmes iespējas, kontakti, ietekmes mērījumi"),
    ]
    assert doc.texts("section[aria-labelledby=rosinataji] li") == [
        "Pārmaiņu vēstneši un „durvju atvērēji”",
        "Esošie un topošie kopienu līderi",
        "Kopienu aktīvistu grupas",
    ]
    assert doc.texts("section[aria-labelledby=faktori] li") == [
        "Dažādības ievērošana",
        "Iekļaujošas pieejas īstenošana",
        "Novērtēšana",
        "Visu Darbīgo kopienu modeļa elementu izmantošana",
    ]
    assert definitions(doc.select_one("dl.facts")) == [
        (
            "Neredzamie jaunieši",
            "Jaunieši, kuri nemācās, nestrādā un nav iesaistīti sabiedriskajā dzīvē.",
        ),
        (
            "Vīrieši 35+",
            "Vietējo kopienu aktivitātes Latvijā galvenokārt balstās „uz sieviešu pleciem”.",
        ),
        ("Mazākumtautību pārstāvji", "–"),
        ("Ģimenes ar bērniem", "Līdzdalības un piederības sajūtas veidošana jau no mazotnes."),
    ]
    assert doc.texts("h3") == [outcome["title"] for outcome in data["outcomes"]]
    assert _links(doc, "article ul li a") == [
        ("Biedrība „Izglītības iniciatīvu centrs”", "https://www.iic.lv/"),
        ("British Council pārstāvniecība Latvijā", "https://active-citizens.britishcouncil.org/"),
    ]


def test_glossary_shows_every_term_with_its_author_and_text(client, latgale):
    response = client.get("/celazimes/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("h1").text == "Darbīgo kopienu ceļazīmes"
    terms = [dt.text for dt in doc.select("dl.glossary dt")]
    authors = [dd.texts("p.author") for dd in doc.select("dl.glossary dd")]
    assert list(zip(terms, authors, strict=True)) == GLOSSARY
    assert [dt.get("id") for dt in doc.select("dl.glossary dt")] == [
        term["slug"] for term in read_latgale_data()["glossary"]
    ]
    assert [dd.select("p")[0].text for dd in doc.select("dl.glossary dd")] == [
        term["text"] for term in read_latgale_data()["glossary"]
    ]


def test_glossary_without_terms_says_so(client, db):
    doc = parse(client.get("/celazimes/").content)

    assert doc.select("dl.glossary") == []
    assert doc.texts("p.empty") == ["Ceļazīmes vēl nav pievienotas."]


@pytest.mark.parametrize(
    ("url", "selector", "expected"),
    [
        ("/en/", "ol.elements li strong", ELEMENT_TITLES),
        ("/en/par/", "ol.elements li strong", ELEMENT_TITLES),
        ("/en/celazimes/", "dl.glossary dt", [term for term, _ in GLOSSARY]),
    ],
)
def test_english_pages_render_in_english(client, latgale, url, selector, expected):
    response = client.get(url)

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.texts(selector) == expected
    # The language switch leads to the same page in Latvian.
    assert doc.select_one(".lang-switch a").get("href") == url.removeprefix("/en")


def test_english_home_links_to_english_centre_pages(client, latgale):
    doc = parse(client.get("/en/").content)

    assert _links(doc, "#centru-saraksts .card-title a") == [
        (name, f"/en{url}") for name, url in CENTRES
    ]


def test_favicon_redirects_temporarily_to_the_hashed_icon(client, db):
    response = client.get("/favicon.ico")

    # Not 301: browsers cache a permanent redirect, and the hashed name changes with each deploy.
    assert (response.status_code, response.headers["Location"]) == (302, "/static/img/favicon.svg")


def _language_of(element) -> str | None:
    while element is not None and element.get("lang") is None:
        element = element.parent
    return None if element is None else element.get("lang")


# Content kept in Latvian only, on each page that shows it.
LATVIAN_CONTENT = {
    "/": [
        ".hero .lead",
        # The coordinators' labels; the values are written as the interface writes numbers.
        "li.figure .figure-label",
        "ol.elements li",
        "figure.quote blockquote",
        "figure.quote figcaption",
        "#centru-saraksts .card-title",
    ],
    "/par/": [
        "p.lead",
        "ol.elements li",
        "table tbody th",
        "section[aria-labelledby=faktori] li",
        "dl.facts dt",
        "h3",
    ],
    "/celazimes/": ["dl.glossary dt", "dl.glossary dd"],
    # The centres' names and the target groups (a figure's label is Latvian when it is the
    # coordinators' wording, the interface's own when no row names it: volunteers).
    "/skaitli/": [
        "table[data-breakdown=centre] tbody th",
        ".reach-table tbody th",
    ],
}


@pytest.mark.parametrize("url", list(LATVIAN_CONTENT))
def test_latvian_content_is_marked_latvian_under_the_english_interface(client, latgale, url):
    english = parse(client.get("/en" + url).content)
    latvian = parse(client.get(url).content)

    languages = {
        selector: {_language_of(element) for element in english.select(selector)}
        for selector in LATVIAN_CONTENT[url]
    }

    assert languages == {selector: {"lv"} for selector in LATVIAN_CONTENT[url]}
    # The interface's own words stay English.
    assert {_language_of(h) for h in english.select("h1") + english.select("h2")} == {"en"}
    # Under the Latvian interface the page's lang says it all: only the language switch adds one.
    assert [(el.tag, el.get("lang")) for el in latvian.iter() if el.get("lang") is not None] == [
        ("html", "lv"),
        ("span", "lv"),
        ("a", "en"),
    ]


def _grow(count):
    """`count` more of every row the site-wide pages list, each centre fully populated."""
    for _ in range(count):
        populate_centre(ResourceCentreFactory())
    ModelElementFactory.create_batch(count)
    TargetGroupFactory.create_batch(count)
    ImpactFigureFactory.create_batch(count)
    GlossaryTermFactory.create_batch(count)


@pytest.mark.parametrize(
    ("url", "rows", "queries", "after_a_change"),
    [
        # Centres with their cover thumbnail, the day's testimonial, the figures' labels, every
        # headline figure (one cache read, kopienas.figures), model elements. Right after a
        # counted row changed, the figures are computed again (one query) and stored (five on
        # the database cache; see tests/kopienas/test_figure_pages.py).
        ("/", ["ol.elements li"], 5, 11),
        ("/en/", ["ol.elements li"], 5, 11),
        ("/par/", ["ol.elements li", "dl.facts dt"], 2, 2),
        ("/celazimes/", ["dl.glossary dt"], 1, 1),
    ],
)
def test_query_count_does_not_grow_with_rows(
    client, db, django_assert_num_queries, url, rows, queries, after_a_change
):
    assert queries <= QUERY_BUDGET
    shown = []
    centre_cards = []
    for count in (1, 49):
        _grow(count)
        with django_assert_num_queries(after_a_change):
            client.get(url)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        doc = parse(response.content)
        shown.append([len(doc.select(selector)) for selector in rows])
        centre_cards.append(len(doc.select("li.centre-card img.card-photo")))

    assert shown == [[1] * len(rows), [50] * len(rows)]
    if url in {"/", "/en/"}:
        # The home page may cap its centre cards, but it shows more than one, each with a photo.
        assert centre_cards[0] == 1
        assert centre_cards[1] > 1


@pytest.mark.parametrize(
    ("path", "headings", "links"),
    [
        (
            "/privatums/",
            [
                "Privātuma paziņojums",
                "Kas apstrādā datus",
                "Kādus datus un kāpēc",
                "Cik ilgi datus glabā",
                "Kas vēl redz datus",
                "Jūsu tiesības",
            ],
            ["/mans/dati/", "/mans/profils/", "/mans/dzest/"],
        ),
        (
            "/en/privatums/",
            [
                "Privacy notice",
                "Who processes the data",
                "Which data, and why",
                "How long the data are kept",
                "Who else sees the data",
                "Your rights",
            ],
            ["/en/mans/dati/", "/en/mans/profils/", "/en/mans/dzest/"],
        ),
    ],
)
def test_the_privacy_notice_says_who_what_why_how_long_and_the_rights(
    client, db, settings, path, headings, links
):
    settings.PRIVACY_CONTACT_EMAIL = "dati@iic.lv"

    doc = parse(client.get(path).content)

    assert doc.texts("main h1") + doc.texts("main h2") == headings
    assert [a.get("href") for a in doc.select("main .privacy li a")] == links
    assert "dati@iic.lv" in doc.select("main .privacy p")[1].text


def privacy_links(client, path):
    doc = parse(client.get(path).content)
    return [a.get("href") for a in doc.select("form .privacy-notice a")]


def test_every_form_that_collects_personal_data_links_the_privacy_notice(client, db):
    event = EventFactory(slug="talka")
    grant_round = GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")

    signup = privacy_links(client, "/konts/signup/")
    guest_registration = privacy_links(client, event.get_absolute_url())
    client.force_login(activist(CommunityFactory()))
    application = privacy_links(client, f"/konkursi/{grant_round.slug}/pieteikties/")

    assert (signup, guest_registration, application) == (
        ["/privatums/"],
        ["/privatums/"],
        ["/privatums/"],
    )
    # And every page's footer.
    footer = parse(client.get("/").content).select(".site-footer li a")
    assert [(a.get("href"), a.text) for a in footer][-1] == ("/privatums/", "Privātums")


def test_the_privacy_notice_on_english_forms_is_in_english(client, db):
    doc = parse(client.get("/en/konts/signup/").content)

    assert doc.select_one("form .privacy-notice").text == (
        "How we use the data you give in this form is explained in the privacy notice."
    )
    assert doc.select_one("form .privacy-notice a").get("href") == "/en/privatums/"
