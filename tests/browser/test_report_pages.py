"""The team's report pages in Chromium (issue 12): no wider than a 360 px phone, no axe-core
violation, the whole form reachable by keyboard in order, and the autosave script
(static/js/report.js) saving a draft and telling of a conflict."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from initiatives.models import Milestone
from initiatives.services import reports
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.factories import TargetGroupFactory, fill_report, leader_of
from tests.initiatives.report_support import form_data, jpeg, pdf, team_initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def violations(page) -> list[str]:
    return [describe(v) for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]]


@pytest.fixture
def team():
    TargetGroupFactory(title="Neredzamā jaunatne", order=1)
    TargetGroupFactory(title="Vīrieši 35+", order=2)
    initiative, report, leader = team_initiative()
    reports.save_report(
        report=report,
        actor=leader,
        version=report.version,
        changes=reports.ReportChanges(
            receipts=[pdf("rēķins par stādiem un sēklām 2027.pdf")],
            photos=[reports.PhotoUpload(upload=jpeg(), alt_text="Talka", consent=True)],
            institutions=["Preiļu novada pašvaldības kultūras centrs"],
        ),
    )
    Milestone.objects.create(
        initiative=initiative, title="Stādu iepirkums", due_on=datetime.date(2027, 4, 1)
    )
    return initiative, report, leader


def test_the_report_pages_fit_a_phone_and_pass_axe(live_server, new_page, artifacts, team):
    initiative, report, leader = team
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)
    base = f"{live_server.url}/iniciativas/{initiative.slug}/"

    found = {}
    for name, path in (
        ("report-form", "atskaite/"),
        ("progress", "gaita/"),
    ):
        page.goto(base + path)
        page.screenshot(path=artifacts / f"{name}-360.png", full_page=True)
        found[name] = (
            page.evaluate("() => document.documentElement.scrollWidth"),
            violations(page),
        )

    # With errors: the summary takes focus.
    page.goto(base + "atskaite/")
    page.fill("#id_participants", "abc")
    with page.expect_navigation():
        page.get_by_role("button", name="Iesniegt atskaiti", exact=True).click()
    expect(page.locator("#kludas")).to_be_focused()
    page.screenshot(path=artifacts / "report-errors-360.png", full_page=True)
    found["errors"] = (
        page.evaluate("() => document.documentElement.scrollWidth"),
        violations(page),
    )

    page.goto(f"{live_server.url}/iniciativas/jauna/")
    page.screenshot(path=artifacts / "record-360.png", full_page=True)
    found["record"] = (
        page.evaluate("() => document.documentElement.scrollWidth"),
        violations(page),
    )

    fill_report(initiative, actor=leader)
    report.refresh_from_db()
    reports.submit_report(report=report, actor=leader)
    page.goto(base + "atskaite/")
    page.screenshot(path=artifacts / "report-read-only-360.png", full_page=True)
    found["read-only"] = (
        page.evaluate("() => document.documentElement.scrollWidth"),
        violations(page),
    )

    assert found == {name: (360, []) for name in found}
    wide = new_page(width=1280)
    signed_in(wide, live_server, leader)
    wide.goto(base + "atskaite/")
    wide.screenshot(path=artifacts / "report-read-only-1280.png", full_page=True)


def test_the_whole_form_is_reachable_by_keyboard_in_order(live_server, new_page, team):
    initiative, _report, leader = team
    page = new_page(width=1280)
    signed_in(page, live_server, leader)
    page.goto(f"{live_server.url}/iniciativas/{initiative.slug}/atskaite/")
    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '#report-form input:not([type=hidden]), #report-form textarea, #report-form button, '
            + '#report-form a[href], #report-form [tabindex="0"]'
        )).map(e => e.id || e.name || e.getAttribute('href') || e.className)"""
    )

    page.locator("#id_activities_done").focus()
    page.keyboard.press("Shift+Tab")
    reached = []
    for _ in range(len(controls) + 5):
        page.keyboard.press("Tab")
        current = page.evaluate(
            """() => { const e = document.activeElement;
                       return e.closest('#report-form') ? (e.id || e.name || e.getAttribute('href')
                       || e.className) : null; }"""
        )
        if current is None:
            break
        reached.append(current)
        # Focus is visible: the site's outline shows on every control.
        assert page.evaluate(
            "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        ), current

    assert reached[: len(controls)] == controls
    assert reached[-1] == "action"  # "Iesniegt atskaiti", the last control


def test_the_script_saves_a_draft_and_stops_at_a_conflict(live_server, new_page, team):
    initiative, report, leader = team
    page = new_page(width=1280)
    signed_in(page, live_server, leader)
    page.goto(f"{live_server.url}/iniciativas/{initiative.slug}/atskaite/")
    page.evaluate("() => document.getElementById('report-form').dataset.autosaveDelay = '200'")

    page.fill("#id_story", "Automātiski saglabāts stāsts")
    expect(page.locator("#autosave-status")).to_contain_text("Saglabāts plkst.")
    report.refresh_from_db()
    saved = (report.story, page.input_value("input[name=version]"))

    other = Client()
    other.force_login(leader_of(initiative.community))
    other.post(f"/iniciativas/{initiative.slug}/atskaite/", {**form_data(report), "story": "Cits"})
    page.fill("#id_results", "Mans rezultāts")
    expect(page.locator("#autosave-status")).to_contain_text("Kamēr jūs rakstījāt")

    report.refresh_from_db()
    assert saved == ("Automātiski saglabāts stāsts", str(report.version - 1))
    assert (report.story, report.results) == ("Cits", "")
