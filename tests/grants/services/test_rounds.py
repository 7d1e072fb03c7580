"""A round's status changed by hand (grants.services.rounds.change_round_status): the way
through the statuses GrantRound.STATUS_CHANGES allows, nothing into assessment before the
deadline, and results only by publishing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import GrantRound
from grants.services import StatusChangeRefused, change_round_status
from tests.factories import UserFactory
from tests.grant_factories import GrantRoundFactory, closed_round

pytestmark = pytest.mark.django_db

Status = GrantRound.Status


def statuses(grant_round) -> tuple[str, str]:
    return grant_round.status, GrantRound.objects.get(pk=grant_round.pk).status


@pytest.mark.parametrize(
    ("was", "to"),
    [
        (Status.DRAFT, Status.OPEN),
        (Status.OPEN, Status.DRAFT),
        (Status.OPEN, Status.ASSESSMENT),
        (Status.ASSESSMENT, Status.DECISIONS),
        (Status.DECISIONS, Status.ASSESSMENT),
    ],
)
def test_a_round_moves_one_allowed_step(was, to):
    grant_round = closed_round(status=was)

    changed = change_round_status(grant_round=grant_round, status=to, actor=UserFactory())

    assert statuses(changed) == (to, to)


@pytest.mark.parametrize(
    ("was", "to", "message"),
    [
        (
            Status.ASSESSMENT,
            Status.OPEN,
            "Statusu „Vērtēšana” var mainīt tikai uz: „Lēmumu pieņemšana”.",
        ),
        (
            Status.DRAFT,
            Status.ASSESSMENT,
            "Statusu „Sagatavošanā” var mainīt tikai uz: „Izsludināts”.",
        ),
        (
            Status.OPEN,
            Status.DECISIONS,
            "Statusu „Izsludināts” var mainīt tikai uz: „Sagatavošanā”, „Vērtēšana”.",
        ),
        (
            Status.DECISIONS,
            Status.RESULTS,
            "Rezultātus publicē reitinga lapā ar pogu „Publicēt rezultātus”.",
        ),
        (
            Status.RESULTS,
            Status.DECISIONS,
            "Rezultāti jau ir publicēti: konkursa statusu vairs mainīt nevar.",
        ),
    ],
)
def test_other_changes_are_refused_and_change_nothing(was, to, message):
    grant_round = closed_round(status=was)

    with pytest.raises(StatusChangeRefused) as refused:
        change_round_status(grant_round=grant_round, status=to, actor=UserFactory())

    assert (refused.value.message, statuses(grant_round)) == (message, (was, was))


def test_assessment_does_not_begin_before_the_deadline():
    grant_round = GrantRoundFactory(closes_at=timezone.now() + timedelta(hours=1))

    with pytest.raises(StatusChangeRefused) as refused:
        change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=None)

    assert refused.value.message == "Vērtēšanu var sākt tikai pēc pieteikšanās beigām."
    assert statuses(grant_round) == (Status.OPEN, Status.OPEN)


def test_the_same_status_again_changes_nothing():
    grant_round = closed_round(status=Status.DECISIONS)
    updated_at = grant_round.updated_at

    same = change_round_status(grant_round=grant_round, status=Status.DECISIONS, actor=None)

    assert (same.status, same.updated_at) == (Status.DECISIONS, updated_at)
