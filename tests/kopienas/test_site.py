"""Site-wide endpoints: health check, robots.txt, the sitemap and the error pages."""

import logging
import xml.etree.ElementTree as ET

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from communities.models import Community
from events.models import Event
from kopienas.sitemaps import LanguagePairs
from resource_centres.models import ResourceCentre
from tests.factories.initiatives import own_initiative
from tests.html import parse
from tests.initiatives.public_support import published_own
from tests.latgale import CENTRES_IN_LIST_ORDER

SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
STATIC_PAGES = [
    "/",
    "/par/",
    "/celazimes/",
    "/skaitli/",
    "/privatums/",
    "/centri/",
    "/kopienas/",
    "/iniciativas/",
]
CENTRE_SLUGS = sorted(slug for _name, slug in CENTRES_IN_LIST_ORDER)
COMMUNITY_SLUGS = [*CENTRE_SLUGS, "kraslava"]
SITE_NAV = [
    "Resursu centri",
    "Kopienas",
    "Pasākumi",
    "Iniciatīvas",
    "Modelis",
    "Ceļazīmes",
    "Konkursi",
    "Pieslēgties",
]
SERVER_ERROR_TEXT = "Atvainojiet, mūsu pusē radās kļūda. Lūdzu, mēģiniet vēlreiz pēc brīža."


# --- /healthz --------------------------------------------------------------------------------


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.content, response.headers["Content-Type"]) == (
        200,
        b"ok\n",
        "text/plain",
    )
    # A proxy must never answer a health probe from its cache.
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch, caplog):
    monkeypatch.setattr("kopienas.views.connection", _BrokenConnection())

    with caplog.at_level(logging.ERROR, logger="kopienas.views"):
        response = client.get("/healthz")

    assert (response.status_code, response.content, response.headers["Content-Type"]) == (
        503,
        b"database unavailable\n",
        "text/plain",
    )
    assert [
        record.getMessage() for record in caplog.records if record.name == "kopienas.views"
    ] == ["Health check: the database did not answer"]


def test_healthz_answers_head_probes(client, db):
    response = client.head("/healthz")

    # HEAD is GET without the body: same status and headers, nothing to read.
    assert (response.status_code, response.content, response.headers["Content-Type"]) == (
        200,
        b"",
        "text/plain",
    )
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_healthz_head_probe_sees_a_database_outage(client, db, monkeypatch):
    monkeypatch.setattr("kopienas.views.connection", _BrokenConnection())

    response = client.head("/healthz")

    assert (response.status_code, response.content) == (503, b"")


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    home = client.get("/")

    assert (health.status_code, health.content) == (200, b"ok\n")
    # The exemption is for the probe only.
    assert (home.status_code, home.headers["Location"]) == (301, "https://testserver/")


def test_healthz_refuses_writes_and_names_what_it_answers(client, db):
    response = client.post("/healthz")

    assert (response.status_code, response.headers["Allow"], response.content) == (
        405,
        "GET, HEAD",
        b"",
    )


# --- /robots.txt -----------------------------------------------------------------------------


def test_robots_txt(client, db):
    response = client.get("/robots.txt")

    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/plain")
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /konts/\n"
        "Disallow: /mans/\n"
        "Disallow: /pieteikumi/\n"
        "Disallow: /en/konts/\n"
        "Disallow: /en/mans/\n"
        "Disallow: /en/pieteikumi/\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )


def test_robots_txt_names_the_sitemap_on_the_requested_https_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["example.lv"]

    response = client.get("/robots.txt", secure=True, headers={"host": "example.lv"})

    assert response.content.decode().splitlines()[-1] == "Sitemap: https://example.lv/sitemap.xml"


# --- /sitemap.xml ----------------------------------------------------------------------------


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/xml")
    # The document is the site's own response, not outside input.
    return ET.fromstring(response.content)  # noqa: S314


def _sitemap(client) -> dict[str, dict[str, str]]:
    """Each listed location with its language alternates, following a sitemap index."""
    root = _xml(client, "/sitemap.xml")
    if root.tag == f"{{{SITEMAP_NS['sm']}}}sitemapindex":
        documents = [
            _xml(client, loc.text.removeprefix("http://testserver"))
            for loc in root.findall("sm:sitemap/sm:loc", SITEMAP_NS)
        ]
    else:
        documents = [root]
    listed = {}
    for document in documents:
        for url in document.findall("sm:url", SITEMAP_NS):
            location = url.findtext("sm:loc", namespaces=SITEMAP_NS)
            # A page listed twice would be a bug of its own.
            assert location not in listed
            listed[location] = {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", SITEMAP_NS)
            }
    return listed


