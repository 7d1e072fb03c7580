"""Query ceilings of the bookings' admin pages: exact counts that do not grow with the rows."""

from datetime import timedelta

import pytest

from communities.models import Community, Membership
from tests.resource_centres.booking_support import bookable, confirmed_hour, person, riga

BOOKINGS = "/admin/resource_centres/booking/"


def _fill(centre, items: int, people: int, start: int = 0) -> None:
    """`items` items, each with one confirmed booking a day for `people` days by `people`
    people, each a member of a community."""
    community = Community.objects.get(slug="preili")
    users = [person(email=f"p{start + index}@example.lv") for index in range(people)]
    for user in users:
        Membership.objects.get_or_create(user=user, community=community, status="active")
    for number in range(start, start + items):
        item = bookable(centre=centre, name=f"Priekšmets {number}", order=number)
        for day, user in enumerate(users):
            starts = riga("2030-05-14", "10.00") + timedelta(days=day)
            confirmed_hour(item, user, starts)


PAGES = {
    "changelist": (BOOKINGS, {}),
    "day_sheet": (BOOKINGS + "diena/", {"datums": "2030-05-14"}),
    "usage": (BOOKINGS + "lietojums/", {"gads": "2030"}),
    "usage_csv": (BOOKINGS + "lietojums.csv", {"gads": "2030"}),
    "instructions": ("/admin/resource_centres/instruction/", {}),
    "maintenance": ("/admin/resource_centres/maintenance/", {}),
}
CEILINGS = {
    "changelist": 10,
    "day_sheet": 9,
    "usage": 10,
    "usage_csv": 10,
    "instructions": 9,
    "maintenance": 9,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_bookings_admin_page_has_a_fixed_number_of_queries(
    client, manager, preili, page, django_assert_num_queries
):
    path, query = PAGES[page]
    if path.startswith(BOOKINGS + "l") or path.startswith(BOOKINGS + "d"):
        query = {**query, "centrs": preili.pk}
    client.force_login(manager)
    _fill(preili, items=1, people=1)
    client.get(path, query)  # the session and the content types are read once per process

    with django_assert_num_queries(CEILINGS[page]):
        few = client.get(path, query)
    _fill(preili, items=3, people=6, start=10)
    with django_assert_num_queries(CEILINGS[page]):
        many = client.get(path, query)

    assert (few.status_code, many.status_code) == (200, 200)
