"""The site's search page (/meklet/): folding, grouping, caps, messages, escaping, ceilings."""

import importlib
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from communities.models import Community
from events import selectors as event_selectors
from events.models import Event
from initiatives.models import Initiative
from kopienas import search
from resource_centres.models import ResourceCentre
from tests.factories import (
    CommunityFactory,
    EventFactory,
    ResourceCentreFactory,
    UserFactory,
    published_initiative,
)
from tests.html import parse

QUERY_BUDGET = 10
# One per kind: centres, communities, upcoming events, past events, initiatives. When an
# upcoming event found changes is read from the rows shown (see _upcoming_changes_at); two
# short index walks more only when every upcoming event shown is under way and more matched.
SEARCH_QUERIES = 5
HOSTILE = '<script>alert("x")</script>'


def _get(client, query, *, prefix=""):
    return client.get(f"{prefix}/meklet/?{urlencode({'q': query})}")


def _headings(page) -> list[str]:
    return page.texts("section.search-group h2")


def _names(page, key: str) -> list[str]:
    return page.texts(f"section[aria-labelledby={key}] .card-title a")


def _past(days: int, **kwargs) -> Event:
    starts_at = timezone.now() - timedelta(days=days)
    return EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)


def _soon(days: int, **kwargs) -> Event:
    starts_at = timezone.now() + timedelta(days=days)
    return EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)


@pytest.fixture
def rezekne(db):
    """One of each kind named after Rēzekne, and one of each that must not be found."""
    centre = ResourceCentreFactory(
        slug="rezekne", name="Rēzeknes kopienu centrs", settlement="Rēzekne"
    )
    community = CommunityFactory(slug="rezeknes", name="Rēzeknes kaimiņi", resource_centre=centre)
    ResourceCentreFactory(slug="ludza", name="Ludzas centrs", settlement="Ludza")
    CommunityFactory(slug="slepena", name="Rēzeknes slēptā kopiena", is_published=False)
    _soon(3, slug="talka", title="Rēzeknes talka", centre=centre)
    _soon(1, slug="darbnica", title="Darbnīca", address="Rēzekne, Atbrīvošanas aleja 1")
    _past(10, slug="vakars", title="Rēzeknes vakars", centre=centre)
    _soon(2, slug="slepens", title="Rēzeknes slēptais pasākums", is_published=False)
    published_initiative(
        funded=False, community=community, title="Rēzeknes ezera krasta sakopšana", year=2025
    )
    return centre


def test_diacritics_and_case_are_ignored_and_results_are_grouped(client, rezekne):
    page = parse(_get(client, "REZEKNE").content)

    assert _headings(page) == [
        "Resursu centri (1)",
        "Kopienas (1)",
        "Gaidāmie pasākumi (2)",
        "Notikušie pasākumi (1)",
        "Iniciatīvas (1)",
    ]
    assert [
        _names(page, key) for key in ("centri", "kopienas", "gaidamie", "notikusie", "iniciativas")
    ] == [
        ["Rēzeknes kopienu centrs"],
        ["Rēzeknes kaimiņi"],
        ["Darbnīca", "Rēzeknes talka"],
        ["Rēzeknes vakars"],
        ["Rēzeknes ezera krasta sakopšana"],
    ]
    assert page.select_one("p.result-count").text == "Pēc vaicājuma „REZEKNE” atrasti 6 rezultāti"
    assert page.texts("ul.search-summary li") == [
        "Resursu centri (1)",
        "Kopienas (1)",
        "Gaidāmie pasākumi (2)",
        "Notikušie pasākumi (1)",
        "Iniciatīvas (1)",
    ]


def test_a_query_with_diacritics_finds_text_without_them_and_upper_case_finds_lower(client, db):
    ResourceCentreFactory(slug="skivji", name="Šķīvju darbnīca")
    CommunityFactory(slug="sk", name="Kopiena šķīvis")
    CommunityFactory(slug="cita", name="Skivu iela")

    page = parse(_get(client, "ŠĶĪ").content)

    assert (_names(page, "centri"), _names(page, "kopienas")) == (
        ["Šķīvju darbnīca"],
        ["Kopiena šķīvis", "Skivu iela"],
    )


