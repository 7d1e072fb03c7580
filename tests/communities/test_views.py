"""Public pages of the communities: the list and one community."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from initiatives.models import Initiative
from resource_centres.models import ResourceCentre
from tests.factories import (
    CommunityFactory,
    EventFactory,
    MembershipFactory,
    ModelElementFactory,
    TestimonialFactory,
    UserFactory,
    populate_community,
)
from tests.html import definitions, parse

QUERY_BUDGET = 10
NAMELESS_LEADER = "janis.ozols@example.lv"

# (name, municipality, the card's resource centre line), ordered by name as the page lists them.
LATGALE_COMMUNITIES = [
    ("Aglonas darbīgā kopiena", "Preiļu novads", "Resursu centrs: Aglonas kopienu resursu centrs"),
    (
        "Dagdas darbīgā kopiena",
        "Krāslavas novads",
        "Resursu centrs: Dagdas kopienas resursu centrs",
    ),
    (
        "Daugavpils darbīgā kopiena",
        "Daugavpils valstspilsēta",
        "Resursu centrs: Daugavpils kopienas resursu centrs",
    ),
    (
        "Ilūkstes darbīgā kopiena",
        "Augšdaugavas novads",
        "Resursu centrs: Ilūkstes kopienas resursu centrs",
    ),
    ("Krāslavas darbīgā kopiena", "Krāslavas novads", None),
    (
        "Nautrēnu darbīgā kopiena",
        "Rēzeknes novads",
        "Resursu centrs: Nautrēnu kopienas resursu centrs",
    ),
    ("Preiļu darbīgā kopiena", "Preiļu novads", "Resursu centrs: Preiļu kopienas resursu centrs"),
    (
        "Priežmales darbīgā kopiena",
        "Krāslavas novads",
        "Resursu centrs: Priežmales kopienas resursu centrs",
    ),
    (
        "Sakstagala darbīgā kopiena",
        "Rēzeknes novads",
        "Resursu centrs: Sakstagala kopienu resursu centrs „Pī Boņa”",
    ),
    (
        "Vārkavas darbīgā kopiena",
        "Preiļu novads",
        "Resursu centrs: Vārkavas kopienas resursu centrs",
    ),
    ("Zilupes darbīgā kopiena", "Ludzas novads", "Resursu centrs: Zilupes kopienas resursu centrs"),
]
SLUGS = [
    "aglona",
    "dagda",
    "daugavpils",
    "ilukste",
    "kraslava",
    "nautreni",
    "preili",
    "priezmale",
    "sakstagals",
    "varkava",
    "zilupe",
]


# preili_members: the two leaders and two active members; the waiting request does not count.
MEMBERS_OF_PREILI = "4 dalībnieki"


@pytest.fixture
def preili_members(latgale):
    """Every kind of membership in the Preiļi community; only two of them lead it."""
    preili = Community.objects.get(slug="preili")
    MembershipFactory(
        community=preili, user=UserFactory(first_name="Anna", last_name="Bērziņa"), leader=True
    )
    # Usernames are email addresses: a leader without a name must not be shown by it.
    MembershipFactory(
        community=preili,
        user=UserFactory(username=NAMELESS_LEADER, first_name="", last_name=""),
        leader=True,
    )
    for first_name, role, status in [
        ("Pēteris", Membership.Role.LEADER, Membership.Status.REQUESTED),
        ("Ilze", Membership.Role.ACTIVIST, Membership.Status.ACTIVE),
        ("Rasma", Membership.Role.MEMBER, Membership.Status.ACTIVE),
    ]:
        MembershipFactory(
            community=preili,
            user=UserFactory(first_name=first_name, last_name="Ozola"),
            role=role,
            status=status,
        )
    # A leader of another community is not one of Preiļi's.
    MembershipFactory(
        community=Community.objects.get(slug="aglona"),
        user=UserFactory(first_name="Vilis", last_name="Kalns"),
        leader=True,
    )
    return preili


def _cards(doc):
    cards = []
    for card in doc.select("li.card"):
        lines = card.texts("p")[1:]
        # Latvian under /, English under /en/.
        centre = [
            line for line in lines if line.startswith(("Resursu centrs:", "Resource centre:"))
        ]
        leaders = [line for line in lines if line.startswith(("Līderi:", "Leaders:"))]
        cards.append(
            (
                card.select_one(".card-title").text,
                card.select_one(".card-meta").text,
                centre[0] if centre else None,
                leaders[0] if leaders else None,
            )
        )
    return cards


def test_list_shows_every_published_community(client, latgale):
    CommunityFactory(name="Slēpta kopiena", is_published=False)

    response = client.get("/kopienas/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("h1").text == "Darbīgās kopienas"
    assert _cards(doc) == [(*community, None) for community in LATGALE_COMMUNITIES]
    assert [a.get("href") for a in doc.select(".card-title a")] == [
        f"/kopienas/{slug}/" for slug in SLUGS
    ]
    assert [a.get("href") for a in doc.select("li.card p a")][:2] == [
        "/centri/aglona/",
        "/centri/dagda/",
    ]


def test_list_names_only_active_leaders(client, preili_members):
    response = client.get("/kopienas/")
    cards = {card[0]: card for card in _cards(parse(response.content))}

    assert cards["Preiļu darbīgā kopiena"][3] == "Līderi: Anna Bērziņa"
    assert NAMELESS_LEADER not in response.content.decode()
    assert cards["Aglonas darbīgā kopiena"][3] == "Līderi: Vilis Kalns"
    assert cards["Dagdas darbīgā kopiena"][3] is None


def test_list_does_not_link_an_unpublished_centre(client, latgale):
    ResourceCentre.objects.filter(slug="preili").update(is_published=False)

    cards = {card[0]: card for card in _cards(parse(client.get("/kopienas/").content))}

    assert cards["Preiļu darbīgā kopiena"] == (
        "Preiļu darbīgā kopiena",
        "Preiļu novads",
        None,
        None,
    )


def test_list_without_communities_says_so(client, db):
    CommunityFactory(is_published=False)

    doc = parse(client.get("/kopienas/").content)

    assert doc.select("ul.cards") == []
    assert doc.texts("p.empty") == ["Kopienas vēl nav publicētas."]


def test_detail_shows_municipality_centre_and_active_leaders(client, preili_members):
    Community.objects.filter(slug="preili").update(
        description="Kopiena pie Preiļu parka.\nNāc ar mums!"
    )

    response = client.get("/kopienas/preili/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("title").text == "Preiļu darbīgā kopiena · Darbīgās kopienas"
    assert doc.select_one("h1").text == "Preiļu darbīgā kopiena"
    assert doc.select_one("p.lead").text == "Preiļu novads"
    assert doc.texts("article > p") == [
        "Kopienas",
        "Preiļu novads",
        "Kopiena pie Preiļu parka. Nāc ar mums!",
    ]
    assert definitions(doc.select_one("dl.facts")) == [
        ("Resursu centrs", "Preiļu kopienas resursu centrs, Preiļi"),
        ("Līderi", "Anna Bērziņa"),
        ("Saziņa", "Rakstīt kopienas līderiem"),
        ("Dalībnieki", MEMBERS_OF_PREILI),
    ]
    assert NAMELESS_LEADER not in response.content.decode()
    assert [(a.text, a.get("href")) for a in doc.select("dl.facts a")] == [
        ("Preiļu kopienas resursu centrs", "/centri/preili/"),
        ("Rakstīt kopienas līderiem", "/kopienas/preili/rakstit/"),
    ]
    assert doc.select("figure.quote") == []


@pytest.mark.parametrize(("first_name", "last_name"), [("", ""), (" ", " ")])
def test_leaders_without_a_full_name_are_not_named_at_all(client, latgale, first_name, last_name):
    kraslava = Community.objects.get(slug="kraslava")
    MembershipFactory(
        community=kraslava,
        user=UserFactory(username=NAMELESS_LEADER, first_name=first_name, last_name=last_name),
        leader=True,
    )
    MembershipFactory(
        community=kraslava,
        user=UserFactory(username="liepa@example.lv", first_name="", last_name="Liepa"),
        leader=True,
    )

    listing = client.get("/kopienas/")
    detail = client.get("/kopienas/kraslava/")

    cards = {card[0]: card for card in _cards(parse(listing.content))}
    assert cards["Krāslavas darbīgā kopiena"][3] == "Līderi: Liepa"
    assert definitions(parse(detail.content).select_one("dl.facts"))[1] == ("Līderi", "Liepa")
    for response in (listing, detail):
        assert NAMELESS_LEADER not in response.content.decode()
        assert "liepa@example.lv" not in response.content.decode()


def test_detail_of_a_community_without_centre_leaders_or_description(client, latgale):
    doc = parse(client.get("/kopienas/kraslava/").content)

    assert doc.texts("article > p") == ["Kopienas", "Krāslavas novads"]
    assert definitions(doc.select_one("dl.facts")) == [
        ("Resursu centrs", "Kopienai vēl nav sava resursu centra."),
        ("Līderi", "Līderi vēl nav norādīti."),
        ("Dalībnieki", "0 dalībnieku"),
    ]


def test_detail_shows_the_community_published_testimonials(client, latgale):
    kraslava = Community.objects.get(slug="kraslava")
    TestimonialFactory(
        community=kraslava, person="Jānis", role="jaunietis", is_published=False, order=10
    )
    TestimonialFactory(
        community=kraslava, person="Inga", role="skolotāja", text="Esam kopā.", order=11
    )

    doc = parse(client.get("/kopienas/kraslava/").content)

    assert [
        (figure.select_one("blockquote").text, figure.select_one("figcaption").text)
        for figure in doc.select("figure.quote")
    ] == [
        (
            "Mijiedarbībā vienam ar otru kopienas bērni, jaunieši un pieaugušie kļūst drošāki, "
            "jūtas iesaistīti un uzklausīti.",
            "Žanna",
        ),
        ("Esam kopā.", "Inga, skolotāja"),
    ]


def test_detail_does_not_link_an_unpublished_centre(client, latgale):
    ResourceCentre.objects.filter(slug="preili").update(is_published=False)

    doc = parse(client.get("/kopienas/preili/").content)

    assert definitions(doc.select_one("dl.facts"))[0] == (
        "Resursu centrs",
        "Kopienai vēl nav sava resursu centra.",
    )
    assert doc.select("dl.facts a") == []


@pytest.mark.parametrize(
    "url", ["/kopienas/slepta/", "/en/kopienas/slepta/", "/kopienas/nav-tadas/"]
)
def test_unpublished_or_unknown_community_is_not_found(client, db, url):
    CommunityFactory(slug="slepta", name="Slēpta kopiena", is_published=False)

    response = client.get(url)

    assert response.status_code == 404
    not_found = "Page not found" if url.startswith("/en/") else "Lapa nav atrasta"
    assert parse(response.content).select_one("h1").text == not_found
    assert "Slēpta kopiena" not in response.content.decode()


def test_english_list_renders_in_english_with_english_links(client, latgale):
    response = client.get("/en/kopienas/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.texts(".card-title") == [name for name, _, _ in LATGALE_COMMUNITIES]
    assert [a.get("href") for a in doc.select(".card-title a")] == [
        f"/en/kopienas/{slug}/" for slug in SLUGS
    ]
    assert doc.select_one(".lang-switch a").get("href") == "/kopienas/"


def test_english_detail_renders_in_english(client, preili_members):
    response = client.get("/en/kopienas/preili/")

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("h1").text == "Preiļu darbīgā kopiena"
    assert [(a.text, a.get("href")) for a in doc.select("dl.facts a")] == [
        ("Preiļu kopienas resursu centrs", "/en/centri/preili/"),
        ("Write to the community's leaders", "/en/kopienas/preili/rakstit/"),
    ]
    assert definitions(doc.select_one("dl.facts"))[1][1] == "Anna Bērziņa"
    assert doc.select_one(".lang-switch a").get("href") == "/kopienas/preili/"


@pytest.mark.parametrize("url", ["/kopienas/", "/en/kopienas/"])
def test_list_query_count_does_not_grow_with_communities(
    client, db, django_assert_num_queries, url
):
    queries = 3
    assert queries <= QUERY_BUDGET
    shown = []
    for count in (1, 49):
        for community in CommunityFactory.create_batch(count):
            populate_community(community)
        with django_assert_num_queries(queries):
            response = client.get(url)
        shown.append(
            [
                card[3] is not None and card[2] is not None
                for card in _cards(parse(response.content))
            ]
        )

    assert shown == [[True], [True] * 50]


@pytest.mark.parametrize("url", ["/kopienas/livani/", "/en/kopienas/livani/"])
def test_detail_query_count_does_not_grow_with_leaders_and_testimonials(
    client, db, django_assert_num_queries, url
):
    # The community with its centre, its leaders, its testimonials, its next events, its latest
    # initiatives (with their rounds and first photos), the model elements, and the years each
    # was practised in (initiatives and held events in one query), its latest past events.
    queries = 8
    assert queries <= QUERY_BUDGET
    community = CommunityFactory(slug="livani")
    shown = []
    for count in (1, 49):
        populate_community(community, count=count)
        _practise(community, count=count)
        with django_assert_num_queries(queries):
            response = client.get(url)
        doc = parse(response.content)
        leaders = definitions(doc.select_one("dl.facts"))[1][1]
        shown.append(
            [
                len(leaders.split(", ")),
                len(doc.select("figure.quote")),
                len(doc.select(".community-initiatives .card")),
                len(doc.select("table.element-years thead th")) - 1,
                len(doc.select("table.element-years tbody tr")),
            ]
        )

    assert shown == [[1, 1, 1, 1, 1], [50, 50, 3, 50, 50]]


def _practise(community, *, count: int) -> None:
    """`count` published initiatives and as many held events of the community, each in a year
    of its own (from 1900 up) and with a model element of its own."""
    done = Initiative.objects.filter(community=community).count()
    for number in range(done, done + count):
        element = ModelElementFactory()
        initiative = Initiative.objects.create(
            slug=f"iniciativa-{number}",
            title=f"Iniciatīva {number}",
            community=community,
            year=1900 + number,
            status=Initiative.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        initiative.model_elements.set([element])
        starts_at = datetime(1900 + number, 6, 1, 12, tzinfo=UTC)
        event = EventFactory(
            community=community,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            closed_at=starts_at + timedelta(days=1),
        )
        event.model_elements.set([element])


def _language_of(element) -> str | None:
    while element is not None and element.get("lang") is None:
        element = element.parent
    return None if element is None else element.get("lang")


def test_english_pages_mark_the_latvian_content(client, preili_members):
    listing = parse(client.get("/en/kopienas/").content)
    detail = parse(client.get("/en/kopienas/preili/").content)

    card = listing.select("li.card")[SLUGS.index("preili")]
    assert [
        _language_of(card.select(selector)[0])
        for selector in (".card-title", ".card-meta", "p a", ".leaders")
    ] == ["lv", "lv", "lv", "lv"]
    # The labels around them ("Resource centre:", "Leaders:") stay English.
    assert [_language_of(p) for p in card.select("p")[1:]] == ["en", "en"]
    assert [
        _language_of(detail.select(selector)[0])
        for selector in ("h1", "p.lead", "dl.facts dd a", ".leaders", "dl.facts dt")
    ] == ["lv", "lv", "lv", "lv", "en"]


@pytest.mark.parametrize("url", ["/kopienas/", "/kopienas/preili/"])
def test_latvian_pages_add_no_lang_attributes(client, preili_members, url):
    doc = parse(client.get(url).content)

    assert [(el.tag, el.get("lang")) for el in doc.iter() if el.get("lang") is not None] == [
        ("html", "lv"),
        ("span", "lv"),
        ("a", "en"),
    ]
