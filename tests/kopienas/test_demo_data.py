"""`manage.py demo_data` says nothing a visitor could take for a fact about a real centre.

The loader's idempotency and the accounts' groups are covered in
tests/communities/test_load_latgale.py; here: what the sample data shows and what it prints.
"""

import io
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from grants.models import Application, GrantRound
from kopienas.management.commands.demo_data import DEMO_PASSWORD
from resource_centres.models import ResourceCentre
from tests.html import parse

SAMPLE_NOTE = "Šeit centrs aprakstīs piekļūstamību: ieeju, tualeti, autostāvvietu. (parauga dati)"


@pytest.fixture
def demo(latgale, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_accessibility_answers_are_not_made_up(demo):
    assert list(
        ResourceCentre.objects.values_list(
            "step_free_entrance", "accessible_toilet", "parking", "accessibility_notes"
        )
        .order_by()
        .distinct()
    ) == [(None, None, None, SAMPLE_NOTE)]


def test_the_centre_page_shows_unknown_answers_and_a_marked_sample_note(client, demo):
    doc = parse(client.get("/centri/preili/").content)

    assert doc.texts("ul.access li") == [
        "Ieeja bez pakāpieniem: nav zināms",
        "Pielāgota tualete: nav zināms",
        "Autostāvvieta: nav zināms",
    ]
    assert SAMPLE_NOTE in doc.texts("aside.centre-facts p")


def test_what_a_coordinator_answered_is_kept(latgale, settings):
    settings.DEBUG = True
    ResourceCentre.objects.filter(slug="aglona").update(
        step_free_entrance=True, parking=False, accessibility_notes="Uzbrauktuve pie sānu ieejas."
    )

    call_command("demo_data", stdout=io.StringIO())

    assert ResourceCentre.objects.filter(slug="aglona").values_list(
        "step_free_entrance", "accessible_toilet", "parking", "accessibility_notes"
    ).get() == (True, None, False, "Uzbrauktuve pie sānu ieejas.")


def test_the_activist_account_is_offered_as_a_site_login(demo):
    # Not staff, so the admin refuses her; she signs in on the site.
    assert demo.splitlines()[-2] == (
        "  aktiviste@example.lv         Preiļu darbīgās kopienas līdere: pieslēdzas vietnē "
        "/konts/login/ (pārvaldībai piekļuves nav)"
    )


def test_every_demo_account_has_one_confirmed_primary_address(demo):
    call_command("demo_data", stdout=io.StringIO())  # a second run adds nothing

    assert list(
        EmailAddress.objects.order_by("email").values_list(
            "user__username", "email", "verified", "primary"
        )
    ) == [
        ("aktiviste@example.lv", "aktiviste@example.lv", True, True),
        ("koordinators@example.lv", "koordinators@example.lv", True, True),
        ("vaditajs@example.lv", "vaditajs@example.lv", True, True),
        ("vertetajs@example.lv", "vertetajs@example.lv", True, True),
    ]


def test_the_demo_activist_logs_in_through_allauth(client, demo):
    response = client.post(
        "/konts/login/", {"login": "aktiviste@example.lv", "password": DEMO_PASSWORD}
    )

    assert (response.status_code, response["Location"]) == (302, "/mans/")
    doc = parse(client.get("/mans/").content)
    assert doc.texts("ul.my-memberships li") == ["Preiļu darbīgā kopiena: Līderis"]


def test_demo_staff_are_asked_to_set_up_two_factor_on_their_first_admin_visit(client, demo):
    assert demo.splitlines()[-1] == (
        "Darbiniekiem (/admin/) pirmajā apmeklējumā būs jāieslēdz divpakāpju autentifikācija "
        "ar autentifikācijas lietotni (piemēram, Aegis, FreeOTP vai Google Authenticator)."
    )
    logged_in = client.post(
        "/konts/login/",
        {"login": "koordinators@example.lv", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    admin = client.get(logged_in["Location"])

    assert (logged_in["Location"], admin["Location"]) == (
        "/admin/",
        "/konts/2fa/totp/activate/?next=%2Fadmin%2F",
    )


def test_an_open_round_invites_applications_and_the_activist_has_a_draft(client, demo):
    grant_round = GrantRound.objects.get()
    year = timezone.localdate().year + 1
    assert (grant_round.slug, grant_round.status, grant_round.reference_code) == (
        f"mazo-iniciativu-konkurss-{year}",
        GrantRound.Status.OPEN,
        f"DK-{year}",
    )
    assert grant_round.opens_at < timezone.now() < grant_round.closes_at
    assert list(grant_round.criteria.values_list("title", "max_points", "weight")) == [
        ("Kopienas vajadzību pamatojums", 10, Decimal("1.50")),
        ("Mazāk aktīvo iedzīvotāju iesaiste", 10, Decimal("2.00")),
        ("Sadarbība ar partneriem", 10, Decimal("1.00")),
        ("Ilgtspēja pēc projekta beigām", 10, Decimal("1.00")),
        ("Budžeta pamatotība", 10, Decimal("1.00")),
    ]
    draft = Application.objects.get()
    assert (draft.applicant.email, draft.community.slug, draft.status, draft.title) == (
        "aktiviste@example.lv",
        "preili",
        Application.Status.DRAFT,
        "Kopienas dārzs pie bibliotēkas",
    )

    client.force_login(draft.applicant)
    doc = parse(client.get("/mans/").content)
    assert doc.texts(".application-title") == ["Kopienas dārzs pie bibliotēkas"]


def test_a_second_run_adds_no_second_round_or_draft(demo):
    call_command("demo_data", stdout=io.StringIO())

    assert (GrantRound.objects.count(), Application.objects.count()) == (1, 1)


def test_events_make_the_home_page_figures(client, demo):
    from communities.models import Event
    from communities.selectors import people_reached, trainings_held

    doc = parse(client.get("/").content)
    figures = dict(
        zip(doc.texts("li.figure .figure-label"), doc.texts("li.figure .figure-value"), strict=True)
    )

    upcoming = Event.objects.filter(starts_at__gt=timezone.now())
    assert (trainings_held(), people_reached()) == (95, 6000)
    assert figures["dažādas mācību nodarbības kopienām un pedagogiem"] == "95"
    assert figures["latgaliešu iesaistījušies iniciatīvā"] == "ap 6000"
    assert set(upcoming.values_list("centre__slug", flat=True)) == set(
        ResourceCentre.objects.values_list("slug", flat=True)
    )


def test_a_second_run_adds_no_events(latgale, settings):
    from communities.models import Event

    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    count = Event.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    assert Event.objects.count() == count == 10 * 2 + 95 + 50
