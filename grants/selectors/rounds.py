"""Reads of grant rounds: what the public sees (open, upcoming, past, one round's page) and the
rounds an assessor is assigned to."""

from datetime import datetime

from django.db.models import Min, Prefetch, Q, QuerySet

from ..models import Criterion, GrantRound


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


def rounds_change_at(*, now: datetime) -> datetime | None:
    """The next moment a public round opens or closes: the round lists read differently from
    then on (core.pagecache.changes_at). One aggregate over the few rounds ahead."""
    ahead = public_rounds().filter(status=GrantRound.Status.OPEN, closes_at__gte=now)
    moments = ahead.aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


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


def assigned_rounds(*, user, now: datetime) -> QuerySet[GrantRound]:
    """The rounds an assessor may open: assigned to them and closed for applications."""
    return GrantRound.objects.filter(
        assessors=user,
        closes_at__lte=now,
        status__in=GrantRound.CLOSED,
    ).order_by("-closes_at", "pk")
