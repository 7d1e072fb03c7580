"""What the platform holds about one person in the grant area, for "download my data": their
applications and the assessments they gave."""

from django.db.models import Prefetch

from ..models import Application, ApplicationRevision, Assessment, Attachment, BudgetLine, Score
from ..serializers import application_data


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
    return [application_data(application, export=True) for application in applications]


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
