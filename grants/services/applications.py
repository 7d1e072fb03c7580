"""An applicant's writes: drafts, submission, changes after submission and withdrawal, and
what an account's deletion leaves of them.

Saving and submitting are separate steps on purpose: every POST first keeps whatever was typed
validly (`save_draft`), and only then is the draft checked in full and submitted
(`submit_application`). A submitted application changes only as a whole that passes the full
check (`update_submitted`), each time leaving a revision behind.

Locks: the application row first, then (on a first submission only) the round row whose
`last_number` hands out the reference. Both are taken in that order everywhere, so two requests
cannot deadlock, and the round's counter is raised in the very transaction that commits the
submission: a refused or rolled-back submission leaves no gap.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core import mail

from ..models import (
    DRAFT_KEY_SHAPE,
    Application,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    GrantRound,
)
from .attachments import (
    delete_attachments,
    delete_files,
    delete_stored,
    limit_message,
    store_uploads,
)
from .history import record_revision
from .validation import (
    LINES,
    check_deadline,
    check_deadline_for_change,
    submission_errors,
    too_many_lines_message,
)


class AlreadySubmitted(Exception):
    """The application left draft while this request was on its way (a double click)."""


class DraftKeyTaken(Exception):
    """A new application's form named a draft key that is already in use."""


class VersionConflict(Exception):
    """The form was opened before someone else's change of a submitted application."""


class SubmissionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors
        self.result: SaveResult | None = None  # what a refused change kept (update_submitted)


@dataclass
class LineChange:
    """One row of the budget table as typed: `prefix` names its form, `id` its saved line.
    `keep` leaves the saved line as it was (a row whose cells did not validate)."""

    prefix: str
    id: int | None
    delete: bool
    values: dict | None  # None for an empty row
    keep: bool = False


@dataclass
class SaveResult:
    application: Application
    line_ids: dict[str, int | None] = field(default_factory=dict)
    line_errors: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    stored_files: list[str] = field(default_factory=list)


# --- Drafts ----------------------------------------------------------------------------------


def save_draft(
    *,
    application: Application | None,
    applicant,
    grant_round: GrantRound,
    changes: dict,
    relations: dict,
    lines: list[LineChange],
    uploads_: list,
    remove_attachments: list[int],
    draft_key: str | None = None,
) -> SaveResult:
    """Keep everything valid of a draft; `application` None starts a new one, under
    `draft_key` when the form named one (DraftKeyTaken if that key is in use).

    Files are checked one by one and every acceptable one is stored, whatever else fails, so a
    validation error elsewhere never makes the applicant choose them again.
    """
    if draft_key and not DRAFT_KEY_SHAPE.match(draft_key):
        raise ValueError("A draft key is issued by the server (grants.forms.draft_token).")
    stored: list[str] = []
    try:
        with transaction.atomic():
            if application is None:
                application = Application(round=grant_round, applicant=applicant)
                if draft_key:
                    application.draft_key = draft_key
                _apply_fields(application, changes)
                try:
                    with transaction.atomic():
                        application.save()
                except IntegrityError:
                    raise DraftKeyTaken from None
            else:
                application = _locked(application)
                if application.status != Application.Status.DRAFT:
                    raise AlreadySubmitted
                _apply_fields(application, changes)
                application.version += 1
                application.save()
            return _apply_relations_lines_files(
                application, relations, lines, uploads_, remove_attachments, stored
            )
    except Exception:
        delete_stored(stored)
        raise


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("round").get(pk=application.pk)


def _apply_fields(application: Application, changes: dict) -> None:
    for name in Application.CONTENT_FIELDS:
        if name in changes:
            value = changes[name]
            # An emptied text is stored empty; an emptied date, number or choice as null.
            setattr(application, name, "" if value is None and name in TEXTS else value)


TEXTS = set(Application.TEXT_FIELDS)


def _apply_relations_lines_files(
    application, relations, lines, uploads_, remove_attachments, stored: list[str], created=None
) -> SaveResult:
    result = SaveResult(application=application, stored_files=stored)
    for name, values in relations.items():
        getattr(application, name).set(values)
    result.line_ids, result.line_errors = _save_lines(application, lines)
    delete_attachments(application, remove_attachments)
    result.file_errors = store_uploads(application, uploads_, stored, created)
    return result


