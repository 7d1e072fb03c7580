"""Helpers shared by the assessment service tests."""

from decimal import Decimal

from grants.models import HistoryEntry, Score

D = Decimal


def saved_state(assessment):
    """Everything a refused save must leave untouched."""
    assessment.refresh_from_db()
    return (
        assessment.version,
        assessment.status,
        assessment.weighted_total,
        list(Score.objects.filter(assessment=assessment).values_list("points", "comment")),
        HistoryEntry.objects.filter(assessment=assessment).count(),
    )
