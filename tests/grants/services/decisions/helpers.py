"""Constants and helpers of the decision service tests: deciding, publishing, the mails sent."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from grants.models import Application
from grants.services import DecisionInvalid, publish_results, record_decision

D = Decimal
NBSP = "\u00a0"
SUPPORTED = Application.Decision.SUPPORTED
RESERVE = Application.Decision.RESERVE
NOT_SUPPORTED = Application.Decision.NOT_SUPPORTED


def decide(application, actor, decision, amount=None, message=""):
    return record_decision(
        application=application,
        actor=actor,
        decision=decision,
        awarded_amount=amount,
        message=message,
    )


def refusal(application, actor, decision, amount=None, message=""):
    with pytest.raises(DecisionInvalid) as invalid:
        decide(application, actor, decision, amount, message)
    return invalid.value.errors


def stored(application):
    application.refresh_from_db()
    return (application.decision, application.awarded_amount, application.decision_message)


def publish(grant_round, actor, capture):
    with capture(execute=True):
        return publish_results(grant_round=grant_round, actor=actor)


def sent():
    return sorted(
        ((message.to, message.subject) for message in mail.outbox), key=lambda pair: pair[1]
    )


def url_of(application):
    return settings.SITE_URL + reverse(
        "grants:application_detail", kwargs={"key": application.reference}
    )


def results_url(grant_round):
    return settings.SITE_URL + reverse("grants:round_results", kwargs={"slug": grant_round.slug})
