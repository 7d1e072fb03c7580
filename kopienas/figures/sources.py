"""The one query behind each figure, and the breakdowns built from them.

A figure is counted from one or more sources (participants: events and initiatives). A source
is a set of published rows, the aggregates of the figures it feeds, and the field that places a
row in a year, a centre or a community. A breakdown is one UNION ALL of every source grouped by
one dimension, each source scanned once for all its figures, so the home page and every table
of /skaitli/ cost one query each, whatever the number of rows.

Only stored dates and published rows decide a value: nothing here depends on today's date, so a
past year's figures stay as they were published.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from core import generations
from core.formats import RIGA
from events.selectors import TRAINING_KINDS, held_events
from grants.models import Application, GrantRound
from initiatives.models import Initiative
from initiatives.selectors import published_initiatives
from resource_centres.booking_selectors import BookedSeconds, counted_bookings
from resource_centres.models import ResourceCentre

TOTAL, YEAR, CENTRE, COMMUNITY = None, "year", "centre", "community"
# The cache generation of everything the figures count (core.generations).
GENERATION = generations.PUBLIC_COUNTS


# Initiatives anyone can read: published, of a published community.
public_initiatives = published_initiatives


def _namings():
    """Each (initiative, institution) pair of a public initiative."""
    return Initiative.institutions.through.objects.filter(
        initiative__status=Initiative.Status.PUBLISHED, initiative__community__is_published=True
    )


def _first_namings():
    """The namings in the year an institution was first named by a public initiative: no
    naming of the same institution is earlier (an anti-join, one pass over the namings)."""
    earlier = _namings().filter(
        institution_id=OuterRef("institution_id"), initiative__year__lt=OuterRef("initiative__year")
    )
    return _namings().filter(~Exists(earlier))


def _supported_ideas() -> QuerySet[Application]:
    return Application.objects.filter(
        round__status=GrantRound.Status.RESULTS,
        notified_decision=Application.Decision.SUPPORTED,
        status__in=Application.COMPETING,
    )


def _public_bookings():
    """Confirmed bookings, not no-shows, at published centres."""
    return counted_bookings().filter(equipment__centre__is_published=True)


def _booked_hours():
    # Whole hours, rounded half up, of the seconds summed in the database.
    return (Coalesce(Sum(BookedSeconds()), 0) + 1800) / 3600


def _event_year():
    return ExtractYear("starts_at", tzinfo=RIGA)


def _sum(field_name):
    return lambda: Coalesce(Sum(field_name), 0)


def _count(**conditions):
    return lambda: Count("pk", filter=Q(**conditions) if conditions else None)


@dataclass(frozen=True)
class Source:
    name: str
    rows: Callable[[], QuerySet]
    # Figure key → its aggregate over these rows (at most three per source).
    values: dict[str, Callable[[], object]]
    # Dimension → the field (or expression) giving a row's year, centre id or community id;
    # a source without one is not broken down by it.
    places: dict = field(default_factory=dict)
    # Rows kept only for the year breakdown (an institution's first naming).
    year_rows: Callable[[], QuerySet] | None = None


EVENT_PLACES = {YEAR: _event_year, CENTRE: "centre_id", COMMUNITY: "community_id"}
INITIATIVE_PLACES = {
    YEAR: "year",
    CENTRE: "community__resource_centre_id",
    COMMUNITY: "community_id",
}
WIDTH = 3

SOURCES = (
    Source(
        "events",
        held_events,
        {"participants": _sum("attendees_count"), "trainings": _count(kind__in=TRAINING_KINDS)},
        EVENT_PLACES,
    ),
    Source(
        "initiatives",
        public_initiatives,
        {
            "participants": _sum("participants"),
            "initiatives": _count(),
            "volunteers": _sum("volunteers"),
        },
        INITIATIVE_PLACES,
    ),
    Source(
        "namings",
        _namings,
        {"institutions": lambda: Count("institution_id", distinct=True)},
        {
            YEAR: "initiative__year",
            CENTRE: "initiative__community__resource_centre_id",
            COMMUNITY: "initiative__community_id",
        },
        year_rows=_first_namings,
    ),
    Source(
        "rounds",
        lambda: GrantRound.objects.filter(status=GrantRound.Status.RESULTS),
        {"rounds": _count()},
        {YEAR: "year"},
    ),
    Source(
        "ideas",
        _supported_ideas,
        {"supported_ideas": _count()},
        {YEAR: "round__year", CENTRE: "community__resource_centre_id", COMMUNITY: "community_id"},
    ),
    Source(
        "bookings",
        _public_bookings,
        {"booked_hours": _booked_hours},
        {YEAR: _event_year, CENTRE: "equipment__centre_id"},
    ),
    Source(
        "centres",
        lambda: ResourceCentre.objects.filter(is_published=True),
        {"centres": _count()},
    ),
)
BY_NAME = {source.name: source for source in SOURCES}
FIGURE_KEYS = list(dict.fromkeys(key for source in SOURCES for key in source.values))


def _place(expression):
    return expression() if callable(expression) else F(expression)


def breakdown(
    dimension: str | None = TOTAL, *, only: int | None = None, fresh: bool = False
) -> dict:
    """Every figure's value: {key: value} for the totals, or {key: {place: value}} by year,
    centre or community (`only`: one centre or community).

    Computed in one query and kept in the shared cache until a row it counts changes
    (kopienas.figures.freshness), so a page shows the figures of the very latest change and
    pays for them only once per change. `fresh` computes without the cache (for a caller
    that caches a larger value of its own).
    """
    if fresh:
        return _breakdown(dimension, only=only)
    return generations.cached(
        GENERATION, (dimension, only), lambda: _breakdown(dimension, only=only)
    )


def _breakdown(dimension: str | None = TOTAL, *, only: int | None = None) -> dict:
    """A figure with nothing to count yet is 0 in the totals and absent from a breakdown."""
    queries = []
    for source in SOURCES:
        if dimension is TOTAL:
            rows = source.rows().annotate(place=Value(None, output_field=IntegerField()))
        elif dimension in source.places:
            rows_of = source.year_rows if dimension == YEAR and source.year_rows else source.rows
            rows = rows_of().annotate(place=_place(source.places[dimension]))
            rows = rows.filter(place=only) if only is not None else rows.exclude(place=None)
        else:
            continue
        aggregates = [make() for make in source.values.values()]
        aggregates += [Value(0)] * (WIDTH - len(aggregates))
        queries.append(
            rows.annotate(source=Value(source.name))
            .values("source", "place")
            .annotate(**{f"v{index}": value for index, value in enumerate(aggregates)})
            .values_list("source", "place", *(f"v{index}" for index in range(WIDTH)))
            .order_by()
        )
    totals = dict.fromkeys(FIGURE_KEYS, 0)
    by_place: dict = defaultdict(dict)
    for name, place, *values in queries[0].union(*queries[1:], all=True).order_by():
        for key, value in zip(BY_NAME[name].values, values, strict=False):
            if dimension is TOTAL:
                totals[key] += value or 0
            elif value:
                by_place[key][place] = by_place[key].get(place, 0) + value
    return totals if dimension is TOTAL else dict(by_place)
