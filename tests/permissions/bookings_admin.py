"""Permission-matrix rows of the bookings' admin (issue 13, centres' side); see
tests/test_permission_matrix.py.

A booking at Preiļi (the centre manager's) and one at Aglona (another centre's). Coordinators
and superusers see both; the Preiļi manager only their own: another centre's booking is "does
not exist" (a redirect to the admin index), its day sheet and usage 404. Assessors have no
bookings' permissions (403). Nobody adds bookings in the admin.
"""

from datetime import timedelta
from http import HTTPStatus

from django.utils import timezone

from resource_centres.booking_models import Booking
from resource_centres.models import Equipment, ResourceCentre
from tests.factories import UserFactory
from tests.permissions.roles import FORBIDDEN, NOT_FOUND, OK, admin_only

MATRIX: dict = {}

BOOKINGS = "/admin/resource_centres/booking/"
OWN = BOOKINGS + "{own_booking}/change/"
OTHER = BOOKINGS + "{other_booking}/change/"
DAY = BOOKINGS + "diena/?datums=2030-05-14&centrs={preili}"
OTHER_DAY = BOOKINGS + "diena/?datums=2030-05-14&centrs={aglona}"
USAGE = BOOKINGS + "lietojums/?centrs={preili}&gads=2026"
OTHER_USAGE = BOOKINGS + "lietojums/?centrs={aglona}&gads=2026"
USAGE_CSV = BOOKINGS + "lietojums.csv?centrs={preili}&gads=2026"
OTHER_USAGE_CSV = BOOKINGS + "lietojums.csv?centrs={aglona}&gads=2026"
INSTRUCTIONS = "/admin/resource_centres/instruction/"
MAINTENANCE = "/admin/resource_centres/maintenance/"
ITEM = "/admin/resource_centres/equipment/{own_item}/change/"
OTHER_ITEM = "/admin/resource_centres/equipment/{other_item}/change/"
INDEX = (HTTPStatus.FOUND, "/admin/")


def _staff(path, *, manager, assessor=FORBIDDEN, coordinator=OK):
    return admin_only(
        path,
        centre_manager=manager,
        assessor=assessor,
        coordinator=coordinator,
        superuser=coordinator,
    )


ADMIN_MATRIX = {
    "admin:resource_centres_booking_changelist": [(BOOKINGS, _staff(BOOKINGS, manager=OK))],
    "admin:resource_centres_booking_change": [
        (OWN, _staff(OWN, manager=OK)),
        (OTHER, _staff(OTHER, manager=INDEX)),
    ],
    "admin:resource_centres_booking_add": [
        (BOOKINGS + "add/", _staff(BOOKINGS + "add/", manager=FORBIDDEN, coordinator=FORBIDDEN))
    ],
    "admin:resource_centres_booking_day": [
        (DAY, _staff(DAY, manager=OK)),
        (OTHER_DAY, _staff(OTHER_DAY, manager=NOT_FOUND)),
    ],
    "admin:resource_centres_booking_usage": [
        (USAGE, _staff(USAGE, manager=OK)),
        (OTHER_USAGE, _staff(OTHER_USAGE, manager=NOT_FOUND)),
    ],
    "admin:resource_centres_booking_usage_csv": [
        (USAGE_CSV, _staff(USAGE_CSV, manager=OK)),
        (OTHER_USAGE_CSV, _staff(OTHER_USAGE_CSV, manager=NOT_FOUND)),
    ],
    "admin:resource_centres_instruction_changelist": [
        (INSTRUCTIONS, _staff(INSTRUCTIONS, manager=OK))
    ],
    "admin:resource_centres_instruction_add": [
        (INSTRUCTIONS + "add/", _staff(INSTRUCTIONS + "add/", manager=OK))
    ],
    "admin:resource_centres_maintenance_changelist": [
        (MAINTENANCE, _staff(MAINTENANCE, manager=OK))
    ],
    "admin:resource_centres_maintenance_add": [
        (MAINTENANCE + "add/", _staff(MAINTENANCE + "add/", manager=OK))
    ],
    "admin:resource_centres_equipment_change": [
        (ITEM, _staff(ITEM, manager=OK)),
        (OTHER_ITEM, _staff(OTHER_ITEM, manager=INDEX)),
    ],
}


def setup(people) -> dict[str, object]:
    """A bookable item with a booking at Preiļi and at Aglona."""
    values = {}
    starts = timezone.now() + timedelta(days=3)
    for slug, name in (("preili", "own"), ("aglona", "other")):
        item = Equipment.objects.create(
            centre=ResourceCentre.objects.get(slug=slug), name="Matricas zāģis", bookable=True
        )
        booking = Booking.objects.create(
            equipment=item,
            person=UserFactory(),
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            blocked_until=starts + timedelta(hours=1),
            status=Booking.Status.CONFIRMED,
        )
        values[f"{name}_item"] = item.pk
        values[f"{name}_booking"] = booking.pk
    return values