def _expected(paths: list[str]) -> dict[str, dict[str, str]]:
    expected = {}
    for page in paths:
        alternates = {"lv": f"http://testserver{page}", "en": f"http://testserver/en{page}"}
        expected[alternates["lv"]] = alternates
        expected[alternates["en"]] = alternates
    return expected


def test_sitemap_lists_every_published_page_in_both_languages(client, latgale):
    assert _sitemap(client) == _expected(
        [
            *STATIC_PAGES,
            *[f"/centri/{slug}/" for slug in CENTRE_SLUGS],
            *[f"/kopienas/{slug}/" for slug in COMMUNITY_SLUGS],
        ]
    )


def test_sitemap_leaves_out_unpublished_centres_and_communities(client, latgale):
    ResourceCentre.objects.filter(slug="preili").update(is_published=False)
    Community.objects.filter(slug="kraslava").update(is_published=False)

    assert _sitemap(client) == _expected(
        [
            *STATIC_PAGES,
            *[f"/centri/{slug}/" for slug in CENTRE_SLUGS if slug != "preili"],
            *[f"/kopienas/{slug}/" for slug in COMMUNITY_SLUGS if slug != "kraslava"],
        ]
    )


def test_sitemap_pages_through_a_large_network_without_losing_or_repeating_pages(client, latgale):
    extra = [f"kopiena-{number:03d}" for number in range(60)]
    Community.objects.bulk_create(
        Community(slug=slug, name=f"Kopiena {slug}", municipality="Ludzas novads") for slug in extra
    )

    assert _sitemap(client) == _expected(
        [
            *STATIC_PAGES,
            *[f"/centri/{slug}/" for slug in CENTRE_SLUGS],
            *[f"/kopienas/{slug}/" for slug in [*COMMUNITY_SLUGS, *extra]],
        ]
    )


def test_language_pairs_slice_like_the_list_django_would_build(db):
    Community.objects.bulk_create(
        Community(slug=f"k-{number:02d}", name=f"Kopiena {number}", municipality="Ludzas novads")
        for number in range(7)
    )
    rows = Community.objects.order_by("slug")
    # The section tells how many rows there are (kopienas.sitemaps.totals).
    pairs = LanguagePairs(rows, ["lv", "en", "ru"], rows=7)
    eager = [(row.slug, language) for row in rows for language in ["lv", "en", "ru"]]

    sliced = {
        (start, stop): [(row.slug, language) for row, language in pairs[start:stop]]
        for start in range(len(eager) + 1)
        for stop in range(start, len(eager) + 2)
    }

    assert pairs.count() == len(eager) == 21
    assert sliced == {key: eager[key[0] : key[1]] for key in sliced}


def test_the_sitemap_index_counts_rows_instead_of_reading_them(
    client, latgale, django_assert_num_queries
):
    Community.objects.bulk_create(
        Community(
            slug=f"kopiena-{number:03d}", name=f"Kopiena {number}", municipality="Ludzas novads"
        )
        for number in range(120)
    )

    # One count (with the latest date where a section has one) per section, no rows; then
    # the totals are stored in the shared cache (five queries on the database cache of the
    # tests), from where the next request reads them in one.
    with django_assert_num_queries(1 + 6 + 5) as queries:
        root = _xml(client, "/sitemap.xml")
    with django_assert_num_queries(1):
        again = _xml(client, "/sitemap.xml")

    reading_rows = [
        query["sql"]
        for query in queries.captured_queries
        if "kopienas_cache" not in query["sql"]
        and "SAVEPOINT" not in query["sql"]
        and "COUNT(" not in query["sql"]
    ]
    assert reading_rows == []
    assert ET.tostring(again) == ET.tostring(root)
    assert [loc.text for loc in root.findall("sm:sitemap/sm:loc", SITEMAP_NS)] == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-centres.xml",
        "http://testserver/sitemap-communities.xml",
        "http://testserver/sitemap-communities.xml?p=2",
        "http://testserver/sitemap-communities.xml?p=3",
        "http://testserver/sitemap-events.xml",
        "http://testserver/sitemap-rounds.xml",
        "http://testserver/sitemap-results.xml",
        "http://testserver/sitemap-initiatives.xml",
    ]


