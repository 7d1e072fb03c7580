"""The coordinators' overview selector against a straightforward reference: the yearly medians
are counted in the database and the changes read a page of communities at a time, and both must
give exactly the figures of reading every consensus row into Python and using
statistics.median (the code they replaced)."""

import random
import statistics
from collections import defaultdict
from datetime import date

import pytest

from communities import capacity_selectors
from communities.capacity_selectors import (
    CommunityChange,
    YearMedians,
    _median_of_counts,
    coordinator_overview,
)
from communities.models import (
    AssessmentRound,
    CapacityConsensus,
    CapacityDimension,
    CapacityInstrument,
    CapacityLevel,
)
from tests.communities.capacity_support import open_round
from tests.factories import CommunityFactory


def _reference(instrument_id: int) -> tuple[list[CommunityChange], list[YearMedians]]:
    """Every consensus row of the version in Python, as the overview first did it."""
    dimensions = list(
        CapacityDimension.objects.filter(levels__instrument_id=instrument_id)
        .distinct()
        .order_by("order", "pk")
    )
    rounds: dict[int, dict[tuple, dict[int, int]]] = defaultdict(dict)
    names = {}
    for community_id, name, municipality, round_id, title, opens_on, dimension_id, level in (
        CapacityConsensus.objects.filter(round__instrument_id=instrument_id)
        .values_list(
            "round__community_id",
            "round__community__name",
            "round__community__municipality",
            "round_id",
            "round__title",
            "round__opens_on",
            "dimension_id",
            "level",
        )
        .order_by("round__community__sort_name", "round__community_id")
    ):
        names[community_id] = (name, municipality)
        rounds[community_id].setdefault((opens_on, round_id, title), {})[dimension_id] = level
    changes = []
    by_year: dict[int, list[dict[int, int]]] = defaultdict(list)
    for community_id, of_community in rounds.items():
        ordered = sorted(of_community)
        first, latest = ordered[0], ordered[-1]
        cells = []
        for d in dimensions:
            before, after = of_community[first].get(d.pk), of_community[latest].get(d.pk)
            change = after - before if before is not None and after is not None else None
            cells.append((before, after, change))
        name, municipality = names[community_id]
        changes.append(CommunityChange(name, first[2], latest[2], cells, municipality))
        for year, key in {key[0].year: key for key in ordered}.items():
            by_year[year].append(of_community[key])
    years = []
    for year, levels in sorted(by_year.items()):
        medians = []
        for d in dimensions:
            values = [each[d.pk] for each in levels if d.pk in each]
            medians.append(statistics.median(values) if values else None)
        years.append(YearMedians(year=year, communities=len(levels), medians=medians))
    return changes, years


def _all_pages(instrument_id: int):
    first = coordinator_overview(instrument_id=instrument_id)
    changes = list(first.changes)
    for number in first.page.paginator.page_range[1:]:
        changes += coordinator_overview(instrument_id=instrument_id, page_number=number).changes
    return first, changes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_overview_gives_the_figures_of_reading_every_row(dimensions, monkeypatch, seed):
    monkeypatch.setattr(capacity_selectors, "OVERVIEW_PAGE_SIZE", 4)
    rng = random.Random(seed)
    instrument = CapacityInstrument.objects.get()
    other = CapacityInstrument.objects.create(number=2, is_published=False)
    CapacityLevel.objects.bulk_create(
        CapacityLevel(instrument=other, dimension=d, level=level, text="Cits")
        for d in dimensions[:3]
        for level in range(1, 5)
    )
    for n in range(11):
        # Names out of creation order: the list is alphabetical, not by id.
        community = CommunityFactory(slug=f"k{n}", name=f"{'ZYXWVUTSRQP'[n]} kopiena")
        for r in range(rng.randint(0, 6)):
            # A handful of days over five years: rounds share years and even opening days.
            opens_on = date(rng.randint(2019, 2023), rng.choice([1, 6, 11]), 1)
            round_ = open_round(
                community, title=f"Kārta {r}", opens_on=opens_on, closes_on=opens_on
            )
            if rng.random() < 0.15:
                round_.instrument = other
                round_.save()
            # Some dimensions not agreed, and now and then none (a round not compared).
            agreed = rng.random() < 0.9
            CapacityConsensus.objects.bulk_create(
                CapacityConsensus(round=round_, dimension=d, level=rng.randint(1, 4), reason="-")
                for d in dimensions
                if agreed and rng.random() < 0.8
            )

    for version in (instrument, other):
        changes, years = _reference(version.pk)
        first, paged = _all_pages(version.pk)
        assert (first.years, paged) == (years, changes)
        if version == instrument:
            # The data held what the comparison is for: several years and pages.
            assert (len(years) >= 4, first.page.paginator.num_pages >= 2) == (True, True)


def test_the_medians_are_those_of_the_whole_list_for_odd_and_even_counts():
    assert [
        _median_of_counts(counts)
        for counts in (
            {},
            {3: 1},
            {1: 1, 2: 1},
            {1: 2, 4: 1},
            {1: 2, 3: 2},
            {2: 3, 4: 3},
            {1: 1, 2: 2, 3: 1},
        )
    ] == [None, 3, 1.5, 1, 2, 3, 2]
    rng = random.Random(7)
    for _ in range(300):
        counts = {level: rng.randint(0, 5) for level in range(1, 5)}
        values = [level for level, n in counts.items() for _ in range(n)]
        expected = statistics.median(values) if values else None
        assert (_median_of_counts(counts), type(_median_of_counts(counts))) == (
            expected,
            type(expected),
        )


def test_an_empty_version_has_no_years_and_no_communities(dimensions):
    overview = coordinator_overview(instrument_id=CapacityInstrument.objects.get().pk)

    assert (overview.years, overview.changes, overview.page.paginator.count) == ([], [], 0)
    assert AssessmentRound.objects.count() == 0


def test_two_communities_of_one_name_are_two_communities(dimensions):
    # The first overview grouped its rows by name: two villages' communities of the same name
    # became one row, and were counted once in the year's medians.
    for slug, municipality, level in (
        ("jaunpils-tukuma", "Tukuma novads", 1),
        ("jaunpils-jelgavas", "Jelgavas novads", 4),
    ):
        community = CommunityFactory(slug=slug, name="Jaunpils kopiena", municipality=municipality)
        round_ = open_round(community, title="2024", opens_on=date(2024, 3, 1))
        CapacityConsensus.objects.create(
            round=round_, dimension=dimensions[0], level=level, reason="-"
        )

    overview = coordinator_overview(instrument_id=CapacityInstrument.objects.get().pk)

    # Each told apart by its municipality.
    assert [(c.name, c.municipality, c.cells[0]) for c in overview.changes] == [
        ("Jaunpils kopiena", "Tukuma novads", (1, 1, 0)),
        ("Jaunpils kopiena", "Jelgavas novads", (4, 4, 0)),
    ]
    assert overview.years == [YearMedians(2024, 2, [2.5] + [None] * 7)]
