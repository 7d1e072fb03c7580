"""No double booking, ever: thirty people press "Rezervēt" at the same moment for one time of
an item with three identical units; and on PostgreSQL the database itself refuses an
overlapping row that skipped the services (the exclusion constraint `booking_no_overlap`).

Real threads, each with its own connection. Outside PostgreSQL these tests are skipped, except
in CI, where they must run."""

import os
import threading
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db import IntegrityError, connection, transaction

from resource_centres import booking_services as bookings
from resource_centres.booking_models import Booking
from tests.resource_centres.booking_support import NOW, bookable, person, riga

PEOPLE = 30
UNITS = 3


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The booking concurrency tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)


def _at_once(work, arguments) -> tuple[list, list]:
    """Run work(argument) in one thread each, released together: (results, errors)."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(argument):
        try:
            barrier.wait()
            results.append(work(argument))
        except Exception as error:  # every outcome is kept
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.postgres
def test_thirty_at_once_for_three_units_get_exactly_three_bookings(postgresql):
    item = bookable(name="Dators", quantity=UNITS)
    people = [person() for _ in range(PEOPLE)]
    starts, ends = riga("2026-03-24", "10.00"), riga("2026-03-24", "12.00")

    results, errors = _at_once(
        lambda who: bookings.request_booking(
            request=bookings.Request(item, starts, ends), person=who, now=NOW
        ),
        people,
    )

    assert sorted(booking.unit for booking in results) == [1, 2, 3]
    assert [(type(error), error.code) for error in errors] == [(bookings.BookingError, "taken")] * (
        PEOPLE - UNITS
    )
    assert sorted(Booking.objects.values_list("unit", "status")) == [
        (1, "confirmed"),
        (2, "confirmed"),
        (3, "confirmed"),
    ]


@pytest.mark.postgres
def test_overlapping_requests_of_different_lengths_never_share_a_unit(postgresql):
    item = bookable(name="Šujmašīna", quantity=1, buffer_minutes=30)
    times = [("09.00", "10.00"), ("09.30", "11.00"), ("10.00", "11.00"), ("10.30", "12.00")]

    results, errors = _at_once(
        lambda pair: bookings.request_booking(
            request=bookings.Request(
                item, riga("2026-03-24", pair[0]), riga("2026-03-24", pair[1])
            ),
            person=person(),
            now=NOW,
        ),
        times,
    )

    held = sorted(
        (b.starts_at, b.blocked_until) for b in Booking.objects.filter(status="confirmed")
    )
    # Whichever won, no two held times (with the buffer) overlap.
    assert all(earlier[1] <= later[0] for earlier, later in pairwise(held))
    assert len(results) + len(errors) == len(times)
    assert {error.code for error in errors} <= {"taken"}


@pytest.mark.postgres
def test_the_database_refuses_an_overlapping_row_that_skipped_the_services(postgresql):
    item = bookable(quantity=2)
    anna = person()
    starts = riga("2026-03-24", "10.00")

    def row(unit, start, hours=1, status=Booking.Status.CONFIRMED):
        return Booking(
            equipment=item,
            unit=unit,
            person=anna,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            blocked_until=start + timedelta(hours=hours),
            status=status,
        )

    row(1, starts).save()
    row(2, starts).save()  # another unit: allowed
    row(1, starts + timedelta(hours=1)).save()  # back to back: allowed
    row(1, starts, status=Booking.Status.CANCELLED).save()  # cancelled holds nothing
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        row(1, starts + timedelta(minutes=30), status=Booking.Status.PENDING).save()

    assert "booking_no_overlap" in str(caught.value)
    assert Booking.objects.count() == 4
