"""The daily round of the report due dates (`manage.py initiative_reminders`).

1. An initiative still supported, planned or in progress whose implementation ended before
   today (Europe/Riga) now owes its report: it moves to "report due" through change_status.
2. Its team is mailed once when the due date is INITIATIVE_REPORT_REMINDER_DAYS days away (or
   nearer) and once when it has passed without a report: once each per due date, however often
   the command runs and even when two runs overlap. Each reminder is claimed by a conditional
   UPDATE of `due_soon_mailed_for` / `overdue_mailed_for` that only one run can win, before
   anything is sent; an extended due date differs from the one mailed for, so it gets its own.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from communities.selectors import language_of
from core import mail
from core.formats import riga_today

from ..models import Initiative
from .lifecycle import change_status
from .reports import team_user_ids

Status = Initiative.Status
# Still running: these move to "report due" once their implementation has ended.
RUNNING = (Status.SUPPORTED, Status.PLANNED, Status.IN_PROGRESS)
DUE_SOON = "initiatives/mail/report_due_soon"
OVERDUE = "initiatives/mail/report_overdue"


@dataclass
class ReminderCounts:
    report_due: int = 0
    due_soon: int = 0
    overdue: int = 0


def send_report_reminders(*, today: datetime.date | None = None) -> ReminderCounts:
    today = today or riga_today()
    counts = ReminderCounts()
    ended = Initiative.objects.filter(status__in=RUNNING, ends_on__lt=today).order_by("pk")
    for initiative in ended:
        try:
            change_status(initiative=initiative, to=Status.REPORT_DUE, actor=None)
        except ValidationError:
            # The team submitted meanwhile (or it was cancelled): nothing is due any more.
            continue
        counts.report_due += 1

    days = settings.INITIATIVE_REPORT_REMINDER_DAYS
    awaiting = Initiative.objects.filter(
        status__in=Initiative.AWAITING_REPORT, report_due_on__isnull=False
    )
    soon = awaiting.filter(
        report_due_on__gte=today, report_due_on__lte=today + datetime.timedelta(days=days)
    ).exclude(due_soon_mailed_for=F("report_due_on"))
    for pk, due_on in soon.values_list("pk", "report_due_on"):
        if _claim(pk, due_on, "due_soon_mailed_for"):
            counts.due_soon += 1
    late = awaiting.filter(report_due_on__lt=today).exclude(overdue_mailed_for=F("report_due_on"))
    for pk, due_on in late.values_list("pk", "report_due_on"):
        if _claim(pk, due_on, "overdue_mailed_for"):
            counts.overdue += 1
    return counts


def _claim(pk: int, due_on: datetime.date, field: str) -> bool:
    """Mark the reminder for `due_on` as sent, if no other run has, and queue the team's mails
    with it. The row must still await its report with this due date."""
    template = DUE_SOON if field == "due_soon_mailed_for" else OVERDUE
    with transaction.atomic():
        claimed = (
            Initiative.objects.filter(
                pk=pk, report_due_on=due_on, status__in=Initiative.AWAITING_REPORT
            )
            .exclude(**{field: due_on})
            .update(**{field: due_on})
        )
        if not claimed:
            return False
        initiative = Initiative.objects.select_related("application").get(pk=pk)
        _mail_team(initiative, template, cause=f"initiative:{pk}:{field}:{due_on.isoformat()}")
    return True


def _mail_team(initiative: Initiative, template: str, *, cause: str) -> None:
    users = get_user_model().objects.filter(pk__in=team_user_ids(initiative), is_active=True)
    for user in users.order_by("pk"):
        if not user.email:
            continue
        language = language_of(user)
        with translation.override(language):
            url = mail.absolute(reverse("initiatives:report", kwargs={"slug": initiative.slug}))
        mail.queue(
            template,
            cause=cause,
            to=user.email,
            language=language,
            context={"initiative": initiative, "due_on": initiative.report_due_on, "url": url},
        )
