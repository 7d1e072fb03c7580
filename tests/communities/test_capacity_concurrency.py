"""Leaders who open a round at the same moment, and a person whose answers arrive several times
at once (a double click on a slow line): real threads against PostgreSQL, each with its own
connection, so the row locks and the unique constraint are what keep one round and one answer
per dimension. They are marked `postgres`: elsewhere tests/conftest.py skips them, except in
CI, where that is a failure."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from communities import capacity
from communities.models import AssessmentRound, CapacityAnswer, Membership
from tests.communities.capacity_support import TODAY, in_community, levels
from tests.events.test_concurrency import _at_once

AT_ONCE = 8


@pytest.mark.postgres
def test_leaders_opening_rounds_at_once_make_one(transactional_db, community, dimensions):
    leaders = [in_community(community, Membership.Role.LEADER) for _ in range(AT_ONCE)]

    errors = _at_once(
        lambda leader: capacity.open_round(
            community=community,
            opened_by=leader,
            title="Novērtējums",
            opens_on=TODAY,
            closes_on=date(2026, 3, 31),
            today=TODAY,
        ),
        leaders,
    )

    assert AssessmentRound.objects.filter(community=community).count() == 1
    assert sorted(errors) == [
        repr(
            ValidationError(
                "Kopienai jau ir atvērta novērtēšanas kārta. Jaunu var atvērt, kad tā beigsies."
            )
        )
    ] * (AT_ONCE - 1)


@pytest.mark.postgres
def test_the_same_answers_sent_at_once_leave_one_per_dimension(
    transactional_db, round_, activist, dimensions
):
    errors = _at_once(
        lambda level: capacity.submit_answers(
            round_=round_,
            person=activist,
            answers=levels(dimensions, *[level] * 8),
            final=True,
            today=TODAY,
        ),
        [1 + n % 4 for n in range(AT_ONCE)],
    )

    answers = CapacityAnswer.objects.filter(round=round_, person=activist)
    assert errors == []
    assert answers.count() == 8
    # Whichever came last, all eight are from one and the same sending.
    assert len(set(answers.values_list("level", flat=True))) == 1
