"""The application form's script in Chromium: budget rows, live totals and the 30-second
autosave that turns a new application into a draft (static/js/application.js)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from grants import services
from grants.models import Application
from tests.factories import CommunityFactory, TargetGroupFactory
from tests.factories.grants import (
    AttachmentFactory,
    GrantRoundFactory,
    activist,
    complete_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_new_application_autosaves_into_a_draft(live_server, page, page_watch):
    community = CommunityFactory()
    user = activist(community)
    TargetGroupFactory()
    GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")
    signed_in(page, live_server, user)
    page.clock.install()
    page.goto(f"{live_server.url}/konkursi/dk-2026/pieteikties/")

    page.fill("#id_title", "Kopienas dārzs")
    page.click("#add-budget-line")
    assert page.locator("#budget-lines tr.budget-line").count() == 4
    page.fill("#id_lines-0-item", "Stādi")
    page.select_option("#id_lines-0-category", "materials")
    page.fill("#id_lines-0-quantity", "10")
    page.fill("#id_lines-0-unit_price", "12,50")
    page.fill("#id_lines-3-item", "Otas")
    page.select_option("#id_lines-3-category", "equipment")
    page.fill("#id_lines-3-quantity", "2")
    page.fill("#id_lines-3-unit_price", "3.25")
    page.fill("#id_lines-3-own_contribution", "1,50")
    assert (
        page.text_content("#budget-total").replace("\u00a0", " "),
        page.text_content("#budget-requested").replace("\u00a0", " "),
    ) == ("131,50 €", "130,00 €")

    with page.expect_response(lambda response: response.request.method == "POST") as first:
        page.clock.run_for(31_000)
    assert first.value.status == 200
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saglabāts plkst\. "))

    application = Application.objects.get()
    edit_url = f"/pieteikumi/{application.draft_key}/labot/"
    assert re.fullmatch(r"Saglabāts plkst\. \d\d\.\d\d", page.text_content("#autosave-status"))
    assert (application.title, application.status) == ("Kopienas dārzs", "draft")
    assert list(application.budget_lines.values_list("item", flat=True)) == ["Stādi", "Otas"]
    assert page.url == live_server.url + edit_url
    assert page.get_attribute("#application-form", "action") == edit_url
    line_ids = [page.input_value(f"#id_lines-{index}-id") for index in (0, 3)]
    assert line_ids == [str(pk) for pk in application.budget_lines.values_list("pk", flat=True)]

    # A second autosave changes the same draft and lines, never makes new ones.
    page.fill("#id_title", "Kopienas dārzs pie skolas")
    with page.expect_response(lambda response: response.request.method == "POST") as second:
        page.clock.run_for(31_000)
    assert (second.value.url, second.value.json()["version"]) == (live_server.url + edit_url, 2)
    application.refresh_from_db()
    assert (Application.objects.count(), application.title, application.budget_lines.count()) == (
        1,
        "Kopienas dārzs pie skolas",
        2,
    )
    assert (page_watch.errors, page_watch.csp) == ([], [])


def test_application_form_has_no_axe_violations(live_server, page, page_watch):
    community = CommunityFactory()
    user = activist(community)
    TargetGroupFactory()
    GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")
    signed_in(page, live_server, user)
    page.goto(f"{live_server.url}/konkursi/dk-2026/pieteikties/")

    results = Axe().run(page, options=AXE_OPTIONS)

    assert results.response["violations"] == []
    assert (page_watch.errors, page_watch.csp) == ([], [])


def test_grant_pages_have_no_axe_violations(live_server, page, page_watch):
    community = CommunityFactory()
    user = activist(community)
    group = TargetGroupFactory()
    grant_round = GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")
    grant_round.target_groups.add(group)
    application = complete_application(round=grant_round, applicant=user, community=community)
    application.target_groups.add(group)
    AttachmentFactory(application=application)
    services.submit_application(application=application, user=user)
    signed_in(page, live_server, user)
    violations = {}

    for path in ("/konkursi/", "/konkursi/dk-2026/", "/pieteikumi/DK-2026-001/"):
        page.goto(live_server.url + path)
        violations[path] = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    # The form as it comes back with errors: the summary, the marked fields.
    page.goto(live_server.url + "/pieteikumi/DK-2026-001/labot/")
    page.fill("#id_title", "")
    page.fill("#id_expected_participants", "-1")
    page.click("button[value=save]")
    expect(page.locator(".error-summary")).to_be_visible()
    violations["errors"] = Axe().run(page, options=AXE_OPTIONS).response["violations"]

    assert violations == {
        "/konkursi/": [],
        "/konkursi/dk-2026/": [],
        "/pieteikumi/DK-2026-001/": [],
        "errors": [],
    }
    assert (page_watch.errors, page_watch.csp) == (
        [
            "Failed to load resource: the server responded with a status of 400 (Bad Request) "
            f"({live_server.url}/pieteikumi/DK-2026-001/labot/)"
        ],
        [],
    )
