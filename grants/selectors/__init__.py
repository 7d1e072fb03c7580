"""Reads of the grant rounds and applications, with their visibility rules (DESIGN §3).

Split by concern: `applications` (a person's own, one by key, one with its page, budget sums),
`rounds` (public rounds, an assessor's rounds), `figures` (scores becoming figures), `ranking`,
`assessment` (an assessor's progress), `decisions` (awards, re-notification, published results)
and `personal` (the data export). The public names are re-exported here, so callers write
`selectors.ranking(...)` whatever module holds it.
"""

from .applications import (
    InRound,
    active_communities,
    application_by_key,
    application_page,
    applications_of,
    budget_summary,
    competing_applications,
    in_round_order,
    own_application_by_draft_key,
    own_applications,
    own_applications_in_round,
    requested_total,
    with_budget_totals,
)
from .assessment import Progress, progress_of, scores_of
from .decisions import (
    AwardCeiling,
    award_ceiling,
    awarded_total,
    pending_notifications,
    published_results,
)
from .figures import (
    HUNDRED,
    Figures,
    auto_conflicts,
    figures_in_order,
    figures_of,
    requested_in_order,
    requested_totals,
    round_figures,
    unopened_conflicts,
    weighted_total,
)
from .personal import assessment_data, personal_data
from .ranking import RANK_BY, RANKING_FIELDS, Ranked, Ranking, ranking
from .rounds import (
    assigned_rounds,
    open_rounds,
    past_rounds,
    public_rounds,
    round_page,
    rounds_change_at,
    upcoming_rounds,
)

__all__ = [
    "HUNDRED",
    "RANKING_FIELDS",
    "RANK_BY",
    "AwardCeiling",
    "Figures",
    "InRound",
    "Progress",
    "Ranked",
    "Ranking",
    "active_communities",
    "application_by_key",
    "application_page",
    "applications_of",
    "assessment_data",
    "assigned_rounds",
    "auto_conflicts",
    "award_ceiling",
    "awarded_total",
    "budget_summary",
    "competing_applications",
    "figures_in_order",
    "figures_of",
    "in_round_order",
    "open_rounds",
    "own_application_by_draft_key",
    "own_applications",
    "own_applications_in_round",
    "past_rounds",
    "pending_notifications",
    "personal_data",
    "progress_of",
    "public_rounds",
    "published_results",
    "ranking",
    "requested_in_order",
    "requested_total",
    "requested_totals",
    "round_figures",
    "round_page",
    "rounds_change_at",
    "scores_of",
    "unopened_conflicts",
    "upcoming_rounds",
    "weighted_total",
    "with_budget_totals",
]
