"""iCalendar documents of events (written by core.calendars, the platform's one writer).

An event's UID is "pasakums-<pk>@darbigaskopienas.lv"; its SEQUENCE rises with each change
subscribers must see, and its STATUS is CANCELLED once the event is cancelled.
"""

from collections.abc import Iterable

import icalendar
from django.conf import settings

from core import calendars as ical
from core.calendars import CONTENT_TYPE  # noqa: F401 (events' views and mails use it from here)

from .models import Event


def event_uid(event: Event) -> str:
    return ical.uid("pasakums", event.pk)


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


def event_vevent(event: Event) -> icalendar.Event:
    return ical.vevent(
        uid=event_uid(event),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description=f"{event.description}\n\n{event_url(event)}",
        url=event_url(event),
        location=event_location(event),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        sequence=event.sequence,
        created=event.created_at,
        updated=event.updated_at,
    )


def calendar(events: Iterable[Event], *, name: str, also: Iterable[icalendar.Event] = ()) -> bytes:
    """One calendar holding `events` (each needs `centre` loaded when it has one) and `also`,
    other VEVENTs (a person's bookings in their personal feed)."""
    return ical.document([*(event_vevent(event) for event in events), *also], name=name)
