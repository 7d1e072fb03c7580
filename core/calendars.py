"""iCalendar documents (RFC 5545, written with the icalendar library): the one writer of the
platform, for events (events.calendars) and bookings (resource_centres.booking_calendars).

Every VEVENT has a UID that never changes, the thing's address on the site, its times with TZID
Europe/Riga (and the VTIMEZONE that defines it), a SEQUENCE that rises with each change
subscribers must see, and a STATUS (CANCELLED once it is called off).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar
from django.utils import timezone

from .formats import RIGA

PRODID = "-//Darbīgās kopienas//Pasākumi//LV"
UID_DOMAIN = "darbigaskopienas.lv"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(kind: str, pk: int) -> str:
    """ "pasakums-7@darbigaskopienas.lv": from the primary key, never a slug or title (those may
    be edited, and a new UID would make a subscriber's calendar show the same thing twice)."""
    return f"{kind}-{pk}@{UID_DOMAIN}"


def vevent(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    url: str,
    location: str = "",
    status: str = "CONFIRMED",
    sequence: int = 0,
    created: datetime,
    updated: datetime,
) -> icalendar.Event:
    """One VEVENT; `status` is CONFIRMED, TENTATIVE or CANCELLED."""
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", updated)
    component.add("last-modified", updated)
    component.add("created", created)
    component.add("sequence", sequence)
    component.add("dtstart", starts_at.astimezone(RIGA))
    component.add("dtend", ends_at.astimezone(RIGA))
    component.add("summary", summary)
    component.add("description", description)
    component.add("url", url)
    if location:
        component.add("location", location)
    component.add("status", status)
    return component


def document(components: Iterable[icalendar.Event], *, name: str) -> bytes:
    """One calendar holding `components` (vevent()s), with the Riga time zone's rules."""
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
    for component in components:
        cal.add_component(component)
        starts = component.DTSTART
        first = starts if first is None else min(first, starts)
    # The zone's rules from a year before the earliest event: enough for every client, and far
    # smaller (and quicker to write) than the rules since 1970.
    start = timezone.localdate(first or timezone.now()) - timedelta(days=366)
    cal.add_missing_timezones(first_date=start)
    return cal.to_ical()