def test_every_word_must_match(client, rezekne):
    page = parse(_get(client, "rēzeknes  TALKA").content)

    assert (_headings(page), _names(page, "gaidamie")) == (
        ["Gaidāmie pasākumi (1)"],
        ["Rēzeknes talka"],
    )


def test_each_kind_is_capped_with_a_link_to_its_list_filtered(client, db):
    for number in range(search.CAP + 2):
        ResourceCentreFactory(slug=f"c{number:02d}", name=f"Ezera centrs {number:02d}")
    for number in range(search.EVENT_CAP + 1):
        _soon(number + 1, slug=f"n{number}", title=f"Ezera svētki {number}")
        _past(number + 1, slug=f"p{number}", title=f"Ezera talka {number}")
    CommunityFactory(slug="viena", name="Ezera kopiena")

    page = parse(_get(client, "ezera").content)

    assert _headings(page) == [
        "Resursu centri (12)",
        "Kopienas (1)",
        "Gaidāmie pasākumi (6)",
        "Notikušie pasākumi (6)",
    ]
    assert _names(page, "centri") == [f"Ezera centrs {number:02d}" for number in range(10)]
    # Upcoming soonest first, past latest first, as the lists show them.
    assert _names(page, "gaidamie") == [f"Ezera svētki {number}" for number in range(5)]
    assert _names(page, "notikusie") == [f"Ezera talka {number}" for number in range(5)]
    more = {
        section.get("aria-labelledby"): [
            (link.get("href"), link.text) for link in section.select("p.search-more a")
        ]
        for section in page.select("section.search-group")
    }
    assert more == {
        "centri": [("/centri/?q=ezera", "Rādīt visu sarakstu (12): Resursu centri")],
        "kopienas": [],
        "gaidamie": [("/pasakumi/?q=ezera", "Rādīt visu sarakstu (6): Gaidāmie pasākumi")],
        "notikusie": [
            (
                "/pasakumi/?q=ezera&laiks=pagajusi",
                "Rādīt visu sarakstu (6): Notikušie pasākumi",
            )
        ],
    }


def test_past_the_count_cap_a_kind_says_more_than_and_still_shows_its_first_rows(
    client, db, monkeypatch
):
    monkeypatch.setattr(search, "COUNT_CAP", search.EVENT_CAP)
    for number in range(search.EVENT_CAP + 2):
        _soon(number + 1, slug=f"n{number}", title=f"Ezera svētki {number}")
    _past(1, slug="p0", title="Ezera talka 0")
    for number in range(3):
        ResourceCentreFactory(slug=f"c{number}", name=f"Ezera centrs {number}")

    page = parse(_get(client, "ezera").content)

    assert page.texts("p.result-count") == ["Pēc vaicājuma „ezera” atrasti vairāk nekā 9 rezultāti"]
    assert _headings(page) == [
        "Resursu centri (3)",
        "Gaidāmie pasākumi (vairāk nekā 5)",
        "Notikušie pasākumi (1)",
    ]
    # The rows shown are the first of all the matches, in the list's order.
    assert _names(page, "gaidamie") == [f"Ezera svētki {number}" for number in range(5)]
    assert page.texts("ul.search-summary li") == [
        "Resursu centri (3)",
        "Gaidāmie pasākumi (vairāk nekā 5)",
        "Notikušie pasākumi (1)",
    ]
    assert page.texts("section[aria-labelledby=gaidamie] p.search-more a") == [
        "Rādīt visu sarakstu (vairāk nekā 5): Gaidāmie pasākumi"
    ]


def test_the_show_all_links_lead_to_lists_showing_the_same_matches(client, db):
    _soon(1, slug="ezers", title="Ezera svētki")
    _soon(2, slug="cits", title="Meža svētki")
    _past(2, slug="vecs", title="Ezera talka")
    ResourceCentreFactory(slug="ezera", name="Ezera centrs", settlement="Kaunata")
    ResourceCentreFactory(slug="meza", name="Meža centrs")

    upcoming = parse(client.get("/pasakumi/?q=ĒZERA").content)
    past = parse(client.get("/pasakumi/?q=ezera&laiks=pagajusi").content)
    centres = parse(client.get("/centri/?q=kaunata ezera").content)

    assert (
        upcoming.texts("#pasakumu-saraksts .card-title a"),
        past.texts("#pasakumu-saraksts .card-title a"),
        centres.texts(".centre-card .card-title a"),
    ) == (["Ezera svētki"], ["Ezera talka"], ["Ezera centrs"])


