"""A new resident finds an event on a phone, registers as a guest and confirms from the mail."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from events.models import Event, Registration
from resource_centres.models import ResourceCentre
from tests.browser.conftest import wait_for_focus
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.factories import EventFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def events(latgale_live):
    preili = ResourceCentre.objects.get(slug="preili")
    EventFactory(title="Aglonas kopienas vakars", centre=ResourceCentre.objects.get(slug="aglona"))
    return EventFactory(
        slug="preilu-macibas", title="Mācības kopienām Preiļos", centre=preili, capacity=10
    )


@pytest.mark.parametrize("path", ["/pasakumi/", "/pasakumi/preilu-macibas/", "/pasakumi/?veids=x"])
def test_event_pages_have_no_axe_violations(events, latgale_live, page, page_watch, path):
    response = page.goto(latgale_live.url + path)
    results = Axe().run(page, options=AXE_OPTIONS)

    assert response.status == 200
    assert [describe(v) for v in results.response["violations"]] == [], results.generate_report()
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_a_guest_filters_opens_registers_and_confirms(events, latgale_live, new_page, page_watch):
    page = new_page(width=360, height=740)
    page.goto(latgale_live.url + "/pasakumi/")
    page.get_by_label("Resursu centrs").select_option(label="Preiļu kopienas resursu centrs")
    page.get_by_role("button", name="Atlasīt").click()
    titles = page.locator("#pasakumu-saraksts .card-title").all_inner_texts()
    page.get_by_role("link", name="Mācības kopienām Preiļos").click()

    page.get_by_label("Vārds, uzvārds").fill("Inese Kalniņa")
    page.get_by_label("E-pasts").fill("inese@example.lv")
    page.get_by_label("Vietu skaits").select_option("2")
    page.get_by_role("button", name="Pieteikties").click()
    notice = page.locator(".messages li").inner_text()
    link = re.search(r"http://127\.0\.0\.1:8000(/pasakumi/apstiprinat/\S+/)", mail.outbox[-1].body)[
        1
    ]

    page.goto(latgale_live.url + link)
    page.get_by_role("button", name="Apstiprināt un rezervēt vietu").click()

    assert titles == ["Mācības kopienām Preiļos"]
    assert notice == (
        "Paldies! Uz norādīto e-pastu nosūtījām saiti. Vieta tiks rezervēta, kad to atvērsiet "
        "un apstiprināsiet."
    )
    assert page.locator(".messages li").inner_text() == "Paldies! Jūsu vieta ir rezervēta."
    assert page.locator(".registration-status").inner_text() == "Apstiprināts"
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert Event.objects.get(slug="preilu-macibas").seats_confirmed == 2
    assert page.evaluate("() => document.documentElement.scrollWidth") == 360
    assert page_watch.errors == []
    assert page_watch.csp == []


def test_a_guest_who_mistypes_lands_on_the_error_summary(
    events, latgale_live, new_page, page_watch, artifacts
):
    """Issue #15: on a phone the page came back at its top with nothing focused."""
    page = new_page(width=360, height=740)
    page.goto(latgale_live.url + "/pasakumi/preilu-macibas/")
    page.get_by_label("E-pasts").fill("inese.example.lv")
    page.get_by_role("button", name="Pieteikties").click()
    page.wait_for_load_state()
    wait_for_focus(page, "kludas")

    focused = page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return {
            id: el.id,
            heading: el.querySelector("h2") && el.querySelector("h2").innerText,
            in_view: box.top >= 0 && box.top < window.innerHeight,
          };
        }"""
    )
    page.screenshot(path=artifacts / "event-errors-360.png")
    page.get_by_role("link", name="E-pasts").click()

    assert focused == {"id": "kludas", "heading": "Lūdzu, izlabojiet", "in_view": True}
    assert page.locator(".error-summary li").all_inner_texts() == [
        "Vārds, uzvārds: Šis lauks ir obligāts.",
        "E-pasts: Jāievada derīga e-pasta adrese.",
    ]
    assert page.evaluate("() => document.activeElement.id") == "id_email"
    assert page.evaluate("() => document.documentElement.scrollWidth") == 360
    assert page_watch.csp == []


GEOMETRY = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const when = box("#fakti"), form = box(".registration-form"), main = box(".centre-main");
  return {when_above_form: when.bottom <= form.top, when_right_of_text: when.left >= main.right};
}"""


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        # Issue #16: on a phone "Kad un kur" came after the whole registration form.
        (360, {"when_above_form": True, "when_right_of_text": False}),
        (1280, {"when_above_form": True, "when_right_of_text": True}),
    ],
)
def test_when_and_where_come_before_the_registration_form(
    events, latgale_live, new_page, page_watch, artifacts, width, expected
):
    page = new_page(width=width, height=800)
    page.goto(latgale_live.url + "/pasakumi/preilu-macibas/")
    page.screenshot(path=artifacts / f"event-{width}.png", full_page=True)

    assert page.evaluate(GEOMETRY) == expected
    assert page.evaluate("() => document.documentElement.scrollWidth") == width
    assert page_watch.errors == []
