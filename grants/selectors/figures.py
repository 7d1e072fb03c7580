"""Assessment figures: the one place where scores become figures.

The admin, the exports, the ranking and the tests all call these, so a figure cannot differ
between two screens: an assessment's weighted total, an application's mean, median and spread
over the assessments that count, the conflicts of interest the platform finds by itself, and
what each competing application asks for.
"""

import statistics
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import DecimalField, F, QuerySet, Sum
from django.db.models.functions import Coalesce

from communities.models import Membership
from core.formats import to_cents
from core.streams import Grouped

from ..models import ZERO, Application, Assessment, BudgetLine, Criterion, GrantRound
from .applications import InRound, competing_applications, in_round_order

HUNDRED = Decimal(100)


def weighted_total(*, criteria: Iterable[Criterion], points: Mapping[int, int | None]) -> Decimal:
    """An assessment's total on a 0–100 scale: each criterion's points as a share of its
    maximum, weighted, over the sum of the weights. Missing points count as 0."""
    criteria = list(criteria)
    weights = sum((criterion.weight for criterion in criteria), Decimal(0))
    if not weights:
        return Decimal(0)
    earned = sum(
        (
            Decimal(points.get(criterion.pk) or 0) / criterion.max_points * criterion.weight
            for criterion in criteria
        ),
        Decimal(0),
    )
    return to_cents(earned / weights * HUNDRED)


@dataclass(frozen=True)
class Figures:
    """What the submitted, unconflicted assessments of one application add up to."""

    totals: tuple[Decimal, ...] = ()
    excluded: int = 0  # assessments excluded for a conflict of interest
    pending: int = 0  # assigned assessors without a submitted or conflicted assessment
    threshold: Decimal = Decimal(25)

    @property
    def count(self) -> int:
        return len(self.totals)

    @cached_property
    def mean(self) -> Decimal | None:
        if not self.totals:
            return None
        return to_cents(sum(self.totals, Decimal(0)) / len(self.totals))

    @cached_property
    def median(self) -> Decimal | None:
        if not self.totals:
            return None
        return to_cents(Decimal(statistics.median(self.totals)))

    @cached_property
    def spread(self) -> Decimal | None:
        if not self.totals:
            return None
        return max(self.totals) - min(self.totals)

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > self.threshold

    @property
    def missing(self) -> bool:
        return self.pending > 0 or not self.totals

    def score(self, by: str) -> Decimal | None:
        return self.median if by == "median" else self.mean


def figures_of(
    *, assessments: Iterable[Assessment], assessors: Collection[int], threshold: Decimal
) -> Figures:
    """The figures of one application from its assessments; `assessors` are the pks of those
    assigned to the round. An assessment by someone no longer assigned still counts, but only
    the assigned can be pending."""
    totals, excluded, done = [], 0, set()
    for assessment in assessments:
        if assessment.has_conflict:
            excluded += 1
            done.add(assessment.assessor_id)
        elif assessment.status == Assessment.Status.SUBMITTED:
            totals.append(assessment.weighted_total)
            done.add(assessment.assessor_id)
    return Figures(
        totals=tuple(sorted(totals)),
        excluded=excluded,
        pending=len(set(assessors) - done),
        threshold=threshold,
    )


def auto_conflicts(
    *, grant_round: GrantRound, assessors: Iterable[int] | None = None
) -> dict[tuple[int, int], str]:
    """The conflicts of interest the platform finds by itself, as {(assessor pk, application
    pk): Assessment.AutoConflict}: the assessor applied, or belongs (or asked to belong) to the
    applicant's community. Two queries."""
    if assessors is None:
        assessors = grant_round.assessors.values_list("pk", flat=True)
    assessors = set(assessors)
    found: dict[tuple[int, int], str] = {}
    competing = competing_applications(grant_round=grant_round)
    rows = list(competing.values_list("pk", "community_id", "applicant_id"))
    for application_pk, _community_pk, applicant_pk in rows:
        if applicant_pk in assessors:
            found[(applicant_pk, application_pk)] = Assessment.AutoConflict.APPLICANT
    members = Membership.objects.filter(
        user__in=assessors, community__in={row[1] for row in rows}
    ).values_list("user_id", "community_id")
    communities: dict[int, set[int]] = {}
    for user_pk, community_pk in members:
        communities.setdefault(community_pk, set()).add(user_pk)
    for application_pk, community_pk, _applicant_pk in rows:
        for user_pk in communities.get(community_pk, ()):
            found.setdefault((user_pk, application_pk), Assessment.AutoConflict.MEMBER)
    return found


# While a round can still be assessed, the platform's conflicts of assessor/application pairs
# without an assessment are looked up live; afterwards the figures rest only on what the
# assessments themselves store.
LIVE_CONFLICT_STATUSES = (
    GrantRound.Status.DRAFT,
    GrantRound.Status.OPEN,
    GrantRound.Status.ASSESSMENT,
)


