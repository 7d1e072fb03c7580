"""Reads for decisions and their publication: what a round has awarded, who waits for a
re-notification, and the published results."""

from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ..models import Application, GrantRound
from .applications import ZERO, competing_applications


def awarded_total(*, grant_round: GrantRound, excluding: Application | None = None) -> Decimal:
    """The sum awarded to a round's supported applications (optionally leaving one out)."""
    supported = Application.objects.filter(
        round=grant_round, decision=Application.Decision.SUPPORTED, status__in=Application.COMPETING
    )
    if excluding is not None:
        supported = supported.exclude(pk=excluding.pk)
    return supported.aggregate(total=Coalesce(Sum("awarded_amount"), ZERO))["total"]


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
