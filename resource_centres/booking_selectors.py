"""Reads of bookings for the pages: one item's week of free and taken times, a person's own
bookings, and what is free now at a centre."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import BigIntegerField, F, Func, Min, Q, QuerySet
from django.utils import timezone

from core.formats import RIGA, iso, riga

from .booking_models import LONGEST_HOLD, Booking, Instruction, Maintenance
from .hours import OpeningCalendar
from .models import Equipment, ResourceCentre

FREE, TAKEN, CLOSED, PAST, MAINTENANCE = "free", "taken", "closed", "past", "maintenance"


@dataclass(frozen=True)
class Slot:
    """One step of the item's time on one day (its `slot_minutes` long)."""

    starts_at: datetime
    ends_at: datetime
    state: str
    free_units: int = 0


@dataclass
class Week:
    equipment: Equipment
    days: list[date]
    # The wall-clock times of the rows, earliest opening to latest closing of the week.
    times: list[time]
    # (day, time) -> Slot; a time of a day that is not in the grid (closed) is absent.
    slots: dict[tuple[date, time], Slot] = field(default_factory=dict)

    def rows(self) -> list[tuple[time, list[Slot | None]]]:
        """The table: one row per time, one cell per day (None: the centre is closed then)."""
        return [
            (clock, [self.slots.get((day, clock)) for day in self.days]) for clock in self.times
        ]

    @property
    def is_closed_all_week(self) -> bool:
        return not self.slots


def booking_data(*, person) -> list[dict]:
    """Every booking of the person, cancelled and declined ones included, for their data
    export (/mans/dati/)."""
    rows = (
        Booking.objects.filter(person=person)
        .select_related("equipment__centre")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "item": booking.equipment.name,
            "centre": booking.equipment.centre.name,
            "centre_url": settings.SITE_URL + booking.equipment.centre.get_absolute_url(),
            "unit": booking.unit,
            "starts_at": iso(booking.starts_at),
            "ends_at": iso(booking.ends_at),
            "status": booking.status,
            "note": booking.note,
            "language": booking.language,
            "reason": booking.reason,
            "no_show": booking.no_show,
            "created_at": iso(booking.created_at),
            "decided_at": iso(booking.decided_at),
            "cancelled_at": iso(booking.cancelled_at),
        }
        for booking in rows
    ]


def instruction_data(*, person) -> list[dict]:
    """The items the person is recorded as instructed on, for their data export."""
    rows = (
        Instruction.objects.filter(person=person)
        .select_related("equipment__centre", "event")
        .order_by("instructed_on", "pk")
    )
    return [
        {
            "item": instruction.equipment.name,
            "centre": instruction.equipment.centre.name,
            "instructed_on": iso(instruction.instructed_on),
            "event": instruction.event.title if instruction.event else None,
        }
        for instruction in rows
    ]


def confirmed_bookings() -> QuerySet[Booking]:
    """The bookings the usage figures read (kopienas.booking_usage and the impact figure
    "rezervētās stundas"): confirmed ones, past and upcoming. No-shows among them are
    counted apart, never as hours."""
    return Booking.objects.filter(status=Booking.Status.CONFIRMED)


def counted_bookings() -> QuerySet[Booking]:
    """The confirmed bookings whose hours count: all but the no-shows."""
    return confirmed_bookings().filter(no_show=False)


