"""The impact figure "rezervētās stundas" (issue 13): confirmed bookings' hours at published
centres, by the year of their start in Riga and by centre, never by community; the same
definition as the bookings' usage table; and fresh on the next request after each change made
through the booking services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.formats import riga as in_riga
from kopienas import booking_usage
from kopienas import figures as impact
from kopienas.figures.registry import BY_KEY
from kopienas.figures.sources import CENTRE, COMMUNITY, TOTAL, YEAR, breakdown
from resource_centres import booking_services as services
from resource_centres.booking_models import Booking
from tests.factories import CommunityFactory, ResourceCentreFactory
from tests.html import parse
from tests.resource_centres.booking_support import bookable, open_every_day, person, riga

pytestmark = pytest.mark.django_db


def booking(item, starts, ends, *, status=Booking.Status.CONFIRMED, no_show=False, unit=1):
    return Booking.objects.create(
        equipment=item,
        person=person(),
        unit=unit,
        starts_at=starts,
        ends_at=ends,
        blocked_until=ends,
        status=status,
        no_show=no_show,
    )


def test_hours_of_confirmed_bookings_by_year_in_riga_and_by_centre_never_by_community():
    centre, other = ResourceCentreFactory(), ResourceCentreFactory()
    engraver = bookable(centre=centre)
    hall = bookable(centre=other, name="Zāle")
    # 2 h 30 min + 1 h 45 min + 3 h in 2025; New Year's night in Riga is still 2025 in UTC.
    booking(engraver, riga("2025-03-10", "10.00"), riga("2025-03-10", "12.30"))
    booking(engraver, riga("2025-12-31", "23.00"), riga("2026-01-01", "00.45"))
    booking(hall, riga("2025-06-01", "09.00"), riga("2025-06-01", "12.00"))
    booking(hall, riga("2026-01-01", "00.30"), riga("2026-01-01", "02.30"))
    # Left out: waiting, declined, cancelled, a no-show, and a booking at an unpublished centre.
    booking(engraver, riga("2025-04-01", "10.00"), riga("2025-04-01", "20.00"), status="pending")
    booking(engraver, riga("2025-04-02", "10.00"), riga("2025-04-02", "20.00"), status="declined")
    booking(engraver, riga("2025-04-03", "10.00"), riga("2025-04-03", "20.00"), status="cancelled")
    booking(engraver, riga("2025-04-04", "10.00"), riga("2025-04-04", "20.00"), no_show=True)
    hidden = bookable(centre=ResourceCentreFactory(is_published=False), name="Krāsns")
    booking(hidden, riga("2025-04-05", "10.00"), riga("2025-04-05", "20.00"))

    assert breakdown(TOTAL)["booked_hours"] == 9  # 9 h 15 min, rounded to whole hours
    assert breakdown(YEAR)["booked_hours"] == {2025: 7, 2026: 2}  # 7 h 15 min; 2 h
    assert breakdown(CENTRE)["booked_hours"] == {centre.pk: 4, other.pk: 5}  # 4 h 15 min; 5 h
    assert "booked_hours" not in breakdown(COMMUNITY)
    community = CommunityFactory(resource_centre=centre)
    assert "booked_hours" not in [
        shown.key for shown in impact.community_figures(community, wording={})
    ]


def test_half_an_hour_rounds_up():
    item = bookable()
    booking(item, riga("2025-03-10", "10.00"), riga("2025-03-10", "11.30"))
    assert breakdown(TOTAL)["booked_hours"] == 2
    assert BY_KEY["booked_hours"].written(1234) == "1\xa0234"


def test_the_figure_and_the_usage_table_count_the_same_hours():
    item = bookable()
    booking(item, riga("2025-03-10", "10.00"), riga("2025-03-10", "13.00"))
    booking(item, riga("2025-03-11", "10.00"), riga("2025-03-11", "12.00"), unit=1)
    booking(item, riga("2025-03-12", "10.00"), riga("2025-03-12", "15.00"), no_show=True)
    booking(item, riga("2025-03-13", "10.00"), riga("2025-03-13", "15.00"), status="cancelled")

    rows = booking_usage.centre_usage(centre=item.centre, year=2025)
    assert [(row.hours, row.no_shows) for row in rows] == [(5, 1)]
    assert breakdown(TOTAL)["booked_hours"] == sum(row.hours for row in rows) == 5


def figure_on_the_figures_page(client) -> str:
    doc = parse(client.get("/skaitli/").content)
    # The total (the breakdown tables' cells carry a year or a centre too).
    return doc.select_one("h3 [data-figure=booked_hours]").text


def test_each_change_through_the_services_shows_on_the_next_request(client):
    centre = ResourceCentreFactory()
    open_every_day(centre)
    item = bookable(centre=centre, requires_approval=True, cancel_cutoff_hours=0)
    manager = person()
    tomorrow = (in_riga(timezone.now()) + timedelta(days=1)).date().isoformat()
    starts = riga(tomorrow, "10.00")
    seen = [figure_on_the_figures_page(client)]

    booked = services.request_booking(
        request=services.Request(item, starts, starts + timedelta(hours=3)),
        person=person(),
    )
    seen.append(figure_on_the_figures_page(client))
    services.approve_booking(booking=booked, actor=manager)
    seen.append(figure_on_the_figures_page(client))
    services.cancel_by_centre(booking=booked, actor=manager, reason="Remonts")
    seen.append(figure_on_the_figures_page(client))

    assert seen == ["0", "0", "3", "0"]
