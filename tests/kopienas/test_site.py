"""Site-wide endpoints: health check, robots.txt, the sitemap and the error pages."""

import logging
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import path

from communities.models import Community
from kopienas import errors
from kopienas.urls import urlpatterns as site_urlpatterns
from resource_centres.models import ResourceCentre

SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
STATIC_PAGES = ["/", "/par/", "/celazimes/", "/centri/", "/kopienas/"]
CENTRE_SLUGS = [
    "aglona",
    "dagda",
    "daugavpils",
    "ilukste",
    "nautreni",
    "preili",
    "priezmale",
    "sakstagals",
    "varkava",
    "zilupe",
]
COMMUNITY_SLUGS = [*CENTRE_SLUGS, "kraslava"]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(" ".join(data.split()))


def _parse(content: bytes) -> _Tags:
    parser = _Tags()
    parser.feed(content.decode())
    parser.close()
    return parser


def _first(tags: _Tags, tag: str, **attrs: str) -> dict[str, str | None] | None:
    for name, values in tags.tags:
        if name == tag and all(values.get(key) == value for key, value in attrs.items()):
            return values
    return None


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


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    home = client.get("/")

    assert (health.status_code, health.content) == (200, b"ok\n")
    # The exemption is for the probe only.
    assert (home.status_code, home.headers["Location"]) == (301, "https://testserver/")


def test_healthz_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405


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


# --- error pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/nav-tadas-lapas/", "/centri/nav-tada-centra/"])
def test_404_page_is_latvian_and_in_the_site_design(client, latgale, page):
    response = client.get(page)

    assert (response.status_code, response.headers["Content-Language"]) == (404, "lv")
    tags = _parse(response.content)
    assert _first(tags, "html") == {"lang": "lv"}
    assert _first(tags, "a", href="#saturs") == {"class": "skip-link", "href": "#saturs"}
    assert _first(tags, "nav", **{"class": "site-nav"}) is not None
    assert _first(tags, "main") == {"id": "saturs", "tabindex": "-1"}
    assert "Lapa nav atrasta" in tags.text
    assert (
        "Šādas lapas nav vai tā ir pārvietota. Pārbaudiet adresi vai sāciet no sākumlapas."
        in tags.text
    )


def test_404_page_under_en_is_the_english_interface(client, latgale):
    response = client.get("/en/nav-tadas-lapas/")

    assert (response.status_code, response.headers["Content-Language"]) == (404, "en")
    tags = _parse(response.content)
    assert _first(tags, "html") == {"lang": "en"}
    assert _first(tags, "a", href="#saturs") is not None
    assert _first(tags, "nav", **{"class": "site-nav"}) is not None
    # The way back leads to the English home page.
    assert _first(tags, "a", **{"class": "button"}) == {"class": "button", "href": "/en/"}


def test_500_page_renders_without_the_database():
    # No `db` fixture: pytest-django makes any query in this test an error.
    response = errors.server_error(RequestFactory().get("/centri/"))

    assert response.status_code == 500
    tags = _parse(response.content)
    assert "Radās kļūda" in tags.text
    assert _first(tags, "a", href="#saturs") is not None


def failing_view(request):
    raise RuntimeError("test: a view that fails")


# The site's own URLs (the error page reverses them) plus one view that fails.
urlpatterns = [path("kluda/", failing_view), *site_urlpatterns]
handler500 = "kopienas.errors.server_error"


@pytest.mark.urls(__name__)
def test_unhandled_error_shows_the_500_page(client, db):
    client.raise_request_exception = False

    response = client.get("/kluda/")

    assert response.status_code == 500
    tags = _parse(response.content)
    assert _first(tags, "html") == {"lang": "lv"}
    assert "Radās kļūda" in tags.text
    assert (
        "Atvainojiet, mūsu pusē kaut kas nogāja greizi. Mēs par to jau zinām. "
        "Lūdzu, mēģiniet vēlreiz pēc brīža." in tags.text
    )
    assert "test: a view that fails" not in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
