"""Reads of the capacity self-assessment (issue 16): rounds, levels, spreads and results, each a
fixed number of queries whatever the number of rounds, members or answers."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import ExtractYear, RowNumber

from .models import (
    CAPACITY_LEVELS,
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityDimension,
    CapacityLevel,
    Community,
    Membership,
)


def rounds_of(*, community: Community) -> QuerySet[AssessmentRound]:
    """The community's rounds, newest first."""
    return (
        AssessmentRound.objects.filter(community=community)
        .select_related("instrument")
        .order_by("-opens_on", "-pk")
    )


def round_of(*, community: Community, pk: int) -> AssessmentRound:
    """One round of this community (AssessmentRound.DoesNotExist for another's)."""
    return (
        AssessmentRound.objects.select_related("community", "instrument")
        .filter(community=community)
        .get(pk=pk)
    )


def previous_round(round_: AssessmentRound) -> AssessmentRound | None:
    """The round before this one in the community, whose plan this one reviews."""
    return (
        AssessmentRound.objects.filter(community_id=round_.community_id)
        .filter(opens_on__lt=round_.opens_on)
        .order_by("-opens_on", "-pk")
        .first()
    )


@dataclass
class DimensionRow:
    """One dimension of a round's page: its level texts and whatever the page shows of it."""

    dimension: CapacityDimension
    levels: list[CapacityLevel] = field(default_factory=list)
    counts: list[int] = field(default_factory=lambda: [0] * len(CAPACITY_LEVELS))

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def lowest(self) -> int | None:
        return next((level for level, n in self.level_counts if n), None)

    @property
    def highest(self) -> int | None:
        return next((level for level, n in reversed(self.level_counts) if n), None)

    @property
    def level_counts(self) -> list[tuple[int, int]]:
        return list(zip(CAPACITY_LEVELS, self.counts, strict=True))


