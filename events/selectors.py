"""Reads of events, registrations and calendar feeds, and the figures events measure."""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from communities.models import Community, TargetGroup
from core import generations, geo
from core.formats import iso
from core.forms import Options
from resource_centres.models import ResourceCentre
from resource_centres.selectors import published_centres

from .models import EVENT_MAX_DURATION, CalendarFeed, Event, Registration

# --- Events ---------------------------------------------------------------------------------------

# Kinds that count as the initiative's training sessions ("95 mācību nodarbības kopienām un
# pedagogiem"): trainings for communities, teachers' seminars and the leaders' school.
TRAINING_KINDS = [
    Event.Kind.COMMUNITY_TRAINING,
    Event.Kind.TEACHERS_SEMINAR,
    Event.Kind.LEADERS_SCHOOL,
]
# Calendar feeds hold the upcoming events and those of the last 30 days, at most this many.
FEED_PAST_DAYS = 30
FEED_LIMIT = 1000


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True)


# The columns an event's card (templates/events/includes/event_card.html) and the moment it
# next reads differently (changes_at, list_changes_at) need: the only ones the lists of cards
# load (the list, a centre's and a community's next and past events, the search). Every column
# of the event, its centre and its community was built into Python for each card, several
# milliseconds of a page. A field read outside these costs a query per card, which the pages'
# query-ceiling tests catch.
CARD_FIELDS = (
    "slug",
    "title",
    "starts_at",
    "ends_at",
    "registration_deadline",
    "address",
    "kind",
    "format",
    "cancelled_at",
    "registration_mode",
    "capacity",
    "seats_confirmed",
    "centre",
    "centre__name",
)


def event_list(*, past: bool = False, now: datetime | None = None) -> QuerySet[Event]:
    """Published events for cards (CARD_FIELDS): upcoming (not yet ended) soonest first, or
    past, latest first."""
    now = now or timezone.now()
    events = published_events().select_related("centre").only(*CARD_FIELDS)
    # The bounds on starts_at add nothing to the meaning (an event ends after it starts and
    # lasts at most EVENT_MAX_DURATION) but let the database walk the index from now.
    if past:
        return events.filter(starts_at__lt=now, ends_at__lt=now).order_by("-starts_at", "-pk")
    return events.filter(starts_at__gte=now - EVENT_MAX_DURATION, ends_at__gte=now).order_by(
        "starts_at", "pk"
    )


def changes_at(events, *, now: datetime) -> datetime | None:
    """The first moment one of these events reads differently on its card or page: its
    registration closes, it starts, it ends (core.pagecache.changes_at)."""
    moments = [
        moment
        for event in events
        for moment in (event.registration_closes_at, event.starts_at, event.ends_at)
        if moment > now
    ]
    return min(moments, default=None)


