"""Public pages in a real browser: axe-core, keyboard use, the map's list and small screens.

DESIGN §8: WCAG 2.1 AA with 0 axe violations, full keyboard use, a skip link, visible focus and
a list equivalent of every map; every flow works without JavaScript.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.latgale import CENTRE_NAMES

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
TILE_HOST = "https://tile.openstreetmap.org/"

# What the keyboard test needs to know about the focused element.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.getAttribute("alt") || el.getAttribute("aria-label") || "").trim(),
    in_list: Boolean(el.closest("#centru-saraksts")),
    focus_visible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""
DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
}"""


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}"


def open_and_settle(page, url: str):
    response = page.goto(url)
    # The map replaces its "loading" hint once Leaflet has run; axe must see the final page.
    if page.locator("[data-map]").count():
        page.wait_for_selector("[data-map] .leaflet-marker-icon")
    return response


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/centri/", 200),
        ("/centri/preili/", 200),
        ("/celazimes/", 200),
        ("/skaitli/", 200),
        ("/skaitli/?kopiena=preili", 200),
        ("/en/centri/", 200),
        ("/en/", 200),
        # An outdated filter: the page says so in a live region around the list of notices.
        ("/centri/?novads=bad", 200),
        ("/par/", 200),
        ("/kopienas/", 200),
        ("/kopienas/preili/", 200),
        ("/centri/nav-tada-centra/", 404),
        # Finding things (issue 17): results, nothing found, a too-short query, distance sort.
        ("/meklet/?q=rezekne", 200),
        ("/meklet/?q=nekas+tads", 200),
        ("/meklet/?q=a", 200),
        ("/en/meklet/?q=preili", 200),
        ("/centri/?tuvu=Ludzas+novads", 200),
        ("/pasakumi/?tuvu=Ludzas+novads", 200),
    ],
)
def test_page_has_no_axe_violations(latgale_live, page, page_watch, path, status):
    url = latgale_live.url + path
    response = open_and_settle(page, url)

    results = Axe().run(page, options=AXE_OPTIONS)

    assert response.status == status
    assert [describe(v) for v in results.response["violations"]] == [], results.generate_report()
    assert page.evaluate(DUPLICATE_IDS) == []
    # The 404 page's own status is the one error the browser is right to log.
    not_found = (
        f"Failed to load resource: the server responded with a status of 404 (Not Found) ({url})"
    )
    assert [error for error in page_watch.errors if error != not_found] == []
    assert page_watch.csp == []


def test_keyboard_reaches_search_and_centre_list_in_order(latgale_live, page, page_watch):
    open_and_settle(page, latgale_live.url + "/centri/")

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    page.keyboard.press("Enter")
    main_id = page.evaluate("() => document.activeElement.id")

    # Tab on until focus has passed through the list and left it (60 stops is far more than enough).
    focused = []
    left_list = False
    while len(focused) < 60 and not left_list:
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUSED))
        left_list = not focused[-1]["in_list"] and any(f["in_list"] for f in focused)

    assert (skip["tag"], skip["text"], skip["focus_visible"]) == ("a", "Pāriet uz saturu", True)
    assert main_id == "saturs"
    assert left_list is True
    assert [(f["tag"], f["id"] or f["text"]) for f in focused[:5]] == [
        ("input", "id_q"),
        ("select", "id_novads"),
        ("select", "id_tuvu"),
        # Shown by static/js/near-me.js where the browser can tell its location.
        ("button", "Izmantot manu atrašanās vietu"),
        ("button", "Meklēt"),
    ]
    assert [f["text"] for f in focused if f["in_list"]] == CENTRE_NAMES
    # Every stop on the way, the map's controls and markers included, shows where focus is.
    assert [f for f in focused if not (f["focus_visible"] and f["outline"])] == []

    # Before the map's own stops comes a way past them, straight to the same list.
    assert (focused[5]["tag"], focused[5]["text"]) == (
        "a",
        "Izlaist karti un pāriet uz centru sarakstu",
    )

    # Back to the last card and open it with the keyboard.
    page.keyboard.press("Shift+Tab")
    last = page.evaluate(FOCUSED)
    page.keyboard.press("Enter")
    page.wait_for_url("**/centri/zilupe/")

    assert last["text"] == "Zilupes kopienas resursu centrs"
    assert page.locator("h1").inner_text() == "Zilupes kopienas resursu centrs"
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_keyboard_can_skip_the_map_to_the_list(latgale_live, page, page_watch):
    open_and_settle(page, latgale_live.url + "/centri/")
    page.focus("#id_q")
    # The novads select, the distance select, the location button, "Meklēt", then the way
    # past the map.
    for _ in range(5):
        page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first_card = page.evaluate(FOCUSED)

    assert (skip["text"], skip["focus_visible"]) == (
        "Izlaist karti un pāriet uz centru sarakstu",
        True,
    )
    assert (first_card["text"], first_card["in_list"]) == (CENTRE_NAMES[0], True)
    assert page_watch.errors == []


def test_list_is_complete_when_map_tiles_fail(latgale_live, page, page_watch):
    failed_tiles = []
    page.on(
        "requestfailed",
        lambda request: request.url.startswith(TILE_HOST) and failed_tiles.append(request.url),
    )
    open_and_settle(page, latgale_live.url + "/centri/")
    titles = page.locator("#centru-saraksts .card-title")

    assert failed_tiles != []
    assert page.get_by_role("region", name="Resursu centru karte").is_visible() is True
    assert page.locator("#centru-karte .leaflet-marker-icon").count() == len(CENTRE_NAMES)
    assert titles.all_inner_texts() == CENTRE_NAMES
    assert [title.is_visible() for title in titles.all()] == [True] * len(CENTRE_NAMES)
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_without_javascript_the_map_stays_hidden_and_the_list_is_complete(
    latgale_live, new_page, page_watch
):
    page = new_page(javascript=False)
    page.goto(latgale_live.url + "/centri/")
    titles = page.locator("#centru-saraksts .card-title")

    assert page.locator("#centru-karte").is_hidden() is True
    assert titles.all_inner_texts() == CENTRE_NAMES
    assert [title.is_visible() for title in titles.all()] == [True] * len(CENTRE_NAMES)
    assert page_watch.csp == []


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("centri", "/centri/"),
        ("preili", "/centri/preili/"),
        ("meklet", "/meklet/?q=preili"),
        ("centri-tuvu", "/centri/?tuvu=Ludzas+novads"),
    ],
)
def test_page_fits_the_screen(latgale_live, new_page, page_watch, artifacts, name, path, width):
    page = new_page(width=width)
    open_and_settle(page, latgale_live.url + path)
    page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)

    # Nothing may push the page sideways: a phone would have to scroll every line.
    assert page.evaluate("() => document.documentElement.scrollWidth") == width
    assert page_watch.errors == []
    assert page_watch.csp == []