def dimension_rows(*, round_: AssessmentRound, with_spread: bool = False) -> list[DimensionRow]:
    """The dimensions of the round's instrument with their level texts (one query) and, when
    asked, how many submitted answers chose each level (one more): no names, only counts."""
    rows: dict[int, DimensionRow] = {}
    for level in (
        CapacityLevel.objects.filter(instrument_id=round_.instrument_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "level")
    ):
        rows.setdefault(level.dimension_id, DimensionRow(level.dimension)).levels.append(level)
    if with_spread:
        for dimension_id, level, count in (
            CapacityAnswer.objects.filter(round=round_, submitted_at__isnull=False)
            .values_list("dimension_id", "level")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if dimension_id in rows:
                rows[dimension_id].counts[level - CAPACITY_LEVELS[0]] = count
    return list(rows.values())


def answers_of(*, round_: AssessmentRound, person) -> dict[int, CapacityAnswer]:
    """The person's own answers in the round, by dimension id."""
    return {
        answer.dimension_id: answer
        for answer in CapacityAnswer.objects.filter(round=round_, person=person)
    }


def has_submitted(*, round_: AssessmentRound, person) -> bool:
    return CapacityAnswer.objects.filter(
        round=round_, person=person, submitted_at__isnull=False
    ).exists()


def submitted_people(*, round_: AssessmentRound) -> int:
    """How many people submitted answers (those who left since count too: their answers stay)."""
    answers = CapacityAnswer.objects.filter(round=round_, submitted_at__isnull=False)
    people = answers.exclude(person=None).values("person").distinct().count()
    # A person who left is no longer told apart from another who left: their answers count once
    # per dimension, so the largest number of anonymous answers to one dimension stands for them.
    anonymous = (
        answers.filter(person=None)
        .values("dimension")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    return people + (anonymous or 0)


def consensus_of(*, round_: AssessmentRound) -> dict[int, CapacityConsensus]:
    return {item.dimension_id: item for item in CapacityConsensus.objects.filter(round=round_)}


def action_items(*, round_: AssessmentRound) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(round=round_)
        .select_related("dimension", "owner")
        .order_by("dimension__order", "due_on", "pk")
    )


def possible_owners(*, community: Community) -> QuerySet[Membership]:
    """Who may own a plan item: the community's active members, by name."""
    return (
        Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


# --- Results -----------------------------------------------------------------------------------


@dataclass
class Results:
    """The rounds compared (one instrument version, oldest first), their consensus level per
    dimension (None where none was recorded), and how many rounds of other versions were left
    out of the comparison."""

    dimensions: list[CapacityDimension]
    rounds: list[AssessmentRound]
    levels: dict[int, dict[int, int]]
    other_versions: int

    @property
    def table(self) -> list[tuple[CapacityDimension, list[int | None]]]:
        return [
            (dimension, [self.levels.get(each.pk, {}).get(dimension.pk) for each in self.rounds])
            for dimension in self.dimensions
        ]

    @property
    def charted(self) -> list[AssessmentRound]:
        """The baseline beside the latest: the first and the last compared round."""
        if len(self.rounds) <= 2:
            return list(self.rounds)
        return [self.rounds[0], self.rounds[-1]]


def results(*, community: Community) -> Results:
    """The community's rounds with a consensus, compared within the version of the latest."""
    rounds = list(
        AssessmentRound.objects.filter(community=community, consensus__isnull=False)
        .distinct()
        .select_related("instrument")
        .prefetch_related(Prefetch("consensus", queryset=CapacityConsensus.objects.all()))
        .order_by("opens_on", "pk")
    )
    if not rounds:
        return Results(dimensions=[], rounds=[], levels={}, other_versions=0)
    instrument_id = rounds[-1].instrument_id
    compared = [round_ for round_ in rounds if round_.instrument_id == instrument_id]
    dimensions = list(
        CapacityDimension.objects.filter(levels__instrument_id=instrument_id)
        .distinct()
        .order_by("order", "pk")
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for round_ in compared:
        for item in round_.consensus.all():
            levels[round_.pk][item.dimension_id] = item.level
    return Results(
        dimensions=dimensions,
        rounds=compared,
        levels=dict(levels),
        other_versions=len(rounds) - len(compared),
    )


def results_rows(*, community: Community) -> list[CapacityConsensus]:
    """Every recorded consensus of the community, for the CSV: oldest round first."""
    return list(
        CapacityConsensus.objects.filter(round__community=community)
        .select_related("round__instrument", "dimension")
        .order_by("round__opens_on", "round_id", "dimension__order", "dimension_id")
    )


# --- Coordinators' overview (admin) ------------------------------------------------------------

# Communities per page of the overview's change table: the whole country (1,000 communities) in
# one page took half a second to read and render, over the admin budget (DESIGN §8).
OVERVIEW_PAGE_SIZE = 50


@dataclass
class CommunityChange:
    """A community's first and latest round of one instrument version and, per dimension, the
    consensus level in each and the change (None where either has no consensus)."""

    name: str
    first: str
    latest: str
    cells: list[tuple[int | None, int | None, int | None]]
    # Told apart from a community of the same name elsewhere.
    municipality: str = ""


@dataclass
class YearMedians:
    year: int
    communities: int
    medians: list[float | None]


@dataclass
class Overview:
    """The dimensions, the yearly medians over all communities, and one page of communities'
    changes (`page` is the Paginator's page of those communities, for the page links)."""

    dimensions: list[CapacityDimension]
    changes: list[CommunityChange]
    years: list[YearMedians]
    page: Page | None = None


def _agreed_rounds(instrument_id: int) -> QuerySet[AssessmentRound]:
    """The rounds of the version with at least one consensus recorded: only those are compared
    (a round still being answered has nothing to show)."""
    return AssessmentRound.objects.filter(
        Exists(CapacityConsensus.objects.filter(round=OuterRef("pk"))),
        instrument_id=instrument_id,
    )


def coordinator_overview(*, instrument_id: int, page_number=None) -> Overview:
    """Across communities, for the rounds of one instrument version: per year the median
    consensus level per dimension (a community counted once a year, by its latest round of that
    year), and one page of communities (alphabetical, OVERVIEW_PAGE_SIZE of them) with each one's
    change from its first round to its latest. The medians are counted in the database, never
    the 80,000 consensus rows read into Python. Six queries, whatever the number of rounds."""
    dimensions = list(
        CapacityDimension.objects.filter(levels__instrument_id=instrument_id)
        .distinct()
        .order_by("order", "pk")
    )
    years = _yearly_medians(instrument_id=instrument_id, dimensions=dimensions)
    communities = (
        Community.objects.filter(pk__in=_agreed_rounds(instrument_id).values("community_id"))
        .order_by("sort_name", "pk")
        .only("pk", "name", "municipality")
    )
    page = Paginator(communities, OVERVIEW_PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    changes = _changes(
        instrument_id=instrument_id, communities=page.object_list, dimensions=dimensions
    )
    return Overview(dimensions=dimensions, changes=changes, years=years, page=page)


def _changes(
    *, instrument_id: int, communities, dimensions: list[CapacityDimension]
) -> list[CommunityChange]:
    """The first and latest agreed round of each of these communities, chosen in the database
    (one query for all of them), with their consensus levels side by side."""
    ids = [community.pk for community in communities]
    if not ids:
        return []
    in_order = [F("opens_on").asc(), F("pk").asc()]
    ends = (
        _agreed_rounds(instrument_id)
        .filter(community_id__in=ids)
        .annotate(
            from_first=Window(RowNumber(), partition_by=[F("community_id")], order_by=in_order),
            from_latest=Window(
                RowNumber(),
                partition_by=[F("community_id")],
                order_by=[F("opens_on").desc(), F("pk").desc()],
            ),
        )
        .filter(Q(from_first=1) | Q(from_latest=1))
    )
    # community → (opens_on, round id, title) → dimension → level
    rounds: dict[int, dict[tuple, dict[int, int]]] = defaultdict(dict)
    for community_id, round_id, title, opens_on, dimension_id, level in (
        CapacityConsensus.objects.filter(round__in=ends.values("pk"))
        .values_list(
            "round__community_id",
            "round_id",
            "round__title",
            "round__opens_on",
            "dimension_id",
            "level",
        )
        .order_by()
    ):
        rounds[community_id].setdefault((opens_on, round_id, title), {})[dimension_id] = level
    changes = []
    for community in communities:
        of_community = rounds.get(community.pk)
        if not of_community:
            continue  # its consensus was removed between the two queries
        first, latest = min(of_community), max(of_community)
        cells = []
        for dimension in dimensions:
            before = of_community[first].get(dimension.pk)
            after = of_community[latest].get(dimension.pk)
            change = after - before if before is not None and after is not None else None
            cells.append((before, after, change))
        changes.append(
            CommunityChange(community.name, first[2], latest[2], cells, community.municipality)
        )
    return changes


def _yearly_medians(
    *, instrument_id: int, dimensions: list[CapacityDimension]
) -> list[YearMedians]:
    """Per year, how many communities had an agreed round and the median level per dimension
    over each community's latest round of that year. The latest round per community and year is
    chosen in the database (a window numbering them), and per year, dimension and level only a
    count comes back; the median is then read off those counts. Two queries, some 200 rows."""
    latest_of_year = (
        _agreed_rounds(instrument_id)
        .annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("community_id"), ExtractYear("opens_on")],
                order_by=[F("opens_on").desc(), F("pk").desc()],
            )
        )
        # "≤ 1" is "= 1" for a row number, but PostgreSQL guesses that "= 1" keeps one row in
        # 200 and then sorts the 80,000 consensus rows on disk to count them (~4× slower);
        # for "≤ 1" it guesses a third, near enough to count them in a hash table.
        .filter(number__lte=1)
        .values("pk")
    )
    # A community counts once a year whichever of its rounds does: no window needed for this.
    communities = dict(
        _agreed_rounds(instrument_id)
        .values_list(ExtractYear("opens_on"))
        .annotate(n=Count("community_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for year, dimension_id, level, n in (
        CapacityConsensus.objects.filter(round__in=latest_of_year)
        .values_list(ExtractYear("round__opens_on"), "dimension_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(year, dimension_id)][level] = n
    return [
        YearMedians(
            year=year,
            communities=communities[year],
            medians=[_median_of_counts(counts.get((year, d.pk), {})) for d in dimensions],
        )
        for year in sorted(communities)
    ]


def _median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of the levels, each repeated as many times as counted: what statistics.median
    gives for the whole list (the middle value, or the mean of the two middle ones), without
    building it. None when there is none."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [total // 2] if total % 2 else [total // 2 - 1, total // 2]
    found = []
    seen = 0
    for level in sorted(counts):
        seen += counts[level]
        while middle and middle[0] < seen:
            found.append(level)
            middle.pop(0)
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2
