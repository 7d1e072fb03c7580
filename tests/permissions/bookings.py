"""Permission-matrix rows of the booking pages (see tests/test_permission_matrix.py).

An item's week is public (the form in it asks to sign in). A booking's page is its owner's
alone: to anyone else, staff and the centre's managers included (they use the admin), it does
not exist; the member of the Preiļi community owns the one here.
"""

from datetime import timedelta

from core.formats import riga_today
from resource_centres import booking_services
from resource_centres.booking_selectors import monday_of
from resource_centres.models import ResourceCentre
from tests.factories import EquipmentFactory
from tests.permissions.roles import FOUND, NOT_FOUND, OK, everyone, login
from tests.resource_centres.booking_support import office_hours, riga

WEEK = "/centri/preili/rezervet/{bookable_item}/"
BOOKING = "/mans/rezervacijas/{member_booking}/"
EARLIER = "/mans/rezervacijas/"
UPCOMING = "/mans/rezervacijas/gaidamas/"

MATRIX = {
    "resource_centres:item_week": [
        (WEEK, everyone(OK)),
        ("/en/centri/preili/rezervet/{bookable_item}/", everyone(OK)),
        (WEEK + "?nedela=abc", everyone(OK)),
        # Another centre's item, an item that cannot be booked, an unpublished centre's item.
        ("/centri/aglona/rezervet/{bookable_item}/", everyone(NOT_FOUND)),
        ("/centri/preili/rezervet/{unbookable_item}/", everyone(NOT_FOUND)),
        ("/centri/zilupe/rezervet/{hidden_item}/", everyone(NOT_FOUND)),
    ],
    # Everyone signed in sees their own earlier bookings (none but their own can be listed).
    "my_bookings": [
        (EARLIER, {**everyone(OK), "anonymous": login(EARLIER)}),
        (EARLIER + "?lapa=99", {**everyone(OK), "anonymous": login(EARLIER + "?lapa=99")}),
    ],
    # And their own upcoming ones.
    "my_upcoming_bookings": [
        (UPCOMING, {**everyone(OK), "anonymous": login(UPCOMING)}),
        (UPCOMING + "?lapa=abc", {**everyone(OK), "anonymous": login(UPCOMING + "?lapa=abc")}),
        (
            "/en" + UPCOMING,
            {**everyone(OK), "anonymous": (FOUND, "/en" + login("/en" + UPCOMING)[1])},
        ),
    ],
    "my_booking": [
        (BOOKING, {**everyone(NOT_FOUND), "anonymous": login(BOOKING), "member": OK}),
        (
            "/en" + BOOKING,
            {
                **everyone(NOT_FOUND),
                # The English log-in, coming back to the English page.
                "anonymous": (FOUND, "/en" + login("/en" + BOOKING)[1]),
                "member": OK,
            },
        ),
    ],
}


def setup(people) -> dict[str, object]:
    """A bookable item at Preiļi (open P.-Pk. with a lunch break) booked next Tuesday by the
    member, an item there that cannot be booked, and a bookable one at unpublished Zilupe."""
    preili = ResourceCentre.objects.get(slug="preili")
    office_hours(preili)
    item = EquipmentFactory(centre=preili, name="Lāzergravētājs (matrica)", bookable=True)
    unbookable = EquipmentFactory(centre=preili, name="Galds (matrica)", bookable=False)
    hidden = EquipmentFactory(
        centre=ResourceCentre.objects.get(slug="zilupe"), name="Dators (matrica)", bookable=True
    )
    tuesday = (monday_of(riga_today()) + timedelta(days=8)).isoformat()
    booking = booking_services.request_booking(
        request=booking_services.Request(item, riga(tuesday, "10.00"), riga(tuesday, "11.00")),
        person=people["member"],
    )
    return {
        "bookable_item": item.pk,
        "unbookable_item": unbookable.pk,
        "hidden_item": hidden.pk,
        "member_booking": booking.pk,
    }
