"""Fixtures of the admin decision tests: a deciding round, an assessed application, all decided.

Split by concern from test_applications.py, which said:
Decisions, publishing and re-notification through the admin (issue 4): bad input at its field
with everything typed kept, one history entry per real change, one mail per applicant however
often results are published, and after publication nobody is written to until re-notified.
"""

from decimal import Decimal

import pytest

from grants.models import Application, GrantRound
from tests.factories import UserFactory
from tests.factories.grants import closed_round, submitted_application, submitted_assessment
from tests.grants.admin.applications.helpers import decide, messages_of


@pytest.fixture
def grant_round(assessor):
    """Budget 5 000 €, at most 2 000 € a project; 3 000 € already awarded to others."""
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS,
        criteria=[(10, "1")],
        assessors=[assessor],
        total_budget=Decimal("5000.00"),
        max_grant=Decimal("2000.00"),
        reference_code="DK-2024",
        slug="lemumi",
    )
    for requested in ("2000.00", "1500.00"):
        other = submitted_application(grant_round, requested=Decimal(requested))
        submitted_assessment(other, assessor, (7,))
        other.decision = Application.Decision.SUPPORTED
        other.awarded_amount = Decimal("1500.00")
        other.save()
    return grant_round


@pytest.fixture
def application(grant_round, assessor):
    application = submitted_application(
        grant_round,
        title="Ezera svētki",
        requested=Decimal("2500.00"),
        applicant=UserFactory(username="pieteiceja", email="pieteiceja@example.lv"),
    )
    submitted_assessment(application, assessor, (8,))
    return application


@pytest.fixture
def decided(client, coordinator, grant_round, application):
    """Every application decided: the two others supported, this one not."""
    client.force_login(coordinator)
    response = decide(
        client, application, decision="not_supported", message="Paldies!", follow=True
    )
    assert messages_of(response) == ["Lēmums par pieteikumu DK-2024-003 saglabāts."]
    return grant_round
