"""Bookable items with opening hours, and people allowed to book them, for the booking tests."""

from datetime import datetime, time, timedelta

from core.formats import RIGA
from resource_centres.booking_models import Booking
from resource_centres.models import OpeningException, WeeklyHours
from tests.factories import (
    EmailAddressFactory,
    EquipmentFactory,
    ResourceCentreFactory,
    UserFactory,
)

# A fixed "now" for the tests: Monday 2026-03-23 08:00 in Riga, the week before the clocks
# go forward (Sunday 2026-03-29, 03.00 -> 04.00).
NOW = datetime(2026, 3, 23, 8, 0, tzinfo=RIGA)


def riga(day: str, clock: str) -> datetime:
    """riga("2026-03-24", "10.00") -> that wall-clock moment in Riga."""
    hours, minutes = (int(part) for part in clock.split("."))
    return datetime.combine(datetime.fromisoformat(day).date(), time(hours, minutes), tzinfo=RIGA)


def open_every_day(centre, opens=time(0, 0), closes=time(23, 59)) -> None:
    """The centre's hours replaced by `opens`-`closes` every day."""
    WeeklyHours.objects.filter(centre=centre).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(centre=centre, weekday=day, opens=opens, closes=closes) for day in range(7)
    )


def office_hours(centre) -> None:
    """P.-Pk. 9.00-12.00 and 13.00-17.00, S. 10.00-14.00, Sv. closed."""
    rows = []
    for day in range(5):
        rows += [
            WeeklyHours(centre=centre, weekday=day, opens=time(9), closes=time(12)),
            WeeklyHours(centre=centre, weekday=day, opens=time(13), closes=time(17)),
        ]
    rows.append(WeeklyHours(centre=centre, weekday=5, opens=time(10), closes=time(14)))
    WeeklyHours.objects.bulk_create(rows)


def closed_on(centre, day: str, reason: str = "Svētki") -> OpeningException:
    return OpeningException.objects.create(
        centre=centre, date=datetime.fromisoformat(day).date(), reason=reason
    )


def bookable(**rules):
    """A bookable item at a published centre open P.-Pk. with a lunch break (office_hours)."""
    centre = rules.pop("centre", None) or ResourceCentreFactory()
    if not centre.weekly_hours.exists():
        office_hours(centre)
    defaults = {"bookable": True, "name": "Lāzergravētājs", "min_minutes": 30, "max_minutes": 240}
    return EquipmentFactory(centre=centre, **(defaults | rules))


def person(**fields):
    """A person with a confirmed address."""
    user = UserFactory(**fields)
    EmailAddressFactory(user=user)
    return user


def later(moment: datetime, **delta) -> datetime:
    return moment + timedelta(**delta)


def confirmed_hour(item, who, starts: datetime) -> Booking:
    """A confirmed one-hour booking made directly: the services refuse the past, and tests of
    lists and counts need no opening hours."""
    return Booking.objects.create(
        equipment=item,
        person=who,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        blocked_until=starts + timedelta(hours=1),
        status=Booking.Status.CONFIRMED,
    )
