"""Issue 3's journey in Chromium, as a new activist lives it, with axe-core on every page.

Sign up, follow the verification link from the mail, ask to join a community, be approved by
its leader (in a browser of their own), start an application, save a draft, come back to it
from /mans/, add budget lines and an attachment, submit, see the reference on /mans/ and
receive the confirmation mail.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from communities.models import Community, Membership, TargetGroup
from grants.models import Application
from tests.browser.test_public_pages import AXE_OPTIONS, describe
from tests.factories.grants import PDF_BYTES, GrantRoundFactory, verified_user

pytestmark = pytest.mark.browser

PASSWORD = "Latgale-kopiena-2026"


def assert_accessible(page, checked: list[str]) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert [describe(v) for v in violations] == [], page.url
    checked.append(page.url)


def submit_by(page, label: str) -> None:
    """Press the form button with this visible text and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


@pytest.fixture
def journey(latgale_live):
    grant_round = GrantRoundFactory(
        slug="kopienu-iniciativas-2027",
        title="Kopienu iniciatīvu konkurss 2027",
        reference_code="DK-2027",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=20),
        implementation_starts=date(2027, 3, 1),
        implementation_ends=date(2027, 9, 30),
        max_grant=Decimal("1500.00"),
    )
    grant_round.target_groups.set(TargetGroup.objects.all())
    leader = verified_user(
        username="lidere@example.lv",
        email="lidere@example.lv",
        first_name="Līga",
        last_name="Līdere",
        password=PASSWORD,
    )
    Membership.objects.create(
        user=leader,
        community=Community.objects.get(slug="preili"),
        role=Membership.Role.LEADER,
        status=Membership.Status.ACTIVE,
    )
    return latgale_live.url, grant_round


def test_new_activist_signs_up_joins_and_submits_an_application(
    journey, new_page, page_watch, tmp_path
):
    base, grant_round = journey
    checked: list[str] = []
    page = new_page(width=1280)

    # Sign up.
    page.goto(f"{base}/konts/signup/")
    assert_accessible(page, checked)
    page.fill("input[name=first_name]", "Daina")
    page.fill("input[name=last_name]", "Ozoliņa")
    page.fill("input[name=email]", "daina.ozolina@example.lv")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit_by(page, "Reģistrēties")
    assert page.url == f"{base}/konts/confirm-email/"
    assert_accessible(page, checked)

    # The verification mail, in Latvian, with the link.
    [verification] = mail.outbox
    assert verification.to == ["daina.ozolina@example.lv"]
    link = re.search(r"http://\S+/konts/confirm-email/\S+/", verification.body).group(0)
    page.goto(link.replace("http://testserver", base))
    assert_accessible(page, checked)
    submit_by(page, "Apstiprināt")

    # Ask to join the Preiļi community.
    page.goto(f"{base}/kopienas/preili/")
    assert_accessible(page, checked)
    submit_by(page, "Pieteikties kopienā")
    assert page.locator(".message").all_inner_texts() == [
        "Pieteikums nosūtīts. Kopienas līderis to izskatīs, un jūs saņemsiet e-pastu."
    ]
    assert_accessible(page, checked)
    membership = Membership.objects.get(user__email="daina.ozolina@example.lv")
    assert (membership.community.slug, membership.status) == ("preili", "requested")

    # The leader approves, in a browser of their own.
    leader_page = new_page(width=1280)
    leader_page.goto(f"{base}/konts/login/?next=/kopienas/preili/dalibnieki/")
    leader_page.fill("input[name=login]", "lidere@example.lv")
    leader_page.fill("input[name=password]", PASSWORD)
    submit_by(leader_page, "Pieslēgties")
    assert leader_page.url == f"{base}/kopienas/preili/dalibnieki/"
    assert_accessible(leader_page, checked)
    submit_by(leader_page, "Apstiprināt")
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "member")

    # Start an application and save a draft.
    page.goto(f"{base}/konkursi/{grant_round.slug}/")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Pieteikties", exact=True).first.click()
    page.wait_for_load_state()
    assert_accessible(page, checked)
    page.get_by_label("Iniciatīvas nosaukums").fill("Kopienas dārzs pie bibliotēkas")
    page.get_by_label("Kopsavilkums").fill("Iekopsim dārzu, kur satikties visām paaudzēm.")
    submit_by(page, "Saglabāt melnrakstu")
    draft = Application.objects.get(applicant__email="daina.ozolina@example.lv")
    assert (draft.status, draft.title) == ("draft", "Kopienas dārzs pie bibliotēkas")
    assert page.url == f"{base}/pieteikumi/{draft.draft_key}/labot/"
    assert_accessible(page, checked)

    # Come back later from /mans/.
    page.goto(f"{base}/mans/")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Turpināt aizpildīt").first.click()
    page.wait_for_load_state()
    assert page.url == f"{base}/pieteikumi/{draft.draft_key}/labot/"
    assert page.get_by_label("Iniciatīvas nosaukums").input_value() == (
        "Kopienas dārzs pie bibliotēkas"
    )

    # Complete it: texts, dates, a target group, two budget lines and an attachment.
    for name, text in [
        ("needs", "Ciemā nav vietas, kur kopā pavadīt laiku ārā."),
        ("goals", "Satuvināt kaimiņus un iesaistīt jauniešus."),
        ("activities", "Talkas, stādīšana un rudens ražas svētki."),
        ("timeline", "Marts: talka. Maijs: stādīšana. Septembris: svētki."),
        ("partners", "Preiļu bibliotēka, vietējā skola."),
    ]:
        page.fill(f"textarea[name={name}]", text)
    page.get_by_label("Īstenošanas sākums").fill("2027-03-01")
    page.get_by_label("Īstenošanas beigas").fill("2027-09-30")
    page.get_by_label("Plānotais dalībnieku skaits").fill("40")
    page.locator("input[name=target_groups]").first.check()
    page.fill("input[name=lines-0-item]", "Stādi un sēklas")
    page.select_option("select[name=lines-0-category]", "materials")
    page.fill("input[name=lines-0-quantity]", "30")
    page.fill("input[name=lines-0-unit_price]", "12,50")
    page.fill("input[name=lines-1-item]", "Dārza instrumenti")
    page.select_option("select[name=lines-1-category]", "equipment")
    page.fill("input[name=lines-1-quantity]", "4")
    page.fill("input[name=lines-1-unit_price]", "45")
    page.fill("input[name=lines-1-own_contribution]", "20")
    assert page.locator("#budget-total").inner_text() == "555,00\u00a0€"
    assert page.locator("#budget-requested").inner_text() == "535,00\u00a0€"
    plan = tmp_path / "dārza-plāns.pdf"
    plan.write_bytes(PDF_BYTES)
    page.set_input_files("input[name=files]", str(plan))
    submit_by(page, "Iesniegt pieteikumu")

    application = Application.objects.get(pk=draft.pk)
    assert (application.status, application.reference) == ("submitted", "DK-2027-001")
    assert list(application.attachments.values_list("original_name", flat=True)) == [
        "dārza-plāns.pdf"
    ]
    assert page.url == f"{base}/pieteikumi/DK-2027-001/"
    assert_accessible(page, checked)

    # The reference on /mans/, and the confirmation mail.
    page.goto(f"{base}/mans/")
    assert "DK-2027-001" in page.locator("main").inner_text()
    assert_accessible(page, checked)
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["daina.ozolina@example.lv"]
    assert "DK-2027-001" in confirmation.subject
    assert "Kopienas dārzs pie bibliotēkas" in confirmation.body

    assert page_watch.csp == []
    assert page_watch.errors == []
    assert len(checked) == 12
