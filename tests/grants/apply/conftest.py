"""Fixtures of the applying tests: a community, a round, a signed-in applicant, a submission.

Split by concern from test_apply.py, which said:
Applying: who may start, drafts, autosave, submission, changes and withdrawal.
"""

import pytest

from tests.factories import CommunityFactory, TargetGroupFactory
from tests.factories.grants import GrantRoundFactory, activist, complete_application
from tests.grants.helpers import complete_data


@pytest.fixture
def community():
    return CommunityFactory(name="Preiļu kopiena")


@pytest.fixture
def grant_round():
    return GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")


@pytest.fixture
def applicant(client, community):
    user = activist(community)
    client.force_login(user)
    return user


@pytest.fixture
def group():
    return TargetGroupFactory(title="Ģimenes ar bērniem")


@pytest.fixture
def submitted(client, applicant, grant_round, community, group):
    application = complete_application(round=grant_round, applicant=applicant, community=community)
    application.target_groups.add(group)
    line = application.budget_lines.get()
    client.post(
        f"/pieteikumi/{application.key}/labot/",
        complete_data(
            community=community,
            target_groups=[group],
            action="submit",
            lines=[{"id": line.pk, "item": "Stādi", "quantity": "10", "unit_price": "12,50"}],
        ),
        follow=True,  # and read the success message, so the tests see only their own
    )
    application.refresh_from_db()
    # Saved as a draft (version 2), then submitted (version 3).
    assert (application.reference, application.version) == ("DK-2026-001", 3)
    return application
