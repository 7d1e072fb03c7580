"""How the centres' bookable items are used: hours booked, people and communities per item and
month (the bookings' admin page and CSV, resource_centres.booking_admin, through
settings.BOOKING_USAGE).

Here, above communities, because the communities of the people who booked are memberships.

What counts (the same definitions as the impact figure "rezervētās stundas"):
- hours: confirmed bookings' time from start to end (the buffer after a booking is the centre's
  time, not the person's), except those marked as no-shows, which are counted apart;
- a booking belongs to the month (and year) of its start on Riga's clock;
- people: distinct people with a counted (confirmed, attended) booking of the item that month; a
  person who deleted their account still counts once (booking_services.forget_booker);
- communities: distinct communities those people are active members of now. A membership has
  no end date (leaving deletes it) and no date of approval, so the membership at the time of
  the booking cannot be told; today's active memberships stand for it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from communities.models import Membership
from core.formats import RIGA, riga
from resource_centres.booking_selectors import confirmed_bookings
from resource_centres.models import Equipment, ResourceCentre

HOUR = Decimal(3600)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class UsageRow:
    equipment: Equipment
    month: date
    hours: Decimal
    people: int
    communities: int
    no_shows: int


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        datetime.combine(date(year, 1, 1), time(0), tzinfo=RIGA),
        datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=RIGA),
    )


def centre_usage(*, centre: ResourceCentre, year: int) -> list[UsageRow]:
    """One row per item and month that has confirmed bookings, items in the centre's order and
    months in order. Three queries, whatever the number of bookings."""
    items = {item.pk: item for item in centre.equipment.order_by("order", "name", "pk")}
    starts, ends = _year_bounds(year)
    bookings = (
        confirmed_bookings()
        .filter(
            equipment_id__in=list(items),
            starts_at__gte=starts,
            starts_at__lt=ends,
        )
        .values_list("equipment_id", "person_id", "forgotten_as", "starts_at", "ends_at", "no_show")
    )
    cells: dict[tuple[int, date], dict] = {}
    for equipment_id, person_id, forgotten_as, starts_at, ends_at, no_show in bookings:
        month = riga(starts_at).date().replace(day=1)
        cell = cells.setdefault(
            (equipment_id, month), {"time": timedelta(0), "people": set(), "no_shows": 0}
        )
        if no_show:
            cell["no_shows"] += 1
        else:
            cell["time"] += ends_at - starts_at
            # A deleted account's bookings share one random key: still one person.
            cell["people"].add(person_id if person_id is not None else forgotten_as)
    people = {
        person for cell in cells.values() for person in cell["people"] if isinstance(person, int)
    }
    communities: dict[int, set[int]] = {}
    for user_id, community_id in Membership.objects.filter(
        user_id__in=people, status=Membership.Status.ACTIVE
    ).values_list("user_id", "community_id"):
        communities.setdefault(user_id, set()).add(community_id)
    order = {pk: index for index, pk in enumerate(items)}
    return [
        UsageRow(
            equipment=items[equipment_id],
            month=month,
            hours=(Decimal(cell["time"].total_seconds()) / HOUR).quantize(HUNDREDTH),
            people=len(cell["people"]),
            communities=len(
                set().union(*(communities.get(person, set()) for person in cell["people"]))
            ),
            no_shows=cell["no_shows"],
        )
        for (equipment_id, month), cell in sorted(
            cells.items(), key=lambda item: (order[item[0][0]], item[0][1])
        )
    ]
