"""Reads for decisions and their publication: what a round has awarded and how much more one
application may get, who waits for a re-notification, and the published results."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from ..models import Application, GrantRound
from .applications import competing_applications, requested_total


def awarded_total(*, grant_round: GrantRound, excluding: Application | None = None) -> Decimal:
    """The sum awarded to a round's supported applications (optionally leaving one out)."""
    applications = Application.objects.filter(round=grant_round)
    if excluding is not None:
        applications = applications.exclude(pk=excluding.pk)
    return applications.awards()["total"]


@dataclass(frozen=True)
class AwardCeiling:
    """The most one application may be awarded: no more than it asks for, than the round's
    largest grant, or than is left of the round's budget after every other award."""

    requested: Decimal
    max_grant: Decimal
    remaining: Decimal  # the round's budget less what its other applications were awarded

    @property
    def amount(self) -> Decimal:
        return max(min(self.requested, self.max_grant, self.remaining), Decimal(0))


def award_ceiling(*, application: Application, grant_round: GrantRound) -> AwardCeiling:
    """The ceiling of `application`'s award in `grant_round` (its round, passed as the caller
    holds it: locked, when deciding). Two queries."""
    requested = requested_total(application=application)
    awarded_elsewhere = awarded_total(grant_round=grant_round, excluding=application)
    return AwardCeiling(
        requested=requested,
        max_grant=grant_round.max_grant,
        remaining=grant_round.total_budget - awarded_elsewhere,
    )


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