def list_changes_at(
    upcoming: QuerySet[Event], *, now: datetime, deadlines: bool = False
) -> datetime | None:
    """The first moment a list drawn from `upcoming` (event_list at `now`, filtered) reads
    differently by time alone: an event starts (its card changes; the first to start is also
    the first not yet started to end) or one under way ends (it leaves the upcoming list and
    joins the past one). `deadlines` adds the first registration deadline still ahead, for a
    list of events one can still register for. Two index walks, three with deadlines."""
    first_start = (
        upcoming.filter(starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    moments = [
        first_start,
        upcoming.filter(starts_at__lte=now).aggregate(end=Min("ends_at"))["end"],
    ]
    if deadlines:
        moments.append(
            upcoming.filter(registration_deadline__gt=now).aggregate(
                deadline=Min("registration_deadline")
            )["deadline"]
        )
    return min((moment for moment in moments if moment is not None), default=None)


def filter_options() -> dict[str, Options]:
    """The long option lists of the list's filters, {parameter: options}: a hundred centres and a
    thousand communities at national scale, with their <option>s already written. Kept in the
    shared cache until a centre, community, group or event changes (core.generations; what
    renews it: kopienas.figures.freshness), so a visitor's request neither reads nor escapes
    them; each process keeps them too, so a request reads only the generation."""

    def compute() -> dict[str, Options]:
        return {
            "centrs": Options.of(
                published_centres().order_by("sort_name", "name").values_list("slug", "name")
            ),
            "kopiena": Options.of(
                Community.objects.filter(is_published=True)
                .order_by("sort_name", "name")
                .values_list("slug", "name")
            ),
            "grupa": Options.of(
                TargetGroup.objects.order_by("order", "pk").values_list("slug", "title")
            ),
        }

    return generations.cached(
        generations.PUBLIC_COUNTS, ("event-filter-options",), compute, local=True
    )


def list_count(
    *,
    past: bool,
    filtered: Callable[[QuerySet[Event]], QuerySet[Event]],
    filters: list[tuple[str, str]],
    now: datetime,
) -> int:
    """How many events the list (`event_list(past=past, now=now)` through `filtered`, the
    list's filters) holds, kept in the shared cache keyed by `filters` (the valid filter values,
    by name) until an event, centre, community or group changes (core.generations; what renews
    it: kopienas.figures.freshness) or until the next of the matching events ends.

    Time changes either count only when an event ends: it leaves the upcoming events and joins
    the past ones. So a count holds until the first of the matching upcoming events ends, the
    moment stored with it. A filter that reads anything else (free seats, taken without a save
    of the event) must not be counted here."""

    def compute() -> tuple[int, datetime | None]:
        upcoming = filtered(event_list(now=now)).order_by()
        if past:
            until = upcoming.aggregate(until=Min("ends_at"))["until"]
            return filtered(event_list(past=True, now=now)).order_by().count(), until
        totals = upcoming.aggregate(count=Count("pk"), until=Min("ends_at"))
        return totals["count"], totals["until"]

    return _counted("event-count", past=past, filters=filters, compute=compute)


def list_counts_by_centre(
    *,
    past: bool,
    filtered: Callable[[QuerySet[Event]], QuerySet[Event]],
    filters: list[tuple[str, str]],
    now: datetime,
) -> dict[int | None, int]:
    """How many events of the list each centre holds ({centre id or None: count}), for the list
    sorted by distance (NearestFirst); kept in the shared cache exactly as list_count is."""

    def compute() -> tuple[dict[int | None, int], datetime | None]:
        until = filtered(event_list(now=now)).order_by().aggregate(until=Min("ends_at"))["until"]
        return counts_by_centre(filtered(event_list(past=past, now=now))), until

    return _counted("event-centre-counts", past=past, filters=filters, compute=compute)


def counts_by_centre(events: QuerySet[Event]) -> dict[int | None, int]:
    return dict(
        events.order_by()
        .values("centre_id")
        .annotate(count=Count("pk"))
        .values_list("centre_id", "count")
    )


def _counted[T](
    kind: str,
    *,
    past: bool,
    filters: list[tuple[str, str]],
    compute: Callable[[], tuple[T, datetime | None]],
) -> T:
    digest = hashlib.sha256(repr(sorted(filters)).encode()).hexdigest()
    value, _until = generations.cached(
        generations.PUBLIC_COUNTS,
        (kind, "past" if past else "upcoming", digest),
        compute,
        holds=lambda value: value[1] is None or timezone.now() <= value[1],
    )
    return value


class NearestFirst:
    """The events of `events` (filtered, in the list's own order) nearest to `origin` first, by
    the centre each is held at; events without a centre, or at a centre without a point, last;
    events at one distance in the list's own order. Each event gets `distance_km`.

    A paginator slices it, and a slice reads only the page's events: the distance of each of
    the hundred-odd centres is computed once (one short query, with the site's one formula,
    core.geo.distance_km), the page's place among the centres comes from how many matching
    events each centre holds (`counts`, kept in the shared cache as the list's count is), and
    one query fetches the page from the centres it spans. Computing the distance of each of
    16,000 matching events and sorting them all took 60-130 ms at national scale."""

    def __init__(
        self,
        events: QuerySet[Event],
        *,
        origin: tuple[float, float],
        counts: Callable[[], dict[int | None, int]],
    ):
        self.events = events
        self.origin = origin
        self._counts = counts

    @cached_property
    def counts(self) -> dict[int | None, int]:
        return self._counts()

    def count(self) -> int:
        return sum(self.counts.values())

    def __len__(self) -> int:
        return self.count()

    @cached_property
    def distances(self) -> dict[int, float | None]:
        return dict(
            ResourceCentre.objects.annotate(
                distance_km=geo.distance_km(
                    *self.origin, lat_field="latitude", lon_field="longitude"
                )
            ).values_list("pk", "distance_km")
        )

    def bands(self) -> list[tuple[float | None, list[int | None], int]]:
        """(distance, centre ids, events) nearest first, one band per distance, the centres
        without a distance (and the events without a centre, id None) in the last band; only
        centres holding matching events."""
        by_distance: dict[float | None, list[int | None]] = {}
        for centre_id in self.counts:
            distance = self.distances.get(centre_id) if centre_id is not None else None
            by_distance.setdefault(distance, []).append(centre_id)
        order = sorted(d for d in by_distance if d is not None)
        if None in by_distance:
            order.append(None)
        return [
            (
                distance,
                by_distance[distance],
                sum(self.counts[centre_id] for centre_id in by_distance[distance]),
            )
            for distance in order
        ]

    def __getitem__(self, window: slice) -> list[Event]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("NearestFirst is read a page (a slice) at a time.")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        spanned: list[list[int | None]] = []
        skip, position = 0, 0
        for _distance, centre_ids, count in self.bands():
            if position + count > start and position < stop:
                if not spanned:
                    skip = start - position
                spanned.append(centre_ids)
            position += count
        if not spanned:
            return []
        ranks = [When(_held_at(ids), then=Value(rank)) for rank, ids in enumerate(spanned)]
        wanted = Q(pk__in=[])
        for ids in spanned:
            wanted |= _held_at(ids)
        page = list(
            self.events.filter(wanted)
            .annotate(band=Case(*ranks, output_field=IntegerField()))
            .order_by("band", *self.events.query.order_by)[skip : skip + stop - start]
        )
        for event in page:
            event.distance_km = (
                self.distances.get(event.centre_id) if event.centre_id is not None else None
            )
        return page


def _held_at(centre_ids: list[int | None]) -> Q:
    """Events held at these centres (None: events without a centre)."""
    held = Q(centre_id__in=[centre_id for centre_id in centre_ids if centre_id is not None])
    return held | Q(centre__isnull=True) if None in centre_ids else held


def event_detail(*, slug: str) -> Event:
    return (
        published_events()
        .select_related("centre", "community")
        .prefetch_related("target_groups", "model_elements")
        .get(slug=slug)
    )


def next_events(
    *, centre: ResourceCentre | None = None, community: Community | None = None, limit: int = 5
) -> list[Event]:
    """The next few upcoming events of a centre or a community, for its page."""
    events = event_list()
    if centre is not None:
        events = events.filter(centre=centre)
    if community is not None:
        events = events.filter(community=community)
    return list(events[:limit])


def past_events(*, community: Community, limit: int = 5) -> list[Event]:
    """A community's latest events that have ended, for its page ("what the community did")."""
    return list(event_list(past=True).filter(community=community)[:limit])


def _feed_window(
    *, centre: ResourceCentre | None, community: Community | None, now: datetime | None
) -> QuerySet[Event]:
    now = now or timezone.now()
    since = now - timedelta(days=FEED_PAST_DAYS)
    events = published_events().filter(
        starts_at__gte=since - EVENT_MAX_DURATION, ends_at__gte=since
    )
    if centre is not None:
        events = events.filter(centre=centre)
    if community is not None:
        events = events.filter(community=community)
    return events


def feed_events(
    *,
    centre: ResourceCentre | None = None,
    community: Community | None = None,
    now: datetime | None = None,
) -> list[Event]:
    """What a calendar feed holds: upcoming events and those of the last 30 days."""
    events = _feed_window(centre=centre, community=community, now=now)
    return list(events.select_related("centre").order_by("starts_at", "pk")[:FEED_LIMIT])


def feed_version(
    *,
    centre: ResourceCentre | None = None,
    community: Community | None = None,
    now: datetime | None = None,
) -> str:
    """Changes whenever `feed_events` would return something else: an event added, edited,
    removed, unpublished or out of the window, or a centre it names edited. One aggregate."""
    totals = _feed_window(centre=centre, community=community, now=now).aggregate(
        count=Count("pk"),
        last_pk=Max("pk"),
        edited=Max("updated_at"),
        centre_edited=Max("centre__updated_at"),
    )
    return "|".join(str(totals[key]) for key in ("count", "last_pk", "edited", "centre_edited"))


def personal_feed_events(*, feed: CalendarFeed, now: datetime | None = None) -> list[Event]:
    """The events one person holds a seat or a waiting place for (within the feed's window)."""
    now = now or timezone.now()
    return list(
        published_events()
        .filter(
            ends_at__gte=now - timedelta(days=FEED_PAST_DAYS),
            starts_at__gte=now - timedelta(days=FEED_PAST_DAYS) - EVENT_MAX_DURATION,
            registrations__user_id=feed.user_id,
            registrations__status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
            ],
        )
        .select_related("centre")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def calendar_feed(*, token: str) -> CalendarFeed:
    """The personal feed with this token (DoesNotExist for a wrong or revoked one)."""
    return CalendarFeed.objects.select_related("user").get(token=token, user__is_active=True)


def calendar_feed_token(*, user) -> QuerySet[str]:
    """The token of one's personal feed, if they made one (`.first()`; on /mans/ a subquery of
    its first query, for templates/events/includes/my_registrations.html)."""
    return CalendarFeed.objects.filter(user=user).values_list("token", flat=True)


def registration_of(*, event: Event, user) -> Registration | None:
    """The signed-in person's registration for an event (any status), or None."""
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registration_by_token(*, token: str) -> Registration:
    return Registration.objects.select_related("event", "event__centre").get(token=token)


def current_registrations(*, user) -> QuerySet[Registration]:
    """One's registrations that still matter (not cancelled), in no order."""
    return Registration.objects.filter(user=user).exclude(status=Registration.Status.CANCELLED)


class OwnRegistrations(NamedTuple):
    """What /mans/ shows of a person's registrations (templates/events/includes/
    my_registrations.html): for events not yet over, soonest first, and for past ones, latest
    first, each list cut to a few, and whether there are more of each (listed in full on
    /mans/pasakumi/ and /mans/pasakumi/?laiks=pagajusi)."""

    upcoming: Sequence[Registration]
    earlier: Sequence[Registration]
    more_upcoming: bool
    more_earlier: bool


NO_REGISTRATIONS = OwnRegistrations((), (), False, False)


def _shown_registrations(user) -> QuerySet[Registration]:
    # Through the primary keys: joined directly, SQLite walks every event in date order to find
    # the few of this person (9 ms on 50,000 events); this way it reads their rows by index.
    return (
        Registration.objects.filter(pk__in=current_registrations(user=user).values("pk"))
        .select_related("event")
        # What /mans/ shows of each (templates/events/includes/my_registration.html).
        .only(
            "status",
            "seats",
            "event__slug",
            "event__title",
            "event__starts_at",
            "event__ends_at",
            "event__cancelled_at",
        )
    )


def upcoming_registrations(*, user, now: datetime | None = None) -> QuerySet[Registration]:
    """One's registrations that still matter for events not yet over, soonest first."""
    now = now or timezone.now()
    return (
        _shown_registrations(user).filter(event__ends_at__gt=now).order_by("event__starts_at", "pk")
    )


def earlier_registrations(*, user, now: datetime | None = None) -> QuerySet[Registration]:
    """One's registrations that still matter for events that are over, latest first."""
    now = now or timezone.now()
    return (
        _shown_registrations(user)
        .filter(event__ends_at__lte=now)
        .order_by("-event__starts_at", "-pk")
    )


def own_registrations(
    *, user, now: datetime | None = None, upcoming: int = 10, earlier: int = 5
) -> OwnRegistrations:
    """The `upcoming` soonest of one's registrations for events not yet over and the latest
    `earlier` for past ones: two queries, each returning a few rows (each reads the person's
    registrations by index, with their events, and keeps the first few in date order)."""
    now = now or timezone.now()
    ahead = list(upcoming_registrations(user=user, now=now)[: upcoming + 1])
    before = list(earlier_registrations(user=user, now=now)[: earlier + 1])
    return OwnRegistrations(
        ahead[:upcoming], before[:earlier], len(ahead) > upcoming, len(before) > earlier
    )


def registrations_of_person(*, user) -> QuerySet[Registration]:
    """Everything the platform holds about the person's registrations: those made signed in, and
    those made as a guest with one of their confirmed addresses (a guest registration carries no
    account, but it is theirs all the same). An unconfirmed address proves nothing, so it does not
    count."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    as_guest = Q()
    for address in addresses:
        as_guest |= Q(email__iexact=address)
    mine = Q(user=user)
    if as_guest:
        mine |= Q(user__isnull=True) & as_guest
    return Registration.objects.filter(mine)


def registration_data(*, user) -> list[dict[str, Any]]:
    """Every registration of the person, cancelled ones included, for their data export."""
    rows = registrations_of_person(user=user).select_related("event").order_by("created_at", "pk")
    return [
        {
            "event": registration.event.title,
            "event_url": settings.SITE_URL + registration.event.get_absolute_url(),
            "starts_at": iso(registration.event.starts_at),
            "name": registration.name,
            "email": registration.email,
            "seats": registration.seats,
            "needs": registration.needs,
            "photo_consent": registration.photo_consent,
            "institution": registration.institution,
            "status": registration.status,
            "attended": registration.attended,
            "created_at": iso(registration.created_at),
            "confirmed_at": iso(registration.confirmed_at),
            "cancelled_at": iso(registration.cancelled_at),
        }
        for registration in rows
    ]


def event_registrations(*, event: Event) -> QuerySet[Registration]:
    """An event's registrations for staff: attendance lists and exports, in order of signing up."""
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def held_events() -> QuerySet[Event]:
    """Events that took place and were closed with a report."""
    return Event.objects.filter(closed_at__isnull=False, cancelled_at__isnull=True)


def trainings_held() -> int:
    """The home page's "training sessions held": closed trainings, seminars and leaders' schools."""
    return held_events().filter(kind__in=TRAINING_KINDS).count()


def people_reached() -> int:
    """The home page's "people reached": everyone counted at closed events."""
    return held_events().aggregate(total=Sum("attendees_count"))["total"] or 0


def institutions_involved() -> int:
    """Educational institutions that sent teachers to seminars: distinct school names of
    registrations that held a seat, ignoring case and surrounding spaces."""
    return (
        Registration.objects.filter(
            event__kind=Event.Kind.TEACHERS_SEMINAR,
            event__cancelled_at__isnull=True,
            status=Registration.Status.CONFIRMED,
        )
        .exclude(institution="")
        .annotate(school=Lower(Trim("institution")))
        .values("school")
        .distinct()
        .count()
    )


# --- The events held at a manager's centres (issue 17) -------------------------------------------


def centre_events(*, centres: Iterable[ResourceCentre], now: datetime | None = None):
    """The events held at `centres`, published or not: (upcoming and running, soonest first,
    cancelled ones included; ended ones still waiting for attendance and closing, latest first).
    Each row carries its centre and community, so a page of them is one query.

    The bounds on starts_at add nothing to the meaning (an event ends after it starts and lasts
    at most EVENT_MAX_DURATION), as in event_list, but let the database walk the starts_at index
    from now: without them a coordinator's first page of upcoming events read past every one of
    the ~34,000 past events first (45 ms at national scale), and the first page of those to
    close past every upcoming one (20 ms)."""
    now = now or timezone.now()
    events = Event.objects.filter(centre__in=centres).select_related("centre", "community")
    upcoming = events.filter(starts_at__gte=now - EVENT_MAX_DURATION, ends_at__gte=now).order_by(
        "starts_at", "pk"
    )
    to_close = events.filter(
        starts_at__lt=now, ends_at__lt=now, closed_at__isnull=True, cancelled_at__isnull=True
    ).order_by("-starts_at", "-pk")
    return upcoming, to_close
