"""Calendar feeds, read back with icalendar and compared with the database."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from core.formats import RIGA
from events import services
from events.models import CalendarFeed, Event
from tests.factories import CommunityFactory, EventFactory, ResourceCentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def parse_feed(response):
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return [
        (
            str(event["UID"]),
            event.DTSTART,
            event.DTEND,
            event["DTSTART"].params["TZID"],
            str(event["URL"]),
            int(event["SEQUENCE"]),
            str(event["STATUS"]),
            str(event["SUMMARY"]),
        )
        for event in calendar.events
    ]


def expected(event, status="CONFIRMED"):
    return (
        f"pasakums-{event.pk}@darbigaskopienas.lv",
        event.starts_at.astimezone(RIGA),
        event.ends_at.astimezone(RIGA),
        "Europe/Riga",
        f"http://127.0.0.1:8000/pasakumi/{event.slug}/",
        event.sequence,
        status,
        event.title,
    )


def test_site_feed_holds_upcoming_events_and_the_last_30_days(client):
    now = timezone.now().replace(second=0, microsecond=0)
    recent = EventFactory(
        title="Pirms nedēļas",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=2),
    )
    EventFactory(title="Sen", starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=40))
    upcoming = EventFactory(title="Nākamnedēļ")
    EventFactory(title="Slēpts", is_published=False)
    cancelled = EventFactory(title="Atcelts")
    services.cancel_event(event=cancelled, reason="Lietus")
    cancelled.refresh_from_db()

    calendar = parse_feed(client.get("/pasakumi/kalendars.ics"))

    assert vevents(calendar) == [
        expected(recent),
        expected(upcoming),
        expected(cancelled, status="CANCELLED"),
    ]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Riga"]


def test_sequence_in_the_feed_rises_after_an_edit(client):
    event = EventFactory()
    before = vevents(parse_feed(client.get(f"/pasakumi/{event.slug}/kalendars.ics")))
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services.save_event(event=event, changed=["starts_at", "ends_at"])
    event.refresh_from_db()

    after = vevents(parse_feed(client.get(f"/pasakumi/{event.slug}/kalendars.ics")))

    assert [row[5] for row in before + after] == [0, 1]
    assert after == [expected(event)]


def test_centre_and_community_feeds_hold_their_own_events(client):
    centre = ResourceCentreFactory(slug="kraslava-c")
    community = CommunityFactory(slug="kraslava-k", resource_centre=None)
    at_centre = EventFactory(centre=centre)
    of_community = EventFactory(community=community)
    EventFactory()

    assert vevents(parse_feed(client.get("/centri/kraslava-c/kalendars.ics"))) == [
        expected(at_centre)
    ]
    assert vevents(parse_feed(client.get("/kopienas/kraslava-k/kalendars.ics"))) == [
        expected(of_community)
    ]


def test_personal_feed_holds_ones_own_registrations_until_revoked(client):
    user = UserFactory()
    mine = EventFactory()
    waiting_for = EventFactory(capacity=1)
    services.register(event=waiting_for, user=UserFactory())
    dropped = EventFactory()
    EventFactory()
    services.register(event=mine, user=user)
    services.register(event=waiting_for, user=user)
    services.cancel_registration(
        registration=services.register(event=dropped, user=user).registration
    )
    feed = services.renew_calendar_feed(user=user)

    calendar = parse_feed(client.get(f"/pasakumi/mans/{feed.token}.ics"))
    assert vevents(calendar) == [expected(mine), expected(waiting_for)]

    old = feed.token
    renewed = services.renew_calendar_feed(user=user)
    assert client.get(f"/pasakumi/mans/{old}.ics").status_code == 404
    assert client.get(f"/pasakumi/mans/{renewed.token}.ics").status_code == 200
    services.revoke_calendar_feed(user=user)
    assert client.get(f"/pasakumi/mans/{renewed.token}.ics").status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_renewing_and_revoking_through_the_page(client):
    user = UserFactory()
    client.force_login(user)

    client.post("/pasakumi/mans/kalendars/", {"action": "renew"})
    first = CalendarFeed.objects.get(user=user).token
    client.post("/pasakumi/mans/kalendars/", {"action": "renew"})
    second = CalendarFeed.objects.get(user=user).token
    response = client.post("/pasakumi/mans/kalendars/", {"action": "revoke", "next": "/mans/"})

    assert first != second
    assert (response.status_code, response["Location"]) == (302, "/mans/")
    assert CalendarFeed.objects.filter(user=user).exists() is False


def test_shared_feeds_never_serve_a_stale_copy(client):
    centre = ResourceCentreFactory(slug="cache-c", name="Vecais nosaukums")
    event = EventFactory(centre=centre)
    first = parse_feed(client.get("/centri/cache-c/kalendars.ics"))
    assert parse_feed(client.get("/centri/cache-c/kalendars.ics")).to_ical() == first.to_ical()

    event.title = "Jauns nosaukums"
    services.save_event(event=event, changed=["title"])
    event.refresh_from_db()
    after_edit = parse_feed(client.get("/centri/cache-c/kalendars.ics"))
    centre.name = "Jaunais nosaukums"
    centre.save()
    after_centre = parse_feed(client.get("/centri/cache-c/kalendars.ics"))
    added = EventFactory(centre=centre)
    after_add = parse_feed(client.get("/centri/cache-c/kalendars.ics"))
    Event.objects.filter(pk=added.pk).update(is_published=False)
    after_hide = parse_feed(client.get("/centri/cache-c/kalendars.ics"))

    assert vevents(after_edit) == [expected(event)]
    assert str(after_centre.events[0]["LOCATION"]).startswith("Jaunais nosaukums")
    assert vevents(after_add) == [expected(event), expected(added)]
    assert vevents(after_hide) == [expected(event)]


def test_a_title_with_a_line_break_still_makes_a_valid_feed(client):
    event = EventFactory(title="Seminārs\r\npedagogiem")

    response = client.get(f"/pasakumi/{event.slug}/kalendars.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert (
        response.status_code,
        str(calendar["x-wr-calname"]),
        [str(component["summary"]) for component in calendar.walk("VEVENT")],
    ) == (200, "Seminārs pedagogiem", ["Seminārs\npedagogiem"])
