"""The team's final report: drafts kept as typed, submission after a full check, and the
coordinator's review (return with a comment, accept, publish).

Like an application (grants.services.applications): every save keeps whatever is valid and
says what was not, files are checked one by one and every acceptable one is stored whatever
else fails, and a save names the version it was made from, so two people editing the same
report at once are told instead of one silently overwriting the other. Locks: the initiative
row first, then the report row, everywhere.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Membership, TargetGroup
from communities.selectors import language_of
from core import mail
from core.formats import money
from core.images import process_photo
from grants import uploads
from grants.services.attachments import delete_files, delete_stored

from ..models import (
    FinalReport,
    Initiative,
    Institution,
    ReportPhoto,
    ReportReach,
    ReportReceipt,
    ReportSpending,
)
from .lifecycle import change_status, locked

# What the team types, in the form's order.
TEXT_FIELDS = ("activities_done", "results", "next_steps", "story")
NUMBER_FIELDS = ("participants", "volunteers", "own_contribution")
NON_FIELD = "__all__"


class ReportClosed(Exception):
    """The report was submitted or accepted while this request was on its way: read-only."""


class VersionConflict(Exception):
    """Someone else saved the report after this form was opened."""


class ReportInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class PhotoUpload:
    upload: object
    alt_text: str
    caption: str = ""
    consent: bool = False


@dataclass
class ReportChanges:
    """What one save of the form sends; None leaves that part as it is."""

    fields: dict = field(default_factory=dict)
    spending: dict[int, Decimal | None] | None = None  # ReportSpending pk → spent
    reach: dict[int, int | None] | None = None  # TargetGroup pk → people
    institutions: list[str] | None = None
    model_elements: list[int] | None = None
    receipts: list = field(default_factory=list)
    remove_receipts: list[int] = field(default_factory=list)
    photos: list[PhotoUpload] = field(default_factory=list)
    remove_photos: list[int] = field(default_factory=list)


@dataclass
class SaveResult:
    report: FinalReport
    errors: dict[str, list[str]] = field(default_factory=dict)
    stored_files: list[str] = field(default_factory=list)


# --- Who writes the report --------------------------------------------------------------------


def team_user_ids(initiative: Initiative) -> set[int]:
    """The applicant (or the leader who recorded it) and the community's active leaders."""
    ids = set(
        Membership.objects.filter(
            community_id=initiative.community_id,
            role=Membership.Role.LEADER,
            status=Membership.Status.ACTIVE,
        ).values_list("user_id", flat=True)
    )
    if initiative.application_id:
        ids.add(initiative.application.applicant_id)
    if initiative.recorded_by_id:
        ids.add(initiative.recorded_by_id)
    ids.discard(None)
    return ids


# --- Drafts -----------------------------------------------------------------------------------


def start_report(*, initiative: Initiative) -> FinalReport:
    """The initiative's report, made on first use with one spending row per budget line of
    the application (the grant money planned for it). Safe to call twice at once."""
    with transaction.atomic():
        current = locked(initiative)
        report = FinalReport.objects.filter(initiative=current).first()
        if report is not None:
            return report
        report = FinalReport.objects.create(initiative=current)
        if current.application_id:
            ReportSpending.objects.bulk_create(
                ReportSpending(
                    report=report,
                    budget_line=line,
                    item=line.item[:200] or line.get_category_display(),
                    # A line the team paid for entirely itself asks nothing of the grant.
                    planned=max(line.requested, Decimal(0)),
                    order=order,
                )
                for order, line in enumerate(current.application.budget_lines.all())
            )
    return report


