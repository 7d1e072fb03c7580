"""Bench data: two years of bookings of the synthetic centres' equipment and rooms (issue 13).

Every synthetic centre has ten bookable items (`places.EQUIPMENT`). Each item is booked on every
other day it is open, from a year ago to a year ahead: one booking of two hours (or the whole
interval, if shorter) at the start of each of that day's opening intervals, on a unit that
changes day by day. At scale 1 that is about 360,000 bookings. Past ones are confirmed (every
twentieth cancelled, every fiftieth a no-show), upcoming ones confirmed with every seventh
waiting for approval. The bookings never overlap on one unit, so PostgreSQL's exclusion
constraint (resource_centres migration 0006) holds for them as for real ones.

Booked by the synthetic communities' leaders in turn. Only items without any booking get them,
so a second run adds nothing and a larger scale books the new centres' items only.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.formats import RIGA
from resource_centres.booking_models import Booking
from resource_centres.models import Equipment, WeeklyHours

from .common import BIG_BATCH, Made, analyze
from .names import BENCH_PREFIX

DAYS_BACK = 365
DAYS_AHEAD = 365
BOOKING_HOURS = 2


def make_bookings(*, scale: float, made: Made) -> None:
    made.counts["bookings"] = 0
    people = list(
        get_user_model()
        .objects.filter(username__startswith=f"{BENCH_PREFIX}lietotajs-")
        .order_by("username")
        .values_list("pk", flat=True)
    )
    items = list(
        Equipment.objects.filter(centre__slug__startswith=BENCH_PREFIX, bookable=True)
        .exclude(Exists(Booking.objects.filter(equipment=OuterRef("pk"))))
        .order_by("centre__slug", "order", "pk")
    )
    if not people or not items:
        return
    hours = {}
    for row in WeeklyHours.objects.filter(centre__in={item.centre_id for item in items}):
        hours.setdefault((row.centre_id, row.weekday), []).append((row.opens, row.closes))
    now = timezone.now()
    today = timezone.localdate()
    batch = []
    count = 0
    for number, item in enumerate(items):
        buffer = timedelta(minutes=item.buffer_minutes)
        for offset in range(-DAYS_BACK, DAYS_AHEAD):
            if (offset + number) % 2:
                continue
            day = today + timedelta(days=offset)
            intervals = sorted(hours.get((item.centre_id, day.weekday()), []))
            for opens, closes in intervals:
                starts_at = datetime.combine(day, opens, tzinfo=RIGA)
                ends_at = min(
                    starts_at + timedelta(hours=BOOKING_HOURS),
                    datetime.combine(day, closes, tzinfo=RIGA),
                )
                serial = count + len(batch)
                batch.append(_booking(item, number, offset, starts_at, ends_at, buffer, now))
                batch[-1].person_id = people[serial % len(people)]
            if len(batch) >= BIG_BATCH:
                Booking.objects.bulk_create(batch, batch_size=BIG_BATCH)
                count += len(batch)
                batch = []
    Booking.objects.bulk_create(batch, batch_size=BIG_BATCH)
    made.counts["bookings"] = count + len(batch)
    analyze([Booking])


def _booking(item, number, offset, starts_at, ends_at, buffer, now) -> Booking:
    serial = abs(offset) + number
    past = ends_at <= now
    status = Booking.Status.CONFIRMED
    if past and serial % 20 == 0:
        status = Booking.Status.CANCELLED
    elif not past and (item.requires_approval or serial % 7 == 0):
        status = Booking.Status.PENDING
    return Booking(
        equipment=item,
        # The unit changes day by day; an item of one unit always books unit 1.
        unit=(offset + DAYS_BACK) // 2 % item.quantity + 1,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at + buffer,
        status=status,
        no_show=past and status == Booking.Status.CONFIRMED and serial % 50 == 10,
        note="Kopienas nodarbība",
        decided_at=starts_at - timedelta(days=3) if status != Booking.Status.PENDING else None,
        cancelled_at=starts_at - timedelta(days=1) if status == Booking.Status.CANCELLED else None,
    )
