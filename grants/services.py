"""Every write to grant rounds and applications (DESIGN §3).

Saving and submitting are separate steps on purpose: every POST first keeps whatever was typed
validly (`save_draft`), and only then is the draft checked in full and submitted
(`submit_application`). A submitted application changes only as a whole that passes the full
check (`update_submitted`), each time leaving a revision behind.

Locks: the application row first, then (on a first submission only) the round row whose
`last_number` hands out the reference. Both are taken in that order everywhere, so two requests
cannot deadlock, and the round's counter is raised in the very transaction that commits the
submission: a refused or rolled-back submission leaves no gap.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Membership
from core import mail
from core.formats import CENT, latvian_date, money, riga

from . import selectors, uploads
from .models import (
    Application,
    ApplicationRevision,
    Assessment,
    Attachment,
    BudgetLine,
    Criterion,
    GrantRound,
    HistoryEntry,
    Score,
)

logger = logging.getLogger(__name__)

CONTENT_FIELDS = [
    "community",
    "title",
    "summary",
    "needs",
    "goals",
    "activities",
    "timeline",
    "partners",
    "starts_on",
    "ends_on",
    "expected_participants",
]
REQUIRED_FIELDS = ["title", "summary", "needs", "goals", "activities", "timeline"]
NON_FIELD = "__all__"
LINES = "lines"


class AlreadySubmitted(Exception):
    """The application left draft while this request was on its way (a double click)."""


class DraftKeyTaken(Exception):
    """A new application's form named a draft key that is already in use."""


class VersionConflict(Exception):
    """The form was opened before someone else's change of a submitted application."""


class DeadlinePassed(Exception):
    pass


class SubmissionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors
        self.result: SaveResult | None = None  # what a refused change kept (update_submitted)


@dataclass
class LineChange:
    """One row of the budget table as typed: `prefix` names its form, `id` its saved line."""

    prefix: str
    id: int | None
    delete: bool
    values: dict | None  # None for an empty row


@dataclass
class SaveResult:
    application: Application
    line_ids: dict[str, int | None] = field(default_factory=dict)
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
        _delete_stored(stored)
        raise


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("round").get(pk=application.pk)