def save_report(
    *, report: FinalReport, actor, version: int | None, changes: ReportChanges
) -> SaveResult:
    """Keep everything valid of what the form sent. Raises ReportClosed when the report can no
    longer change and VersionConflict when `version` is not the one saved."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            initiative = locked(report.initiative)
            if initiative.status not in Initiative.REPORTING:
                raise ReportClosed
            report = FinalReport.objects.select_for_update().get(pk=report.pk)
            if version is not None and version != report.version:
                raise VersionConflict
            result = SaveResult(report=report, stored_files=stored)
            for name in (*TEXT_FIELDS, *NUMBER_FIELDS):
                if name in changes.fields:
                    value = changes.fields[name]
                    setattr(report, name, (value or "") if name in TEXT_FIELDS else value)
            if changes.spending is not None:
                _save_spending(initiative, report, changes.spending, result)
            if changes.reach is not None:
                _save_reach(report, changes.reach)
            if changes.institutions is not None:
                _save_institutions(report, changes.institutions, result)
            if changes.model_elements is not None:
                report.model_elements.set(changes.model_elements)
            _remove_files(report, changes.remove_receipts, changes.remove_photos)
            _store_receipts(report, changes.receipts, result)
            _store_photos(report, changes.photos, result)
            report.version += 1
            report.updated_by = actor if getattr(actor, "is_authenticated", False) else None
            report.save()
            report.initiative = initiative
            return result
    except Exception:
        delete_stored(stored)
        raise


def _add(result: SaveResult, key: str, message: str) -> None:
    result.errors.setdefault(key, []).append(message)


def _save_spending(initiative, report, spending: dict, result: SaveResult) -> None:
    """Spending above the award is refused as a whole: the saved amounts stay as they were."""
    rows = {row.pk: row for row in report.spending.all()}
    new = {pk: rows[pk].spent for pk in rows}
    for pk, value in spending.items():
        if pk in rows:
            new[pk] = value
    negative = [rows[pk].item for pk, value in new.items() if value is not None and value < 0]
    if negative:
        _add(
            result,
            "spending",
            _("Izlietotā summa nevar būt negatīva: %(items)s. Izdevumu izmaiņas netika saglabātas.")
            % {"items": ", ".join(negative)},
        )
        return
    award = initiative.application.awarded_amount if initiative.application_id else None
    total = sum((value for value in new.values() if value is not None), Decimal(0))
    if award is not None and total > award:
        _add(
            result,
            "spending",
            _(
                "Izlietotais konkursa finansējums kopā (%(total)s) pārsniedz piešķirto "
                "(%(award)s). Pārbaudiet summas; izdevumu izmaiņas netika saglabātas."
            )
            % {"total": money(total), "award": money(award)},
        )
        return
    for pk, row in rows.items():
        if row.spent != new[pk]:
            row.spent = new[pk]
            row.save(update_fields=["spent"])


def _save_reach(report, reach: dict) -> None:
    known = set(TargetGroup.objects.filter(pk__in=reach).values_list("pk", flat=True))
    ReportReach.objects.filter(report=report).exclude(
        target_group_id__in=[pk for pk, value in reach.items() if value]
    ).delete()
    for pk, value in reach.items():
        if pk in known and value:
            ReportReach.objects.update_or_create(
                report=report, target_group_id=pk, defaults={"count": value}
            )


def _save_institutions(report, names: list[str], result: SaveResult) -> None:
    """Institutions by name, one row per name however it is typed; the report's set becomes
    the names sent, in the order first typed."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join((name or "").split())[:200]
        if name and (key := Institution.key_of(name)) not in wanted:
            wanted[key] = name
    if len(wanted) > FinalReport.MAX_INSTITUTIONS:
        _add(
            result,
            "institutions",
            _(
                "Var norādīt ne vairāk kā %(max)s iestādes; norādītas %(count)s. Iestāžu saraksta "
                "izmaiņas netika saglabātas."
            )
            % {"max": FinalReport.MAX_INSTITUTIONS, "count": len(wanted)},
        )
        return
    existing = {row.key: row for row in Institution.objects.filter(key__in=wanted)}
    for key, name in wanted.items():
        if key not in existing:
            existing[key], _created = Institution.objects.get_or_create(
                key=key, defaults={"name": name}
            )
    report.institutions.set([existing[key] for key in wanted])


