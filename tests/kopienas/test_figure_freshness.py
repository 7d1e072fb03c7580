"""The figures are kept in the shared cache (core.generations) and never shown stale: whatever
changes a counted row (a service, the admin's save, a deletion) shows on the very next request,
and nothing else throws the cached figures away."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from core import generations
from events import services as event_services
from grants.models import Application
from initiatives.models import Initiative
from tests.factories import EventFactory, ResourceCentreFactory, published_initiative
from tests.factories.grants import ApplicationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def headline(client) -> dict[str, str]:
    doc = parse(client.get("/").content)
    return {el.get("data-figure"): el.text for el in doc.select("[data-figure]")}


def test_closing_an_event_shows_its_people_on_the_next_request(client):
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    before = headline(client)

    event_services.close_event(event=event, attendees_count=1234, organisations_count=2)

    assert (before["participants"], headline(client)["participants"]) == ("0", "1 234")


def test_publishing_an_initiative_counts_it_on_the_next_request(client, coordinator):
    before = headline(client)

    initiative = published_initiative(coordinator=coordinator)

    after = headline(client)
    assert (before["initiatives"], after["initiatives"], after["institutions"]) == ("0", "1", "2")
    assert initiative.status == Initiative.Status.PUBLISHED


def test_a_centre_unpublished_by_a_save_is_no_longer_counted(client):
    centre = ResourceCentreFactory(is_published=True)
    before = headline(client)["centres"]

    centre.is_published = False
    centre.save()

    assert (before, headline(client)["centres"]) == ("1", "0")


def test_a_deleted_event_is_no_longer_counted(client):
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    event_services.close_event(event=event, attendees_count=40, organisations_count=0)
    before = headline(client)["participants"]

    event.delete()

    assert (before, headline(client)["participants"]) == ("40", "0")


def test_a_draft_application_saved_again_keeps_the_cached_figures(client):
    application = ApplicationFactory()
    client.get("/")
    generation = cache.get(generations.PREFIX + "figures")

    application.title = "Jauns nosaukums"
    application.save()

    assert application.status == Application.Status.DRAFT
    assert cache.get(generations.PREFIX + "figures") == generation


# --- core.generations on its own -------------------------------------------------------------


def test_a_cached_value_is_served_until_its_generation_is_bumped():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = generations.cached("proba", ("a",), compute)
    second = generations.cached("proba", ("a",), compute)
    generations.bump("proba")
    third = generations.cached("proba", ("a",), compute)

    assert (first, second, third) == (1, 1, 2)


def test_a_lost_generation_means_a_recomputation_never_an_old_value():
    generations.cached("proba", ("a",), lambda: "vecs")

    cache.delete(generations.PREFIX + "proba")

    assert generations.cached("proba", ("a",), lambda: "jauns") == "jauns"


def test_a_value_stored_from_data_before_the_commit_is_outdated_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        generations.bump("proba")
        # A reader that read the data as it was before this transaction commits stores its
        # value under the generation the bump has just made ...
        generations.cached("proba", ("a",), lambda: "pirms")
    for callback in callbacks:
        callback()

    # ... and the bump on commit makes that value unreachable.
    assert generations.cached("proba", ("a",), lambda: "pēc") == "pēc"


def test_many_changes_in_one_transaction_renew_once_until_someone_reads(
    django_capture_on_commit_callbacks,
):
    def generation():
        return cache.get(generations.PREFIX + "proba")

    with django_capture_on_commit_callbacks() as callbacks:
        generations.bump("proba")
        first = generation()
        generations.bump("proba")
        generations.bump("proba")
        unchanged = generation()
        # A read inside the changing transaction: the next change must be seen by it.
        assert generations.cached("proba", ("a",), lambda: "pirms") == "pirms"
        generations.bump("proba")
        assert generations.cached("proba", ("a",), lambda: "pēc") == "pēc"

    assert first == unchanged != generation()
    assert len(callbacks) == 1
