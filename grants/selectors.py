"""Reads of the grant rounds and applications, with their visibility rules."""

import statistics
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from communities.models import Community, Membership

from .models import (
    Application,
    ApplicationRevision,
    Assessment,
    Attachment,
    BudgetLine,
    Criterion,
    GrantRound,
    Score,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def with_budget_totals(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate each application with its budget total, own contribution and requested sum."""
    line_total = F("budget_lines__quantity") * F("budget_lines__unit_price")
    return applications.annotate(
        budget_total=Coalesce(
            Sum(line_total, output_field=DecimalField(max_digits=12, decimal_places=2)), ZERO
        ),
        own_total=Coalesce(Sum("budget_lines__own_contribution"), ZERO),
    ).annotate(requested_total=F("budget_total") - F("own_total"))


def applications_of(*, user) -> QuerySet[Application]:
    """A person's own applications for /mans/: newest round first, with the round."""
    return with_budget_totals(
        Application.objects.filter(applicant=user).select_related("round", "community")
    ).order_by("-round__closes_at", "-created_at")


def personal_data(*, user) -> list[dict]:
    """Everything the platform holds about a person's applications, for "download my data"."""
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("round", "community")
        .prefetch_related(
            "target_groups",
            "model_elements",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "revisions", queryset=ApplicationRevision.objects.order_by("created_at", "pk")
            ),
        )
        .order_by("created_at")
    )
    return [
        {
            "round": application.round.title,
            "community": application.community.name,
            "reference": application.reference,
            "status": application.status,
            "title": application.title,
            "summary": application.summary,
            "needs": application.needs,
            "goals": application.goals,
            "activities": application.activities,
            "timeline": application.timeline,
            "partners": application.partners,
            "starts_on": application.starts_on.isoformat() if application.starts_on else None,
            "ends_on": application.ends_on.isoformat() if application.ends_on else None,
            "expected_participants": application.expected_participants,
            "target_groups": [group.title for group in application.target_groups.all()],
            "model_elements": [element.title for element in application.model_elements.all()],
            "budget_lines": [
                {
                    "item": line.item,
                    "category": line.category,
                    "quantity": str(line.quantity) if line.quantity is not None else None,
                    "unit_price": str(line.unit_price) if line.unit_price is not None else None,
                    "own_contribution": str(line.own_contribution),
                }
                for line in application.budget_lines.all()
            ],
            "attachments": [
                {
                    "name": attachment.original_name,
                    "type": attachment.content_type,
                    "size": attachment.size,
                    "uploaded_at": attachment.uploaded_at.isoformat(),
                }
                for attachment in application.attachments.all()
            ],
            "history": [
                {"event": revision.kind, "at": revision.created_at.isoformat()}
                for revision in application.revisions.all()
            ],
            "created_at": application.created_at.isoformat(),
            "submitted_at": (
                application.submitted_at.isoformat() if application.submitted_at else None
            ),
            # The decision as the applicant was told it, never a later internal change.
            **_notified_decision(application),
        }
        for application in applications
    ]


def _notified_decision(application: Application) -> dict:
    if application.notified_at is None:
        return {"decision": "", "awarded_amount": None, "decision_message": "", "notified_at": None}
    return {
        "decision": application.notified_decision,
        "awarded_amount": (
            str(application.notified_amount) if application.notified_amount is not None else None
        ),
        "decision_message": application.notified_message,
        "notified_at": application.notified_at.isoformat(),
    }


# --- Rounds ----------------------------------------------------------------------------------


def public_rounds() -> QuerySet[GrantRound]:
    """Rounds the public may see: every one a coordinator has announced (not a draft)."""
    return GrantRound.objects.exclude(status=GrantRound.Status.DRAFT)


def open_rounds(*, now: datetime) -> QuerySet[GrantRound]:
    return (
        public_rounds()
        .filter(status=GrantRound.Status.OPEN, opens_at__lte=now, closes_at__gte=now)
        .order_by("closes_at", "pk")
    )


def upcoming_rounds(*, now: datetime) -> QuerySet[GrantRound]:
    return (
        public_rounds()
        .filter(status=GrantRound.Status.OPEN, opens_at__gt=now)
        .order_by("opens_at", "pk")
    )


def past_rounds(*, now: datetime) -> QuerySet[GrantRound]:
    """Closed rounds, or ones a coordinator has moved on to assessment and beyond."""
    return (
        public_rounds()
        .filter(Q(closes_at__lt=now) | ~Q(status=GrantRound.Status.OPEN))
        .order_by("-closes_at", "-pk")
    )


