"""Coordinators deciding and publishing at the same moment, on PostgreSQL, in real threads with
their own connections (SQLite takes no row locks: see tests/conftest.py, the `postgres`
marker)."""

import time
from decimal import Decimal

import pytest
from django.core import mail

from grants import selectors, services
from grants.models import Application, GrantRound, HistoryEntry
from grants.selectors import decisions as decision_selectors
from grants.services import DecisionInvalid
from grants.services import decisions as decision_services
from tests.factories import UserFactory
from tests.factories.grants import closed_round, submitted_application
from tests.grants.services.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
NBSP = "\u00a0"


def slowed(monkeypatch, module, name, seconds=0.3):
    """Hold each thread a moment just after `name` has read, inside its transaction: without
    the locks, both threads would read the same state before either writes."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)


@pytest.fixture
def coordinators():
    return [UserFactory(username="koordinatore-1"), UserFactory(username="koordinators-2")]


def test_two_awards_that_exceed_the_budget_together(monkeypatch, coordinators):
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS,
        total_budget=D("1000.00"),
        max_grant=D("1000.00"),
    )
    first = submitted_application(grant_round, requested=D("600.00"))
    second = submitted_application(grant_round, requested=D("600.00"))
    slowed(monkeypatch, decision_selectors, "awarded_total")

    results = run_together(
        *(
            lambda application=application, actor=actor: services.record_decision(
                application=application,
                actor=actor,
                decision=Application.Decision.SUPPORTED,
                awarded_amount=D("600.00"),
                message="Apsveicam!",
            )
            for application, actor in zip((first, second), coordinators, strict=True)
        )
    )

    awarded = [result for result in results if isinstance(result, Application)]
    refused = [result for result in results if not isinstance(result, Application)]
    assert (len(awarded), [type(error) for error in refused]) == (1, [DecisionInvalid])
    # 1,000 − 600 = 400 € left for the second
    assert refused[0].errors == {
        "awarded_amount": [
            f"Konkursa budžetā atlikuši 400,00{NBSP}€: tik lielu summu piešķirt nevar."
        ]
    }
    assert list(
        Application.objects.filter(round=grant_round)
        .order_by("number")
        .values_list("pk", "decision", "awarded_amount")
    ) == [
        (
            application.pk,
            "supported" if application.pk == awarded[0].pk else "",
            D("600.00") if application.pk == awarded[0].pk else None,
        )
        for application in (first, second)
    ]
    assert selectors.awarded_total(grant_round=grant_round) == D("600.00")
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.DECISION).count() == 1


def test_two_awards_within_the_budget_both_pass(monkeypatch, coordinators):
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS, total_budget=D("1000.00"), max_grant=D("1000.00")
    )
    first = submitted_application(grant_round, requested=D("600.00"))
    second = submitted_application(grant_round, requested=D("600.00"))
    slowed(monkeypatch, decision_selectors, "awarded_total")

    results = run_together(
        *(
            lambda application=application, actor=actor, amount=amount: (
                services.record_decision(
                    application=application,
                    actor=actor,
                    decision=Application.Decision.SUPPORTED,
                    awarded_amount=amount,
                    message="",
                ).awarded_amount
            )
            for application, actor, amount in zip(
                (first, second), coordinators, (D("600.00"), D("400.00")), strict=True
            )
        )
    )

    assert sorted(results) == [D("400.00"), D("600.00")]
    assert selectors.awarded_total(grant_round=grant_round) == D("1000.00")


def test_two_coordinators_publishing_at_once_tell_each_applicant_once(
    monkeypatch, coordinators, mailoutbox
):
    grant_round = closed_round(status=GrantRound.Status.DECISIONS, reference_code="DK-2026")
    applicants = [
        UserFactory(username=name, email=f"{name}@example.lv") for name in ("janis", "liga")
    ]
    for applicant, decision, amount in zip(
        applicants,
        (Application.Decision.SUPPORTED, Application.Decision.NOT_SUPPORTED),
        (D("800.00"), None),
        strict=True,
    ):
        services.record_decision(
            application=submitted_application(grant_round, applicant=applicant),
            actor=coordinators[0],
            decision=decision,
            awarded_amount=amount,
            message="",
        )
    slowed(monkeypatch, decision_services, "_notify")

    results = run_together(
        *(
            lambda actor=actor: services.publish_results(grant_round=grant_round, actor=actor)
            for actor in coordinators
        )
    )

    assert sorted(results) == [0, 2]
    assert sorted((message.to, message.subject) for message in mail.outbox) == [
        (["janis@example.lv"], "Darbīgās kopienas: lēmums par pieteikumu DK-2026-001"),
        (["liga@example.lv"], "Darbīgās kopienas: lēmums par pieteikumu DK-2026-002"),
    ]
    assert list(
        HistoryEntry.objects.filter(round=grant_round)
        .exclude(action=HistoryEntry.Action.DECISION)
        .order_by("pk")
        .values_list("action", "application__reference")
    ) == [("published", None), ("notified", "DK-2026-001"), ("notified", "DK-2026-002")]
    assert GrantRound.objects.get(pk=grant_round.pk).status == GrantRound.Status.RESULTS
