"""A round's ranking: its competing applications best first, with the running total of what
they ask for against the round's budget, so the coordinators see where the funding line falls."""

from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Application, GrantRound
from .applications import competing_applications
from .figures import Figures, requested_totals, round_figures

# What the ranking shows of an application; its long texts stay in the database.
RANKING_FIELDS = [
    "number",
    "reference",
    "title",
    "status",
    "community__name",
    "decision",
    "awarded_amount",
    "notified_at",
]


@dataclass
class Ranked:
    application: Application  # annotated with requested_total
    figures: Figures
    position: int
    running_total: Decimal  # requested sums of this and every application ranked above it
    within_budget: bool  # above the funding line


@dataclass
class Ranking:
    grant_round: GrantRound
    by: str
    rows: list[Ranked] = field(default_factory=list)

    @property
    def awarded(self) -> Decimal:
        return sum(
            (
                row.application.awarded_amount or Decimal(0)
                for row in self.rows
                if row.application.decision == Application.Decision.SUPPORTED
            ),
            Decimal(0),
        )

    @property
    def remaining(self) -> Decimal:
        return self.grant_round.total_budget - self.awarded


RANK_BY = ("mean", "median")


def ranking(*, grant_round: GrantRound, by: str = "mean") -> Ranking:
    """A round's competing applications, best first by mean (or median) score, with the running
    total of the requested sums against the round's budget: where the funding line falls.
    Unscored applications come last; ties keep reference order."""
    by = by if by in RANK_BY else "mean"
    figures = round_figures(grant_round=grant_round)
    requested = requested_totals(grant_round=grant_round)
    applications = list(
        competing_applications(grant_round=grant_round)
        .select_related("community")
        .only(*RANKING_FIELDS)
        .order_by("number")
    )
    for application in applications:
        application.requested_total = requested.get(application.pk, Decimal("0.00"))
    ordered = sorted(
        applications,
        key=lambda application: (
            figures[application.pk].score(by) is None,
            -(figures[application.pk].score(by) or 0),
            application.number or 0,
        ),
    )
    result = Ranking(grant_round=grant_round, by=by)
    running = Decimal(0)
    for position, application in enumerate(ordered, start=1):
        running += application.requested_total
        result.rows.append(
            Ranked(
                application=application,
                figures=figures[application.pk],
                position=position,
                running_total=running,
                within_budget=running <= grant_round.total_budget,
            )
        )
    return result
