"""An application as data (grants.serializers): the snapshot a revision keeps and the record
"download my data" gives the applicant, each in its exact shape, from one serializer."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import selectors, services
from grants.models import Application
from tests.factories import CommunityFactory, ModelElementFactory, TargetGroupFactory
from tests.factories.grants import (
    COMPLETE_FIELDS,
    ApplicationFactory,
    ApplicationRevisionFactory,
    AttachmentFactory,
    BudgetLineFactory,
    GrantRoundFactory,
    verified_user,
)

pytestmark = pytest.mark.django_db

TEXTS = {name: COMPLETE_FIELDS[name] for name in Application.TEXT_FIELDS}


@pytest.fixture
def application():
    """A decided application with lists whose order by title differs from their own order."""
    applicant = verified_user(email="anna@example.lv")
    application = ApplicationFactory(
        applicant=applicant,
        round=GrantRoundFactory(title="Konkurss 2026"),
        community=CommunityFactory(name="Preiļu darbīgā kopiena"),
        reference="DK-2026-001",
        number=1,
        status=Application.Status.DECIDED,
        submitted_at=timezone.now(),
        notified_at=timezone.now(),
        notified_decision=Application.Decision.SUPPORTED,
        notified_amount=Decimal("900.00"),
        notified_message="Apsveicam!",
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("950.00"),  # changed since, not yet told
        **{**COMPLETE_FIELDS, "expected_participants": 40},
    )
    application.target_groups.add(
        TargetGroupFactory(title="Vīrieši 35+", order=1),
        TargetGroupFactory(title="Jaunieši", order=2),
    )
    application.model_elements.add(ModelElementFactory(title="Līderība", order=1))
    BudgetLineFactory(
        application=application,
        item="Stādi",
        quantity=Decimal("10.00"),
        unit_price=Decimal("12.50"),
        own_contribution=Decimal("5.00"),
        order=0,
    )
    BudgetLineFactory(application=application, item="Pusdienas", quantity=None, order=1)
    AttachmentFactory(application=application, original_name="tāme.pdf")
    ApplicationRevisionFactory(application=application, kind="submitted")
    return application


LINES = [
    {
        "item": "Stādi",
        "category": "materials",
        "quantity": "10.00",
        "unit_price": "12.50",
        "own_contribution": "5.00",
    },
    {
        "item": "Pusdienas",
        "category": "materials",
        "quantity": None,
        "unit_price": "12.50",
        "own_contribution": "0.00",
    },
]


def test_a_snapshot_holds_the_content_with_lists_by_title(application):
    application = Application.objects.get(pk=application.pk)

    assert services.snapshot(application) == {
        "reference": "DK-2026-001",
        "status": "decided",
        "community": "Preiļu darbīgā kopiena",
        **TEXTS,
        "starts_on": "2027-02-01",
        "ends_on": "2027-06-01",
        "expected_participants": 40,
        "target_groups": ["Jaunieši", "Vīrieši 35+"],
        "model_elements": ["Līderība"],
        "budget_lines": LINES,
        "attachments": [{"name": "tāme.pdf", "size": application.attachments.get().size}],
    }


def test_the_export_holds_the_same_content_and_the_decision_as_told(application):
    [exported] = selectors.personal_data(user=application.applicant)

    attachment = application.attachments.get()
    revision = application.revisions.get()
    application.refresh_from_db()
    assert list(exported) == [
        "round",
        "community",
        "reference",
        "status",
        *Application.TEXT_FIELDS,
        "starts_on",
        "ends_on",
        "expected_participants",
        "target_groups",
        "model_elements",
        "budget_lines",
        "attachments",
        "history",
        "created_at",
        "submitted_at",
        "decision",
        "awarded_amount",
        "decision_message",
        "notified_at",
    ]
    assert exported == {
        "round": "Konkurss 2026",
        "community": "Preiļu darbīgā kopiena",
        "reference": "DK-2026-001",
        "status": "decided",
        **TEXTS,
        "starts_on": "2027-02-01",
        "ends_on": "2027-06-01",
        "expected_participants": 40,
        "target_groups": ["Vīrieši 35+", "Jaunieši"],
        "model_elements": ["Līderība"],
        "budget_lines": LINES,
        "attachments": [
            {
                "name": "tāme.pdf",
                "type": "application/pdf",
                "size": attachment.size,
                "uploaded_at": attachment.uploaded_at.isoformat(),
            }
        ],
        "history": [{"event": "submitted", "at": revision.created_at.isoformat()}],
        "created_at": application.created_at.isoformat(),
        "submitted_at": application.submitted_at.isoformat(),
        "decision": "supported",
        "awarded_amount": "900.00",
        "decision_message": "Apsveicam!",
        "notified_at": application.notified_at.isoformat(),
    }
    assert json.loads(json.dumps(exported)) == exported


def test_the_export_of_a_draft_has_no_decision_and_empty_dates():
    draft = ApplicationFactory(applicant=verified_user(), title="Melnraksts")

    [exported] = selectors.personal_data(user=draft.applicant)

    assert {
        key: exported[key]
        for key in (
            "reference",
            "starts_on",
            "ends_on",
            "expected_participants",
            "submitted_at",
            "decision",
            "awarded_amount",
            "decision_message",
            "notified_at",
            "budget_lines",
            "attachments",
            "history",
        )
    } == {
        "reference": None,
        "starts_on": None,
        "ends_on": None,
        "expected_participants": None,
        "submitted_at": None,
        "decision": "",
        "awarded_amount": None,
        "decision_message": "",
        "notified_at": None,
        "budget_lines": [],
        "attachments": [],
        "history": [],
    }
