"""Every page of the permission matrix in Chromium: nothing it asks its own site for fails.

DESIGN §8: "no failed same-origin request (icons, styles, scripts) on any page". The map's
marker images are such requests: Leaflet guesses their folder from the page's own address unless
told, and guessed wrong (issue #17).
"""

import pytest

from tests.site_pages import matrix_pages, sign_in

pytestmark = pytest.mark.browser


MAP_PAGES = [
    "/",
    "/en/",
    "/centri/",
    "/en/centri/",
    "/centri/preili/",
    "/en/centri/preili/",
    "/iniciativas/",
    "/en/iniciativas/",
    "/iniciativas/?kopiena=preili&gads=2024&q=talka",
    "/iniciativas/?gads=abc&kopiena=%3Cscript%3E&lapa=99",
]


def bounding_box(locator) -> dict:
    return locator.bounding_box()


def failed_requests(page, base_url: str) -> list[str]:
    failed = []
    page.on(
        "response",
        lambda response: (
            response.url.startswith(base_url)
            and response.status >= 400
            and failed.append(f"{response.status} {response.url.removeprefix(base_url)}")
        ),
    )
    return failed


def test_no_page_asks_its_own_site_for_anything_that_fails(
    roles, hashed_static, live_server, people, placeholders, new_page, page_watch
):
    pages = matrix_pages(people, placeholders, "anonymous")
    page = new_page(width=1280)
    failed = failed_requests(page, live_server.url)

    failures, maps = {}, {}
    for path in pages:
        page.goto(live_server.url + path)
        if page.locator("[data-map]").count():
            page.wait_for_selector("[data-map] .leaflet-marker-icon")
            markers = page.locator("[data-map] .leaflet-marker-icon")
            # Images the markers ask for have arrived (or failed) before the page is judged.
            page.wait_for_load_state("networkidle")
            # WCAG 2.5.8: every marker is a target of at least 24 × 24 CSS pixels.
            maps[path] = sorted(
                {(box["width"], box["height"]) for box in map(bounding_box, markers.all())}
            )
        if failed:
            failures[path] = list(failed)
            failed.clear()

    assert "/" in pages and "/pasakumi/" in pages
    assert failures == {}
    assert maps == {path: [(25, 41)] for path in MAP_PAGES}
    assert page_watch.csp == []


@pytest.mark.parametrize("role", ["anonymous", "member", "leader"])
def test_every_page_fits_a_phone_screen(
    roles, live_server, people, placeholders, new_page, page_watch, artifacts, role
):
    """DESIGN §8: no page or form is wider than a 360 px screen, signed in or out (issue #14).

    The member has applied (a submitted application and a draft with its budget) and registered
    for an event; the leader sees their community's members and has a decided application, so
    their pages show their tables and forms."""
    pages = matrix_pages(people, placeholders, role)
    page = new_page(width=360, height=740)

    too_wide = {}
    for path in pages:
        if people[role] is not None:
            sign_in(page.context, people, role, live_server.url)
        page.goto(live_server.url + path)
        # Lazy images and map tiles load after "load"; the next sign-in writes a session, which
        # SQLite's shared in-memory test database refuses while the server still reads one.
        page.wait_for_load_state("networkidle")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
            name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            page.screenshot(path=artifacts / f"too-wide-{role}-{name}.png", full_page=True)

    assert len(pages) > 10
    assert too_wide == {}
    assert page_watch.csp == []
