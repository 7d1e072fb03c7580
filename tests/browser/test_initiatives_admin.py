"""A coordinator reviews a report in Chromium: the review page at 1280 px and 360 px wide with
axe-core, a return with an empty comment (the error summary) and then with one, the list with
its overdue filter. Screenshots go to test-artifacts/."""

import pytest

from initiatives.models import Initiative
from tests.browser.test_application_journey import assert_accessible, submit_by
from tests.browser.test_assessment_journey import admin_login, staff
from tests.initiatives.admin_support import funded, groups_and_elements, submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def review(roles, latgale_live):
    coordinator = staff("koordinatore@example.lv", "Koordinatori", "Klāra", "Koordinatore")
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)
    return {"coordinator": coordinator, "initiative": initiative}


def test_a_coordinator_reviews_and_returns_a_report(review, latgale_live, new_page, artifacts):
    base = latgale_live.url
    initiative = review["initiative"]
    checked: list[str] = []
    page = new_page(1280)
    admin_login(page, base, "koordinatore@example.lv")

    page.goto(f"{base}/admin/initiatives/initiative/{initiative.pk}/atskaite/")
    page.screenshot(path=artifacts / "initiative-review-1280.png", full_page=True)
    assert_accessible(page, checked)

    page.get_by_role("button", name="Atgriezt labošanai", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#kludas li").all_inner_texts() == [
        "Kas komandai jālabo: Uzrakstiet komandai, kas atskaitē jālabo."
    ]
    assert_accessible(page, checked)
    page.fill("textarea[name=atgriezt-comment]", "Pievienojiet čekus.")
    submit_by(page, "Atgriezt labošanai")
    assert page.locator("ul.messagelist li").all_inner_texts() == [
        "Atskaite atgriezta labošanai; komandai nosūtīts e-pasts."
    ]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.RETURNED

    page.goto(f"{base}/admin/initiatives/initiative/?konkurss={initiative.application.round_id}")
    page.screenshot(path=artifacts / "initiative-list-1280.png", full_page=True)
    assert_accessible(page, checked)

    # The same session on a phone-wide screen (an authenticator code is good for one log-in).
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/admin/initiatives/initiative/{initiative.pk}/atskaite/")
    page.screenshot(path=artifacts / "initiative-review-360.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") == 360
