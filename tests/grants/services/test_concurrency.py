"""Submissions racing each other on PostgreSQL, in real threads with their own connections.

SQLite takes no row locks (select_for_update does nothing there), so these run only on
PostgreSQL (the `postgres` marker, see tests/conftest.py).
"""

import threading
import time

import pytest
from django.db import connections

from grants import services
from grants.models import Application, GrantRound
from grants.services import applications as application_services
from tests.factories import CommunityFactory, TargetGroupFactory
from tests.factories.grants import GrantRoundFactory, activist, complete_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_checks(monkeypatch):
    """Hold each submission inside its transaction a moment, so the threads truly overlap."""
    check = application_services.submission_errors

    def slow(**kwargs):
        time.sleep(0.3)
        return check(**kwargs)

    monkeypatch.setattr(application_services, "submission_errors", slow)


def run_together(*calls) -> list:
    """Start every call at the same moment in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test compares what each thread met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def draft_of(grant_round, community, user):
    application = complete_application(round=grant_round, applicant=user, community=community)
    application.target_groups.add(TargetGroupFactory())
    return application


def test_two_submissions_of_one_draft_give_one_reference(slow_checks, mailoutbox):
    community = CommunityFactory()
    user = activist(community)
    grant_round = GrantRoundFactory(reference_code="DK-2026")
    application = draft_of(grant_round, community, user)

    results = run_together(
        lambda: services.submit_application(application=application, user=user).reference,
        lambda: services.submit_application(application=application, user=user).reference,
    )

    references = [result for result in results if isinstance(result, str)]
    refused = [type(result) for result in results if not isinstance(result, str)]
    assert (references, refused) == (["DK-2026-001"], [services.AlreadySubmitted])
    application.refresh_from_db()
    grant_round.refresh_from_db()
    assert (application.reference, application.revisions.count(), grant_round.last_number) == (
        "DK-2026-001",
        1,
        1,
    )
    assert len(mailoutbox) == 1


def test_first_submissions_in_one_round_get_consecutive_references(slow_checks):
    grant_round = GrantRoundFactory(reference_code="DK-2026")
    drafts = []
    for _ in range(3):
        community = CommunityFactory()
        drafts.append((draft_of(grant_round, community, user := activist(community)), user))

    results = run_together(
        *(
            lambda application=application, user=user: (
                services.submit_application(application=application, user=user).reference
            )
            for application, user in drafts
        )
    )

    assert sorted(results) == ["DK-2026-001", "DK-2026-002", "DK-2026-003"]
    assert sorted(
        Application.objects.filter(round=grant_round).values_list("number", flat=True)
    ) == [1, 2, 3]
    assert GrantRound.objects.get(pk=grant_round.pk).last_number == 3