def test_nothing_found_says_so_in_latvian_with_suggestions(client, rezekne):
    page = parse(_get(client, "Zilupe").content)

    assert _headings(page) == []
    assert page.select_one("p.result-count").text == "Pēc vaicājuma „Zilupe” atrasti 0 rezultāti"
    assert page.select_one(".search-empty p.search-nothing").text == (
        "Nekas netika atrasts pēc vaicājuma „Zilupe”."
    )
    assert [link.get("href") for link in page.select(".search-empty a")] == [
        "/centri/",
        "/kopienas/",
        "/pasakumi/",
        "/iniciativas/",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a", "Ierakstiet vismaz 2 burtus."),
        ("ā ", "Ierakstiet vismaz 2 burtus."),
        ("   ", "Ierakstiet, ko meklēt."),
        ("", "Ierakstiet, ko meklēt."),
        ("ē" * 101, "Meklējamais teksts var būt ne garāks par 100 zīmēm."),
    ],
)
def test_too_short_or_too_long_a_query_searches_nothing_and_says_why(
    client, rezekne, query, message
):
    response = _get(client, query)
    page = parse(response.content)

    assert (response.status_code, page.texts(".search-form .errorlist li")) == (200, [message])
    assert (page.select("p.result-count"), _headings(page)) == ([], [])
    assert page.select_one("#id_q").get("aria-invalid") == "true"


def test_no_query_shows_the_box_only(client, rezekne):
    page = parse(client.get("/meklet/").content)

    assert (page.select(".errorlist"), page.select("p.result-count")) == ([], [])
    assert page.select_one("#id_q").get("value") is None


def test_a_hundred_characters_are_allowed(client, db):
    CommunityFactory(slug="gara", name="e" * 100)

    page = parse(_get(client, "ē" * 100).content)

    assert (_headings(page), page.select(".errorlist")) == (["Kopienas (1)"], [])


def test_the_query_stays_in_the_box_and_is_escaped_everywhere_it_is_echoed(client, rezekne):
    response = _get(client, HOSTILE)
    html = response.content.decode()
    page = parse(html)

    assert HOSTILE not in html
    assert page.select_one("#id_q").get("value") == HOSTILE
    assert page.select_one("title").text == f"Meklēšana: {HOSTILE} · Darbīgās kopienas"
    assert page.select_one(".search-empty p.search-nothing").text == (
        f"Nekas netika atrasts pēc vaicājuma „{HOSTILE}”."
    )


def test_a_hostile_too_long_query_is_escaped_in_the_box(client, db):
    query = HOSTILE * 5

    response = _get(client, query)
    page = parse(response.content)

    assert HOSTILE not in response.content.decode()
    assert (page.select_one("#id_q").get("value"), page.texts(".errorlist li")) == (
        query,
        ["Meklējamais teksts var būt ne garāks par 100 zīmēm."],
    )


def test_names_with_markup_are_escaped_in_results(client, db):
    CommunityFactory(slug="skripts", name=f"Kopiena {HOSTILE}")

    response = _get(client, "kopiena")

    assert HOSTILE not in response.content.decode()
    assert _names(parse(response.content), "kopienas") == [f"Kopiena {HOSTILE}"]


def test_the_english_page_searches_the_same_and_marks_latvian_names(client, rezekne):
    response = _get(client, "rezekne", prefix="/en")
    page = parse(response.content)

    assert page.select_one("html").get("lang") == "en"
    assert _names(page, "kopienas") == ["Rēzeknes kaimiņi"]
    assert page.select_one("section[aria-labelledby=kopienas] li.card").get("lang") == "lv"
    assert page.select_one("form.search-form").get("action") == "/en/meklet/"


def test_every_page_has_a_labelled_search_box_in_its_header(client, db):
    page = parse(client.get("/").content)

    form = page.select_one("header form.site-search")
    assert (form.get("role"), form.get("method"), form.get("action")) == (
        "search",
        "get",
        "/meklet/",
    )
    assert form.select_one("label").get("for") == form.select_one("input").get("id")
    assert (form.select_one("input").get("name"), form.select_one("label").text) == (
        "q",
        "Meklēt vietnē",
    )


