"""Fixtures of the assessment service tests: an assessor, a round, an application, an assessment.

Split by concern from test_assessment.py, which said:
The assessor's writes (grants.services, "Assessment"): who may assess, conflicts of interest,
saving and submitting scores, stale forms, and the history each step leaves.
"""

import pytest

from grants.models import Assessment
from grants.services import declare_conflict, open_assessment
from tests.factories import UserFactory
from tests.factories.grants import closed_round, submitted_application


@pytest.fixture
def assessor():
    return UserFactory(username="vertetaja", first_name="Ilze", last_name="Ozola")


@pytest.fixture
def grant_round(assessor):
    # criterion 1: 10 points, weight 2; criterion 2: 5 points, weight 1; comments required
    return closed_round(criteria=[(10, 2), (5, 1)], assessors=[assessor])


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return submitted_application(grant_round)


@pytest.fixture
def assessment(application, assessor):
    """Opened, with "no conflict" declared: ready to score."""
    opened = open_assessment(application=application, assessor=assessor)
    return declare_conflict(
        assessment=opened,
        actor=assessor,
        conflict=Assessment.Conflict.NONE,
        reason="",
        version=opened.version,
    )
