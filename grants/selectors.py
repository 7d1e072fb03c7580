"""Reads of the grant rounds and applications, with their visibility rules."""

from datetime import datetime
from decimal import Decimal

from django.db.models import DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from communities.models import Community, Membership

from .models import (
    Application,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    Criterion,
    GrantRound,
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
            "decision": application.decision if _decision_public(application.round) else "",
        }
        for application in applications
    ]


def _decision_public(grant_round: GrantRound) -> bool:
    return grant_round.status == GrantRound.Status.RESULTS


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
