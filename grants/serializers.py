"""An application as plain data (JSON-ready): the one serializer behind a revision's snapshot
(grants.services.history) and the applicant's "download my data" (grants.selectors.personal).

Both hold the same content in the same form. A snapshot lists target groups and model elements
by title, so two revisions compare by what was chosen; the export keeps them in the order the
applicant saw them and adds what the applicant is owed beyond the content: the round, the
files' types and upload times, the history, and the decision as they were told it.
"""

from datetime import date, datetime
from decimal import Decimal

from .models import Application, Attachment, BudgetLine


def application_data(application: Application, *, export: bool = False) -> dict:
    """The application's content (a snapshot), or with `export` the applicant's full record.
    Reads the application's community, lists and files (and for the export its round and
    revisions): prefetch them when serializing many."""
    groups = [group.title for group in application.target_groups.all()]
    elements = [element.title for element in application.model_elements.all()]
    data = {"round": application.round.title} if export else {}
    data |= {
        "community": application.community.name,
        "reference": application.reference,
        "status": application.status,
        **{name: getattr(application, name) for name in Application.TEXT_FIELDS},
        "starts_on": _iso(application.starts_on),
        "ends_on": _iso(application.ends_on),
        "expected_participants": application.expected_participants,
        "target_groups": groups if export else sorted(groups),
        "model_elements": elements if export else sorted(elements),
        "budget_lines": [_line(line) for line in application.budget_lines.all()],
        "attachments": [
            _attachment(attachment, export=export) for attachment in application.attachments.all()
        ],
    }
    if export:
        data |= {
            "history": [
                {"event": revision.kind, "at": _iso(revision.created_at)}
                for revision in application.revisions.all()
            ],
            "created_at": _iso(application.created_at),
            "submitted_at": _iso(application.submitted_at),
            # The decision as the applicant was told it, never a later internal change.
            **_notified_decision(application),
        }
    return data


def _iso(value: date | datetime | None) -> str | None:
    # As stored (UTC for a moment): the export has always carried these, unlike core.formats.iso.
    return value.isoformat() if value is not None else None


def _amount(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _line(line: BudgetLine) -> dict:
    return {
        name: getattr(line, name) if name in ("item", "category") else _amount(getattr(line, name))
        for name in BudgetLine.CONTENT_FIELDS
    }


def _attachment(attachment: Attachment, *, export: bool) -> dict:
    if not export:
        return {"name": attachment.original_name, "size": attachment.size}
    return {
        "name": attachment.original_name,
        "type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": _iso(attachment.uploaded_at),
    }


def _notified_decision(application: Application) -> dict:
    if application.notified_at is None:
        return {"decision": "", "awarded_amount": None, "decision_message": "", "notified_at": None}
    return {
        "decision": application.notified_decision,
        "awarded_amount": _amount(application.notified_amount),
        "decision_message": application.notified_message,
        "notified_at": _iso(application.notified_at),
    }