def _save_lines(
    application: Application, lines: list[LineChange] | None
) -> tuple[dict[str, int | None], list[str]]:
    """Make the application's budget the set of lines the table sent, matched by id: a saved
    line the table no longer names is removed, so sending the same form twice (a double click,
    a resent request) leaves one set of lines, never two. `lines` None (no table was sent)
    leaves the budget alone. A set of more than BudgetLine.MAX_PER_APPLICATION lines changes
    nothing and returns the reason."""
    if lines is None:
        return {}, []
    existing = {line.pk: line for line in application.budget_lines.all()}
    wanted = sum(
        1
        for change in lines
        if (change.keep and change.id in existing)
        or (not change.keep and not change.delete and change.values is not None)
    )
    if wanted > BudgetLine.MAX_PER_APPLICATION:
        return {}, [too_many_lines_message(wanted)]
    ids: dict[str, int | None] = {}
    kept: set[int] = set()
    for order, change in enumerate(lines):
        line = existing.get(change.id) if change.id else None
        if line is not None and line.pk in kept:
            line = None  # the same id sent twice: the second row is a line of its own
        if change.keep:
            if line is not None:
                kept.add(line.pk)
            ids[change.prefix] = line.pk if line is not None else None
            continue
        if change.delete or change.values is None:
            # Ticking "remove", or emptying every cell of a saved line, removes it.
            ids[change.prefix] = None
            continue
        if line is None:
            line = BudgetLine(application=application)
        values = dict(change.values)
        if values.get("own_contribution") is None:
            values["own_contribution"] = Decimal(0)
        for name in BudgetLine.CONTENT_FIELDS:
            setattr(line, name, values.get(name) if name != "item" else values.get(name) or "")
        line.order = order
        line.save()
        kept.add(line.pk)
        ids[change.prefix] = line.pk
    BudgetLine.objects.filter(pk__in=set(existing) - kept).delete()
    return ids, []


# --- Submission, changes, withdrawal ---------------------------------------------------------


def submit_application(*, application: Application, user) -> Application:
    """Submit a saved draft: full validation, deadline to the second, reference under a lock.

    Raises AlreadySubmitted (a second click: nothing happens, no second mail), DeadlinePassed
    or SubmissionInvalid; the draft stays saved in every case.
    """
    language = translation.get_language()
    with transaction.atomic():
        application = _locked(application)
        if application.status != Application.Status.DRAFT:
            raise AlreadySubmitted
        now = timezone.now()
        check_deadline(application.round, now)
        errors = submission_errors(application=application)
        if errors:
            raise SubmissionInvalid(errors)
        grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
        grant_round.last_number += 1
        GrantRound.objects.filter(pk=grant_round.pk).update(last_number=grant_round.last_number)
        application.number = grant_round.last_number
        application.reference = f"{grant_round.reference_code}-{grant_round.last_number:03d}"
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        application.version += 1
        application.save()
        record_revision(application, ApplicationRevision.Kind.SUBMITTED, user)
        _send_confirmation(application_pk=application.pk, language=language)
    return application


