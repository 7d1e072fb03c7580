"""Issue 4's journey in Chromium: an assessor scores in the admin, a coordinator decides and
publishes, and the public results page lists the supported idea. axe-core runs on each page.

Both staff members log in as they really do: allauth's log-in, then a code from their
authenticator app (computed here from the test key), then the admin.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from communities.models import Community
from grants.models import Application, Assessment, GrantRound
from tests.browser.test_application_journey import assert_accessible, submit_by
from tests.factories import totp_code, with_totp
from tests.factories.grants import (
    closed_round,
    submitted_application,
    submitted_assessment,
    verified_user,
)

pytestmark = pytest.mark.browser

PASSWORD = "Latgale-vertesana-2026"


def staff(email: str, group: str, first_name: str, last_name: str):
    user = verified_user(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=group))
    return with_totp(user)


def admin_login(page, base: str, email: str) -> None:
    """allauth's log-in and the authenticator code, as a staff member goes through them."""
    page.goto(f"{base}/admin/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit_by(page, "Pieslēgties")
    code = totp_code()
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url == f"{base}/admin/"


@pytest.fixture
def assessment_round(roles, latgale_live):
    assessor = staff("vertetaja@example.lv", "Vērtētāji", "Vija", "Vērtētāja")
    other_assessor = staff("otrs.vertetajs@example.lv", "Vērtētāji", "Oskars", "Ozols")
    coordinator = staff("koordinatore@example.lv", "Koordinatori", "Klāra", "Koordinatore")
    grant_round = closed_round(
        criteria=[(10, 2), (5, 1)],
        assessors=[assessor, other_assessor],
        slug="kopienu-iniciativas-2026",
        title="Kopienu iniciatīvu konkurss 2026",
        reference_code="DK-2026",
        total_budget=Decimal("2000.00"),
        max_grant=Decimal("1500.00"),
    )
    preili = Community.objects.get(slug="preili")
    aglona = Community.objects.get(slug="aglona")
    garden = submitted_application(
        grant_round,
        title="Kopienas dārzs pie bibliotēkas",
        community=preili,
        applicant=verified_user(email="daina@example.lv", username="daina@example.lv"),
        requested=Decimal("900.00"),
    )
    dances = submitted_application(
        grant_round,
        title="Senioru deju vakari",
        community=aglona,
        applicant=verified_user(email="janis@example.lv", username="janis@example.lv"),
        requested=Decimal("1400.00"),
    )
    # The other assessor has already scored both: 8/10 and 4/5 → 80.00; 3/10 and 2/5 → 33.33.
    submitted_assessment(garden, other_assessor, [8, 4])
    submitted_assessment(dances, other_assessor, [3, 2])
    return {
        "round": grant_round,
        "garden": garden,
        "dances": dances,
        "assessor": assessor,
        "coordinator": coordinator,
    }


def test_assessor_scores_coordinator_decides_and_publishes_results(
    latgale_live, assessment_round, new_page
):
    base = latgale_live.url
    grant_round = assessment_round["round"]
    garden, dances = assessment_round["garden"], assessment_round["dances"]
    checked: list[str] = []

    # The assessor: log in, see their round and progress, declare no conflict, score, submit.
    page = new_page()
    admin_login(page, base, "vertetaja@example.lv")
    page.goto(f"{base}/admin/grants/assessment/")
    assert page.locator("h1").first.inner_text() == "Mani vērtējumi"
    assert "0 no 2 novērtēti" in page.locator("#content").inner_text()
    assert_accessible(page, checked)
    with page.expect_navigation():
        page.get_by_role("link", name="Kopienas dārzs pie bibliotēkas").click()
    assert page.url == f"{base}/admin/grants/assessment/vertet/{garden.pk}/"
    assert_accessible(page, checked)
    # Other assessors' scores stay hidden until one's own assessment is submitted.
    assert page.locator("text=Citu vērtētāju vērtējumi").count() == 0
    page.get_by_label("Interešu konflikta nav").check()
    submit_by(page, "Saglabāt atbildi")
    criteria = list(grant_round.criteria.order_by("order"))
    page.fill(f"input[name=points_{criteria[0].pk}]", "10")
    page.fill(f"textarea[name=comment_{criteria[0].pk}]", "Skaidri aprakstīta vajadzība.")
    page.fill(f"input[name=points_{criteria[1].pk}]", "5")
    page.fill(f"textarea[name=comment_{criteria[1].pk}]", "Reāls laika plāns.")
    assert_accessible(page, checked)
    submit_by(page, "Iesniegt vērtējumu")
    assert "Kopvērtējums: 100,00 no 100." in page.locator("#own-submitted").inner_text()
    assert page.locator("text=Citu vērtētāju vērtējumi").count() == 1
    assert_accessible(page, checked)
    own = Assessment.objects.get(application=garden, assessor=assessment_round["assessor"])
    assert (own.status, own.weighted_total) == (Assessment.Status.SUBMITTED, Decimal("100.00"))

    # The coordinator: moves the round on to decisions, reads the ranking, decides, publishes.
    coordinator_page = new_page()
    admin_login(coordinator_page, base, "koordinatore@example.lv")
    coordinator_page.goto(f"{base}/admin/grants/grantround/{grant_round.pk}/change/")
    coordinator_page.select_option("select[name=status]", "decisions")
    with coordinator_page.expect_navigation():
        coordinator_page.locator("input[name=_continue]").click()
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DECISIONS
    coordinator_page.set_viewport_size({"width": 1280, "height": 800})
    coordinator_page.goto(f"{base}/admin/grants/grantround/{grant_round.pk}/ranking/")
    assert_accessible(coordinator_page, checked)
    # At 1280 px, with the admin's sidebar open, every deciding column is on screen.
    deciding = coordinator_page.evaluate(
        """() => [...document.querySelectorAll(
            "#ranking thead th.mean, #ranking thead th.median, #ranking thead th.spread, "
            + "#ranking thead th.decision, #ranking thead th.awarded"
        )].map((th) => Math.ceil(th.getBoundingClientRect().right))"""
    )
    viewport = coordinator_page.evaluate("() => document.documentElement.clientWidth")
    assert (len(deciding), max(deciding) <= viewport) == (5, True), (deciding, viewport)
    references = coordinator_page.locator("td.reference").all_inner_texts()
    # The garden: mean of 80.00 and 100.00 = 90.00; the dances: 33.33 from one assessment.
    assert references == [garden.reference, dances.reference]

    coordinator_page.goto(f"{base}/admin/grants/application/{garden.pk}/lemums/")
    assert_accessible(coordinator_page, checked)
    coordinator_page.get_by_label("Atbalstīts", exact=True).check()
    coordinator_page.get_by_label("Piešķirtā summa, EUR").fill("850,50")
    coordinator_page.get_by_label("Ziņa pieteicējam").fill("Apsveicam! Gaidīsim jūs talkā.")
    with coordinator_page.expect_navigation():
        coordinator_page.get_by_role("button", name="Saglabāt lēmumu").click()
    coordinator_page.goto(f"{base}/admin/grants/application/{dances.pk}/lemums/")
    coordinator_page.get_by_label("Nav atbalstīts", exact=True).check()
    coordinator_page.get_by_label("Ziņa pieteicējam").fill("Šoreiz budžets nepietika.")
    with coordinator_page.expect_navigation():
        coordinator_page.get_by_role("button", name="Saglabāt lēmumu").click()

    coordinator_page.goto(f"{base}/admin/grants/grantround/{grant_round.pk}/publicet/")
    assert_accessible(coordinator_page, checked)
    with coordinator_page.expect_navigation():
        coordinator_page.locator("#content form [type=submit]").first.click()
    assert "2 pieteicēj" in coordinator_page.locator("ul.messagelist").inner_text()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "daina@example.lv",
        "janis@example.lv",
    ]
    garden.refresh_from_db()
    assert (garden.status, garden.notified_decision, garden.notified_amount) == (
        Application.Status.DECIDED,
        Application.Decision.SUPPORTED,
        Decimal("850.50"),
    )

    # Anyone: the results page lists the supported idea with its reference and amount.
    public = new_page()
    public.goto(f"{base}/konkursi/{grant_round.slug}/rezultati/")
    rows = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in public.locator("table#results tbody tr").all()
    ]
    assert rows == [
        [
            garden.reference,
            "Kopienas dārzs pie bibliotēkas",
            Community.objects.get(slug="preili").name,
            "850,50\xa0€",
        ]
    ]
    assert_accessible(public, checked)
    assert len(checked) == 8
