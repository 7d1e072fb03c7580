"""Bookings as iCalendar events (written by core.calendars): the attachment of the mails that
confirm a time and the entries of the person's calendar feed (events.views.personal_feed).

A booking's UID is "rezervacija-<pk>@darbigaskopienas.lv". Its times never change, only its
status, so the SEQUENCE follows the status: a request (TENTATIVE) 0, confirmed 1, cancelled or
declined (CANCELLED) 2; a calendar that holds the request then takes each change.
"""

from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core import calendars as ical

from .booking_models import Booking

_STATUS = {
    Booking.Status.PENDING: ("TENTATIVE", 0),
    Booking.Status.CONFIRMED: ("CONFIRMED", 1),
    Booking.Status.CANCELLED: ("CANCELLED", 2),
    Booking.Status.DECLINED: ("CANCELLED", 2),
}


def booking_uid(booking: Booking) -> str:
    return ical.uid("rezervacija", booking.pk)


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("my_booking", args=[booking.pk])


def booking_vevent(booking: Booking) -> icalendar.Event:
    """One booking (needs `equipment__centre` loaded), in the active language."""
    equipment, centre = booking.equipment, booking.equipment.centre
    status, sequence = _STATUS[booking.status]
    summary = _("Rezervācija: %(item)s") % {"item": equipment.name}
    lines = [booking.get_status_display()]
    if booking.note:
        lines.append(booking.note)
    lines.append(booking_url(booking))
    return ical.vevent(
        uid=booking_uid(booking),
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=summary,
        description="\n\n".join(lines),
        url=booking_url(booking),
        location=", ".join(
            part for part in (centre.name, centre.address or centre.settlement) if part
        ),
        status=status,
        sequence=sequence,
        created=booking.created_at,
        updated=booking.updated_at,
    )


def booking_calendar(bookings: Iterable[Booking], *, name: str) -> bytes:
    return ical.document([booking_vevent(booking) for booking in bookings], name=name)