def round_page(*, slug: str) -> GrantRound:
    """One public round with its criteria and target groups; DoesNotExist for drafts."""
    return (
        public_rounds()
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")),
            "target_groups",
        )
        .get(slug=slug)
    )


# --- Applications ----------------------------------------------------------------------------


def active_communities(*, user) -> QuerySet[Community]:
    """The communities a person may apply for: those where their membership is active."""
    return Community.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE
    ).order_by("sort_name", "pk")


def application_by_key(*, key: str) -> Application | None:
    """An application by its reference or, before submission, its draft key (no access check:
    callers go through grants.permissions)."""
    return (
        Application.objects.select_related("round", "community", "applicant")
        .filter(Q(reference=key) | Q(draft_key=key))
        .first()
    )


def own_application_by_draft_key(*, user, grant_round: GrantRound, key: str) -> Application | None:
    """The person's own application in this round made from the new form named `key`."""
    if not key:
        return None
    return (
        Application.objects.select_related("round", "community", "applicant")
        .filter(applicant=user, round=grant_round, draft_key=key)
        .first()
    )


def own_applications_in_round(*, user, grant_round: GrantRound) -> list[Application]:
    """A person's drafts and submitted applications in one round, oldest first: one query."""
    return list(
        Application.objects.filter(
            applicant=user,
            round=grant_round,
            status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED],
        )
        .select_related("community")
        .order_by("created_at", "pk")
    )


def application_page(*, application: Application) -> Application:
    """The application with everything its page shows, in a fixed number of queries."""
    return (
        Application.objects.select_related("round", "community", "applicant")
        .prefetch_related(
            "target_groups",
            "model_elements",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "revisions",
                queryset=ApplicationRevision.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .get(pk=application.pk)
    )


def budget_summary(lines) -> dict[str, Decimal]:
    lines = list(lines)
    total = sum((line.total for line in lines), Decimal(0))
    own = sum((line.own_contribution for line in lines), Decimal(0))
    return {"total": total, "own": own, "requested": total - own}


# --- Assessment figures ----------------------------------------------------------------------
#
# The one place where scores become figures: the admin, the exports, the ranking and the tests
# all call these, so a figure cannot differ between two screens.

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


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
    return _round2(earned / weights * HUNDRED)


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
        return _round2(sum(self.totals, Decimal(0)) / len(self.totals))

    @cached_property
    def median(self) -> Decimal | None:
        if not self.totals:
            return None
        return _round2(Decimal(statistics.median(self.totals)))

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


def competing_applications(*, grant_round: GrantRound) -> QuerySet[Application]:
    return Application.objects.filter(round=grant_round, status__in=Application.COMPETING)


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
    assessors = set(grant_round.assessors.values_list("pk", flat=True))
    conflicts = auto_conflicts(grant_round=grant_round, assessors=assessors)
    by_application: dict[int, list[_Mark]] = {}
    seen: set[tuple[int, int]] = set()
    rows = Assessment.objects.filter(
        application__round=grant_round, application__status__in=Application.COMPETING
    ).values_list(
        "application_id", "assessor_id", "status", "conflict", "auto_conflict", "weighted_total"
    )
    for application_pk, assessor_pk, status, conflict, auto_conflict, total in rows:
        key = (assessor_pk, application_pk)
        seen.add(key)
        # A conflict found since the assessment was saved excludes it too.
        auto_conflict = auto_conflict or conflicts.get(key, "")
        by_application.setdefault(application_pk, []).append(
            _Mark(assessor_pk, status, conflict, auto_conflict, total)
        )
    for (assessor_pk, application_pk), reason in conflicts.items():
        if (assessor_pk, application_pk) not in seen:
            # Never opened, but excluded all the same: a conflict, not a missing assessment.
            by_application.setdefault(application_pk, []).append(
                _Mark(assessor_pk, Assessment.Status.DRAFT, "", reason, None)
            )
    return {
        pk: figures_of(
            assessments=by_application.get(pk, []),
            assessors=assessors,
            threshold=grant_round.disagreement_threshold,
        )
        for pk in competing_applications(grant_round=grant_round).values_list("pk", flat=True)
    }


def requested_totals(*, grant_round: GrantRound) -> dict[int, Decimal]:
    """The sum each competing application of a round asks for (budget total less own
    contribution), by application pk: one query."""
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
        .values_list("application_id", "total", "own")
    )
    return {pk: _round2(Decimal(total) - Decimal(own)) for pk, total, own in sums}


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


