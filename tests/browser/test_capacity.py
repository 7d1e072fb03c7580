"""The capacity self-assessment pages in Chromium (issue 16): no axe-core violation and no
wider than a 360 px phone, the results chart (in both languages) included. Answering and its
errors are covered without a browser in tests/communities/test_capacity_views.py."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from communities import capacity
from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityDimension,
    Community,
    Membership,
)
from core.formats import riga_today
from tests.browser.conftest import wait_for_focus
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.browser.test_report_pages import signed_in
from tests.communities.capacity_support import in_community, open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    return [describe(v) for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]]


@pytest.fixture
def preili(latgale_live):
    community = Community.objects.get(slug="preili")
    leader = in_community(
        community, Membership.Role.LEADER, username="lidere", first_name="Līga", last_name="Līdere"
    )
    activist = in_community(
        community, Membership.Role.ACTIVIST, username="janis", first_name="Jānis", last_name="Ozols"
    )
    dimensions = list(CapacityDimension.objects.order_by("order"))
    today = riga_today()
    earlier = open_round(
        community,
        title="Sākotnējais novērtējums",
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=380),
    )
    CapacityConsensus.objects.bulk_create(
        CapacityConsensus(round=earlier, dimension=d, level=1 + i % 2, reason="Sapulcē")
        for i, d in enumerate(dimensions)
    )
    ActionItem.objects.create(
        round=earlier, dimension=dimensions[5], text="Līderu skola jauniešiem", owner=activist
    )
    current = open_round(
        community,
        title="Atkārtotais novērtējums",
        kind=AssessmentRound.Kind.FOLLOW_UP,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=20),
    )
    capacity.submit_answers(
        round_=current,
        person=leader,
        answers={d.pk: (3, "Talkās arvien vairāk cilvēku") for d in dimensions},
        final=True,
    )
    CapacityConsensus.objects.bulk_create(
        CapacityConsensus(round=current, dimension=d, level=3, reason="Vienojāmies")
        for d in dimensions
    )
    return latgale_live, leader, activist, current, dimensions


def test_every_capacity_page_fits_a_phone_and_passes_axe(new_page, artifacts, preili):
    live_server, leader, _activist, current, _dimensions = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)
    base = f"{live_server.url}/kopienas/preili/ricibspeja/"

    found = {}
    for name, path in (
        ("overview", base),
        ("open", base + "jauna/"),
        ("round", f"{base}{current.pk}/"),
        ("consensus", f"{base}{current.pk}/vienosanas/"),
        ("plan", f"{base}{current.pk}/plans/"),
        ("results", base + "rezultati/"),
        ("results-en", f"{live_server.url}/en/kopienas/preili/ricibspeja/rezultati/"),
    ):
        page.goto(path)
        page.screenshot(path=artifacts / f"capacity-{name}-360.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        found[name] = (width, violations(page), clipped_captions(page))

    assert found == {name: (360, [], []) for name in found}


def clipped_captions(page) -> list[str]:
    """Captions of tables that scroll sideways which reach past their region's visible edge: a
    caption is as wide as its table, and its end would be cut off on a phone."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll caption')]
          .filter((caption) => caption.getBoundingClientRect().right
            > caption.closest('.table-scroll').getBoundingClientRect().right + 1)
          .map((caption) => caption.innerText)"""
    )


def test_an_activist_answers_by_the_level_labels(new_page, artifacts, preili):
    live_server, _leader, activist, current, dimensions = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, activist)
    page.goto(f"{live_server.url}/kopienas/preili/ricibspeja/{current.pk}/")

    # Sent with one dimension left out: the summary takes focus and names it.
    for dimension in dimensions[:-1]:
        page.locator(f"label[for=id_level-{dimension.pk}_1]").click()
    page.get_by_role("button", name="Iesniegt atbildes").click()
    page.wait_for_selector("#kludas")
    wait_for_focus(page, "kludas")
    focused = page.evaluate("() => document.activeElement.id")
    summary = page.locator("#kludas li").all_inner_texts()
    errors_found = (page.evaluate("() => document.documentElement.scrollWidth"), violations(page))

    page.locator(f"label[for=id_level-{dimensions[-1].pk}_3]").click()
    page.get_by_role("button", name="Iesniegt atbildes").click()
    page.wait_for_selector(".messages li")

    assert focused == "kludas"
    assert summary == [f"{dimensions[-1].title}: Līmenis: Izvēlieties līmeni šai dimensijai."]
    assert errors_found == (360, [])
    assert sorted(
        CapacityAnswer.objects.filter(person=activist).values_list("level", flat=True)
    ) == [2] * 7 + [4]
    assert page.locator(".messages li").all_inner_texts() == [
        "Jūsu atbildes iesniegtas. Tās var mainīt, kamēr kārta ir atvērta."
    ]
