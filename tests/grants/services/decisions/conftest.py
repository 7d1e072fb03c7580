"""Fixtures of the decision service tests: a coordinator, a deciding round, three decisions.

Split by concern from test_decisions.py, which said:
Decisions, publication and re-notification (grants.services.decisions).
"""

import pytest

from grants.models import GrantRound
from tests.factories import UserFactory
from tests.factories.grants import closed_round, submitted_application
from tests.grants.services.decisions.helpers import NOT_SUPPORTED, RESERVE, SUPPORTED, D, decide


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinatore", first_name="Inese", last_name="Kalniņa")


@pytest.fixture
def grant_round():
    """Budget 3,500 €, at most 2,000 € per project, deciding."""
    return closed_round(
        status=GrantRound.Status.DECISIONS,
        total_budget=D("3500.00"),
        max_grant=D("2000.00"),
        reference_code="DK-2026",
        title="Mazo iniciatīvu konkurss 2026",
    )


@pytest.fixture
def decided(grant_round, coordinator):
    """Three decided applications: supported (1,500 €), reserve, not supported."""
    applicants = [
        UserFactory(username=name, email=f"{name}@example.lv")
        for name in ("janis", "liga", "andris")
    ]
    first, second, third = (
        submitted_application(grant_round, applicant=applicant, requested=D("1800.00"))
        for applicant in applicants
    )
    decide(first, coordinator, SUPPORTED, D("1500.00"), "Apsveicam! Līgumu sūtīsim nedēļas laikā.")
    decide(second, coordinator, RESERVE, None, "Jūs esat rezerves sarakstā.")
    decide(third, coordinator, NOT_SUPPORTED, None, "")
    return first, second, third