def awarded_total(*, grant_round: GrantRound, excluding: Application | None = None) -> Decimal:
    """The sum awarded to a round's supported applications (optionally leaving one out)."""
    supported = Application.objects.filter(
        round=grant_round, decision=Application.Decision.SUPPORTED, status__in=Application.COMPETING
    )
    if excluding is not None:
        supported = supported.exclude(pk=excluding.pk)
    return supported.aggregate(total=Coalesce(Sum("awarded_amount"), ZERO))["total"]


def requested_total(*, application: Application) -> Decimal:
    return (
        with_budget_totals(Application.objects.filter(pk=application.pk))
        .values_list("requested_total", flat=True)
        .get()
    )


def assigned_rounds(*, user, now: datetime) -> QuerySet[GrantRound]:
    """The rounds an assessor may open: assigned to them and closed for applications."""
    return GrantRound.objects.filter(
        assessors=user,
        closes_at__lte=now,
        status__in=GrantRound.CLOSED,
    ).order_by("-closes_at", "pk")


@dataclass
class Progress:
    grant_round: GrantRound
    total: int
    done: int  # submitted, or closed by a conflict of interest


def progress_of(*, user, rounds: Iterable[GrantRound]) -> list[Progress]:
    """ "12 of 30 assessed" for each of an assessor's rounds. An application where the platform
    found a conflict of interest counts as done: the assessor has nothing to do there."""
    result = []
    for grant_round in rounds:
        conflicted = {
            application_pk
            for (assessor_pk, application_pk) in auto_conflicts(
                grant_round=grant_round, assessors=[user.pk]
            )
        }
        total = set(competing_applications(grant_round=grant_round).values_list("pk", flat=True))
        done = set(
            Assessment.objects.filter(assessor=user, application__in=total)
            .filter(
                Q(status=Assessment.Status.SUBMITTED)
                | Q(conflict=Assessment.Conflict.DECLARED)
                # A conflict found when the assessment was opened stays, as in round_figures.
                | ~Q(auto_conflict="")
            )
            .values_list("application_id", flat=True)
        )
        result.append(
            Progress(grant_round=grant_round, total=len(total), done=len(done | conflicted))
        )
    return result


def scores_of(*, assessment: Assessment) -> dict[int, Score]:
    """An assessment's scores by criterion pk."""
    return {score.criterion_id: score for score in assessment.scores.all()}


def pending_notifications(*, grant_round: GrantRound) -> QuerySet[Application]:
    """Applications told of a decision that has changed since: they wait for re-notification."""
    return (
        competing_applications(grant_round=grant_round)
        .filter(notified_at__isnull=False)
        .exclude(
            Q(decision=F("notified_decision"))
            & Q(decision_message=F("notified_message"))
            & (
                Q(awarded_amount=F("notified_amount"))
                | (Q(awarded_amount__isnull=True) & Q(notified_amount__isnull=True))
            )
        )
    )


def published_results(*, grant_round: GrantRound) -> QuerySet[Application]:
    """The supported ideas of a round as the applicants were told: /konkursi/<slug>/rezultati/."""
    return (
        Application.objects.filter(
            round=grant_round,
            notified_decision=Application.Decision.SUPPORTED,
            status__in=Application.COMPETING,
        )
        .select_related("community")
        .order_by("number")
    )


def assessment_data(*, user) -> list[dict]:
    """The assessments a person gave as an assessor, for "download my data"."""
    assessments = (
        Assessment.objects.filter(assessor=user)
        .select_related("application__round")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion_id"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "round": assessment.application.round.title,
            "application": assessment.application.reference,
            "conflict": assessment.conflict,
            "conflict_reason": assessment.conflict_reason,
            "status": assessment.status,
            "weighted_total": (
                str(assessment.weighted_total) if assessment.weighted_total is not None else None
            ),
            "submitted_at": (
                assessment.submitted_at.isoformat() if assessment.submitted_at else None
            ),
            "scores": [
                {
                    "criterion": score.criterion.title,
                    "points": score.points,
                    "comment": score.comment,
                }
                for score in assessment.scores.all()
            ],
        }
        for assessment in assessments
    ]