def unopened_conflicts(
    *, grant_round: GrantRound, assessors: Iterable[int] | None = None
) -> dict[tuple[int, int], str]:
    """The platform's conflicts as the figures count them for pairs that have no assessment:
    auto_conflicts while the round is still assessed, nothing once it has moved on to decisions
    or results. An assessment, once opened, keeps the conflict decided then (grants.services),
    so a membership begun later never changes a submitted assessment, or a published figure."""
    if grant_round.status not in LIVE_CONFLICT_STATUSES:
        return {}
    return auto_conflicts(grant_round=grant_round, assessors=assessors)


class _Mark(NamedTuple):
    """The few columns of an assessment its application's figures need (a light row: a round
    of 1,000 applications has thousands)."""

    assessor_id: int | None
    status: str
    conflict: str
    auto_conflict: str
    weighted_total: Decimal | None

    @property
    def has_conflict(self) -> bool:
        return self.conflict == Assessment.Conflict.DECLARED or bool(self.auto_conflict)


def round_figures(*, grant_round: GrantRound) -> dict[int, Figures]:
    """The figures of every competing application of a round, by application pk, in a fixed
    number of queries whatever the size of the round."""
    return {place.pk: figures for place, figures in figures_in_order(grant_round=grant_round)}


def figures_in_order(
    *, grant_round: GrantRound, chunk_size: int | None = None
) -> Iterator[tuple[InRound, Figures]]:
    """The figures of every competing application of a round, one at a time in their order
    (InRound); the queries are round_figures'. With `chunk_size`, the applications and
    assessments are read that many rows at a time, so an export walking the round beside its
    own queries holds one application's assessments, however large the round."""
    assessors = set(grant_round.assessors.values_list("pk", flat=True))
    unopened: dict[int, list[tuple[int, str]]] = {}
    for (assessor_pk, application_pk), reason in unopened_conflicts(
        grant_round=grant_round, assessors=assessors
    ).items():
        unopened.setdefault(application_pk, []).append((assessor_pk, reason))
    marks = Grouped(
        _rows(
            Assessment.objects.filter(
                application__round=grant_round, application__status__in=Application.COMPETING
            )
            .order_by(*in_round_order("application__"))
            .values_list(
                "application__number",
                "application_id",
                "assessor_id",
                "status",
                "conflict",
                "auto_conflict",
                "weighted_total",
            ),
            chunk_size,
        ),
        key=InRound.of_row,
    )
    applications = _rows(
        competing_applications(grant_round=grant_round)
        .order_by(*in_round_order())
        .values_list("number", "pk"),
        chunk_size,
    )
    for row in applications:
        place = InRound.of_row(row)
        # The conflict stored on the assessment, decided when it was opened or submitted.
        own = [_Mark(*mark[2:]) for mark in marks.take(place)]
        seen = {mark.assessor_id for mark in own}
        for assessor_pk, reason in unopened.get(place.pk, ()):
            if assessor_pk not in seen:
                # Never opened, but excluded all the same: a conflict, not a missing assessment.
                own.append(_Mark(assessor_pk, Assessment.Status.DRAFT, "", reason, None))
        yield (
            place,
            figures_of(
                assessments=own,
                assessors=assessors,
                threshold=grant_round.disagreement_threshold,
            ),
        )


def requested_totals(*, grant_round: GrantRound) -> dict[int, Decimal]:
    """The sum each competing application of a round asks for (budget total less own
    contribution), by application pk: one query."""
    return {place.pk: total for place, total in requested_in_order(grant_round=grant_round)}


def requested_in_order(
    *, grant_round: GrantRound, chunk_size: int | None = None
) -> Iterator[tuple[InRound, Decimal]]:
    """What each competing application of a round with budget lines asks for, one at a time in
    their order (InRound), read `chunk_size` rows at a time if given: requested_totals for an
    export walking the round."""
    line_total = F("quantity") * F("unit_price")
    sums = (
        BudgetLine.objects.filter(
            application__round=grant_round, application__status__in=Application.COMPETING
        )
        .values("application_id")
        .annotate(
            total=Coalesce(
                Sum(line_total, output_field=DecimalField(max_digits=12, decimal_places=2)), ZERO
            ),
            own=Coalesce(Sum("own_contribution"), ZERO),
        )
        .order_by(*in_round_order("application__"))
        .values_list("application__number", "application_id", "total", "own")
    )
    for number, pk, total, own in _rows(sums, chunk_size):
        yield InRound.of(number, pk), to_cents(Decimal(total) - Decimal(own))


def _rows(queryset: QuerySet, chunk_size: int | None) -> Iterator:
    """A query's rows: all at once, or `chunk_size` at a time (a server-side cursor on
    PostgreSQL)."""
    return queryset.iterator(chunk_size=chunk_size) if chunk_size else iter(queryset)
