"""Bookings in calendars: the .ics attachment of the mails that confirm a time, and the entries
of the person's calendar feed (events' personal feed), read back with icalendar."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail

from core.formats import RIGA, riga_today
from events import services as event_services
from resource_centres import booking_services as bookings
from resource_centres.booking_selectors import monday_of
from tests.factories import EventFactory, UserFactory
from tests.resource_centres.booking_support import NOW, bookable, person, riga

pytestmark = pytest.mark.django_db


def _attachments(message) -> list[tuple[str, str]]:
    return [(name, mimetype) for name, _content, mimetype in message.attachments]


def _vevents(content: bytes) -> list[tuple]:
    calendar = icalendar.Calendar.from_ical(content)
    return [
        (
            str(event["UID"]),
            event.DTSTART,
            event.DTEND,
            event["DTSTART"].params["TZID"],
            str(event["STATUS"]),
            int(event["SEQUENCE"]),
            str(event["SUMMARY"]),
            str(event["URL"]),
            str(event["LOCATION"]),
        )
        for event in calendar.events
    ]


def _book(item, who, day, start, end, **kwargs):
    request = bookings.Request(item, riga(day, start), riga(day, end))
    return bookings.request_booking(request=request, person=who, now=NOW, **kwargs)


def test_a_confirmed_booking_mails_its_time_as_an_ics(django_capture_on_commit_callbacks):
    item = bookable(name="Lāzergravētājs")
    item.centre.address = "Raiņa iela 1"
    item.centre.save()
    anna = person(email="anna@example.lv")

    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(item, anna, "2026-03-24", "10.00", "12.00")

    (message,) = mail.outbox
    assert _attachments(message) == [("rezervacija.ics", "text/calendar; charset=utf-8")]
    assert _vevents(message.attachments[0][1]) == [
        (
            f"rezervacija-{booking.pk}@darbigaskopienas.lv",
            riga("2026-03-24", "10.00"),
            riga("2026-03-24", "12.00"),
            "Europe/Riga",
            "CONFIRMED",
            1,
            "Rezervācija: Lāzergravētājs",
            f"http://127.0.0.1:8000/mans/rezervacijas/{booking.pk}/",
            f"{item.centre.name}, Raiņa iela 1",
        )
    ]


def test_an_english_booking_is_mailed_with_an_english_calendar(
    django_capture_on_commit_callbacks,
):
    item = bookable(name="Lāzergravētājs")

    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(item, person(), "2026-03-24", "10.00", "12.00", language="en")

    (event,) = _vevents(mail.outbox[0].attachments[0][1])
    assert (event[6], event[7]) == (
        "Booking: Lāzergravētājs",
        f"http://127.0.0.1:8000/en/mans/rezervacijas/{booking.pk}/",
    )


def test_an_approved_request_is_mailed_with_its_ics_and_the_request_without(
    django_capture_on_commit_callbacks,
):
    item = bookable(requires_approval=True)
    anna = person()

    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(item, anna, "2026-03-24", "10.00", "12.00")
    with django_capture_on_commit_callbacks(execute=True):
        bookings.approve_booking(booking=booking, actor=UserFactory(), now=NOW)

    pending, approved = mail.outbox
    assert (_attachments(pending), _attachments(approved)) == (
        [],
        [("rezervacija.ics", "text/calendar; charset=utf-8")],
    )
    assert [event[4:6] for event in _vevents(approved.attachments[0][1])] == [("CONFIRMED", 1)]


def test_a_weekly_series_is_mailed_with_every_date_in_one_ics(django_capture_on_commit_callbacks):
    item = bookable()
    request = bookings.Request(item, riga("2026-03-24", "10.00"), riga("2026-03-24", "11.00"))

    with django_capture_on_commit_callbacks(execute=True):
        result = bookings.request_series(
            request=request, weeks=3, person=person(), book_available=False, now=NOW
        )

    (message,) = mail.outbox
    # The third date is after the clocks change: the same wall-clock time, an hour less of UTC
    # offset.
    assert [(event[0], event[1]) for event in _vevents(message.attachments[0][1])] == [
        (f"rezervacija-{booking.pk}@darbigaskopienas.lv", booking.starts_at.astimezone(RIGA))
        for booking in result.bookings
    ]
    assert [event[1].strftime("%H:%M %z") for event in _vevents(message.attachments[0][1])] == [
        "10:00 +0200",
        "10:00 +0300",
        "10:00 +0300",
    ]


def test_cancellation_mails_carry_no_calendar(django_capture_on_commit_callbacks):
    item = bookable()
    anna = person()
    booking = _book(item, anna, "2026-03-24", "10.00", "12.00")

    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_own_booking(booking=booking, person=anna, now=NOW)

    assert [_attachments(message) for message in mail.outbox] == [[]]


def test_the_personal_feed_holds_the_persons_bookings_with_their_status(client):
    anna = person()
    item = bookable(name="Šujmašīna")
    approval = bookable(name="Krāsns", requires_approval=True, centre=item.centre)
    monday = monday_of(riga_today()) + timedelta(days=7)

    def book_next_week(thing, start, end):
        return bookings.request_booking(
            request=bookings.Request(
                thing,
                riga(monday.isoformat(), start),
                riga(monday.isoformat(), end),
            ),
            person=anna,
        )

    confirmed = book_next_week(item, "10.00", "11.00")
    pending = book_next_week(approval, "13.00", "14.00")
    cancelled = book_next_week(item, "14.00", "15.00")
    bookings.cancel_own_booking(booking=cancelled, person=anna)
    book_next_week_other = bookings.request_booking(
        request=bookings.Request(
            item, riga(monday.isoformat(), "16.00"), riga(monday.isoformat(), "16.30")
        ),
        person=person(),
    )
    event = EventFactory(title="Talka")
    event_services.register(event=event, user=anna)
    token = event_services.renew_calendar_feed(user=anna).token

    response = client.get(f"/pasakumi/mans/{token}.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert sorted(
        (str(entry["UID"]), str(entry["STATUS"]), int(entry["SEQUENCE"]))
        for entry in calendar.events
    ) == sorted(
        [
            (f"pasakums-{event.pk}@darbigaskopienas.lv", "CONFIRMED", event.sequence),
            (f"rezervacija-{confirmed.pk}@darbigaskopienas.lv", "CONFIRMED", 1),
            (f"rezervacija-{pending.pk}@darbigaskopienas.lv", "TENTATIVE", 0),
            (f"rezervacija-{cancelled.pk}@darbigaskopienas.lv", "CANCELLED", 2),
        ]
    )
    assert book_next_week_other.person != anna
