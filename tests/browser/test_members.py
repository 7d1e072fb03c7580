"""Managing a community's members in Chromium (issue 17): the members page with its role forms
and history, the removal page (with its errors) and the leave page pass axe-core and fit a
360 px phone, and a pending request is withdrawn by keyboard on a phone. What they do is covered
without a browser in tests/communities/test_membership_management.py."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from communities import membership as membership_services
from communities.models import Community, Membership
from tests.browser.conftest import wait_for_focus
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.browser.test_report_pages import signed_in
from tests.communities.capacity_support import in_community
from tests.factories import MembershipFactory, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    return [describe(v) for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]]


def width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.fixture
def preili(latgale_live):
    community = Community.objects.get(slug="preili")
    leader = in_community(
        community, Membership.Role.LEADER, username="lidere", first_name="Līga", last_name="Līdere"
    )
    janis = in_community(
        community, Membership.Role.MEMBER, username="janis", first_name="Jānis", last_name="Ozols"
    )
    membership = Membership.objects.get(user=janis)
    membership_services.change_role(
        membership_id=membership.pk, community=community, role="activist", by=leader
    )
    return latgale_live, leader, janis, membership


def test_the_members_pages_fit_a_phone_and_pass_axe(new_page, artifacts, preili):
    live_server, leader, _janis, membership = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)
    base = f"{live_server.url}/kopienas/preili/"

    found = {}
    for name, path in (
        ("members", base + "dalibnieki/"),
        ("remove", f"{base}dalibnieki/{membership.pk}/nonemt/"),
        ("leave", base + "pamest/"),
    ):
        page.goto(path)
        page.screenshot(path=artifacts / f"members-{name}-360.png", full_page=True)
        found[name] = (width(page), violations(page))

    assert found == {name: (360, []) for name in found}


def test_the_last_leader_leaving_without_a_successor_is_told_why(new_page, artifacts, preili):
    live_server, leader, _janis, _membership = preili
    page = new_page(width=360, height=740)
    signed_in(page, live_server, leader)
    page.goto(f"{live_server.url}/kopienas/preili/pamest/")

    page.get_by_role("button", name="Pamest kopienu").click()
    page.wait_for_selector("#kludas")
    wait_for_focus(page, "kludas")
    summary = page.locator("#kludas li").all_inner_texts()
    found = (width(page), violations(page))
    page.select_option("select[name=successor]", label="Jānis Ozols")
    page.get_by_role("button", name="Pamest kopienu").click()
    page.wait_for_selector(".messages li")

    assert summary == [
        "Pēctecis (kļūs par līderi): Izvēlieties pēcteci no kopienas aktīvajiem dalībniekiem."
    ]
    assert found == (360, [])
    assert page.locator(".messages li").all_inner_texts() == [
        "Jūs pametāt kopienu „Preiļu darbīgā kopiena”."
    ]
    assert list(
        Membership.objects.filter(community__slug="preili").values_list("user__username", "role")
    ) == [("janis", "leader")]


def test_a_pending_request_is_withdrawn_by_keyboard_on_a_phone(new_page, artifacts, preili):
    live_server, _leader, _janis, _membership = preili
    anna = verified_user(username="anna", first_name="Anna", last_name="Ābele")
    MembershipFactory(user=anna, community=Community.objects.get(slug="preili"))
    page = new_page(width=360, height=740)
    signed_in(page, live_server, anna)
    page.goto(f"{live_server.url}/kopienas/preili/")

    link = page.get_by_role("link", name="Atsaukt pieteikumu")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kopienas/preili/pamest/")
    page.screenshot(path=artifacts / "members-withdraw-360.png", full_page=True)
    found = (width(page), violations(page))
    question = page.locator("p.leave-question").inner_text()
    page.get_by_role("button", name="Atsaukt pieteikumu").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages li")

    assert question == "Atsaukt pieteikumu kopienā „Preiļu darbīgā kopiena”?"
    assert found == (360, [])
    assert page.locator(".messages li").all_inner_texts() == [
        "Jūsu pieteikums kopienā „Preiļu darbīgā kopiena” atsaukts."
    ]
    assert not Membership.objects.filter(user=anna).exists()