def _apply_fields(application: Application, changes: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(application, name, "" if value is None and name not in _NULLABLE else value)


_NULLABLE = {"starts_on", "ends_on", "expected_participants", "community"}


def _apply_relations_lines_files(
    application, relations, lines, uploads_, remove_attachments, stored: list[str], created=None
) -> SaveResult:
    result = SaveResult(application=application, stored_files=stored)
    for name, values in relations.items():
        getattr(application, name).set(values)
    result.line_ids = _save_lines(application, lines)
    _remove_attachments(application, remove_attachments)
    result.file_errors = _store_uploads(application, uploads_, stored, created)
    return result


def _delete_stored(names: list[str]) -> None:
    """Files stored by a transaction that rolled back belong to no row: remove them."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _save_lines(application: Application, lines: list[LineChange]) -> dict[str, int | None]:
    existing = {line.pk: line for line in application.budget_lines.all()}
    ids: dict[str, int | None] = {}
    for order, change in enumerate(lines):
        line = existing.get(change.id) if change.id else None
        if change.delete or change.values is None:
            # Ticking "remove", or emptying every cell of a saved line, removes it.
            if line is not None:
                existing.pop(line.pk)
                line.delete()
            ids[change.prefix] = None
            continue
        if line is None:
            line = BudgetLine(application=application)
        values = dict(change.values)
        if values.get("own_contribution") is None:
            values["own_contribution"] = Decimal(0)
        for name in ("item", "category", "quantity", "unit_price", "own_contribution"):
            setattr(line, name, values.get(name) if name != "item" else values.get(name) or "")
        line.order = order
        line.save()
        existing[line.pk] = line
        ids[change.prefix] = line.pk
    return ids


def _remove_attachments(application: Application, pks: list[int]) -> None:
    if not pks:
        return
    doomed = list(application.attachments.filter(pk__in=pks))
    files = [(attachment.file.storage, attachment.file.name) for attachment in doomed]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in doomed]).delete()
    transaction.on_commit(lambda: _delete_files(files))


def _store_uploads(
    application: Application, uploads_: list, stored: list[str], created: list | None = None
) -> list[str]:
    """Check and store each upload; `created` collects the new rows, should a caller need them
    after a rollback."""
    errors: list[str] = []
    count = application.attachments.count()
    limit = settings.ATTACHMENT_MAX_FILES
    for upload in uploads_:
        name = uploads.display_name(upload)
        if count >= limit:
            errors.append(_limit_message(name, limit))
            continue
        try:
            kind = uploads.check_attachment(upload)
            content = uploads.storable(upload, kind)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        attachment = Attachment(
            application=application, original_name=name, content_type=kind, size=content.size
        )
        attachment.file.save(uploads.storage_name(kind), content, save=False)
        stored.append(attachment.file.name)
        attachment.save()
        if created is not None:
            created.append(attachment)
        count += 1
    return errors


def _limit_message(name: str, limit: int) -> str:
    return _(
        "Datne „%(name)s” netika pievienota: pieteikumam var būt ne vairāk kā %(limit)s pielikumu."
    ) % {"name": name, "limit": limit}


def _delete_files(paths: list[tuple[object, str]]) -> None:
    for storage, name in paths:
        storage.delete(name)


# --- Full validation -------------------------------------------------------------------------


def submission_errors(*, application: Application) -> dict[str, list[str]]:
    """What stands between this application and submission, in Latvian, keyed by field."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    grant_round = application.round
    for name in REQUIRED_FIELDS:
        if not (getattr(application, name) or "").strip():
            add(name, _("Aizpildiet šo lauku, lai pieteikumu varētu iesniegt."))
    if not application.expected_participants:
        add("expected_participants", _("Norādiet plānoto dalībnieku skaitu."))
    if application.pk and not application.target_groups.exists():
        add("target_groups", _("Izvēlieties vismaz vienu mērķgrupu."))
    starts, ends = application.starts_on, application.ends_on
    if starts is None:
        add("starts_on", _("Norādiet īstenošanas sākuma datumu."))
    elif starts < grant_round.implementation_starts:
        add(
            "starts_on",
            _("Īstenošanas sākums nevar būt agrāks par konkursā noteikto: %(date)s.")
            % {"date": latvian_date(grant_round.implementation_starts)},
        )
    if ends is None:
        add("ends_on", _("Norādiet īstenošanas beigu datumu."))
    elif ends > grant_round.implementation_ends:
        add(
            "ends_on",
            _("Īstenošanas beigas nevar būt vēlākas par konkursā noteiktajām: %(date)s.")
            % {"date": latvian_date(grant_round.implementation_ends)},
        )
    if starts and ends and ends < starts:
        add("ends_on", _("Beigu datums nevar būt agrāks par sākuma datumu."))
    if (
        application.applicant_id
        and not Membership.objects.filter(
            user_id=application.applicant_id,
            community_id=application.community_id,
            status=Membership.Status.ACTIVE,
        ).exists()
    ):
        add("community", _("Pieteikties var tikai kopienas vārdā, kuras aktīvs dalībnieks esat."))

    lines = list(application.budget_lines.all()) if application.pk else []
    if not lines:
        add(LINES, _("Pievienojiet vismaz vienu budžeta pozīciju."))
    for number, line in enumerate(lines, start=1):
        if not line.item.strip() or line.quantity is None or line.unit_price is None:
            add(
                LINES,
                _("%(number)s. pozīcijai norādiet nosaukumu, daudzumu un vienības cenu.")
                % {"number": number},
            )
        elif line.quantity <= 0:
            add(
                LINES,
                _("%(number)s. pozīcijas daudzumam jābūt lielākam par 0.") % {"number": number},
            )
        if line.own_contribution < 0:
            add(
                LINES,
                _("%(number)s. pozīcijas līdzfinansējums nevar būt negatīvs.") % {"number": number},
            )
        elif line.own_contribution > line.total:
            add(
                LINES,
                _("%(number)s. pozīcijas līdzfinansējums nevar pārsniegt tās kopsummu %(total)s.")
                % {"number": number, "total": money(line.total)},
            )
    requested = sum((line.requested for line in lines), Decimal(0))
    if lines and requested <= 0:
        add(LINES, _("Prasītajai summai jābūt lielākai par 0 €."))
    elif requested > grant_round.max_grant:
        add(
            LINES,
            _("Prasītā summa %(requested)s pārsniedz lielāko pieļaujamo atbalstu %(max)s.")
            % {"requested": money(requested), "max": money(grant_round.max_grant)},
        )
    return errors


def _check_deadline(grant_round: GrantRound, now: datetime) -> None:
    if now > grant_round.closes_at:
        raise DeadlinePassed
    if grant_round.status != GrantRound.Status.OPEN or now < grant_round.opens_at:
        raise DeadlinePassed


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
        _check_deadline(application.round, now)
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
        _record(application, ApplicationRevision.Kind.SUBMITTED, user)
        mail.after_commit(_send_confirmation, application_pk=application.pk, language=language)
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
            _check_deadline_for_change(locked.round)
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
                    if result.file_errors:
                        errors.setdefault("files", []).extend(result.file_errors)
                    if errors:
                        raise SubmissionInvalid(errors)
                    _record(locked, ApplicationRevision.Kind.CHANGED, user)
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
        _delete_stored(stored)
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
                _delete_stored([attachment.file.name])
                result.file_errors.append(_limit_message(attachment.original_name, limit))
                continue
            attachment.pk = None
            attachment._state.adding = True
            attachment.application = application
            attachment.save()
            stored.append(attachment.file.name)
            count += 1
    elif uploads_:
        result.file_errors = _store_uploads(application, uploads_, stored)
    if stored:
        application.version += 1
        application.save(update_fields=["version", "updated_at"])
        _record(application, ApplicationRevision.Kind.CHANGED, user)
    return result


def _check_deadline_for_change(grant_round: GrantRound) -> None:
    if timezone.now() > grant_round.closes_at:
        raise DeadlinePassed


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
        _record(locked, ApplicationRevision.Kind.WITHDRAWN, user)
    return locked


def _record(application: Application, kind: str, user) -> None:
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
        **{
            name: getattr(application, name)
            for name in ("title", "summary", "needs", "goals", "activities", "timeline", "partners")
        },
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
    mail.send(
        "grants/mail/submitted", to=application.applicant.email, context=context, language=language
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
        transaction.on_commit(lambda: _delete_files(files))


# --- Assessment ------------------------------------------------------------------------------
#
# An assessor first declares whether they have a conflict of interest, then scores every
# criterion and submits. The platform marks a conflict by itself (the assessor applied, or
# belongs to the applicant's community); such an assessment is excluded from the figures and
# cannot be scored. A submitted assessment is final: only then does its author see the others'.
# Saves carry the version the form was opened with, so a stale form is refused, not applied.


class AssessmentRefused(Exception):
    """The assessment cannot be changed: not assigned, round not in assessment, a conflict, or
    already submitted. `message` says why, in the interface language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleAssessment(Exception):
    """The form was opened before the assessment's last save (another tab or a resent form)."""


class AssessmentInvalid(Exception):
    """Field errors, keyed `conflict`, `conflict_reason`, `points_<criterion pk>`,
    `comment_<criterion pk>` or NON_FIELD."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def may_assess(*, user, grant_round: GrantRound, now: datetime | None = None) -> bool:
    """Scores can be given while the round is in assessment, after its deadline, by its
    assigned assessors only."""
    now = now or timezone.now()
    return (
        grant_round.status == GrantRound.Status.ASSESSMENT
        and grant_round.closes_at <= now
        and grant_round.assessors.filter(pk=user.pk).exists()
    )


def open_assessment(*, application: Application, assessor) -> Assessment:
    """The assessor's assessment of an application, made on first opening, with the platform's
    own conflict check brought up to date (recorded in the history, by nobody: the platform)."""
    if not may_assess(user=assessor, grant_round=application.round):
        raise AssessmentRefused(_("Šo pieteikumu pašlaik nevar vērtēt."))
    if application.status not in Application.COMPETING:
        raise AssessmentRefused(_("Šis pieteikums konkursā nepiedalās."))
    reason = selectors.auto_conflicts(grant_round=application.round, assessors=[assessor.pk]).get(
        (assessor.pk, application.pk), ""
    )
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            application=application, assessor=assessor, defaults={"auto_conflict": reason}
        )
        if created and reason:
            _history(
                HistoryEntry.Action.CONFLICT,
                actor=None,
                assessment=assessment,
                before={},
                after={"auto_conflict": reason},
            )
        elif reason and not assessment.auto_conflict:
            # A conflict found later is added; one found once is never cleared (leaving the
            # community after opening the application does not make the assessor impartial).
            assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
            assessment.auto_conflict = reason
            assessment.save(update_fields=["auto_conflict", "updated_at"])
            _history(
                HistoryEntry.Action.CONFLICT,
                actor=None,
                assessment=assessment,
                before={"auto_conflict": ""},
                after={"auto_conflict": reason},
            )
    return assessment


def _locked_assessment(assessment: Assessment, *, actor, version: int | None) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("application__round")
        .get(pk=assessment.pk)
    )
    if assessment.assessor_id != actor.pk:
        raise AssessmentRefused(_("Šis nav jūsu vērtējums."))
    if not may_assess(user=actor, grant_round=assessment.application.round):
        raise AssessmentRefused(_("Konkursa vērtēšana ir slēgta."))
    if assessment.status == Assessment.Status.SUBMITTED:
        raise AssessmentRefused(_("Vērtējums jau ir iesniegts, un to vairs nevar mainīt."))
    if version is not None and version != assessment.version:
        raise StaleAssessment
    return assessment


def declare_conflict(
    *, assessment: Assessment, actor, conflict: str, reason: str, version: int | None
) -> Assessment:
    """Record the assessor's declaration. A declared conflict closes the assessment: it is
    excluded from the figures and cannot be scored."""
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if conflict not in (Assessment.Conflict.NONE, Assessment.Conflict.DECLARED):
        errors["conflict"] = [_("Norādiet, vai jums ir interešu konflikts.")]
    elif conflict == Assessment.Conflict.DECLARED and not reason:
        errors["conflict_reason"] = [_("Īsi aprakstiet interešu konfliktu.")]
    if len(reason) > 2000:
        errors["conflict_reason"] = [_("Apraksts nedrīkst būt garāks par 2000 rakstzīmēm.")]
    if errors:
        raise AssessmentInvalid(errors)
    with transaction.atomic():
        assessment = _locked_assessment(assessment, actor=actor, version=version)
        if assessment.conflict == Assessment.Conflict.DECLARED:
            # Final, like a submission: an assessor cannot step back in after seeing that
            # declaring would take them out.
            raise AssessmentRefused(
                _("Interešu konflikts jau ir deklarēts, tāpēc šo pieteikumu jūs nevērtējat.")
            )
        before = {"conflict": assessment.conflict, "reason": assessment.conflict_reason}
        assessment.conflict = conflict
        assessment.conflict_reason = reason if conflict == Assessment.Conflict.DECLARED else ""
        assessment.version += 1
        assessment.save()
        _history(
            HistoryEntry.Action.CONFLICT,
            actor=actor,
            assessment=assessment,
            before=before,
            after={"conflict": assessment.conflict, "reason": assessment.conflict_reason},
        )
    return assessment


def _points_value(raw) -> int | str | None:
    """The points as typed: an int, None when empty, or the error message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (ArithmeticError, ValueError):
        return _("Ievadiet veselu skaitli.")
    if not value.is_finite() or value != value.to_integral_value():
        return _("Ievadiet veselu skaitli.")
    return int(value)


def save_scores(
    *,
    assessment: Assessment,
    actor,
    values: dict[int, tuple[object, str]],
    version: int | None,
    submit: bool = False,
) -> Assessment:
    """Save points and comments ({criterion pk: (points as typed, comment)}); with `submit`,
    check that everything is there and submit, storing the weighted total.

    Out-of-range points are refused even in a draft (nothing is saved then); missing points and
    comments are refused only on submission. Raises AssessmentInvalid, StaleAssessment or
    AssessmentRefused."""
    with transaction.atomic():
        assessment = _locked_assessment(assessment, actor=actor, version=version)
        if assessment.auto_conflict:
            raise AssessmentRefused(
                _(
                    "Platforma konstatēja interešu konfliktu (%(reason)s), tāpēc šo pieteikumu "
                    "jūs nevērtējat."
                )
                % {"reason": assessment.get_auto_conflict_display()}
            )
        if assessment.conflict != Assessment.Conflict.NONE:
            raise AssessmentRefused(
                _("Vispirms norādiet, vai jums ir interešu konflikts.")
                if assessment.conflict == Assessment.Conflict.UNDECLARED
                else _("Jūs deklarējāt interešu konfliktu, tāpēc šo pieteikumu nevērtējat.")
            )
        criteria = list(Criterion.objects.filter(round=assessment.application.round_id))
        if submit and not criteria:
            raise AssessmentRefused(
                _("Konkursam nav vērtēšanas kritēriju: vērtējumu nevar iesniegt.")
            )
        existing = {score.criterion_id: score for score in assessment.scores.all()}
        errors: dict[str, list[str]] = {}
        cleaned: dict[int, tuple[int | None, str]] = {}
        for criterion in criteria:
            raw_points, raw_comment = values.get(criterion.pk, (None, ""))
            comment = (raw_comment or "").strip()
            points = _points_value(raw_points)
            if isinstance(points, str):
                errors[f"points_{criterion.pk}"] = [points]
            elif points is not None and not 0 <= points <= criterion.max_points:
                errors[f"points_{criterion.pk}"] = [
                    _("Punktiem jābūt no 0 līdz %(max)s.") % {"max": criterion.max_points}
                ]
            elif submit and points is None:
                errors[f"points_{criterion.pk}"] = [_("Novērtējiet šo kritēriju.")]
            if len(comment) > 4000:
                errors[f"comment_{criterion.pk}"] = [
                    _("Komentārs nedrīkst būt garāks par 4000 rakstzīmēm.")
                ]
            elif submit and criterion.comment_required and not comment:
                errors[f"comment_{criterion.pk}"] = [_("Pamatojiet vērtējumu komentārā.")]
            cleaned[criterion.pk] = (points if not isinstance(points, str) else None, comment)
        if errors:
            raise AssessmentInvalid(errors)
        before = {str(pk): [score.points, score.comment] for pk, score in sorted(existing.items())}
        for criterion in criteria:
            points, comment = cleaned[criterion.pk]
            score = existing.get(criterion.pk)
            if score is None:
                if points is None and not comment:
                    continue
                existing[criterion.pk] = Score.objects.create(
                    assessment=assessment, criterion=criterion, points=points, comment=comment
                )
            elif (score.points, score.comment) != (points, comment):
                score.points, score.comment = points, comment
                score.save(update_fields=["points", "comment"])
        after = {str(pk): [score.points, score.comment] for pk, score in sorted(existing.items())}
        assessment.version += 1
        if submit:
            assessment.status = Assessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
            assessment.weighted_total = selectors.weighted_total(
                criteria=criteria, points={pk: cleaned[pk][0] for pk in cleaned}
            )
        assessment.save()
        if before != after:
            _history(
                HistoryEntry.Action.SCORES,
                actor=actor,
                assessment=assessment,
                before=before,
                after=after,
            )
        if submit:
            _history(
                HistoryEntry.Action.SUBMITTED,
                actor=actor,
                assessment=assessment,
                before={"status": Assessment.Status.DRAFT},
                after={
                    "status": Assessment.Status.SUBMITTED,
                    "weighted_total": str(assessment.weighted_total),
                },
            )
    return assessment


def _history(action, *, actor, before, after, assessment=None, application=None, grant_round=None):
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


# --- Decisions and results -------------------------------------------------------------------
#
# Locks: the application rows first (by pk), then the round row, as everywhere in this module.
# Every award is checked against the round's budget with the round row locked, so two
# coordinators saving at once cannot award more than the budget between them.


class DecisionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _decision_state(application: Application) -> dict:
    return {
        "decision": application.decision,
        "awarded_amount": (
            str(application.awarded_amount) if application.awarded_amount is not None else None
        ),
        "decision_message": application.decision_message,
    }


def record_decision(
    *,
    application: Application,
    actor,
    decision: str,
    awarded_amount: Decimal | None,
    message: str,
) -> Application:
    """Record (or change, or clear with "") a decision. Internal until results are published;
    after publication the applicant is told only by an explicit re-notification."""
    message = (message or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in ("", *Application.Decision.values):
        errors["decision"] = [_("Izvēlieties lēmumu no saraksta.")]
    if decision != Application.Decision.SUPPORTED:
        awarded_amount = None
    elif awarded_amount is None:
        errors["awarded_amount"] = [_("Norādiet piešķirto summu.")]
    elif awarded_amount <= 0:
        errors["awarded_amount"] = [_("Piešķirtajai summai jābūt lielākai par 0 €.")]
    else:
        # In cents, as stored: 1000 and 1000.00 are one amount, so re-saving an unchanged
        # decision leaves no history entry and history shows what the database holds.
        awarded_amount = Decimal(awarded_amount).quantize(CENT)
    if len(message) > 4000:
        errors["decision_message"] = [_("Ziņa nedrīkst būt garāka par 4000 rakstzīmēm.")]
    if errors:
        raise DecisionInvalid(errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
        application.round = grant_round
        if grant_round.status not in GrantRound.DECIDING:
            raise DecisionInvalid(
                {NON_FIELD: [_("Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā.")]}
            )
        if application.status not in Application.COMPETING:
            raise DecisionInvalid({NON_FIELD: [_("Šis pieteikums konkursā nepiedalās.")]})
        if awarded_amount is not None:
            requested = selectors.requested_total(application=application)
            remaining = grant_round.total_budget - selectors.awarded_total(
                grant_round=grant_round, excluding=application
            )
            if awarded_amount > requested:
                errors["awarded_amount"] = [
                    _("Piešķirtā summa nedrīkst pārsniegt prasīto (%(requested)s).")
                    % {"requested": money(requested)}
                ]
            elif awarded_amount > grant_round.max_grant:
                errors["awarded_amount"] = [
                    _("Piešķirtā summa nedrīkst pārsniegt lielāko atbalstu (%(max)s).")
                    % {"max": money(grant_round.max_grant)}
                ]
            elif awarded_amount > remaining:
                errors["awarded_amount"] = [
                    _("Konkursa budžetā atlikuši %(remaining)s: tik lielu summu piešķirt nevar.")
                    % {"remaining": money(max(remaining, Decimal(0)))}
                ]
            if errors:
                raise DecisionInvalid(errors)
        before = _decision_state(application)
        application.decision = decision
        application.awarded_amount = awarded_amount
        application.decision_message = message
        after = _decision_state(application)
        if before != after:
            application.save(
                update_fields=["decision", "awarded_amount", "decision_message", "updated_at"]
            )
            _history(
                HistoryEntry.Action.DECISION,
                actor=actor,
                application=application,
                before=before,
                after=after,
            )
    return application


class PublishRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def publish_results(*, grant_round: GrantRound, actor) -> int:
    """Publish a round's results: every applicant not yet told gets exactly one mail with the
    decision, and the results page opens. Returns how many were told; publishing again tells
    nobody twice."""
    with transaction.atomic():
        applications = list(
            selectors.competing_applications(grant_round=grant_round)
            .select_for_update()
            .order_by("pk")
        )
        grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if grant_round.status not in GrantRound.DECIDING:
            raise PublishRefused(
                _("Rezultātus var publicēt, kad konkurss ir lēmumu pieņemšanas posmā.")
            )
        _refuse_undecided(applications)
        now = timezone.now()
        first = grant_round.status != GrantRound.Status.RESULTS
        if first:
            grant_round.status = GrantRound.Status.RESULTS
            grant_round.results_published_at = now
            grant_round.save(update_fields=["status", "results_published_at", "updated_at"])
            _history(
                HistoryEntry.Action.PUBLISHED,
                actor=actor,
                grant_round=grant_round,
                before={"status": GrantRound.Status.DECISIONS},
                after={"status": GrantRound.Status.RESULTS},
            )
        told = _notify(
            [a for a in applications if a.notified_at is None], actor=actor, now=now, changed=False
        )
    return told


def renotify(*, grant_round: GrantRound, actor) -> int:
    """Tell the applicants whose decision changed after they were told, and only them."""
    with transaction.atomic():
        pending = list(
            selectors.pending_notifications(grant_round=grant_round)
            .select_for_update()
            .order_by("pk")
        )
        grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if grant_round.status != GrantRound.Status.RESULTS:
            raise PublishRefused(_("Rezultāti vēl nav publicēti."))
        # A decision cleared after publication has nothing to tell: decide it first.
        _refuse_undecided(pending)
        return _notify(pending, actor=actor, now=timezone.now(), changed=True)


def _refuse_undecided(applications: list[Application]) -> None:
    undecided = [application for application in applications if not application.decision]
    if undecided:
        raise PublishRefused(
            ngettext(
                "%(count)s pieteikumam vēl nav lēmuma: %(references)s.",
                "%(count)s pieteikumiem vēl nav lēmuma: %(references)s.",
                len(undecided),
            )
            % {
                "count": len(undecided),
                "references": ", ".join(a.reference for a in undecided[:10])
                + ("…" if len(undecided) > 10 else ""),
            }
        )


def _notify(applications: list[Application], *, actor, now, changed: bool) -> int:
    for application in applications:
        before = {
            "decision": application.notified_decision,
            "awarded_amount": (
                str(application.notified_amount)
                if application.notified_amount is not None
                else None
            ),
            "decision_message": application.notified_message,
        }
        application.notified_decision = application.decision
        application.notified_amount = application.awarded_amount
        application.notified_message = application.decision_message
        application.notified_at = now
        application.status = Application.Status.DECIDED
        application.save(
            update_fields=[
                "notified_decision",
                "notified_amount",
                "notified_message",
                "notified_at",
                "status",
                "updated_at",
            ]
        )
        _history(
            HistoryEntry.Action.NOTIFIED,
            actor=actor,
            application=application,
            before=before,
            after=_decision_state(application),
        )
        for follow in _decision_followers():
            follow(
                application=application,
                supported=application.notified_decision == Application.Decision.SUPPORTED,
            )
        pk = application.pk
        # One mail each after commit: one refused address must not keep the others from going out.
        mail.after_commit(_send_decision, application_pk=pk, changed=changed, told_at=now)
    return len(applications)


def _decision_followers() -> list:
    """What else happens when an applicant is told a decision: settings.GRANT_DECISION_FOLLOWERS
    names the functions (`initiatives` starts a supported idea's initiative). Named in the
    project's settings because apps to the right of grants may not be imported from here
    (DESIGN §3)."""
    return [import_string(path) for path in settings.GRANT_DECISION_FOLLOWERS]


def _send_decision(*, application_pk: int, changed: bool, told_at) -> None:
    """Mail the decision as told at `told_at`. If the mail cannot be sent, the application is
    marked as not told again, so the next publication (or re-notification) tries once more
    and the results it shows stay hidden from /mans/ until then."""
    try:
        _mail_decision(application_pk=application_pk, changed=changed)
    except Exception:
        logger.exception("Decision mail for application %s was not sent", application_pk)
        Application.objects.filter(pk=application_pk, notified_at=told_at).update(notified_at=None)


def _mail_decision(*, application_pk: int, changed: bool) -> None:
    application = Application.objects.select_related("round", "community", "applicant").get(
        pk=application_pk
    )
    if application.applicant is None or not application.applicant.email:
        return
    context = {
        "application": application,
        "changed": changed,
        "url": mail.absolute(application.get_absolute_url()),
        "results_url": mail.absolute(
            reverse("grants:round_results", kwargs={"slug": application.round.slug})
        ),
    }
    # The applicants' mail is Latvian: the round is run in Latvian (issue 4).
    mail.send(
        "grants/mail/decision", to=application.applicant.email, context=context, language="lv"
    )


# --- Round set-up ----------------------------------------------------------------------------


def copy_round(*, grant_round: GrantRound, actor) -> GrantRound:
    """Next year's round from this one: same texts, criteria, budget and target groups, dates a
    year later, in preparation (draft), with no applications or assessors."""
    year = grant_round.year + 1

    def later(moment):
        if isinstance(moment, datetime):
            # A year later on Riga's clock: in UTC a deadline near a summer-time change would
            # move by an hour (23:59 becoming 00:59 of the next day).
            moment = riga(moment)
        try:
            return moment.replace(year=moment.year + 1)
        except ValueError:  # 29 February
            return moment.replace(year=moment.year + 1, day=28)

    def free(field_name: str, base: str, limit: int) -> str:
        candidate, n = base[:limit], 1
        while GrantRound.objects.filter(**{field_name: candidate}).exists():
            n += 1
            suffix = f"-{n}"
            candidate = base[: limit - len(suffix)] + suffix
        return candidate

    with transaction.atomic():
        copy = GrantRound.objects.create(
            slug=free("slug", slugify(f"{grant_round.title} {year}"), 80),
            title=_("%(title)s (kopija)") % {"title": grant_round.title},
            year=year,
            summary=grant_round.summary,
            description=grant_round.description,
            rules=grant_round.rules,
            opens_at=later(grant_round.opens_at),
            closes_at=later(grant_round.closes_at),
            implementation_starts=later(grant_round.implementation_starts),
            implementation_ends=later(grant_round.implementation_ends),
            total_budget=grant_round.total_budget,
            max_grant=grant_round.max_grant,
            disagreement_threshold=grant_round.disagreement_threshold,
            reference_code=free("reference_code", f"DK-{year}", 20),
        )
        copy.target_groups.set(grant_round.target_groups.all())
        Criterion.objects.bulk_create(
            Criterion(
                round=copy,
                title=criterion.title,
                guidance=criterion.guidance,
                max_points=criterion.max_points,
                weight=criterion.weight,
                order=criterion.order,
                comment_required=criterion.comment_required,
            )
            for criterion in grant_round.criteria.all()
        )
    return copy
