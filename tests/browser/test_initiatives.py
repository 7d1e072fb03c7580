"""The initiatives' public pages in Chromium: axe-core, the map and its equal list, phones."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from communities.models import Community, ModelElement, TargetGroup
from grants.models import GrantRound
from tests.browser.test_public_pages import AXE_OPTIONS, describe, open_and_settle
from tests.factories.grants import closed_round
from tests.initiatives.public_support import published_funded, published_own

pytestmark = pytest.mark.browser


@pytest.fixture
def initiatives(latgale_live):
    """Two initiatives of the Preiļi community (one marker), one of Aglona, and one of a
    community without a centre (listed, not mapped), with photos, reach and elements."""
    elements = list(ModelElement.objects.order_by("order")[:3])
    seniors, youth = TargetGroup.objects.order_by("order")[:2]
    preili = Community.objects.get(slug="preili")
    lake = published_own(
        community=preili,
        title="Preiļu parka talka",
        year=2024,
        participants=140,
        elements=elements[:2],
        reach={seniors: 35, youth: 3},
        photos=[
            ("Cilvēki stāda kokus Preiļu parkā", "Talkas rīts parkā"),
            ("Jauni soliņi pie dīķa", ""),
            ("Bērni krāso žogu", "Jaunākie talcinieki"),
        ],
    )
    published_funded(
        grant_round=closed_round(
            status=GrantRound.Status.RESULTS, title="Mazo iniciatīvu konkurss 2025", year=2025
        ),
        application={
            "community": preili,
            "title": "Skolas dārzs Preiļos",
            "summary": "Skolēni un seniori kopā iekārto dārzu pie skolas.",
        },
        participants=60,
        elements=elements[2:],
    )
    published_own(
        community=Community.objects.get(slug="aglona"),
        title="Aglonas zupas svētki",
        year=2025,
        participants=85,
        photos=[("Zupas katls uz ugunskura", "")],
    )
    loner = Community.objects.create(
        slug="bez-centra", name="Kopiena bez centra", municipality="Ludzas novads"
    )
    published_own(community=loner, title="Ciema svētki bez centra", year=2023)
    return lake


@pytest.mark.parametrize(
    "path",
    [
        "/iniciativas/",
        "/en/iniciativas/",
        "/iniciativas/?q=nekas+tads",
        "/iniciativas/?gads=abc",
        "/iniciativas/preilu-parka-talka/",
        "/en/iniciativas/preilu-parka-talka/",
        "/kopienas/preili/",
    ],
)
def test_initiative_pages_have_no_axe_violations(initiatives, latgale_live, page, page_watch, path):
    response = open_and_settle(page, latgale_live.url + path)
    results = Axe().run(page, options=AXE_OPTIONS)

    assert response.status == 200
    assert [describe(v) for v in results.response["violations"]] == [], results.generate_report()
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_one_marker_per_centre_listing_its_initiatives(initiatives, latgale_live, page, page_watch):
    open_and_settle(page, latgale_live.url + "/iniciativas/")

    markers = page.locator("#iniciativu-karte .leaflet-marker-icon")
    titles = sorted(markers.nth(i).get_attribute("title") for i in range(markers.count()))
    assert titles == ["Aglonas kopienu resursu centrs", "Preiļu kopienas resursu centrs"]
    page.locator(
        '#iniciativu-karte .leaflet-marker-icon[title="Preiļu kopienas resursu centrs"]'
    ).click()
    popup = page.locator("#iniciativu-karte .leaflet-popup-content")
    assert popup.locator("a").all_inner_texts() == [
        "Preiļu kopienas resursu centrs",
        "Skolas dārzs Preiļos",
        "Preiļu parka talka",
    ]
    assert page_watch.errors == []


def test_without_javascript_the_map_stays_hidden_and_the_list_is_complete(
    initiatives, latgale_live, new_page
):
    page = new_page(javascript=False)
    page.goto(latgale_live.url + "/iniciativas/")

    assert page.locator("#iniciativu-karte").is_hidden()
    assert page.locator("#iniciativu-saraksts .card-title").all_inner_texts() == [
        "Aglonas zupas svētki",
        "Skolas dārzs Preiļos",
        "Preiļu parka talka",
        "Ciema svētki bez centra",
    ]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("iniciativas", "/iniciativas/"),
        ("iniciativa", "/iniciativas/preilu-parka-talka/"),
        ("kopiena-preili", "/kopienas/preili/"),
    ],
)
def test_initiative_pages_fit_the_screen(
    initiatives, latgale_live, new_page, page_watch, artifacts, name, path, width
):
    page = new_page(width=width)
    open_and_settle(page, latgale_live.url + path)
    page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)

    assert page.evaluate("() => document.documentElement.scrollWidth") == width
    # Every photo arrived from the private storage (map tiles are refused, as if offline).
    photos = page.evaluate(
        "() => [...document.images].filter(i => i.src.includes('/foto/'))"
        ".map(i => i.complete && i.naturalWidth > 0)"
    )
    assert photos == [True] * len(photos)
    assert page_watch.errors == []
    assert page_watch.csp == []
