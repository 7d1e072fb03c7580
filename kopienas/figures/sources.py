"""The one query behind each figure, and the breakdowns built from them.

Each figure is the sum of one or more parts (participants: events and initiatives). A part is
a set of published rows, an aggregate over them, and the field that places a row in a year, a
centre or a community. A breakdown is one UNION ALL of every part grouped by one dimension, so
the home page and every table of /skaitli/ cost one query each, whatever the number of rows.

Only stored dates and published rows decide a value: nothing here depends on today's date, so a
past year's figures stay as they were published.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from core.formats import RIGA
from events.selectors import TRAINING_KINDS, held_events
from grants.models import Application, GrantRound
from initiatives.models import Initiative
from resource_centres.models import ResourceCentre

TOTAL, YEAR, CENTRE, COMMUNITY = None, "year", "centre", "community"


def public_initiatives() -> QuerySet[Initiative]:
    """Initiatives anyone can read: published, of a published community (as
    `initiatives.permissions.is_public` decides for one)."""
    return Initiative.objects.filter(
        status=Initiative.Status.PUBLISHED, community__is_published=True
    )


def _namings():
    """Each (initiative, institution) pair of a public initiative."""
    return Initiative.institutions.through.objects.filter(
        initiative__status=Initiative.Status.PUBLISHED, initiative__community__is_published=True
    )


def _first_naming_year():
    """The year an institution was first named by a public initiative."""
    return Subquery(
        _namings()
        .filter(institution_id=OuterRef("institution_id"))
        .order_by("initiative__year")
        .values("initiative__year")[:1]
    )


def _supported_ideas() -> QuerySet[Application]:
    return Application.objects.filter(
        round__status=GrantRound.Status.RESULTS,
        notified_decision=Application.Decision.SUPPORTED,
        status__in=Application.COMPETING,
    )


@dataclass(frozen=True)
class Part:
    figure: str
    rows: Callable[[], QuerySet]
    value: Callable[[], object]
    # Dimension → the field (or expression) giving a row's year, centre id or community id;
    # a part without one is not broken down by it.
    places: dict = field(default_factory=dict)
    # Rows kept only for the year breakdown (e.g. an institution's first naming).
    year_rows: Callable[[], QuerySet] | None = None


def _event_year():
    return ExtractYear("starts_at", tzinfo=RIGA)


EVENT_PLACES = {YEAR: _event_year, CENTRE: "centre_id", COMMUNITY: "community_id"}
INITIATIVE_PLACES = {
    YEAR: "year",
    CENTRE: "community__resource_centre_id",
    COMMUNITY: "community_id",
}

PARTS = (
    Part("participants", held_events, lambda: Coalesce(Sum("attendees_count"), 0), EVENT_PLACES),
    Part(
        "participants",
        public_initiatives,
        lambda: Coalesce(Sum("participants"), 0),
        INITIATIVE_PLACES,
    ),
    Part(
        "institutions",
        _namings,
        lambda: Count("institution_id", distinct=True),
        {
            YEAR: "initiative__year",
            CENTRE: "initiative__community__resource_centre_id",
            COMMUNITY: "initiative__community_id",
        },
        year_rows=lambda: _namings().filter(initiative__year=_first_naming_year()),
    ),
    Part("initiatives", public_initiatives, lambda: Count("pk"), INITIATIVE_PLACES),
    Part(
        "trainings",
        lambda: held_events().filter(kind__in=TRAINING_KINDS),
        lambda: Count("pk"),
        EVENT_PLACES,
    ),
    Part(
        "rounds",
        lambda: GrantRound.objects.filter(status=GrantRound.Status.RESULTS),
        lambda: Count("pk"),
        {YEAR: "year"},
    ),
    Part(
        "supported_ideas",
        _supported_ideas,
        lambda: Count("pk"),
        {YEAR: "round__year", CENTRE: "community__resource_centre_id", COMMUNITY: "community_id"},
    ),
    Part(
        "centres",
        lambda: ResourceCentre.objects.filter(is_published=True),
        lambda: Count("pk"),
    ),
    Part(
        "volunteers", public_initiatives, lambda: Coalesce(Sum("volunteers"), 0), INITIATIVE_PLACES
    ),
)


def _place(expression):
    return expression() if callable(expression) else F(expression)


def breakdown(dimension: str | None = TOTAL, *, only: int | None = None) -> dict:
    """Every figure's value in one query: {key: value} for the totals, or {key: {place: value}}
    by year, centre or community (`only`: one centre or community).

    A figure with nothing to count yet is 0 in the totals and absent from a breakdown.
    """
    queries = []
    for part in PARTS:
        if dimension is TOTAL:
            rows = part.rows().annotate(place=Value(None, output_field=IntegerField()))
        elif dimension in part.places:
            rows_of = part.year_rows if dimension == YEAR and part.year_rows else part.rows
            rows = rows_of().annotate(place=_place(part.places[dimension]))
            rows = rows.filter(place=only) if only is not None else rows.exclude(place=None)
        else:
            continue
        queries.append(
            rows.annotate(figure=Value(part.figure))
            .values("figure", "place")
            .annotate(value=part.value())
            .values_list("figure", "place", "value")
            .order_by()
        )
    rows = queries[0].union(*queries[1:], all=True).order_by()
    if dimension is TOTAL:
        totals = dict.fromkeys((part.figure for part in PARTS), 0)
        for figure, _, value in rows:
            totals[figure] += value or 0
        return totals
    by_place: dict = defaultdict(dict)
    for figure, place, value in rows:
        if value:
            by_place[figure][place] = by_place[figure].get(place, 0) + value
    return dict(by_place)