def test_a_change_shows_on_the_next_search(client, rezekne):
    assert _names(parse(_get(client, "rezekne").content), "centri") == ["Rēzeknes kopienu centrs"]

    ResourceCentreFactory(slug="rezekne-2", name="Rēzeknes otrais centrs")

    assert _names(parse(_get(client, "rezekne").content), "centri") == [
        "Rēzeknes kopienu centrs",
        "Rēzeknes otrais centrs",
    ]


def test_an_event_leaves_the_upcoming_results_when_it_ends(rezekne):
    now = timezone.now()
    results = search.search(query="rezekne", now=now)
    talka = Event.objects.get(slug="talka")
    darbnica = Event.objects.get(slug="darbnica")

    # The first moment the results may read differently: the first of them starts (its end,
    # when it leaves the upcoming ones, comes later; the page is made again a little early
    # rather than ever late).
    assert results.changes_at == darbnica.starts_at
    assert darbnica.ends_at == min(talka.ends_at, darbnica.ends_at)
    later = search.search(query="rezekne", now=darbnica.ends_at + timedelta(minutes=1))
    assert [[str(item) for item in group.items] for group in later.groups[2:4]] == [
        ["Rēzeknes talka"],
        ["Darbnīca", "Rēzeknes vakars"],
    ]


def _fill(count: int) -> None:
    for number in range(count):
        centre = ResourceCentreFactory(slug=f"c{count}-{number}", name=f"Ezera centrs {number}")
        community = CommunityFactory(
            slug=f"k{count}-{number}", name=f"Ezera kopiena {number}", resource_centre=centre
        )
        _soon(number + 1, slug=f"n{count}-{number}", title=f"Ezera svētki {number}", centre=centre)
        _past(number + 1, slug=f"p{count}-{number}", title=f"Ezera talka {number}", centre=centre)
        published_initiative(
            funded=False, community=community, title=f"Ezera sakopšana {number}", year=2025
        )


def test_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries):
    _fill(1)
    client.get("/meklet/?q=ezera")  # Warm the per-process caches of the header and lists.
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/meklet/?q=ezera&x=1")
    _fill(12)
    with django_assert_num_queries(SEARCH_QUERIES):
        page = parse(client.get("/meklet/?q=ezera&x=2").content)
    assert SEARCH_QUERIES <= QUERY_BUDGET
    assert _headings(page) == [
        "Resursu centri (13)",
        "Kopienas (13)",
        "Gaidāmie pasākumi (13)",
        "Notikušie pasākumi (13)",
        "Iniciatīvas (13)",
    ]