def update_submitted(
    *,
    application: Application,
    user,
    version: int | None,
    changes: dict,
    relations: dict,
    lines: list[LineChange],
    uploads_: list,
    remove_attachments: list[int],
    typed_errors: bool = False,
) -> SaveResult:
    """Change a submitted application before the deadline: all of its content passes, or none.

    Valid uploads are the exception: a refused change (SubmissionInvalid, or `typed_errors`
    when the form itself did not validate) still attaches every acceptable file to the
    submitted application, as its own revision, so the applicant never chooses them again.
    The refusal's `result` then holds the application as it now stands (its new version, when
    files were kept) and its `errors` include the files that were refused.
    """
    stored: list[str] = []
    refused: SubmissionInvalid | None = None
    try:
        with transaction.atomic():
            locked = _locked(application)
            if locked.status != Application.Status.SUBMITTED:
                raise AlreadySubmitted
            if version != locked.version:
                raise VersionConflict
            check_deadline_for_change(locked.round)
            attempt: list[Attachment] = []
            try:
                with transaction.atomic():  # a savepoint: the change as a whole
                    if typed_errors:
                        raise SubmissionInvalid({})
                    _apply_fields(locked, changes)
                    locked.version += 1
                    locked.save()
                    result = _apply_relations_lines_files(
                        locked, relations, lines, uploads_, remove_attachments, stored, attempt
                    )
                    errors = submission_errors(application=locked)
                    if result.line_errors:
                        errors.setdefault(LINES, []).extend(result.line_errors)
                    if result.file_errors:
                        errors.setdefault("files", []).extend(result.file_errors)
                    if errors:
                        raise SubmissionInvalid(errors)
                    record_revision(locked, ApplicationRevision.Kind.CHANGED, user)
            except SubmissionInvalid as invalid:
                refused = invalid
                locked = _locked(application)
                kept: list[str] = []
                result = _keep_uploads(locked, user, attempt, uploads_, kept)
                stored[:] = kept
                if result.file_errors:
                    refused.errors.setdefault("files", []).extend(result.file_errors)
                refused.result = result
    except Exception:
        delete_stored(stored)
        raise
    if refused is not None:
        raise refused
    return result


def _keep_uploads(
    application: Application, user, attempt: list[Attachment], uploads_: list, stored: list[str]
) -> SaveResult:
    """After a refused change: attach the acceptable files of that request to the application
    as it stands, within the file limit, and record the addition in its history.

    `attempt` holds the attachments the refused change stored: their rows went with its
    savepoint, their files are still there and are reused as they are. Without an attempt (the
    form itself did not validate) the uploads are checked and stored here.
    """
    result = SaveResult(application=application, stored_files=stored)
    if attempt:
        count = application.attachments.count()
        limit = settings.ATTACHMENT_MAX_FILES
        for attachment in attempt:
            if count >= limit:
                # Room was counted with the removals the refused change asked for.
                delete_stored([attachment.file.name])
                result.file_errors.append(limit_message(attachment.original_name, limit))
                continue
            attachment.pk = None
            attachment._state.adding = True
            attachment.application = application
            attachment.save()
            stored.append(attachment.file.name)
            count += 1
    elif uploads_:
        result.file_errors = store_uploads(application, uploads_, stored)
    if stored:
        application.version += 1
        application.save(update_fields=["version", "updated_at"])
        record_revision(application, ApplicationRevision.Kind.CHANGED, user)
    return result


def withdraw_application(*, application: Application, user, version: int | None) -> Application:
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != Application.Status.SUBMITTED:
            raise AlreadySubmitted
        if version is not None and version != locked.version:
            raise VersionConflict
        locked.status = Application.Status.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.version += 1
        locked.save()
        record_revision(locked, ApplicationRevision.Kind.WITHDRAWN, user)
    return locked


def _send_confirmation(*, application_pk: int, language: str | None) -> None:
    application = (
        Application.objects.select_related("round", "community", "applicant")
        .prefetch_related("budget_lines")
        .get(pk=application_pk)
    )
    if application.applicant is None or not application.applicant.email:
        return
    lines = list(application.budget_lines.all())
    context = {
        "application": application,
        "requested": sum((line.requested for line in lines), Decimal(0)),
        "total": sum((line.total for line in lines), Decimal(0)),
        "url": mail.absolute(application.get_absolute_url()),
    }
    mail.queue(
        "grants/mail/submitted",
        to=application.applicant.email,
        context=context,
        language=language,
        cause=f"application:{application.pk}:submitted",
    )


# --- Accounts --------------------------------------------------------------------------------


def forget_applicant(*, user) -> None:
    """On account deletion: drafts go with their files; submitted applications stay for the
    round's records with the applicant removed (DESIGN §4, issue 3)."""
    with transaction.atomic():
        drafts = Application.objects.filter(applicant=user, status=Application.Status.DRAFT)
        files = [
            (attachment.file.storage, attachment.file.name)
            for attachment in Attachment.objects.filter(application__in=drafts)
        ]
        drafts.delete()
        Application.objects.filter(applicant=user).update(applicant=None)
        transaction.on_commit(lambda: delete_files(files))