class BookedSeconds(Func):
    """A booking's length in whole seconds, from its start to its end (not the buffer after
    it, which is the centre's time): an integer in the database, so sums of it sit in one
    UNION ALL with counts (kopienas.figures.sources)."""

    output_field = BigIntegerField()
    arg_joiner = " - "
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS BIGINT)"

    def __init__(self, **extra):
        super().__init__(F("ends_at"), F("starts_at"), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps datetimes as ISO text in UTC; julianday() reads it as days.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _moment(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=RIGA).astimezone(UTC)


def item_week(equipment: Equipment, monday: date, *, now: datetime | None = None) -> Week:
    """The item's week from `monday`: every opening-hours step of each day, free (with how many
    units), taken, closed for maintenance or past. Four queries whatever the bookings."""
    now = now or timezone.now()
    days = [monday + timedelta(days=offset) for offset in range(7)]
    calendar = OpeningCalendar.load(equipment.centre, days[0], days[-1])
    week_start, week_end = _moment(days[0], time(0)), _moment(days[-1] + timedelta(days=1), time(0))
    held = list(
        Booking.objects.filter(equipment=equipment)
        .holding(week_start, week_end)
        .values_list("starts_at", "blocked_until")
    )
    closed = list(
        Maintenance.objects.filter(
            equipment=equipment, starts_at__lt=week_end, ends_at__gt=week_start
        ).values_list("starts_at", "ends_at")
    )
    step = timedelta(minutes=equipment.slot_minutes)
    slots: dict[tuple[date, time], Slot] = {}
    clocks: set[time] = set()
    for day in days:
        for opens, closes in calendar.intervals_on(day):
            start = opens.astimezone(UTC)
            end = closes.astimezone(UTC)
            while start + step <= end:
                slot_end = start + step
                clock = riga(start).time()
                if start < now:  # begun: no longer bookable
                    state, free = PAST, 0
                elif any(a < slot_end and b > start for a, b in closed):
                    state, free = MAINTENANCE, 0
                else:
                    busy = sum(1 for a, b in held if a < slot_end and b > start)
                    free = max(equipment.quantity - busy, 0)
                    state = FREE if free else TAKEN
                slots[(day, clock)] = Slot(start, slot_end, state, free)
                clocks.add(clock)
                start = slot_end
    return Week(equipment=equipment, days=days, times=sorted(clocks), slots=slots)


def bookable_items(centre: ResourceCentre) -> QuerySet[Equipment]:
    return centre.equipment.filter(bookable=True).order_by("order", "name")


def _upcoming() -> Q:
    return Q(status__in=Booking.ACTIVE)


def _ahead(now: datetime) -> Q:
    """Pending and confirmed, not yet ended. None that started more than LONGEST_HOLD ago can
    still be running: a bound that lets the (person, starts_at) index start at now instead of at
    the person's first booking. The earlier ones are the rest, so each booking is in one list."""
    return Q(_upcoming(), ends_at__gt=now, starts_at__gt=now - LONGEST_HOLD)


def bookings_of(person) -> QuerySet[Booking]:
    """Every booking the person has made, of any status: what /mans/ lists part of."""
    return Booking.objects.filter(person=person)


class OwnBookings(NamedTuple):
    """What /mans/ shows of a person's bookings (templates/resource_centres/includes/
    my_bookings.html): the soonest upcoming ones and the latest earlier ones, each list cut to a
    few, and whether there are more of each (listed in full on /mans/rezervacijas/gaidamas/ and
    /mans/rezervacijas/)."""

    upcoming: Sequence[Booking]
    earlier: Sequence[Booking]
    more_upcoming: bool
    more_earlier: bool


NO_BOOKINGS = OwnBookings((), (), False, False)


def own_bookings(
    person, *, now: datetime | None = None, upcoming: int = 10, earlier: int = 5
) -> OwnBookings:
    """The person's `upcoming` soonest upcoming bookings (pending and confirmed, not yet ended)
    and the latest `earlier` of the others (ended, cancelled, declined), latest first: two
    queries by the (person, starts_at) index, each returning a few rows. The upcoming ones are
    read from now on; the earlier ones from the person's latest booking back, past the upcoming
    ones (a year of weekly bookings ahead is some fifty rows to skip)."""
    now = now or timezone.now()
    # What /mans/ shows of each (templates/resource_centres/includes/my_bookings.html).
    shown = ("starts_at", "ends_at", "status", "equipment__name", "equipment__centre__name")
    ahead = list(upcoming_bookings(person, now=now).only(*shown)[: upcoming + 1])
    before = list(earlier_bookings(person, now=now).only(*shown)[: earlier + 1])
    return OwnBookings(
        ahead[:upcoming], before[:earlier], len(ahead) > upcoming, len(before) > earlier
    )


def upcoming_bookings(person, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The person's pending and confirmed bookings that have not ended, soonest first."""
    now = now or timezone.now()
    return (
        bookings_of(person)
        .filter(_ahead(now))
        .select_related("equipment__centre")
        .order_by("starts_at", "pk")
    )


def earlier_bookings(person, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The person's ended, cancelled and declined bookings, latest first."""
    now = now or timezone.now()
    return (
        bookings_of(person)
        .exclude(_ahead(now))
        .select_related("equipment__centre")
        .order_by("-starts_at", "-pk")
    )


def free_now(
    centre: ResourceCentre,
    *,
    now: datetime | None = None,
    items: Iterable[Equipment] | None = None,
) -> dict[int, int]:
    """{item pk: units free at this moment} for the centre's bookable items (one query; the
    centre's opening hours are the caller's: a closed centre has nothing free). `items`: the
    centre's equipment already loaded (a prefetch), saving the query that reads it."""
    now = now or timezone.now()
    if items is None:
        items = bookable_items(centre).only("pk", "quantity", "bookable")
    items = {item.pk: item.quantity for item in items if item.bookable}
    busy: dict[int, int] = {}
    moment = now + timedelta(microseconds=1)
    for equipment_id in (
        Booking.objects.filter(equipment_id__in=list(items))
        .holding(now, moment)
        .values_list("equipment_id", flat=True)
    ):
        busy[equipment_id] = busy.get(equipment_id, 0) + 1
    return {pk: max(quantity - busy.get(pk, 0), 0) for pk, quantity in items.items()}


def free_changes_at(items: Iterable[Equipment], *, now: datetime) -> datetime | None:
    """The next moment `free_now` of these items may answer otherwise: a booking starts to
    hold a unit, or one holding a unit lets it go (its buffer included). One query, on the
    (item, start) index from the longest hold back."""
    ids = [item.pk for item in items]
    if not ids:
        return None
    moments = Booking.objects.filter(
        equipment_id__in=ids, status__in=Booking.ACTIVE, starts_at__gt=now - LONGEST_HOLD
    ).aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        ends=Min("blocked_until", filter=Q(starts_at__lte=now, blocked_until__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def bookable_item(*, centre_slug: str, pk: int) -> Equipment:
    """A bookable item of a published centre, with its centre (DoesNotExist otherwise: an item
    of another centre, or one that cannot be booked, is not found under this centre)."""
    return Equipment.objects.select_related("centre").get(
        pk=pk, bookable=True, centre__slug=centre_slug, centre__is_published=True
    )


def own_booking(*, person, pk: int) -> Booking:
    """One of the person's own bookings (DoesNotExist for anyone else's: staff included, the
    centre's managers see bookings in the admin)."""
    if not person.is_authenticated:
        raise Booking.DoesNotExist
    return Booking.objects.select_related("equipment__centre").get(pk=pk, person=person)


def series_of(booking: Booking) -> list[Booking]:
    """Every booking of the booking's weekly repeat, itself included ([] when it has none)."""
    if booking.series is None:
        return []
    return list(
        Booking.objects.filter(series=booking.series, person_id=booking.person_id).order_by(
            "starts_at", "pk"
        )
    )


def feed_bookings(*, person, since: datetime, limit: int) -> list[Booking]:
    """The person's bookings ending after `since` for their calendar feed: pending and
    confirmed ones, and cancelled or declined ones too, so that a subscribed calendar marks
    them CANCELLED instead of keeping a time that no longer holds."""
    return list(
        Booking.objects.filter(person=person, ends_at__gte=since)
        .select_related("equipment__centre")
        .order_by("starts_at", "pk")[:limit]
    )
