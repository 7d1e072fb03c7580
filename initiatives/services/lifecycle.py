"""An initiative's life: every status change, due-date extension and milestone goes through
here, under a row lock, with a history entry (who, when, before, after)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community

from ..models import Initiative, InitiativeHistory, InitiativeReach, Milestone


def record_history(
    initiative: Initiative, action: str, *, actor, before: dict, after: dict, comment: str = ""
) -> None:
    InitiativeHistory.objects.create(
        initiative=initiative,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        before=before,
        after=after,
        comment=comment,
    )


def locked(initiative: Initiative) -> Initiative:
    """The initiative's row, locked for the rest of the transaction and read afresh."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def change_status(*, initiative: Initiative, to: str, actor, comment: str = "") -> Initiative:
    """Move an initiative one step along Initiative.TRANSITIONS; anything else is refused
    with a message that names both states. Idempotent: asking for the state it is in
    changes nothing (a double submit records one step)."""
    with transaction.atomic():
        current = locked(initiative)
        if current.status == to:
            return current
        if to not in Initiative.TRANSITIONS[current.status]:
            raise ValidationError(
                _("Iniciatīvu nevar pārvietot no stāvokļa „%(from)s” uz „%(to)s”.")
                % {
                    "from": current.get_status_display(),
                    "to": Initiative.Status(to).label,
                },
                code="transition",
            )
        before = current.status
        current.status = to
        fields = ["status", "updated_at"]
        if to == Initiative.Status.PUBLISHED:
            _freeze_published(current)
            fields += [
                "published_at",
                "story",
                "results",
                "participants",
                "volunteers",
                "organisations",
            ]
        current.save(update_fields=fields)
        record_history(
            current,
            InitiativeHistory.Action.STATUS,
            actor=actor,
            before={"status": before},
            after={"status": to},
            comment=comment,
        )
    initiative.refresh_from_db()
    return current


def _freeze_published(initiative: Initiative) -> None:
    """Copy what the accepted report says onto the initiative: the public page and the figures
    read these copies, which never change afterwards."""
    report = getattr(initiative, "report", None)
    initiative.published_at = timezone.now()
    if report is None:
        return
    initiative.story = report.story
    initiative.results = report.results
    initiative.participants = report.participants
    initiative.volunteers = report.volunteers
    institutions = list(report.institutions.all())
    initiative.organisations = len(institutions)
    initiative.institutions.set(institutions)
    initiative.model_elements.set(report.model_elements.all())
    reach = [row for row in report.reach.all() if row.count]
    InitiativeReach.objects.filter(initiative=initiative).delete()
    InitiativeReach.objects.bulk_create(
        InitiativeReach(initiative=initiative, target_group_id=row.target_group_id, count=row.count)
        for row in reach
    )
    initiative.target_groups.set([row.target_group_id for row in reach])


def extend_due_date(
    *, initiative: Initiative, due_on: datetime.date, reason: str, actor
) -> Initiative:
    """A coordinator gives one initiative more time; the reason is kept in its history. The
    reminders start again for the new date."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Norādiet, kāpēc termiņš tiek mainīts.")}, code="reason")
    with transaction.atomic():
        current = locked(initiative)
        if current.status not in Initiative.AWAITING_REPORT:
            raise ValidationError(
                _("Termiņu var mainīt tikai, kamēr atskaite vēl nav iesniegta."), code="state"
            )
        if current.report_due_on is not None and due_on <= current.report_due_on:
            raise ValidationError(
                {"due_on": _("Jaunajam termiņam jābūt vēlākam par līdzšinējo.")}, code="earlier"
            )
        before = current.report_due_on
        current.report_due_on = due_on
        fields = ["report_due_on", "updated_at"]
        current.save(update_fields=fields)
        record_history(
            current,
            InitiativeHistory.Action.DUE_DATE,
            actor=actor,
            before={"report_due_on": before.isoformat() if before else None},
            after={"report_due_on": due_on.isoformat()},
            comment=reason,
        )
    initiative.refresh_from_db()
    return current


def save_milestone(
    *,
    initiative: Initiative,
    actor,
    title: str,
    due_on: datetime.date,
    done_on: datetime.date | None = None,
    milestone: Milestone | None = None,
) -> Milestone:
    """Add a milestone or change one, with a history entry."""
    with transaction.atomic():
        locked(initiative)
        before = (
            {
                "title": milestone.title,
                "due_on": milestone.due_on.isoformat(),
                "done_on": milestone.done_on.isoformat() if milestone.done_on else None,
            }
            if milestone is not None and milestone.pk
            else {}
        )
        milestone = milestone or Milestone(initiative=initiative)
        milestone.title = title
        milestone.due_on = due_on
        milestone.done_on = done_on
        milestone.full_clean()
        milestone.save()
        record_history(
            initiative,
            InitiativeHistory.Action.MILESTONE,
            actor=actor,
            before=before,
            after={
                "title": title,
                "due_on": due_on.isoformat(),
                "done_on": done_on.isoformat() if done_on else None,
            },
        )
    return milestone


def follow_decision(*, application, supported: bool) -> Initiative | None:
    """Start the initiative of a supported application (once), with the round's dates; if
    support is withdrawn before any work was recorded, cancel it; a cancelled one that is
    supported again starts again. Returns the application's initiative, if it has one."""
    initiative = Initiative.objects.filter(application=application).first()
    if supported:
        if initiative is None:
            grant_round = application.round
            initiative = Initiative.objects.create(
                slug=free_slug(f"{application.reference} {application.title}"),
                title=application.title,
                community_id=application.community_id,
                year=grant_round.year,
                summary=application.summary,
                application=application,
                status=Initiative.Status.SUPPORTED,
                starts_on=grant_round.implementation_starts,
                ends_on=grant_round.implementation_ends,
                report_due_on=grant_round.implementation_ends
                + datetime.timedelta(days=grant_round.report_due_days),
            )
            initiative.target_groups.set(application.target_groups.all())
            initiative.model_elements.set(application.model_elements.all())
            record_history(
                initiative,
                InitiativeHistory.Action.STATUS,
                actor=None,
                before={},
                after={"status": initiative.status},
            )
        elif initiative.status == Initiative.Status.CANCELLED:
            change_status(initiative=initiative, to=Initiative.Status.SUPPORTED, actor=None)
    elif initiative is not None and initiative.status in (
        Initiative.Status.SUPPORTED,
        Initiative.Status.PLANNED,
    ):
        change_status(initiative=initiative, to=Initiative.Status.CANCELLED, actor=None)
    return initiative


def record_own_initiative(
    *,
    actor,
    community: Community,
    title: str,
    year: int,
    summary: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Initiative:
    """An initiative a community carried out on its own, recorded by one of its leaders: the
    leader then writes its report, and a coordinator publishes it like any other."""
    with transaction.atomic():
        initiative = Initiative(
            slug=free_slug(title),
            title=title,
            community=community,
            year=year,
            summary=summary,
            status=Initiative.Status.IN_PROGRESS,
            recorded_by=actor,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        initiative.full_clean()
        initiative.save()
        record_history(
            initiative,
            InitiativeHistory.Action.STATUS,
            actor=actor,
            before={},
            after={"status": initiative.status},
        )
    return initiative


# Paths under /iniciativas/ that are pages of their own, never an initiative's slug.
RESERVED_SLUGS = {"jauna"}


def free_slug(text: str) -> str:
    base = slugify(text)[:90].strip("-") or "iniciativa"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Initiative.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
