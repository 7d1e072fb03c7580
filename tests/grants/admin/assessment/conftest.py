"""Fixtures of the admin assessment tests: two assessors, a coordinator, a round, an application.

Split by concern from test_assessment.py, which said:
The assessor's side of grant-round assessment in the admin (issue 4): "Mani vērtējumi", the
assess page with its conflict-of-interest step and scores, and who reaches what.
"""

import pytest

from tests.factories import CommunityFactory, staff
from tests.factories.grants import closed_round, submitted_application


@pytest.fixture
def assessor():
    return staff("Vērtētāji", username="vertetaja", first_name="Ilze", last_name="Vērtētāja")


@pytest.fixture
def other_assessor():
    return staff("Vērtētāji", username="cits", first_name="Pēteris", last_name="Otrais")


@pytest.fixture
def coordinator():
    return staff("Koordinatori", username="koordinatore")


@pytest.fixture
def grant_round(assessor, other_assessor):
    # Two criteria: 0–10 points with weight 1 and 0–5 points with weight 2.
    return closed_round(
        criteria=[(10, "1"), (5, "2")],
        assessors=[assessor, other_assessor],
        reference_code="DK-2025",
        title="Mazo iniciatīvu konkurss 2025",
    )


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return submitted_application(
        grant_round,
        title="Kopienas dārzs pie skolas",
        community=CommunityFactory(name="Preiļu kopiena"),
    )
