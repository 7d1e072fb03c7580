"""Security headers and CSP-safe markup on every public response (DESIGN §8 "Security").

`manage.py check --deploy` under production settings is tested with the other settings, in
test_settings.py.
"""

import re
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from kopienas.urls import urlpatterns as site_urlpatterns
from tests.test_permission_matrix import MATRIX, URL_NAMES


def _anonymous_paths() -> list[str]:
    """Every non-admin path the permission matrix checks for an anonymous visitor, in order.

    The matrix must name every URL of the project (tests/test_permission_matrix.py fails
    otherwise), so a new URL is covered here as soon as someone decides who may open it.
    """
    paths = []
    for name, rows in MATRIX.items():
        for page, expectations in rows:
            # The admin's own pages are checked with the admin; the redirects from the admin's
            # old paths of events are the site's.
            admin = page.startswith("/admin/") and name != "moved_admin_page"
            if "anonymous" in expectations and not admin:
                paths.append(page)
    return list(dict.fromkeys(paths))


# Pages no URL pattern matches answer too, with the site's 404 page.
UNKNOWN_PAGES = ["/nav-tadas-lapas/", "/en/nav-tadas-lapas/"]
PUBLIC_PAGES = [*_anonymous_paths(), *UNKNOWN_PAGES]

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _header_nonce(header: str) -> str | None:
    match = NONCE.search(_directives(header)["script-src"][-1])
    return match[1] if match else None


class _Tags(HTMLParser):
    """Every start tag of a document, with its attributes, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _tags(content: bytes) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(content.decode())
    parser.close()
    return parser.tags


def _assert_security_headers(response) -> None:
    csp = _directives(response.headers["Content-Security-Policy"])

    # A nonce is only sent when a template used one (Django's LazyNonce); either way nothing
    # but the site's own files and nonce-marked scripts may run.
    assert csp["script-src"][0] == "'self'"
    assert all(NONCE.fullmatch(value) for value in csp["script-src"][1:])
    assert len(csp["script-src"]) <= 2
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert {
        name: response.headers.get(name)
        for name in [
            "X-Content-Type-Options",
            "Referrer-Policy",
            "X-Frame-Options",
            "Cross-Origin-Opener-Policy",
        ]
    } == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def _assert_scripts_are_static_files_or_carry_the_nonce(response, tags) -> None:
    nonce = _header_nonce(response.headers["Content-Security-Policy"])
    for tag, attrs in tags:
        if tag != "script":
            continue
        if attrs.get("src"):
            assert attrs["src"].startswith("/static/")
        else:
            assert nonce is not None
            assert attrs.get("nonce") == nonce
        if "nonce" in attrs:
            assert attrs["nonce"] == nonce


def _assert_no_inline_styles_or_event_handlers(tags) -> None:
    assert [tag for tag, _attrs in tags if tag == "style"] == []
    assert [(tag, attrs) for tag, attrs in tags if "style" in attrs] == []
    assert [
        (tag, name) for tag, attrs in tags for name in attrs if name.lower().startswith("on")
    ] == []
    assert [
        (tag, attrs)
        for tag, attrs in tags
        if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values())
    ] == []


def test_every_url_of_the_project_is_checked():
    """Each URL name the permission matrix walks has at least one path in PUBLIC_PAGES."""
    checked = {name for name, rows in MATRIX.items() if any(p in PUBLIC_PAGES for p, _ in rows)}

    assert sorted(set(URL_NAMES) - checked) == []
    # The endpoints that are not pages are checked too, not only the HTML pages.
    assert {
        "/healthz",
        "/readyz",
        "/robots.txt",
        "/favicon.ico",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-centres.xml",
        "/sitemap-communities.xml",
    } <= set(PUBLIC_PAGES)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_response_is_csp_safe(client, latgale, settings, page):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    # Over HTTPS, as production serves every page. Whatever the status (200, a redirect, a 404),
    # the headers go on every response.
    response = client.get(page, secure=True)

    _assert_security_headers(response)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    if response.headers["Content-Type"].startswith("text/html") and response.content:
        tags = _tags(response.content)
        # A real page of the site, so the markup checks below have something to check.
        assert tags[0] == ("html", {"lang": "en" if page.startswith("/en/") else "lv"})
        _assert_scripts_are_static_files_or_carry_the_nonce(response, tags)
        _assert_no_inline_styles_or_event_handlers(tags)


def test_pages_with_the_map_load_only_static_scripts(client, latgale):
    found = {}
    for page in ["/", "/centri/", "/centri/preili/"]:
        scripts = [attrs for tag, attrs in _tags(client.get(page).content) if tag == "script"]
        found[page] = [attrs.get("src") for attrs in scripts]

    map_scripts = ["/static/leaflet/leaflet.js", "/static/js/map.js"]
    assert found == {
        "/": map_scripts,
        # The list also offers to sort by the browser's location (an enhancement).
        "/centri/": [*map_scripts, "/static/js/near-me.js"],
        "/centri/preili/": map_scripts,
    }


def test_exact_content_security_policy(client, latgale):
    response = client.get("/celazimes/")

    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data: https://tile.openstreetmap.org; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def nonce_page(request):
    template = engines["django"].from_string(
        '<script nonce="{{ csp_nonce }}">document.title = "";</script>'
    )
    return HttpResponse(template.render({}, request))


# The site's own URLs (templates reverse them) plus a page that uses the nonce, for the test below.
urlpatterns = [path("nonce-page/", nonce_page), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_template_that_uses_the_nonce_gets_it_in_the_header(client, db):
    response = client.get("/nonce-page/")

    nonce = _header_nonce(response.headers["Content-Security-Policy"])
    assert nonce is not None
    assert len(nonce) >= 16
    assert response.content.decode() == f'<script nonce="{nonce}">document.title = "";</script>'
    assert _directives(response.headers["Content-Security-Policy"])["script-src"] == [
        "'self'",
        f"'nonce-{nonce}'",
    ]
    # A fresh nonce for every response.
    assert _header_nonce(client.get("/nonce-page/").headers["Content-Security-Policy"]) != nonce


def test_no_hsts_over_plain_http(client, latgale, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000

    response = client.get("/")

    assert "Strict-Transport-Security" not in response.headers


def test_plain_http_is_redirected_to_https_in_production(client, latgale, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/centri/?q=preili")

    assert (response.status_code, response.headers["Location"]) == (
        301,
        "https://testserver/centri/?q=preili",
    )
