"""An item's week in Chromium: axe-core, and a phone's 360 px where the table scrolls inside its
own labelled region (the page itself never wider than the screen), signed out and signed in."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from core.formats import riga_today
from resource_centres import booking_services
from resource_centres.booking_selectors import monday_of
from resource_centres.models import ResourceCentre
from tests.browser.test_public_pages import AXE_OPTIONS, describe, open_and_settle
from tests.factories import EquipmentFactory
from tests.resource_centres.booking_support import office_hours, person, riga

pytestmark = pytest.mark.browser


@pytest.fixture
def item(latgale_live):
    """A bookable engraver at Preiļi, open P.-Pk. with a lunch break, taken next Tuesday 10-11."""
    preili = ResourceCentre.objects.get(slug="preili")
    office_hours(preili)
    engraver = EquipmentFactory(centre=preili, name="Lāzergravētājs", bookable=True, quantity=2)
    tuesday = (monday_of(riga_today()) + timedelta(days=8)).isoformat()
    booking_services.request_booking(
        request=booking_services.Request(engraver, riga(tuesday, "10.00"), riga(tuesday, "11.00")),
        person=person(),
    )
    return engraver


def _week(item) -> str:
    monday = monday_of(riga_today()) + timedelta(days=7)
    return f"/centri/preili/rezervet/{item.pk}/?nedela={monday.isoformat()}"


def _signed_in(page, live_url: str) -> None:
    client = Client()
    client.force_login(person())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_url, "secure": False}]
    )


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("english", [False, True])
def test_the_week_page_has_no_axe_violations(
    item, latgale_live, page, page_watch, signed_in, english
):
    if signed_in:
        _signed_in(page, latgale_live.url)
    response = open_and_settle(page, latgale_live.url + ("/en" if english else "") + _week(item))
    results = Axe().run(page, options=AXE_OPTIONS)

    assert response.status == 200
    assert [describe(v) for v in results.response["violations"]] == [], results.generate_report()
    assert page.locator("form.booking-form").count() == (1 if signed_in else 0)
    assert page_watch.errors == []
    assert page_watch.csp == []


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_week_page_fits_the_screen_and_the_table_scrolls_in_its_region(
    item, latgale_live, new_page, page_watch, artifacts, width, signed_in
):
    page = new_page(width=width)
    if signed_in:
        _signed_in(page, latgale_live.url)
    open_and_settle(page, latgale_live.url + _week(item))
    who = "pieslegts" if signed_in else "viesis"
    page.screenshot(path=artifacts / f"rezervet-{who}-{width}.png", full_page=True)

    assert page.evaluate("() => document.documentElement.scrollWidth") == width
    region = page.locator("div.table-scroll")
    scrolls = region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert scrolls == (width == 360)
    # The keyboard reaches the region, and the arrow keys then scroll the table.
    region.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('aria-labelledby')") == (
        "nedela"
    )
    if scrolls:
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('div.table-scroll').scrollLeft > 0")
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_choosing_a_free_cell_fills_the_form_in_without_javascript(item, latgale_live, new_page):
    page = new_page(width=360, javascript=False)
    _signed_in(page, latgale_live.url)
    page.goto(latgale_live.url + _week(item))

    page.locator("table.week-table td.slot-free a").first.click()

    monday = monday_of(riga_today()) + timedelta(days=7)
    assert page.locator("#id_day").input_value() == monday.isoformat()
    assert page.locator("#id_starts").input_value() == "09:00"
    assert page.locator("#id_ends").input_value() == "09:30"
    page.locator("#id_note").fill("Zīmes talkai")
    page.locator("form.booking-form button[type=submit]").click()
    assert page.locator("ul.messages li").all_inner_texts() == ["Rezervācija apstiprināta."]
    assert page.locator("dd.booking-status").inner_text() == "Apstiprināta"
