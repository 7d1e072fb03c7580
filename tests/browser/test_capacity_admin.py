"""The coordinators' capacity overview in Chromium at 1280 px and 360 px wide with axe-core: the
medians, a page of communities and the page links that keep the chosen version. Screenshots go
to test-artifacts/."""

from datetime import date

import pytest

from communities import capacity_selectors
from communities.models import CapacityConsensus, CapacityDimension
from tests.browser.test_application_journey import assert_accessible
from tests.browser.test_assessment_journey import admin_login, staff
from tests.communities.capacity_support import open_round
from tests.factories import CommunityFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_pages_through_the_overview(
    roles, latgale_live, new_page, artifacts, monkeypatch
):
    monkeypatch.setattr(capacity_selectors, "OVERVIEW_PAGE_SIZE", 3)
    staff("koordinatore@example.lv", "Koordinatori", "Klāra", "Koordinatore")
    dimensions = list(
        CapacityDimension.objects.filter(levels__instrument__number=1).distinct().order_by("order")
    )
    for n in range(7):
        community = CommunityFactory(slug=f"kopiena-{n}", name=f"Darbīgā kopiena {n}")
        for year, level in ((2019, 1), (2022, 1 + n % 4)):
            round_ = open_round(
                community, title=str(year), opens_on=date(year, 3, 1), closes_on=date(year, 3, 1)
            )
            CapacityConsensus.objects.bulk_create(
                CapacityConsensus(round=round_, dimension=d, level=level, reason="Sapulcē")
                for d in dimensions
            )
    base = latgale_live.url
    checked: list[str] = []
    page = new_page(1280)
    admin_login(page, base, "koordinatore@example.lv")

    page.goto(f"{base}/admin/communities/assessmentround/kopsavilkums/")
    page.screenshot(path=artifacts / "capacity-admin-overview-1280.png", full_page=True)
    assert_accessible(page, checked)
    with page.expect_navigation():
        page.locator("nav.paginator a", has_text="3").click()
    rows = page.locator("table.capacity-changes tbody th").all_inner_texts()
    assert (page.url, rows) == (
        f"{base}/admin/communities/assessmentround/kopsavilkums/?versija=1&lapa=3#pa-kopienam",
        ["Darbīgā kopiena 6 (Augšdaugavas novads)"],
    )

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/admin/communities/assessmentround/kopsavilkums/?lapa=2")
    page.screenshot(path=artifacts / "capacity-admin-overview-360.png", full_page=True)
    assert_accessible(page, checked)
    assert page.evaluate("() => document.documentElement.scrollWidth") == 360
