"""record_decision: bad input, the budget, and the history of decisions."""

from decimal import Decimal

import pytest

from grants import selectors, services
from grants.models import Application, GrantRound, HistoryEntry
from tests.factories import UserFactory
from tests.factories.grants import submitted_application
from tests.grants.services.decisions.helpers import (
    NBSP,
    NOT_SUPPORTED,
    RESERVE,
    SUPPORTED,
    D,
    decide,
    refusal,
    stored,
)

pytestmark = pytest.mark.django_db


# --- record_decision: bad input ---------------------------------------------------------------


def test_award_above_the_request(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("1000.00"))
    assert refusal(application, coordinator, SUPPORTED, D("1000.01")) == {
        "awarded_amount": [f"Piešķirtā summa nedrīkst pārsniegt prasīto (1{NBSP}000,00{NBSP}€)."]
    }
    assert stored(application) == ("", None, "")
    assert HistoryEntry.objects.count() == 0


def test_award_above_the_maximum_grant(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("2500.00"))
    assert refusal(application, coordinator, SUPPORTED, D("2000.01")) == {
        "awarded_amount": [
            f"Piešķirtā summa nedrīkst pārsniegt lielāko atbalstu (2{NBSP}000,00{NBSP}€)."
        ]
    }
    assert stored(application) == ("", None, "")


def test_award_above_the_remaining_budget(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))

    # 3,500 − 2,000 = 1,500 € left
    assert refusal(second, coordinator, SUPPORTED, D("1500.01")) == {
        "awarded_amount": [
            f"Konkursa budžetā atlikuši 1{NBSP}500,00{NBSP}€: tik lielu summu piešķirt nevar."
        ]
    }
    assert stored(second) == ("", None, "")
    # Exactly what is left is fine; then nothing is left.
    decide(second, coordinator, SUPPORTED, D("1500.00"))
    third = submitted_application(grant_round, requested=D("100.00"))
    assert refusal(third, coordinator, SUPPORTED, D("0.01")) == {
        "awarded_amount": [
            f"Konkursa budžetā atlikuši 0,00{NBSP}€: tik lielu summu piešķirt nevar."
        ]
    }
    assert selectors.awarded_total(grant_round=grant_round) == D("3500.00")


def test_changing_an_award_does_not_count_it_twice(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))
    decide(second, coordinator, SUPPORTED, D("1500.00"))

    # 3,500 − 1,500 (the other award) = 2,000 € available to `first` itself
    decide(first, coordinator, SUPPORTED, D("1900.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))

    assert selectors.awarded_total(grant_round=grant_round) == D("3500.00")


def test_awards_of_withdrawn_or_unsupported_applications_free_the_budget(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))
    decide(first, coordinator, NOT_SUPPORTED)

    decide(second, coordinator, SUPPORTED, D("2000.00"))

    assert selectors.awarded_total(grant_round=grant_round) == D("2000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("0"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (D("0.00"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (D("-100.00"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (None, "Norādiet piešķirto summu."),
    ],
)
def test_award_must_be_positive(grant_round, coordinator, amount, message):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, SUPPORTED, amount) == {"awarded_amount": [message]}
    assert stored(application) == ("", None, "")


def test_decision_must_be_one_of_the_choices(grant_round, coordinator):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, "maybe", D("100.00")) == {
        "decision": ["Izvēlieties lēmumu no saraksta."]
    }


def test_message_over_4000_characters(grant_round, coordinator):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, RESERVE, None, "ā" * 4001) == {
        "decision_message": ["Ziņa nedrīkst būt garāka par 4000 rakstzīmēm."]
    }


@pytest.mark.parametrize("decision", [RESERVE, NOT_SUPPORTED, ""])
def test_other_decisions_clear_the_amount(grant_round, coordinator, decision):
    application = submitted_application(grant_round)
    decide(application, coordinator, SUPPORTED, D("800.00"), "Apsveicam!")

    decide(application, coordinator, decision, D("800.00"), " Paldies. ")

    assert stored(application) == (decision, None, "Paldies.")
    assert selectors.awarded_total(grant_round=grant_round) == D(0)


@pytest.mark.parametrize(
    "status", [GrantRound.Status.DRAFT, GrantRound.Status.OPEN, GrantRound.Status.ASSESSMENT]
)
def test_no_decisions_before_the_decision_stage(grant_round, coordinator, status):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, RESERVE) == {
        "__all__": ["Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā."]
    }
    assert stored(application) == ("", None, "")


def test_no_decision_for_a_withdrawn_application(grant_round, coordinator):
    application = submitted_application(grant_round)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    assert refusal(application, coordinator, SUPPORTED, D("100.00")) == {
        "__all__": ["Šis pieteikums konkursā nepiedalās."]
    }
    assert stored(application) == ("", None, "")


def test_decision_history_before_and_after(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("1200.00"))
    other = UserFactory(username="otra-koordinatore")

    decide(application, coordinator, SUPPORTED, D("1000"), "Apsveicam!")
    decide(application, coordinator, SUPPORTED, D("1000.00"), "Apsveicam!")  # unchanged
    decide(application, other, RESERVE, None, "Rezervē.")

    history = [
        (entry.action, entry.actor, entry.application_id, entry.round_id, entry.before, entry.after)
        for entry in HistoryEntry.objects.order_by("pk")
    ]
    none = {"decision": "", "awarded_amount": None, "decision_message": ""}
    supported = {
        "decision": "supported",
        "awarded_amount": "1000.00",
        "decision_message": "Apsveicam!",
    }
    reserve = {"decision": "reserve", "awarded_amount": None, "decision_message": "Rezervē."}
    assert history == [
        ("decision", coordinator, application.pk, grant_round.pk, none, supported),
        ("decision", other, application.pk, grant_round.pk, supported, reserve),
    ]


# --- Found in review ----------------------------------------------------------------------------


def test_the_budget_cannot_shrink_below_what_is_awarded():
    from django.core.exceptions import ValidationError

    from grants.models import GrantRound as Round
    from tests.factories.grants import closed_round, submitted_application

    grant_round = closed_round(
        criteria=[(10, 1)],
        status=Round.Status.DECISIONS,
        total_budget=Decimal("3000.00"),
        max_grant=Decimal("1500.00"),
    )
    services.record_decision(
        application=submitted_application(grant_round, requested=Decimal("1500.00")),
        actor=None,
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1500.00"),
        message="",
    )
    services.record_decision(
        application=submitted_application(grant_round, requested=Decimal("1000.00")),
        actor=None,
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1000.00"),
        message="",
    )
    grant_round.total_budget = Decimal("2000.00")
    grant_round.max_grant = Decimal("1200.00")

    with pytest.raises(ValidationError) as refused:
        grant_round.full_clean()

    assert refused.value.message_dict == {
        "total_budget": ["Jau piešķirti 2\xa0500,00\xa0€: budžets nevar būt mazāks."],
        "max_grant": [
            "Vienam projektam jau piešķirti 1\xa0500,00\xa0€: lielākais atbalsts nevar būt mazāks."
        ],
    }