def _remove_files(report, receipt_pks: list[int], photo_pks: list[int]) -> None:
    doomed = []
    for model, pks, fields in (
        (ReportReceipt, receipt_pks, ("file",)),
        (ReportPhoto, photo_pks, ("image", "thumbnail")),
    ):
        if not pks:
            continue
        rows = list(model.objects.filter(report=report, pk__in=pks))
        for row in rows:
            for name in fields:
                file = getattr(row, name)
                if file:
                    doomed.append((file.storage, file.name))
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
    if doomed:
        transaction.on_commit(lambda: delete_files(doomed))


def _store_receipts(report, receipts: list, result: SaveResult) -> None:
    count = report.receipts.count()
    for upload in receipts:
        name = uploads.display_name(upload)
        if count >= FinalReport.MAX_RECEIPTS:
            _add(result, "receipts", _limit_message(name, FinalReport.MAX_RECEIPTS))
            continue
        try:
            kind = uploads.check_attachment(upload)
            content = uploads.storable(upload, kind)
        except ValidationError as error:
            for message in error.messages:
                _add(result, "receipts", message)
            continue
        receipt = ReportReceipt(
            report=report, original_name=name, content_type=kind, size=content.size
        )
        receipt.file.save(uploads.storage_name(kind), content, save=False)
        result.stored_files.append(receipt.file.name)
        receipt.save()
        count += 1


def _store_photos(report, photos: list[PhotoUpload], result: SaveResult) -> None:
    count = report.photos.count()
    for photo in photos:
        name = uploads.display_name(photo.upload)
        alt_text = " ".join((photo.alt_text or "").split())[:200]
        if count >= FinalReport.MAX_PHOTOS:
            _add(result, "photos", _limit_message(name, FinalReport.MAX_PHOTOS))
            continue
        if not alt_text:
            _add(
                result,
                "photos",
                _(
                    "Fotoattēls „%(name)s” netika pievienots: aprakstiet, kas tajā redzams "
                    "(alternatīvais teksts)."
                )
                % {"name": name},
            )
            continue
        if not photo.consent:
            _add(
                result,
                "photos",
                _(
                    "Fotoattēls „%(name)s” netika pievienots: apstipriniet, ka cilvēki tajā "
                    "piekrīt tā publicēšanai."
                )
                % {"name": name},
            )
            continue
        try:
            processed = process_photo(photo.upload)
        except ValidationError as error:
            for message in error.messages:
                _add(result, "photos", f"„{name}”: {message}")
            continue
        row = ReportPhoto(
            report=report,
            alt_text=alt_text,
            caption=" ".join((photo.caption or "").split())[:250],
            consent=True,
            width=processed.width,
            height=processed.height,
            order=count,
        )
        row.image.save(processed.image.name, processed.image, save=False)
        result.stored_files.append(row.image.name)
        row.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
        result.stored_files.append(row.thumbnail.name)
        row.save()
        count += 1


def _limit_message(name: str, limit: int) -> str:
    return ngettext(
        "Datne „%(name)s” netika pievienota: atskaitei var būt ne vairāk kā %(limit)s šāda datne.",
        "Datne „%(name)s” netika pievienota: atskaitei var būt ne vairāk kā %(limit)s šādas "
        "datnes.",
        limit,
    ) % {"name": name, "limit": limit}


# --- Submission -------------------------------------------------------------------------------


