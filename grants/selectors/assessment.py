"""Reads for assessors: their progress through each assigned round and an assessment's
scores."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from ..models import Assessment, GrantRound, Score
from .applications import competing_applications
from .figures import auto_conflicts


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