def test_the_sitemap_follows_a_change_on_the_very_next_request(client, db):
    from tests.factories import CommunityFactory, EventFactory

    CommunityFactory.create_batch(50)
    event = EventFactory(slug="talka")
    seen = []

    def index() -> list[tuple[str, str | None]]:
        root = _xml(client, "/sitemap.xml")
        return [
            (
                entry.findtext("sm:loc", namespaces=SITEMAP_NS)[len("http://testserver") :],
                entry.findtext("sm:lastmod", namespaces=SITEMAP_NS),
            )
            for entry in root.findall("sm:sitemap", SITEMAP_NS)
            if "communities" in entry.findtext("sm:loc", namespaces=SITEMAP_NS)
            or "events" in entry.findtext("sm:loc", namespaces=SITEMAP_NS)
        ]

    def event_lastmod() -> str:
        return timezone.localtime(Event.objects.get(pk=event.pk).updated_at).isoformat()

    # The totals are kept in the shared cache (kopienas.sitemaps.totals): read twice, so they are.
    index()
    seen.append((index(), event_lastmod()))
    # A 51st community fills a second page of them; a saved event is the latest change.
    extra = CommunityFactory()
    event.title = "Talka ezera krastā"
    event.save()
    seen.append((index(), event_lastmod()))
    # Unpublished again, the community leaves the sitemap and its second page with it.
    extra.is_published = False
    extra.save()
    seen.append((index(), event_lastmod()))

    assert [listed for listed, _lastmod in seen] == [
        [
            ("/sitemap-communities.xml", None),
            ("/sitemap-events.xml", seen[0][1]),
        ],
        [
            ("/sitemap-communities.xml", None),
            ("/sitemap-communities.xml?p=2", None),
            ("/sitemap-events.xml", seen[1][1]),
        ],
        [
            ("/sitemap-communities.xml", None),
            ("/sitemap-events.xml", seen[1][1]),
        ],
    ]
    assert seen[0][1] < seen[1][1]
    assert len(_xml(client, "/sitemap-communities.xml").findall("sm:url", SITEMAP_NS)) == 100


def test_sitemap_lists_published_initiatives_of_published_communities_only(
    client, latgale, coordinator
):
    published = published_own(
        community=Community.objects.get(slug="preili"), title="Parka talka", year=2024
    )
    own_initiative(community=Community.objects.get(slug="preili"), title="Vēl top")
    hidden = published_own(
        community=Community.objects.get(slug="kraslava"), title="Krāslavas talka", year=2024
    )
    Community.objects.filter(slug="kraslava").update(is_published=False)

    listed = _sitemap(client)

    assert [
        location
        for location in listed
        if "/iniciativas/" in location and not location.endswith("/iniciativas/")
    ] == [
        f"http://testserver{published.get_absolute_url()}",
        f"http://testserver/en{published.get_absolute_url()}",
    ]
    assert f"http://testserver{hidden.get_absolute_url()}" not in listed


# --- error pages -----------------------------------------------------------------------------


def _assert_site_design(doc, language: str) -> None:
    """The page is one of the site's own: its language, skip link, navigation and landmarks."""
    assert doc.select_one("html").get("lang") == language
    assert doc.select_one("a.skip-link").get("href") == "#saturs"
    assert doc.select_one("main").attrs == {"id": "saturs", "tabindex": "-1"}
    assert len(doc.select("nav.site-nav")) == 1
    assert len(doc.select("footer")) == 1


@pytest.mark.parametrize("page", ["/nav-tadas-lapas/", "/centri/nav-tada-centra/"])
def test_404_page_is_latvian_and_in_the_site_design(client, latgale, page):
    response = client.get(page)

    assert (response.status_code, response.headers["Content-Language"]) == (404, "lv")
    doc = parse(response.content)
    _assert_site_design(doc, "lv")
    assert doc.texts("nav.site-nav a") == SITE_NAV
    assert doc.select_one("title").text == "Lapa nav atrasta · Darbīgās kopienas"
    assert doc.select_one("main h1").text == "Lapa nav atrasta"
    assert doc.texts("main .prose p")[0] == (
        "Šādas lapas nav vai tā ir pārvietota. Pārbaudiet adresi vai sāciet no sākumlapas."
    )
    assert [(a.text, a.get("href")) for a in doc.select("main .prose p a")] == [
        ("Uz sākumlapu", "/"),
        ("Resursu centri", "/centri/"),
    ]


