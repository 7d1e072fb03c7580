"""iCalendar documents of events (RFC 5545, written with the icalendar library).

Every VEVENT has a UID that never changes, the event's address on the site, its times with
TZID Europe/Riga (and the VTIMEZONE that defines it), a SEQUENCE that rises with each change
subscribers must see, and STATUS:CANCELLED once the event is cancelled.
"""

from collections.abc import Iterable
from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from core.formats import RIGA

from .models import Event

PRODID = "-//Darbīgās kopienas//Pasākumi//LV"
UID_DOMAIN = "darbigaskopienas.lv"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: Event) -> str:
    # The primary key, never the slug or title: those may be edited, and a new UID would make a
    # subscriber's calendar show the same event twice.
    return f"pasakums-{event.pk}@{UID_DOMAIN}"


def event_url(event: Event) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def event_location(event: Event) -> str:
    parts = []
    if event.centre_id:
        parts.append(event.centre.name)
    if event.address:
        parts.append(event.address)
    elif event.centre_id:
        parts.append(event.centre.address or event.centre.settlement)
    if event.format != Event.Format.IN_PERSON and event.online_url:
        parts.append(event.online_url)
    return ", ".join(part for part in parts if part)


def _vevent(event: Event) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.starts_at.astimezone(RIGA))
    vevent.add("dtend", event.ends_at.astimezone(RIGA))
    vevent.add("summary", event.title)
    vevent.add("description", f"{event.description}\n\n{event_url(event)}")
    vevent.add("url", event_url(event))
    location = event_location(event)
    if location:
        vevent.add("location", location)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return vevent


def calendar(events: Iterable[Event], *, name: str) -> bytes:
    """One calendar holding `events` (each needs `centre` loaded when it has one)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # A name is one line: X-WR-CALNAME is not escaped like SUMMARY, and a title typed with a
    # line break would otherwise break the whole document.
    cal.add("x-wr-calname", " ".join(name.split()))
    cal.add("x-wr-timezone", "Europe/Riga")
    first = None
    for event in events:
        cal.add_component(_vevent(event))
        first = event.starts_at if first is None else min(first, event.starts_at)
    # The zone's rules from a year before the earliest event: enough for every client, and far
    # smaller (and quicker to write) than the rules since 1970.
    start = timezone.localdate(first or timezone.now()) - timedelta(days=366)
    cal.add_missing_timezones(first_date=start)
    return cal.to_ical()
