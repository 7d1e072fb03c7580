"""`bench_data`'s bookings (issue 13): two years of them, within opening hours, never
overlapping on one unit, and the week view and the centre page within their query ceilings."""

from collections import Counter
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.formats import riga, riga_today
from devtools.bench import pages
from devtools.bench.bookings import DAYS_AHEAD, DAYS_BACK
from devtools.bench.places import WEEKS
from resource_centres.booking_models import Booking
from resource_centres.models import Equipment, WeeklyHours

pytestmark = pytest.mark.django_db


def bench_data(scale: str) -> str:
    out = StringIO()
    call_command("bench_data", "--scale", scale, stdout=out)
    return out.getvalue()


def expected_bookings(numbers: range, week) -> int:
    """Item number n is booked on the days d (from -DAYS_BACK) with d + n even, once per
    opening interval of that weekday."""
    today = riga_today()
    intervals = Counter(weekday for weekday, _opens, _closes in week)
    return sum(
        intervals[(today + timedelta(days=offset)).weekday()]
        for number in numbers
        for offset in range(-DAYS_BACK, DAYS_AHEAD)
        if (offset + number) % 2 == 0
    )


def test_two_years_of_bookings_within_opening_hours_and_never_overlapping():
    bench_data("0.02")

    # Centre 0's ten items are numbers 0-9, centre 1's 10-19; each centre's week is WEEKS[i].
    assert Booking.objects.count() == (
        expected_bookings(range(10), WEEKS[0]) + expected_bookings(range(10, 20), WEEKS[1])
    )
    bookings = list(Booking.objects.select_related("equipment"))
    first, last = riga_today() - timedelta(days=DAYS_BACK), riga_today() + timedelta(days=364)
    assert min(riga(b.starts_at).date() for b in bookings) in (first, first + timedelta(days=1))
    assert max(riga(b.starts_at).date() for b in bookings) in (last, last - timedelta(days=1))
    hours = {}
    for row in WeeklyHours.objects.all():
        hours.setdefault((row.centre_id, row.weekday), []).append((row.opens, row.closes))
    outside = [
        b
        for b in bookings
        if not any(
            opens <= riga(b.starts_at).time() and riga(b.ends_at).time() <= closes
            for opens, closes in hours[(b.equipment.centre_id, riga(b.starts_at).weekday())]
        )
    ]
    assert outside == []
    # No two bookings holding one unit overlap, buffers included (rooms keep 30 minutes).
    held = sorted(
        (b.equipment_id, b.unit, b.starts_at, b.blocked_until)
        for b in bookings
        if b.status in Booking.ACTIVE
    )
    overlaps = [(a, b) for a, b in pairwise(held) if a[:2] == b[:2] and b[2] < a[3]]
    assert overlaps == []
    assert all(
        b.blocked_until - b.ends_at == timedelta(minutes=b.equipment.buffer_minutes)
        and 1 <= b.unit <= b.equipment.quantity
        for b in bookings
    )
    now = timezone.now()
    assert {b.status for b in bookings if b.ends_at <= now} == {"confirmed", "cancelled"}
    assert {b.status for b in bookings if b.starts_at > now} == {"confirmed", "pending"}
    # Rooms wait for the manager's approval; no-shows only among past confirmed bookings.
    assert {
        b.status for b in bookings if b.starts_at > now and b.equipment.kind == Equipment.Kind.SPACE
    } == {"pending"}
    assert all(b.ends_at <= now and b.status == "confirmed" for b in bookings if b.no_show)
    assert any(b.no_show for b in bookings)


def test_a_second_run_books_nothing_and_a_new_centre_only_its_own_items():
    bench_data("0.02")
    before = set(Booking.objects.values_list("pk", flat=True))

    assert "bookings +0," in bench_data("0.02")

    bench_data("0.03")

    new = Booking.objects.exclude(pk__in=before)
    assert set(new.values_list("equipment__centre__slug", flat=True)) == {"bench-00002-liepkalni"}
    # Centre 2 has the afternoons' week; its items are numbers 0-9 of this run.
    assert new.count() == expected_bookings(range(10), WEEKS[2])


def test_the_week_view_and_centre_page_keep_their_query_ceilings():
    """The pages `make bench` times, with the queries it counts: the item, the centre's hours
    and exceptions, the week's bookings and maintenance; the centre page adds "free now"."""
    bench_data("0.02")
    client = Client()
    counts = []
    for page in [
        pages.Page("resource_centres:item_week", kwargs=pages._busiest_item),
        pages.Page(
            "resource_centres:item_week", kwargs=pages._busiest_item, query=pages._next_week
        ),
        pages.Page("resource_centres:detail", kwargs=pages._busiest_centre),
    ]:
        url = page.url()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append((response.status_code, len(queries)))
    assert counts == [(200, 5), (200, 5), (200, 8)]
    # The week view's item is the busiest centre's, with bookings in the weeks it shows.
    item = Equipment.objects.get(pk=pages._busiest_item()["item_pk"])
    assert item.centre.slug == pages._busiest_centre()["slug"]
    assert item.bookings.filter(starts_at__gte=timezone.now()).count() > 100
    assert pages._busiest_item() == {"slug": item.centre.slug, "item_pk": item.pk}
    assert reverse("resource_centres:item_week", args=[item.centre.slug, item.pk]) == (
        pages.Page("resource_centres:item_week", kwargs=pages._busiest_item).url()
    )
