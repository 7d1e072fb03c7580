"""Security headers and CSP-safe markup on every public page (DESIGN §8 "Security")."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from kopienas.urls import urlpatterns as site_urlpatterns

PROJECT_ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PATHS = [
    "/",
    "/par/",
    "/celazimes/",
    "/centri/",
    "/centri/preili/",
    "/kopienas/",
    "/kopienas/preili/",
]
PUBLIC_PAGES = [
    *[(page, 200) for page in PUBLIC_PATHS],
    *[(f"/en{page}", 200) for page in PUBLIC_PATHS],
    ("/nav-tadas-lapas/", 404),
    ("/en/nav-tadas-lapas/", 404),
    ("/centri/nav-tada-centra/", 404),
]
PAGE_IDS = [page for page, _status in PUBLIC_PAGES]

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


@pytest.fixture
def public_page(client, latgale, request):
    page, status = request.param
    response = client.get(page)
    assert response.status_code == status
    return response


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=PAGE_IDS, indirect=True)
def test_public_page_sends_the_security_headers(public_page):
    csp = _directives(public_page.headers["Content-Security-Policy"])

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
        name: public_page.headers.get(name)
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


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=PAGE_IDS, indirect=True)
def test_every_script_is_a_static_file_or_carries_the_nonce(public_page):
    nonce = _header_nonce(public_page.headers["Content-Security-Policy"])
    scripts = [attrs for tag, attrs in _tags(public_page.content) if tag == "script"]

    for attrs in scripts:
        if attrs.get("src"):
            assert attrs["src"].startswith("/static/")
        else:
            assert nonce is not None
            assert attrs.get("nonce") == nonce
        if "nonce" in attrs:
            assert attrs["nonce"] == nonce


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=PAGE_IDS, indirect=True)
def test_no_inline_styles_or_event_handlers(public_page):
    tags = _tags(public_page.content)

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


def test_pages_with_the_map_load_only_static_scripts(client, latgale):
    for page in ["/", "/centri/", "/centri/preili/"]:
        scripts = [attrs for tag, attrs in _tags(client.get(page).content) if tag == "script"]
        assert [attrs.get("src") for attrs in scripts] == [
            "/static/leaflet/leaflet.js",
            "/static/js/map.js",
        ]


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


@pytest.mark.parametrize("page", ["/", "/en/centri/", "/healthz", "/nav-tadas-lapas/"])
def test_hsts_over_https(client, latgale, settings, page):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(page, secure=True)

    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


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


def test_deploy_checks_pass_with_production_settings():
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "EMAIL_"))
        and name not in {"DATABASE_URL", "REDIS_URL", "DEFAULT_FROM_EMAIL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kopienas.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.lv",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kopienas",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )
