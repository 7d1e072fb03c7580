"""Query ceilings of the event pages and feeds: the same count for 1 and for 100 events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event
from resource_centres.booking_models import Booking
from tests.factories import (
    CommunityFactory,
    EquipmentFactory,
    EventFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
    UserFactory,
)

QUERY_BUDGET = 10


@pytest.fixture
def network(db):
    centre = ResourceCentreFactory(slug="ceiling-c")
    community = CommunityFactory(slug="ceiling-k", resource_centre=centre)
    group = TargetGroupFactory(slug="grupa-c")
    user = UserFactory()
    feed = services.renew_calendar_feed(user=user)
    item = EquipmentFactory(centre=centre, bookable=True, quantity=1000)
    soon = timezone.now() + timedelta(days=1)

    def grow(count):
        for _ in range(count):
            # A booking of the feed's owner too: their feed holds it.
            unit = Booking.objects.count() + 1
            end = soon + timedelta(hours=1)
            Booking.objects.create(
                equipment=item,
                unit=unit,
                person=user,
                starts_at=soon,
                ends_at=end,
                blocked_until=end,
                status=Booking.Status.CONFIRMED,
            )
            event = EventFactory(centre=centre, community=community, capacity=5)
            event.target_groups.add(group)
            services.register(event=event, user=user)
            # A past event too, older than the feeds' 30 days.
            start = timezone.now() - timedelta(days=60)
            EventFactory(centre=centre, community=community, starts_at=start, ends_at=start)
        return Event.objects.filter(centre=centre).order_by("pk").first()

    return {"grow": grow, "feed": feed}


@pytest.mark.parametrize(
    ("url", "warm", "after_a_change"),
    [
        # The cached count, the generation of the option lists of centres, communities and
        # groups (each process keeps the lists themselves), the page of events. After a change
        # the count (1 query) and the three lists are read again and stored: the database cache
        # of the tests writes a value in five queries with its savepoint (Redis in one command).
        ("/pasakumi/", 3, 18),
        # The same with filters: their values are checked against those lists, not looked up.
        ("/pasakumi/?centrs=ceiling-c&kopiena=ceiling-k&grupa=grupa-c", 3, 18),
        # The past events: their count holds until the next upcoming one ends, so it reads when
        # that is, besides.
        ("/pasakumi/?laiks=pagajusi", 3, 19),
        # Free seats change without a save of the event: that list is counted on each request.
        ("/pasakumi/?centrs=ceiling-c&kopiena=ceiling-k&grupa=grupa-c&brivas=on", 3, 12),
    ],
)
def test_list_query_count_is_the_same_for_1_and_100_events(
    client, network, django_assert_num_queries, url, warm, after_a_change
):
    assert warm <= QUERY_BUDGET
    sizes = []
    for count in (1, 99):
        network["grow"](count)
        with django_assert_num_queries(after_a_change):
            first = client.get(url)
        with django_assert_num_queries(warm):
            response = client.get(url)
        assert (first.status_code, response.status_code) == (200, 200)
        assert first.content == response.content
        sizes.append(len(response.content))
    # Same count, more content: the rows really were there.
    assert sizes[0] < sizes[1]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The event with centre and community, its target groups, its model elements.
        ("/pasakumi/{first}/", 3),
        # A shared feed's version, the cache, then (not cached yet) its events and the cache's
        # write: five queries with the database cache (none with Redis).
        ("/pasakumi/kalendars.ics", 8),
        ("/pasakumi/{first}/kalendars.ics", 3),
        # The centre or community first.
        ("/centri/ceiling-c/kalendars.ics", 9),
        ("/kopienas/ceiling-k/kalendars.ics", 9),
        # The feed's owner, then their events, then their bookings.
        ("/pasakumi/mans/{token}.ics", 3),
    ],
)
def test_query_count_is_the_same_for_1_and_100_events(
    client, network, django_assert_num_queries, url, queries
):
    assert queries <= QUERY_BUDGET
    sizes = []
    for count in (1, 99):
        first = network["grow"](count)
        path = url.format(first=first.slug, token=network["feed"].token)
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200
        sizes.append(len(response.content))
    if "{first}" not in url:
        # Same count, more content: the rows really were there.
        assert sizes[0] < sizes[1]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The version and the cached copy.
        ("/pasakumi/kalendars.ics", 2),
        ("/centri/ceiling-c/kalendars.ics", 3),
        ("/kopienas/ceiling-k/kalendars.ics", 3),
    ],
)
def test_a_cached_feed_costs_the_same_for_1_and_100_events(
    client, network, django_assert_num_queries, url, queries
):
    contents = []
    for count in (1, 99):
        network["grow"](count)
        client.get(url)
        with django_assert_num_queries(queries):
            response = client.get(url)
        contents.append(response.content.count(b"BEGIN:VEVENT"))
    assert contents == [1, 100]
