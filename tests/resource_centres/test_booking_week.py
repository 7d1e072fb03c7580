"""One item's week (resource_centres.booking_selectors.item_week): the rows of the table the
week view shows, from the centre's opening hours, the bookings and the maintenance."""

from datetime import date, time, timedelta

import pytest

from resource_centres import booking_selectors as selectors
from resource_centres import booking_services as bookings
from resource_centres.booking_models import LONGEST_HOLD, Booking, Maintenance
from resource_centres.models import MAX_BOOKING_MINUTES, MAX_BUFFER_MINUTES
from tests.resource_centres.booking_support import NOW, bookable, closed_on, person, riga

pytestmark = pytest.mark.django_db


def _states(week, day: date) -> list[tuple[str, str, int]]:
    return [
        (f"{clock:%H.%M}", cell.state, cell.free_units)
        for clock, cells in week.rows()
        for cell in [cells[week.days.index(day)]]
        if cell is not None
    ]


def test_a_day_shows_free_taken_past_and_maintenance_steps(django_assert_num_queries):
    item = bookable(quantity=2, slot_minutes=60, buffer_minutes=30)
    monday = date(2026, 3, 23)
    bookings.request_booking(
        request=bookings.Request(item, riga("2026-03-23", "10.00"), riga("2026-03-23", "11.00")),
        person=person(),
        now=NOW,
    )
    for _ in range(2):
        bookings.request_booking(
            request=bookings.Request(
                item, riga("2026-03-24", "09.00"), riga("2026-03-24", "10.00")
            ),
            person=person(),
            now=NOW,
        )
    Maintenance.objects.create(
        equipment=item,
        starts_at=riga("2026-03-24", "15.00"),
        ends_at=riga("2026-03-24", "17.00"),
        reason="apkope",
    )
    closed_on(item.centre, "2026-03-25")

    with django_assert_num_queries(4):
        week = selectors.item_week(item, monday, now=riga("2026-03-23", "10.30"))

    assert week.days == [date(2026, 3, 23 + offset) for offset in range(7)]
    assert week.times == [time(hour) for hour in range(9, 17)]  # Saturday adds 12.00
    assert _states(week, date(2026, 3, 23)) == [
        ("09.00", "past", 0),
        ("10.00", "past", 0),
        ("11.00", "free", 1),  # the buffer of the 10.00 booking holds one unit until 11.30
        ("13.00", "free", 2),
        ("14.00", "free", 2),
        ("15.00", "free", 2),
        ("16.00", "free", 2),
    ]
    assert _states(week, date(2026, 3, 24))[:2] == [("09.00", "taken", 0), ("10.00", "taken", 0)]
    assert _states(week, date(2026, 3, 24))[-2:] == [
        ("15.00", "maintenance", 0),
        ("16.00", "maintenance", 0),
    ]
    assert _states(week, date(2026, 3, 25)) == []  # the holiday
    assert _states(week, date(2026, 3, 28)) == [
        ("10.00", "free", 2),
        ("11.00", "free", 2),
        ("12.00", "free", 2),
        ("13.00", "free", 2),
    ]
    assert _states(week, date(2026, 3, 29)) == []  # Sunday


def test_the_week_the_clocks_change_keeps_its_wall_clock_rows():
    item = bookable(slot_minutes=60)

    week = selectors.item_week(item, date(2026, 3, 23), now=NOW)
    after = selectors.item_week(item, date(2026, 3, 30), now=NOW)

    assert week.times == after.times
    assert [
        cell.starts_at.isoformat()
        for cell in (
            week.slots[(date(2026, 3, 27), time(9))],
            after.slots[(date(2026, 3, 30), time(9))],
        )
    ] == [
        "2026-03-27T07:00:00+00:00",
        "2026-03-30T06:00:00+00:00",
    ]


def test_the_longest_hold_is_found_until_its_last_moment():
    """Reads of what holds a time walk only LONGEST_HOLD of the index back: a booking of the
    longest length with the longest buffer is still found at its last held moment."""
    item = bookable(max_minutes=MAX_BOOKING_MINUTES, buffer_minutes=MAX_BUFFER_MINUTES)
    starts = riga("2026-03-24", "00.00")
    ends = starts + timedelta(minutes=MAX_BOOKING_MINUTES)
    Booking.objects.create(
        equipment=item,
        person=person(),
        starts_at=starts,
        ends_at=ends,
        blocked_until=ends + timedelta(minutes=MAX_BUFFER_MINUTES),
        status=Booking.Status.CONFIRMED,
    )
    last = starts + LONGEST_HOLD - timedelta(microseconds=1)

    def held_at(moment):
        return Booking.objects.holding(moment, moment + timedelta(microseconds=1)).count()

    assert timedelta(hours=28) == LONGEST_HOLD
    assert [held_at(starts), held_at(last), held_at(starts + LONGEST_HOLD)] == [1, 1, 0]
