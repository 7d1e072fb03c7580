"""The events list's count and filter options come from the shared cache (core.generations,
events.selectors): never stale, whether what changed is a saved row or only the clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event
from tests.factories import (
    CommunityFactory,
    EventFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> str:
    return parse(client.get(url).content).select_one(".result-count").text


def _options(client, url: str, name: str) -> list[tuple[str, str, bool]]:
    doc = parse(client.get(url).content)
    return [
        (option.attrs["value"], option.text, "selected" in option.attrs)
        for option in doc.select(f"select[name={name}] option")
    ]


def _event(title: str, starts_in: timedelta, hours: int = 1, **fields) -> Event:
    start = timezone.now() + starts_in
    return EventFactory(
        title=title, starts_at=start, ends_at=start + timedelta(hours=hours), **fields
    )


def test_the_counts_follow_the_clock_without_any_save(client, monkeypatch):
    # Cached at noon: two upcoming events (one ends within the hour) and one past.
    _event("Drīz beigsies", timedelta(minutes=-30))
    _event("Rīt", timedelta(days=1))
    _event("Vakar", timedelta(days=-1))
    counts = [_count(client, "/pasakumi/"), _count(client, "/pasakumi/?laiks=pagajusi")]

    # Two hours later the first has ended: it has left the upcoming list and joined the past.
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    counts += [_count(client, "/pasakumi/"), _count(client, "/pasakumi/?laiks=pagajusi")]

    assert counts == [
        "Atrasti 2 pasākumi",
        "Atrasts 1 pasākums",
        "Atrasts 1 pasākums",
        "Atrasti 2 pasākumi",
    ]


def test_a_count_holds_while_nothing_ends(client, monkeypatch, django_assert_num_queries):
    _event("Rīt", timedelta(days=1))
    client.get("/pasakumi/")

    # An hour later nothing has ended: the cached count still holds, and no event is counted.
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_assert_num_queries(3):
        assert _count(client, "/pasakumi/") == "Atrasts 1 pasākums"


def test_counts_change_on_the_very_next_request_after_a_save(client):
    group = TargetGroupFactory(slug="seniori", title="Seniori")
    first = _event("Pirmais", timedelta(days=1))
    second = _event("Otrais", timedelta(days=2))
    url = "/pasakumi/?grupa=seniori"
    counts = [_count(client, "/pasakumi/"), _count(client, url)]

    # A group added in the admin (the event's form saves its groups after the event).
    first.target_groups.add(group)
    counts.append(_count(client, url))
    # Unpublished: gone from the list and its count.
    second.is_published = False
    second.save()
    counts.append(_count(client, "/pasakumi/"))
    first.delete()
    counts += [_count(client, "/pasakumi/"), _count(client, url)]

    assert counts == [
        "Atrasti 2 pasākumi",
        "Atrasti 0 pasākumi",
        "Atrasts 1 pasākums",
        "Atrasts 1 pasākums",
        "Atrasti 0 pasākumi",
        "Atrasti 0 pasākumi",
    ]


def test_free_seats_are_counted_afresh(client):
    centre = ResourceCentreFactory(slug="preili-c")
    event = _event("Viena vieta", timedelta(days=1), centre=centre, capacity=1)
    url = "/pasakumi/?brivas=on"
    counts = [_count(client, url)]

    # Registering takes the seat by an update of the count, with no save of the event.
    services.register(event=event, user=UserFactory())
    counts.append(_count(client, url))

    assert counts == ["Atrasts 1 pasākums", "Atrasti 0 pasākumi"]


def test_options_change_on_the_very_next_request(client):
    centre = ResourceCentreFactory(slug="preili-c", name="Preiļu centrs")
    community = CommunityFactory(slug="preili", name="Preiļu kopiena", resource_centre=centre)
    url = "/pasakumi/?kopiena=preili"
    before = _options(client, url, "kopiena")

    community.name = "Preiļu jauniešu kopiena"
    community.save()
    CommunityFactory(slug="aglona", name="Aglonas kopiena", resource_centre=centre)
    after = _options(client, url, "kopiena")

    assert before == [("", "Visas kopienas", False), ("preili", "Preiļu kopiena", True)]
    assert after == [
        ("", "Visas kopienas", False),
        ("aglona", "Aglonas kopiena", False),
        ("preili", "Preiļu jauniešu kopiena", True),
    ]


def test_the_written_options_are_those_django_would_write(client):
    ResourceCentreFactory(slug="a-b", name='Centrs "<Ā & B>"')
    TargetGroupFactory(slug="grupa", title="Jaunieši & seniori")

    content = client.get("/pasakumi/?centrs=a-b").content.decode()

    assert '<option value="a-b" selected>Centrs &quot;&lt;Ā &amp; B&gt;&quot;</option>' in content
    assert '<option value="grupa">Jaunieši &amp; seniori</option>' in content
