"""What the grant area remembers: an application's revisions (a snapshot as submitted and after
every later change or withdrawal) and the round's history of assessment, decisions and status
changes (HistoryEntry: who, when, before and after)."""

from ..models import Application, ApplicationRevision, HistoryEntry


def record_revision(application: Application, kind: str, user) -> None:
    ApplicationRevision.objects.create(
        application=application,
        kind=kind,
        version=application.version,
        author=user if getattr(user, "is_authenticated", False) else None,
        snapshot=snapshot(application),
    )


def snapshot(application: Application) -> dict:
    return {
        "reference": application.reference,
        "status": application.status,
        "community": application.community.name,
        **{name: getattr(application, name) for name in Application.TEXT_FIELDS},
        "starts_on": application.starts_on.isoformat() if application.starts_on else None,
        "ends_on": application.ends_on.isoformat() if application.ends_on else None,
        "expected_participants": application.expected_participants,
        "target_groups": sorted(group.title for group in application.target_groups.all()),
        "model_elements": sorted(element.title for element in application.model_elements.all()),
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
            {"name": attachment.original_name, "size": attachment.size}
            for attachment in application.attachments.all()
        ],
    }


def record_history(
    action, *, actor, before, after, assessment=None, application=None, grant_round=None
):
    if assessment is not None:
        application = assessment.application
    if application is not None:
        grant_round = application.round
    HistoryEntry.objects.create(
        round=grant_round,
        application=application,
        assessment=assessment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        before=before,
        after=after,
    )
