"""What the grant area remembers: an application's revisions (a snapshot as submitted and after
every later change or withdrawal) and the round's history of assessment, decisions and status
changes (HistoryEntry: who, when, before and after)."""

from ..models import Application, ApplicationRevision, HistoryEntry
from ..serializers import application_data


def record_revision(application: Application, kind: str, user) -> None:
    ApplicationRevision.objects.create(
        application=application,
        kind=kind,
        version=application.version,
        author=user if getattr(user, "is_authenticated", False) else None,
        snapshot=snapshot(application),
    )


def snapshot(application: Application) -> dict:
    """The application's content as it stands, for its revision (grants.serializers)."""
    return application_data(application)


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
