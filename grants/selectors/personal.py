"""What the platform holds about one person in the grant area, for "download my data": their
applications and the assessments they gave."""

from django.db.models import Prefetch

from ..models import Application, ApplicationRevision, Assessment, Attachment, BudgetLine, Score


def personal_data(*, user) -> list[dict]:
    """Everything the platform holds about a person's applications, for "download my data"."""
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("round", "community")
        .prefetch_related(
            "target_groups",
            "model_elements",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "revisions", queryset=ApplicationRevision.objects.order_by("created_at", "pk")
            ),
        )
        .order_by("created_at")
    )
    return [
        {
            "round": application.round.title,
            "community": application.community.name,
            "reference": application.reference,
            "status": application.status,
            "title": application.title,
            "summary": application.summary,
            "needs": application.needs,
            "goals": application.goals,
            "activities": application.activities,
            "timeline": application.timeline,
            "partners": application.partners,
            "starts_on": application.starts_on.isoformat() if application.starts_on else None,
            "ends_on": application.ends_on.isoformat() if application.ends_on else None,
            "expected_participants": application.expected_participants,
            "target_groups": [group.title for group in application.target_groups.all()],
            "model_elements": [element.title for element in application.model_elements.all()],
            "budget_lines": [
                {
                    "item": line.item,
                    "category": line.category,
                    "quantity": str(line.quantity) if line.quantity is not None else None,
                    "unit_price": str(line.unit_price) if line.unit_price is not None else None,
                    "own_contribution": str(line.own_contribution),
                }
                for line in application.budget_lines.all()
            ],
            "attachments": [
                {
                    "name": attachment.original_name,
                    "type": attachment.content_type,
                    "size": attachment.size,
                    "uploaded_at": attachment.uploaded_at.isoformat(),
                }
                for attachment in application.attachments.all()
            ],
            "history": [
                {"event": revision.kind, "at": revision.created_at.isoformat()}
                for revision in application.revisions.all()
            ],
            "created_at": application.created_at.isoformat(),
            "submitted_at": (
                application.submitted_at.isoformat() if application.submitted_at else None
            ),
            # The decision as the applicant was told it, never a later internal change.
            **_notified_decision(application),
        }
        for application in applications
    ]


def _notified_decision(application: Application) -> dict:
    if application.notified_at is None:
        return {"decision": "", "awarded_amount": None, "decision_message": "", "notified_at": None}
    return {
        "decision": application.notified_decision,
        "awarded_amount": (
            str(application.notified_amount) if application.notified_amount is not None else None
        ),
        "decision_message": application.notified_message,
        "notified_at": application.notified_at.isoformat(),
    }


def assessment_data(*, user) -> list[dict]:
    """The assessments a person gave as an assessor, for "download my data"."""
    assessments = (
        Assessment.objects.filter(assessor=user)
        .select_related("application__round")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion_id"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "round": assessment.application.round.title,
            "application": assessment.application.reference,
            "conflict": assessment.conflict,
            "conflict_reason": assessment.conflict_reason,
            "status": assessment.status,
            "weighted_total": (
                str(assessment.weighted_total) if assessment.weighted_total is not None else None
            ),
            "submitted_at": (
                assessment.submitted_at.isoformat() if assessment.submitted_at else None
            ),
            "scores": [
                {
                    "criterion": score.criterion.title,
                    "points": score.points,
                    "comment": score.comment,
                }
                for score in assessment.scores.all()
            ],
        }
        for assessment in assessments
    ]
