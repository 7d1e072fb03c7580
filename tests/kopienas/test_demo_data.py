"""`manage.py demo_data` says nothing a visitor could take for a fact about a real centre.

The loader's idempotency and the accounts' groups are covered in
tests/communities/test_load_latgale.py; here: what the sample data shows and what it prints.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

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


def test_the_activist_account_is_not_offered_as_a_login_that_works(demo):
    # Not staff, so the admin refuses her; public sign-in comes with a later issue.
    assert demo.splitlines()[-1] == (
        "  aktiviste@example.lv         Preiļu darbīgās kopienas līdere (pārvaldībai piekļuves "
        "nav; pieteikšanās vietnē būs vēlāk)"
    )


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
