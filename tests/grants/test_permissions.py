"""Who may see or change what (grants.permissions): the access functions the views and the
admin fetch applications and assessments through. Each test makes the data that could leak."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from grants import permissions
from grants.models import Application, Assessment
from tests.factories import UserFactory, staff
from tests.factories.grants import (
    ApplicationFactory,
    AssessmentFactory,
    closed_round,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "applicant": UserFactory(username="pieteicejs"),
        "other": UserFactory(username="cits"),
        "coordinator": staff("Koordinatori"),
        "assessor": staff("Vērtētāji"),
        "anonymous": AnonymousUser(),
    }


def outcome(check, *arguments) -> str:
    try:
        check(*arguments)
    except Http404:
        return "not found"
    except PermissionDenied:
        return "forbidden"
    return "ok"


def test_an_application_is_seen_by_its_applicant_and_submitted_by_staff(people):
    grant_round = closed_round(assessors=[people["assessor"]])
    draft = ApplicationFactory(round=grant_round, applicant=people["applicant"])
    submitted = submitted_application(grant_round, applicant=people["applicant"])

    seen = {
        (who, kind): outcome(permissions.access_application, user, application.key)
        for who, user in people.items()
        for kind, application in (("draft", draft), ("submitted", submitted))
    }

    assert seen == {
        ("applicant", "draft"): "ok",
        ("applicant", "submitted"): "ok",
        ("other", "draft"): "not found",
        ("other", "submitted"): "not found",
        ("coordinator", "draft"): "not found",
        ("coordinator", "submitted"): "ok",
        ("assessor", "draft"): "not found",
        ("assessor", "submitted"): "not found",
        ("anonymous", "draft"): "not found",
        ("anonymous", "submitted"): "not found",
    }
    assert outcome(permissions.access_application, people["applicant"], "DK-0000-000") == (
        "not found"
    )


def test_only_the_applicant_reaches_an_application_to_change_it(people):
    submitted = submitted_application(closed_round(), applicant=people["applicant"])

    reached = {
        who: outcome(permissions.access_own_application, user, submitted.key)
        for who, user in people.items()
    }

    assert reached == {
        "applicant": "ok",
        "other": "not found",
        "coordinator": "not found",
        "assessor": "not found",
        "anonymous": "not found",
    }


def test_an_assigned_assessor_opens_a_competing_application_and_nobody_else(people):
    grant_round = closed_round(assessors=[people["assessor"]])
    submitted = submitted_application(grant_round, applicant=people["applicant"])
    draft = ApplicationFactory(round=grant_round, applicant=people["applicant"])
    unassigned = submitted_application(closed_round(), applicant=people["applicant"])

    opened = {
        (who, kind): outcome(permissions.access_application_as_assessor, user, application.pk)
        for who, user in people.items()
        for kind, application in (
            ("submitted", submitted),
            ("draft", draft),
            ("other round", unassigned),
        )
    }

    assert {key for key, value in opened.items() if value == "ok"} == {("assessor", "submitted")}
    assert permissions.access_application_as_assessor(people["assessor"], submitted.pk).round == (
        grant_round
    )


def test_staff_lists_leave_out_drafts_and_other_assessors_work(people):
    grant_round = closed_round(criteria=[(10, 1)], assessors=[people["assessor"]])
    ApplicationFactory(round=grant_round, applicant=people["applicant"])
    submitted = submitted_application(grant_round, applicant=people["applicant"])
    own = AssessmentFactory(application=submitted, assessor=people["assessor"])
    AssessmentFactory(application=submitted, assessor=staff("Vērtētāji"))

    assert list(permissions.applications_for_staff(Application.objects.all())) == [submitted]
    assert list(
        permissions.assessments_for_staff(people["assessor"], Assessment.objects.all())
    ) == [own]
    assert (
        permissions.assessments_for_staff(people["coordinator"], Assessment.objects.all()).count()
        == 2
    )


def test_only_coordinators_decide(people):
    decides = {
        who: outcome(permissions.require_deciding, user)
        for who, user in people.items()
        if who != "anonymous"
    }

    assert decides == {
        "applicant": "forbidden",
        "other": "forbidden",
        "coordinator": "ok",
        "assessor": "forbidden",
    }