def test_404_page_under_en_is_the_english_interface(client, latgale):
    response = client.get("/en/nav-tadas-lapas/")

    assert (response.status_code, response.headers["Content-Language"]) == (404, "en")
    doc = parse(response.content)
    _assert_site_design(doc, "en")
    assert doc.select_one("main h1").text == "Page not found"
    # The ways back lead to the English pages.
    assert [(a.text, a.get("href")) for a in doc.select("main .prose p a")] == [
        ("Go to the home page", "/en/"),
        ("Resource centres", "/en/centri/"),
    ]


def _assert_500_page(response) -> None:
    assert (response.status_code, response.headers["Content-Language"]) == (500, "lv")
    doc = parse(response.content)
    _assert_site_design(doc, "lv")
    assert doc.texts("nav.site-nav a") == SITE_NAV
    assert doc.select_one("title").text == "Radās kļūda · Darbīgās kopienas"
    assert doc.select_one("main h1").text == "Radās kļūda"
    assert doc.texts("main .prose p") == [SERVER_ERROR_TEXT, "Uz sākumlapu"]
    assert doc.select_one("main a.button").get("href") == "/"
    # The error page is a response like any other: the security headers go on it too.
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp.split("; ")
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls("tests.kopienas.urls_500")
def test_unhandled_error_shows_the_500_page(client, db, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/kluda/")

    _assert_500_page(response)
    # The visitor never sees what went wrong; the log does.
    assert "test: a view that fails" not in response.content.decode()
    assert [
        (r.getMessage(), str(r.exc_info[1])) for r in caplog.records if r.name == "django.request"
    ] == [("Internal Server Error: /kluda/", "test: a view that fails")]


@pytest.mark.urls("tests.kopienas.urls_500")
def test_a_database_outage_is_the_503_page_through_the_whole_stack(client, monkeypatch, caplog):
    """The page fails on its first query; the middleware and the 503 page then need none, even
    for a signed-in person (whose session lives in the database)."""
    attempts = []

    def refuse(connection, *args, **kwargs):
        attempts.append(connection.alias)
        raise OperationalError("connection refused")

    # Every query, whichever the backend, connects through this method first.
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a-session-the-database-would-have-to-read"

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/datubaze/")

    assert attempts == ["default"]
    assert (
        response.status_code,
        response.headers["Retry-After"],
        response.headers["Content-Language"],
    ) == (503, "30", "lv")
    doc = parse(response.content)
    _assert_site_design(doc, "lv")
    assert doc.select_one("title").text == "Vietne īslaicīgi nav pieejama · Darbīgās kopienas"
    assert doc.texts("main .prose p") == [
        "Atvainojiet, vietne uz brīdi nevar nolasīt datus. Nekas no jūsu iepriekš saglabātā nav "
        "zudis. Lūdzu, mēģiniet vēlreiz pēc pusminūtes.",
        "Mēģināt vēlreiz",
    ]
    assert doc.select_one("main a.button").get("href") == "/datubaze/"
    # Nobody is shown as signed in: that would need the session.
    assert doc.texts("nav .nav-account") == ["Pieslēgties"]
    assert "connection refused" not in response.content.decode()
    assert [
        (r.getMessage(), str(r.exc_info[1])) for r in caplog.records if r.name == "django.request"
    ] == [("Service Unavailable: /datubaze/", "connection refused")]


def test_sitemap_lists_published_events_public_rounds_and_published_results(client, latgale):
    from grants.models import GrantRound
    from tests.factories import EventFactory
    from tests.factories.grants import GrantRoundFactory

    preili = ResourceCentre.objects.get(slug="preili")
    EventFactory(slug="talka", centre=preili)
    EventFactory(slug="slepens", centre=preili, is_published=False)
    GrantRoundFactory(slug="dk-2025", status=GrantRound.Status.RESULTS)
    GrantRoundFactory(slug="dk-2026")
    GrantRoundFactory(slug="melnraksts", status=GrantRound.Status.DRAFT)

    assert _sitemap(client) == _expected(
        [
            *STATIC_PAGES,
            *[f"/centri/{slug}/" for slug in CENTRE_SLUGS],
            *[f"/kopienas/{slug}/" for slug in COMMUNITY_SLUGS],
            "/pasakumi/talka/",
            "/konkursi/dk-2025/",
            "/konkursi/dk-2026/",
            "/konkursi/dk-2025/rezultati/",
        ]
    )