def test_query_count_of_a_signed_in_search_stays_in_budget(
    client, rezekne, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = _get(client, "rezekne")
    assert _headings(parse(response.content))[0] == "Resursu centri (1)"


def test_the_folded_text_of_an_event_follows_its_title_and_address(db):
    event = EventFactory(title="Rēzeknes Talka", address="Ūdens iela 1")
    assert event.search_text == "rezeknes talka udens iela 1"

    event.title = "Ļoti Ģimenisks Vakars"
    event.save(update_fields=["title"])

    event.refresh_from_db()
    assert event.search_text == "loti gimenisks vakars udens iela 1"


def test_the_migration_folds_the_events_already_there(db):
    event = EventFactory(title="Šķīvju Darbnīca", address="")
    Event.objects.filter(pk=event.pk).update(search_text="")
    migration = importlib.import_module("events.migrations.0007_event_search_text")

    migration.fill(apps, None)

    event.refresh_from_db()
    assert event.search_text == "skivju darbnica"


def _plain(queryset, words, key):
    """A kind's matches read the plain way: every row, folded and matched in Python, sorted
    by the list's order (`key`), counted to COUNT_CAP + 1."""
    found = sorted(
        (row for row in queryset if all(word in row.search_text for word in words)), key=key
    )
    return [row.pk for row in found], min(len(found), search.COUNT_CAP + 1)


@pytest.mark.parametrize("query", ["ezera", "ezera 7", "svetki ezera", "zilupe"])
def test_rows_and_counts_are_those_of_a_plain_reading(db, monkeypatch, query):
    # A common word (past the count cap), a rare one, two words matched in any order, and a
    # word nothing holds: the page's rows and counts are the same as reading every row.
    monkeypatch.setattr(search, "COUNT_CAP", search.CAP)
    now = timezone.now()
    for number in range(12):
        centre = ResourceCentreFactory(slug=f"c{number}", name=f"Ezera centrs {number}")
        community = CommunityFactory(
            slug=f"k{number}", name=f"Ezera kopiena {number}", resource_centre=centre
        )
        _soon(12 - number, slug=f"n{number}", title=f"Ezera svētki {number}", centre=centre)
        _past(number + 1, slug=f"p{number}", title=f"Svētki pie ezera {number}")
        published_initiative(
            funded=False, community=community, title=f"Ezera sakopšana {number}", year=2025
        )
    _soon(1, slug="slepens", title="Ezera svētki 7", is_published=False)
    words = query.split()

    results = search.search(query=query, now=now)

    events = Event.objects.filter(is_published=True)
    plain = [
        _plain(
            ResourceCentre.objects.filter(is_published=True), words, lambda c: (c.sort_name, c.name)
        ),
        _plain(Community.objects.filter(is_published=True), words, lambda c: (c.sort_name, c.name)),
        _plain(
            [event for event in events if event.ends_at >= now],
            words,
            lambda event: (event.starts_at, event.pk),
        ),
        _plain(
            [event for event in events if event.ends_at < now],
            words,
            lambda event: (-event.starts_at.timestamp(), -event.pk),
        ),
        _plain(
            Initiative.objects.filter(
                status=Initiative.Status.PUBLISHED, community__is_published=True
            ),
            words,
            lambda initiative: (-initiative.year, initiative.title, initiative.pk),
        ),
    ]
    caps = [search.CAP, search.CAP, search.EVENT_CAP, search.EVENT_CAP, search.CAP]
    assert [([item.pk for item in group.items], group.total) for group in results.groups] == [
        (pks[:cap], total) for (pks, total), cap in zip(plain, caps, strict=True)
    ]


def _under_way(hours_ago: int, hours_left: int, **kwargs) -> Event:
    now = timezone.now()
    return EventFactory(
        starts_at=now - timedelta(hours=hours_ago),
        ends_at=now + timedelta(hours=hours_left),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("under_way", "ahead", "more_queries", "first"),
    [
        # The rows shown decide it, more matched: the first start ahead, no query more.
        (0, search.EVENT_CAP + 2, 0, ("a0", "starts_at")),
        # ... or the first end of one under way, which all come before those ahead.
        (2, search.EVENT_CAP, 0, ("u0", "ends_at")),
        # Every match shown, all under way: no query more.
        (3, 0, 0, ("u0", "ends_at")),
        # All the rows shown under way and more matched: the first to end may be one not
        # shown (u0, the last to have started), so the two short walks are made.
        (search.EVENT_CAP + 1, 1, 2, ("u0", "ends_at")),
    ],
)
def test_when_the_results_change_is_what_the_events_list_says(
    db, django_assert_num_queries, under_way, ahead, more_queries, first
):
    for number in range(under_way):
        # The last to have started (u0) is the first to end.
        _under_way(
            number + 1,
            1 if number == 0 else 10 + number,
            slug=f"u{number}",
            title=f"Ezera talka {number}",
        )
    for number in range(ahead):
        _soon(number + 1, slug=f"a{number}", title=f"Ezera svētki {number}")
    now = timezone.now()
    expected = event_selectors.list_changes_at(
        event_selectors.event_list(now=now).filter(search_text__contains="ezera"), now=now
    )

    with django_assert_num_queries(SEARCH_QUERIES + more_queries):
        results = search.search(query="ezera", now=now)

    slug, moment = first
    assert (results.changes_at, expected) == (
        getattr(Event.objects.get(slug=slug), moment),
        getattr(Event.objects.get(slug=slug), moment),
    )


@pytest.mark.postgres
def test_the_events_search_has_its_trigram_index_on_postgresql(db):
    # A rare word is found through it instead of reading every event (events migration 0007);
    # a common one walks the list's own index and stops at the first COUNT_CAP + 1 matches.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["event_search_trgm"]
        )
        definitions = [row[0] for row in cursor.fetchall()]

    assert definitions == [
        "CREATE INDEX event_search_trgm ON public.events_event USING gin (search_text gin_trgm_ops)"
    ]
