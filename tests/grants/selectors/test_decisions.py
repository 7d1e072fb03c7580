"""What a round has awarded and how much more one application may get
(grants.selectors.decisions): the one computation behind record_decision's refusals, the
decision page's "may be awarded up to" and the round's budget check."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants import selectors, services
from grants.models import Application, GrantRound
from tests.factories.grants import closed_round, submitted_application

pytestmark = pytest.mark.django_db

D = Decimal
SUPPORTED = Application.Decision.SUPPORTED


def award(application, amount):
    services.record_decision(
        application=application,
        actor=None,
        decision=SUPPORTED,
        awarded_amount=amount,
        message="",
    )


@pytest.fixture
def grant_round():
    return closed_round(
        status=GrantRound.Status.DECISIONS, total_budget=D("3000.00"), max_grant=D("1500.00")
    )


@pytest.mark.parametrize(
    ("requested", "awarded_elsewhere", "ceiling"),
    [
        (D("800.00"), (), D("800.00")),  # what it asks for
        (D("2000.00"), (), D("1500.00")),  # the largest grant
        (D("1400.00"), (D("1000.00"), D("1000.00")), D("1000.00")),  # what is left
    ],
)
def test_the_ceiling_is_the_least_of_request_largest_grant_and_remaining_budget(
    grant_round, requested, awarded_elsewhere, ceiling
):
    application = submitted_application(grant_round, requested=requested)
    for amount in awarded_elsewhere:
        award(submitted_application(grant_round, requested=amount), amount)

    found = selectors.award_ceiling(application=application, grant_round=grant_round)

    assert (found.requested, found.max_grant, found.remaining, found.amount) == (
        requested,
        D("1500.00"),
        D("3000.00") - sum(awarded_elsewhere, D(0)),
        ceiling,
    )


def test_the_ceiling_leaves_out_the_applications_own_award_and_is_never_negative(grant_round):
    application = submitted_application(grant_round, requested=D("1000.00"))
    award(application, D("1000.00"))
    others = [submitted_application(grant_round, requested=D("1000.00")) for _ in range(2)]
    for other in others:
        award(other, D("1000.00"))
    GrantRound.objects.filter(pk=grant_round.pk).update(total_budget=D("1500.00"))
    grant_round.refresh_from_db()

    found = selectors.award_ceiling(application=application, grant_round=grant_round)

    assert (found.remaining, found.amount) == (D("-500.00"), D("0"))
    assert selectors.awarded_total(grant_round=grant_round) == D("3000.00")


def test_an_award_left_on_a_withdrawn_application_binds_neither_decisions_nor_the_budget(
    grant_round,
):
    withdrawn = submitted_application(grant_round, requested=D("1500.00"))
    award(withdrawn, D("1500.00"))
    services.withdraw_application(application=withdrawn, user=withdrawn.applicant, version=None)
    other = submitted_application(grant_round, requested=D("1500.00"))

    ceiling = selectors.award_ceiling(application=other, grant_round=grant_round)
    grant_round.total_budget = D("1500.00")
    grant_round.max_grant = D("1000.00")
    try:
        grant_round.full_clean()
        refused = {}
    except ValidationError as error:
        refused = error.message_dict

    assert (selectors.awarded_total(grant_round=grant_round), ceiling.amount, refused) == (
        D("0.00"),
        D("1500.00"),
        {},
    )