def submission_errors(report: FinalReport) -> dict[str, list[str]]:
    """What stands between a saved report and its submission, in Latvian, keyed by field."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    for name in ("activities_done", "results", "story"):
        if not (getattr(report, name) or "").strip():
            add(name, _("Aizpildiet šo lauku, lai atskaiti varētu iesniegt."))
    if not report.participants:
        add("participants", _("Norādiet, cik dalībnieku kopā bija iesaistīti."))
    reach = list(report.reach.select_related("target_group"))
    for row in reach:
        if report.participants is not None and row.count > report.participants:
            add(
                "reach",
                _(
                    "Mērķgrupā „%(group)s” norādīti %(count)s cilvēki, vairāk nekā dalībnieku "
                    "kopā (%(total)s)."
                )
                % {"group": row.target_group, "count": row.count, "total": report.participants},
            )
    if (
        report.volunteers is not None
        and report.participants is not None
        and (report.volunteers > report.participants)
    ):
        add("volunteers", _("Brīvprātīgo nevar būt vairāk nekā dalībnieku kopā."))
    if report.initiative.application_id:
        missing = [row.item for row in report.spending.all() if row.spent is None]
        if missing:
            add(
                "spending",
                _("Norādiet izlietoto summu katrai budžeta pozīcijai (arī 0,00): %(items)s.")
                % {"items": ", ".join(missing)},
            )
        if report.own_contribution is None:
            add("own_contribution", _("Norādiet līdzfinansējumu (arī 0,00)."))
    if not report.model_elements.exists():
        add("model_elements", _("Atzīmējiet vismaz vienu modeļa elementu, ko īstenojāt."))
    return errors


def submit_report(*, report: FinalReport, actor) -> FinalReport:
    """Submit a saved report after the full check; a second submit of the same report (a
    double click) changes nothing."""
    with transaction.atomic():
        initiative = locked(report.initiative)
        if initiative.status == Initiative.Status.SUBMITTED:
            return report
        if initiative.status not in Initiative.REPORTING:
            raise ReportClosed
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        report.initiative = initiative
        errors = submission_errors(report)
        if errors:
            raise ReportInvalid(errors)
        report.submitted_at = timezone.now()
        report.save(update_fields=["submitted_at", "updated_at"])
        change_status(initiative=initiative, to=Initiative.Status.SUBMITTED, actor=actor)
    return report


# --- The coordinator's review -----------------------------------------------------------------


def return_report(*, initiative: Initiative, actor, comment: str) -> Initiative:
    """Send a submitted (or accepted, not yet published) report back to the team with the
    coordinator's comment, which the team sees above the form and receives by mail."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Uzrakstiet komandai, kas atskaitē jālabo.")}, code="comment"
        )
    with transaction.atomic():
        if locked(initiative).status == Initiative.Status.RETURNED:
            return initiative  # a double submit: the team has its comment and its mail
        initiative = change_status(
            initiative=initiative, to=Initiative.Status.RETURNED, actor=actor, comment=comment
        )
        FinalReport.objects.filter(initiative=initiative).update(
            review_comment=comment, accepted_at=None
        )
        _mail_team(initiative, "initiatives/mail/report_returned", {"comment": comment})
    return initiative


def accept_report(*, initiative: Initiative, actor) -> Initiative:
    with transaction.atomic():
        if locked(initiative).status == Initiative.Status.ACCEPTED:
            return initiative  # a double submit: accepted once, mailed once
        initiative = change_status(
            initiative=initiative, to=Initiative.Status.ACCEPTED, actor=actor
        )
        FinalReport.objects.filter(initiative=initiative).update(
            accepted_at=timezone.now(), review_comment=""
        )
        _mail_team(initiative, "initiatives/mail/report_accepted", {})
    return initiative


def publish_initiative(*, initiative: Initiative, actor) -> Initiative:
    """Publish an accepted initiative: its story, photos and figures become public, copied
    from the report so they never change afterwards."""
    return change_status(initiative=initiative, to=Initiative.Status.PUBLISHED, actor=actor)


def _mail_team(initiative: Initiative, template: str, extra: dict) -> None:
    """Queue the mail to each of the team, in the transaction of the review (a report may be
    returned more than once: each review is its own cause)."""
    cause = f"initiative:{initiative.pk}:review:{timezone.now().isoformat()}"
    users = get_user_model().objects.filter(pk__in=team_user_ids(initiative), is_active=True)
    for user in users.select_related("profile"):
        if user.email:
            mail.queue(
                template,
                cause=cause,
                to=user.email,
                language=language_of(user),
                context={
                    "initiative": initiative,
                    "url": mail.absolute(initiative.get_absolute_url() + "atskaite/"),
                    **extra,
                },
            )


__all__ = [
    "NON_FIELD",
    "PhotoUpload",
    "ReportChanges",
    "ReportClosed",
    "ReportInvalid",
    "SaveResult",
    "VersionConflict",
    "accept_report",
    "publish_initiative",
    "return_report",
    "save_report",
    "start_report",
    "submission_errors",
    "submit_report",
    "team_user_ids",
]
