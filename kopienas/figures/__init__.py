"""Impact figures, each defined once (`registry`) and counted once (`sources`).

Pages, the CSV and the admin take every figure from here: a value with its registry key, the
coordinators' wording of its label (`communities.ImpactFigure`) and the registry's definition.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from communities.models import Community, ImpactFigure, TargetGroup
from core import generations
from events.models import EventGroupCount
from events.selectors import held_events
from initiatives.models import InitiativeReach
from resource_centres.models import ResourceCentre

from .registry import BY_KEY, FIGURES, HEADLINE, Figure, reach_written
from .sources import (
    CENTRE,
    COMMUNITY,
    GENERATION,
    TOTAL,
    YEAR,
    breakdown,
    public_initiatives,
)

__all__ = [
    "BY_KEY",
    "FIGURES",
    "HEADLINE",
    "Figure",
    "Shown",
    "by_centre",
    "by_year",
    "community_figures",
    "headline",
    "labels",
    "page_counts",
    "reach",
    "totals",
]


@dataclass(frozen=True)
class Shown:
    """One figure as a page shows it."""

    figure: Figure
    label: str
    value: int
    # True when the label is the coordinators' Latvian wording rather than the interface's.
    label_is_content: bool

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def written(self) -> str:
        return self.figure.written(self.value)


def labels() -> dict[str, str]:
    """The coordinators' wording of each figure's label, by key (one query)."""
    return dict(ImpactFigure.objects.values_list("key", "label"))


def _shown(keys, values: dict[str, int], wording: dict[str, str]) -> list[Shown]:
    return [
        Shown(
            figure=BY_KEY[key],
            label=wording.get(key) or str(BY_KEY[key].label),
            value=values.get(key, 0),
            label_is_content=bool(wording.get(key)),
        )
        for key in keys
    ]


def headline() -> list[Shown]:
    """The home page's figures: two queries however many rows there are."""
    return _shown(HEADLINE, breakdown(TOTAL), labels())


def totals(wording: dict[str, str] | None = None, counts: dict | None = None) -> list[Shown]:
    """Every figure of the registry with its current value."""
    wording = labels() if wording is None else wording
    values = counts[TOTAL] if counts is not None else breakdown(TOTAL)
    return _shown([figure.key for figure in FIGURES], values, wording)


def page_counts(community: Community | None = None) -> dict:
    """Everything /skaitli/ counts (totals, by year, by centre, reach, and one community's
    figures and reach when one is chosen), computed together and kept in the shared cache as
    one value until a counted row changes: one cache read for the whole page."""
    pk = community.pk if community is not None else None

    def compute() -> dict:
        counts = {
            TOTAL: breakdown(TOTAL, fresh=True),
            YEAR: breakdown(YEAR, fresh=True),
            CENTRE: breakdown(CENTRE, fresh=True),
            "reach": _reach_values(None),
        }
        if community is not None:
            counts[COMMUNITY] = breakdown(COMMUNITY, only=pk, fresh=True)
            counts["community_reach"] = _reach_values(community)
        return counts

    return generations.cached(GENERATION, ("page", pk), compute)


@dataclass(frozen=True)
class Cell:
    figure: Figure
    value: int

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def written(self) -> str:
        return self.figure.written(self.value)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown table: a year or a centre, and each figure's value there."""

    name: str
    cells: list[Cell]
    slug: str = ""


def _rows(figures, values: dict, places: list[tuple]) -> list[Row]:
    return [
        Row(
            name=name,
            slug=slug,
            cells=[Cell(figure, values.get(figure.key, {}).get(place, 0)) for figure in figures],
        )
        for place, name, slug in places
    ]


def by_year(counts: dict | None = None) -> tuple[list[Figure], list[Row]]:
    """Each year that has anything counted, oldest first, with the figures counted by year."""
    figures = [figure for figure in FIGURES if figure.by_year]
    values = counts[YEAR] if counts is not None else breakdown(YEAR)
    years = sorted({year for by_place in values.values() for year in by_place})
    return figures, _rows(figures, values, [(year, str(year), "") for year in years])


def by_centre(counts: dict | None = None) -> tuple[list[Figure], list[Row]]:
    """Each published centre: its events and the initiatives and ideas of its communities."""
    figures = [figure for figure in FIGURES if figure.by_place]
    values = counts[CENTRE] if counts is not None else breakdown(CENTRE)
    centres = ResourceCentre.objects.filter(is_published=True).order_by("name", "pk")
    places = [(pk, name, slug) for pk, name, slug in centres.values_list("pk", "name", "slug")]
    return figures, _rows(figures, values, places)


def community_figures(
    community: Community, wording: dict[str, str], counts: dict | None = None
) -> list[Shown]:
    """One community's figures: its events, its initiatives and its supported ideas."""
    values = counts[COMMUNITY] if counts is not None else breakdown(COMMUNITY, only=community.pk)
    keys = [figure.key for figure in FIGURES if figure.by_place and figure.by_community]
    return _shown(keys, {key: sum(by.values()) for key, by in values.items()}, wording)


@dataclass(frozen=True)
class Reach:
    group: TargetGroup
    value: int

    @property
    def written(self) -> str:
        return reach_written(self.value)


def reach(community: Community | None = None, counts: dict | None = None) -> list[Reach]:
    """People of each target group counted at held events and in public initiatives (one
    query, then kept in the shared cache until a counted row changes, as the breakdowns are);
    a community's own when one is given."""
    if counts is not None:
        values = counts["community_reach" if community is not None else "reach"]
    else:
        values = generations.cached(
            GENERATION,
            ("reach", community.pk if community is not None else None),
            lambda: _reach_values(community),
        )
    groups = TargetGroup.objects.order_by("order", "pk")
    return [Reach(group=group, value=values.get(group.pk, 0)) for group in groups]


def _reach_values(community: Community | None) -> dict[int, int]:
    events = held_events()
    initiatives = public_initiatives()
    if community is not None:
        events = events.filter(community=community)
        initiatives = initiatives.filter(community=community)
    at_events = (
        EventGroupCount.objects.filter(target_group=OuterRef("pk"), event__in=events)
        .order_by()
        .values("target_group")
        .annotate(total=Sum("count"))
        .values("total")
    )
    in_initiatives = (
        InitiativeReach.objects.filter(target_group=OuterRef("pk"), initiative__in=initiatives)
        .order_by()
        .values("target_group")
        .annotate(total=Sum("count"))
        .values("total")
    )
    groups = TargetGroup.objects.annotate(
        at_events=Coalesce(Subquery(at_events), 0),
        in_initiatives=Coalesce(Subquery(in_initiatives), 0),
    )
    return {group.pk: group.at_events + group.in_initiatives for group in groups}
