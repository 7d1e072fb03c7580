"""Reads of applications: a person's own, one by its key, one with everything its page shows,
the competing ones of a round, and their budget sums."""

from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from communities.models import Community, Membership

from ..models import ZERO, Application, ApplicationRevision, Attachment, BudgetLine, GrantRound


def with_budget_totals(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate each application with its budget total, own contribution and requested sum."""
    line_total = F("budget_lines__quantity") * F("budget_lines__unit_price")
    return applications.annotate(
        budget_total=Coalesce(
            Sum(line_total, output_field=DecimalField(max_digits=12, decimal_places=2)), ZERO
        ),
        own_total=Coalesce(Sum("budget_lines__own_contribution"), ZERO),
    ).annotate(requested_total=F("budget_total") - F("own_total"))


# What a card of /mans/ shows (templates/grants/includes/my_applications.html), the only
# columns read: an application, its round and community have dozens more (texts among them),
# and every one was built into Python and grouped by for the budget sums, card by card.
MY_CARD_FIELDS = (
    "title",
    "status",
    "reference",
    "draft_key",
    "notified_at",
    "notified_decision",
    "notified_amount",
    "round__title",
    "round__closes_at",
    "community__name",
)


def own_applications(*, user) -> QuerySet[Application]:
    """Every application the person made, drafts included, in no order."""
    return Application.objects.filter(applicant=user)


def applications_of(*, user) -> QuerySet[Application]:
    """A person's own applications for /mans/ (MY_CARD_FIELDS): newest round first, with the
    round."""
    return with_budget_totals(
        own_applications(user=user).select_related("round", "community").only(*MY_CARD_FIELDS)
    ).order_by("-round__closes_at", "-created_at")


def active_communities(*, user) -> QuerySet[Community]:
    """The communities a person may apply for: those where their membership is active."""
    return Community.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE
    ).order_by("sort_name", "pk")


def application_by_key(*, key: str) -> Application | None:
    """An application by its reference or, before submission, its draft key (no access check:
    callers go through grants.permissions). A reference always wins: a draft whose key was made
    to look like someone's reference never hides that application."""
    return (
        Application.objects.select_related("round", "community", "applicant")
        .filter(Q(reference=key) | Q(draft_key=key))
        .order_by(Case(When(reference=key, then=Value(0)), default=Value(1)), "pk")
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


def requested_total(*, application: Application) -> Decimal:
    return (
        with_budget_totals(Application.objects.filter(pk=application.pk))
        .values_list("requested_total", flat=True)
        .get()
    )


def competing_applications(*, grant_round: GrantRound) -> QuerySet[Application]:
    return Application.objects.filter(round=grant_round, status__in=Application.COMPETING)


class InRound(NamedTuple):
    """An application's place in its round: its number (0 for none), then its pk. Queries
    walked side by side (an export, a round's figures) all sort by it (in_round_order), so each
    can hand over the rows of the application at hand (core.streams.Grouped)."""

    number: int
    pk: int

    @classmethod
    def of(cls, number: int | None, pk: int) -> "InRound":
        return cls(number or 0, pk)

    @classmethod
    def of_row(cls, row: tuple) -> "InRound":
        """The place of a row that starts with the application's number and pk."""
        return cls(row[0] or 0, row[1])


def in_round_order(path: str = "") -> tuple:
    """ORDER BY for InRound, of the applications reached through `path` ("application__")."""
    return (Coalesce(f"{path}number", 0), f"{path}pk")
