"""The pages where a community's leaders run its events (issue 17) in Chromium: no axe-core
violation and no wider than a 360 px phone, with the form's error summary taking focus. The
rules themselves are tested without a browser in tests/events/test_leader_events.py."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Community, Membership
from core.images import process_photo
from core.roles import CENTRE_MANAGERS
from events import services
from events.models import Event
from tests.browser.conftest import wait_for_focus
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.browser.test_report_pages import signed_in
from tests.communities.capacity_support import in_community
from tests.events.test_leader_events import _jpeg
from tests.factories import EventFactory, UserFactory, verified_user, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    return [describe(v) for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]]


@pytest.fixture
def preili(latgale_live):
    community = Community.objects.get(slug="preili")
    leader = in_community(
        community, Membership.Role.LEADER, username="lidere", first_name="Līga", last_name="Līdere"
    )
    ahead = EventFactory(slug="talka", community=community, centre=community.resource_centre)
    held = EventFactory(slug="sapulce", community=community, centre=community.resource_centre)
    services.register(event=held, user=verified_user(first_name="Jānis", last_name="Ozols"))
    start = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=held.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    return latgale_live, leader, ahead


def test_every_leader_event_page_fits_a_phone_and_passes_axe(new_page, artifacts, preili):
    live_server, leader, _ahead = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)

    found = {}
    for name, path in (
        ("create", "/kopienas/preili/pasakumi/jauns/"),
        ("edit", "/pasakumi/talka/labot/"),
        ("copy", "/pasakumi/talka/kopet/"),
        ("cancel", "/pasakumi/talka/atcelt/"),
        ("attendance", "/pasakumi/sapulce/apmeklejums/"),
        ("event", "/pasakumi/talka/"),
        ("edit-en", "/en/pasakumi/talka/labot/"),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=artifacts / f"leader-event-{name}-360.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        found[name] = (width, violations(page))

    assert found == {name: (360, []) for name in found}


def test_a_form_with_errors_moves_focus_to_its_summary(new_page, preili):
    live_server, leader, _ahead = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)
    page.goto(live_server.url + "/kopienas/preili/pasakumi/jauns/")

    page.fill("#id_title", "Rudens talka")
    page.get_by_role("button", name="Izveidot pasākumu").click()
    page.wait_for_selector("#kludas")
    wait_for_focus(page, "kludas")

    assert page.evaluate("() => document.activeElement.id") == "kludas"
    assert page.input_value("#id_title") == "Rudens talka"
    assert page.locator("#kludas li").all_inner_texts() == [
        "Apraksts: Šis lauks ir obligāts.",
        "Datums: Šis lauks ir obligāts.",
        "Sākuma laiks: Šis lauks ir obligāts.",
        "Beigu laiks: Šis lauks ir obligāts.",
    ]
    assert (page.evaluate("() => document.documentElement.scrollWidth"), violations(page)) == (
        360,
        [],
    )


def test_the_centre_managers_pages_fit_a_phone_and_pass_axe(new_page, artifacts, preili):
    live_server, _leader, ahead = preili
    manager = with_totp(UserFactory(is_staff=True, first_name="Centra", last_name="Vadītāja"))
    # The group as migrations make it (a transactional test before this one may have flushed it).
    manager.groups.add(Group.objects.get_or_create(name=CENTRE_MANAGERS)[0])
    ahead.centre.managers.add(manager)
    page = new_page(width=360, height=740)
    signed_in(page, live_server, manager)

    found = {}
    # The edit page of an event with a photo has the box that removes it.
    processed = process_photo(SimpleUploadedFile("talka.jpg", _jpeg(), "image/jpeg"))
    services.set_event_image(event=ahead, processed=processed)
    ahead.image_alt = "Talka parkā"
    ahead.save()
    for name, path in (
        ("centre-events", "/pasakumi/mana-centra/"),
        ("my-page", "/mans/"),
        ("edit-with-photo", "/pasakumi/talka/labot/"),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=artifacts / f"leader-event-{name}-360.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        found[name] = (width, violations(page))
    assert page.locator("#id_remove_image").count() == 1
    page.goto(live_server.url + "/pasakumi/mana-centra/")
    titles = page.locator(".centre-events .card-title").all_inner_texts()

    assert found == {name: (360, []) for name in ("centre-events", "my-page", "edit-with-photo")}
    assert titles == [ahead.title, Event.objects.get(slug="sapulce").title]
    # From /mans/ by keyboard: the link takes focus and leads to the page.
    page.goto(live_server.url + "/mans/")
    link = page.get_by_role("link", name="Pasākumi manā centrā")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/pasakumi/mana-centra/")
    assert page.locator("main h1").inner_text() == "Pasākumi manā centrā"


def test_the_centre_managers_pages_of_events_fit_a_phone_and_a_desktop(new_page, artifacts, preili):
    live_server, _leader, ahead = preili
    manager = with_totp(UserFactory(is_staff=True, first_name="Centra", last_name="Vadītāja"))
    manager.groups.add(Group.objects.get_or_create(name=CENTRE_MANAGERS)[0])
    ahead.centre.managers.add(manager)
    now = timezone.now()
    for number in range(21):
        EventFactory(
            slug=f"nakamais-{number}",
            centre=ahead.centre,
            starts_at=now + timedelta(days=number + 2),
            ends_at=now + timedelta(days=number + 2, hours=2),
        )
        EventFactory(
            slug=f"beidzies-{number}",
            centre=ahead.centre,
            starts_at=now - timedelta(days=number + 2),
            ends_at=now - timedelta(days=number + 2, hours=-2),
        )

    found = {}
    navs = {}
    for width, height in ((360, 740), (1280, 900)):
        page = new_page(width=width, height=height)
        signed_in(page, live_server, manager)
        for name, query in (
            ("first", ""),
            ("second", "?lapa=2&beigusies=2"),
            ("past-end", "?beigusies=99"),
        ):
            page.goto(live_server.url + "/pasakumi/mana-centra/" + query)
            page.screenshot(path=artifacts / f"centre-events-{name}-{width}.png", full_page=True)
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            found[(name, width)] = (scroll_width, violations(page))
            navs[name] = page.locator("nav.pagination").all_inner_texts()

    assert found == {key: (key[1], []) for key in found}
    assert navs == {
        "first": ["1. lapa\nNākamā lapa", "1. lapa\nNākamā lapa"],
        "second": ["Iepriekšējā lapa\n2. lapa", "Iepriekšējā lapa\n2. lapa"],
        "past-end": ["1. lapa\nNākamā lapa", "Uz pirmo lapu"],
    }
