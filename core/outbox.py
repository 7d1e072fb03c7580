"""The outbox's worker side: the tasks that send the rows of `core.models.OutgoingMail`.

The tasks run under django-tasks-db's worker (`manage.py db_worker`); a task is enqueued by a
plain insert in the same transaction as the mail's row, so a change that rolls back leaves
neither. The row is the truth: a task only says "look at mail N", and looking twice is harmless,
because a mail is claimed by one UPDATE from pending to sending that only one worker can win.

What can still happen twice: a worker that dies after the mail server accepted a mail and before
it marked the row sent leaves the row "sending"; the sweep puts it back to pending and it goes
out once more, with the same Message-ID, so mail clients show it once.
"""

import base64
import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Min, Q
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .formats import iso
from .models import OutgoingMail

logger = logging.getLogger(__name__)

# What a sent secret mail's text becomes (OutgoingMail.secret).
ERASED = "–"


def wake(mail_id: int, *, run_after=None) -> None:
    """Enqueue the delivery of mail `mail_id`, in the current transaction."""
    task = deliver.using(run_after=run_after) if run_after else deliver
    task.enqueue(mail_id)
    if settings.OUTBOX_DELIVER_ON_COMMIT and run_after is None:
        transaction.on_commit(partial(deliver.call, mail_id), robust=True)


def message_of(mail: OutgoingMail) -> EmailMessage:
    """The mail as Django sends it: the stored subject, body, attachments and Message-ID."""
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=[mail.recipient],
        headers={**mail.headers, "Message-ID": mail.message_id},
    )
    for attachment in mail.attachments:
        content = attachment["content"]
        if attachment.get("base64"):
            content = base64.b64decode(content)
        message.attach(attachment["name"], content, attachment["mimetype"])
    return message


@task()
def deliver(mail_id: int) -> str:
    """Send one pending mail; on a refusal try again later, up to OUTBOX_MAX_ATTEMPTS tries."""
    now = timezone.now()
    claimed = (
        OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=OutgoingMail.Status.SENDING, claimed_at=now)
    )
    if not claimed:
        return "not pending"  # sent, failed, claimed by another worker, or not due yet
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        message_of(mail).send()
    except Exception as error:
        return _refused(mail, error)
    sent = {"body": ERASED} if mail.secret else {}
    OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.SENDING).update(
        status=OutgoingMail.Status.SENT,
        sent_at=timezone.now(),
        attempts=mail.attempts + 1,
        last_error="",
        next_attempt_at=None,
        **sent,
    )
    return "sent"


def _refused(mail: OutgoingMail, error: Exception) -> str:
    attempts = mail.attempts + 1
    text = f"{type(error).__name__}: {error}"[:500]
    logger.warning("Mail %s to %s not sent (try %s): %s", mail.pk, mail.recipient, attempts, text)
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.SENDING).update(
            status=OutgoingMail.Status.FAILED,
            attempts=attempts,
            last_error=text,
            next_attempt_at=None,
        )
        return "failed"
    delays = settings.OUTBOX_RETRY_DELAYS
    retry_at = timezone.now() + timedelta(seconds=delays[min(attempts, len(delays)) - 1])
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.SENDING).update(
            status=OutgoingMail.Status.PENDING,
            attempts=attempts,
            last_error=text,
            next_attempt_at=retry_at,
        )
        wake(mail.pk, run_after=retry_at)
    return "retry"


def send_again(mail_ids) -> int:
    """A coordinator's "send again": failed (or pending) mails start over with fresh tries.
    Returns how many were put back."""
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update()
            .filter(
                pk__in=list(mail_ids),
                status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.PENDING],
            )
            .values_list("pk", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=OutgoingMail.Status.PENDING, attempts=0, next_attempt_at=None, last_error=""
        )
        for pk in ids:
            wake(pk)
    return len(ids)


def oldest_waiting():
    """When the oldest mail not yet sent was written (pending, or being sent), or None when
    every mail has gone out or failed. One query on the index of statuses (readiness)."""
    waiting = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.PENDING, OutgoingMail.Status.SENDING]
    )
    return waiting.aggregate(oldest=Min("created_at"))["oldest"]


def mail_data(addresses) -> list[dict]:
    """The mails the platform wrote to `addresses`, for a person's data file: when, what about,
    and whether it went out (a secret mail's text is not kept, and the text of the others is
    what the person received)."""
    mails = OutgoingMail.objects.filter(recipient__in=list(addresses)).order_by("created_at", "pk")
    return [
        {
            "to": mail.recipient,
            "subject": mail.subject,
            "status": mail.status,
            "written_at": iso(mail.created_at),
            "sent_at": iso(mail.sent_at),
        }
        for mail in mails
    ]


def forget_recipient(addresses) -> int:
    """A person deleted their account: the mails to their addresses go with it, sent or not
    (a mail still waiting has nobody left to read it). Returns how many."""
    deleted, _ = OutgoingMail.objects.filter(recipient__in=list(addresses)).delete()
    return deleted


def sweep(*, sending_older_than: timedelta | None = None) -> tuple[int, int, int]:
    """Mend what a dead worker left: mails "sending" for longer than `sending_older_than`
    (OUTBOX_SENDING_TIMEOUT) go back to pending, every pending mail that is due and has
    waited that long gets a new task (its own may have been lost with the worker; a second
    task for a mail is harmless), and a fan-out left running that long runs again (it is
    idempotent). Returns (mails put back, deliveries enqueued, fan-outs enqueued again)."""
    if sending_older_than is None:
        sending_older_than = timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    now = timezone.now()
    before = now - sending_older_than
    with transaction.atomic():
        put_back = OutgoingMail.objects.filter(
            status=OutgoingMail.Status.SENDING, claimed_at__lte=before
        ).update(status=OutgoingMail.Status.PENDING, next_attempt_at=None)
        due = (
            OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
            .filter(
                Q(next_attempt_at__lte=before)
                | Q(next_attempt_at__isnull=True, created_at__lte=before)
                | Q(next_attempt_at__isnull=True, claimed_at__isnull=False)
            )
            .values_list("pk", flat=True)
        )
        ids = list(due.order_by("pk"))
        for pk in ids:
            wake(pk)
        # A fan-out's task row is the only record of it until its mails are written: the
        # library leaves a task "running" for ever when its worker dies.
        lost = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            task_path=run.module_path, status=TaskResultStatus.RUNNING, started_at__lte=before
        )
        fan_outs = 0
        for lost_task in lost:
            run.enqueue(*lost_task.args_kwargs["args"])
            lost_task.set_failed(RuntimeError("Its worker died; outbox_sweep enqueued it again."))
            fan_outs += 1
    return put_back, len(ids), fan_outs


# --- Fan-out: one task that queues many mails -------------------------------------------------


def fan_out(function):
    """Mark `function` as one the worker may run through `later` (a task names it by path)."""
    function.outbox_fan_out = True
    return function


def later(function, /, **arguments) -> None:
    """Run `function(**arguments)` in the worker, in a transaction of its own, after the current
    transaction commits (the task is enqueued in it, so a rollback drops it): for a change that
    sets off many mails, which the request should not render. `function` must be marked with
    `fan_out` and queue its mails idempotently (mail.queue's unique cause), since a fan-out may
    run again; `arguments` must be JSON-serialisable."""
    if not getattr(function, "outbox_fan_out", False):
        raise ValueError(f"{function!r} is not marked with core.outbox.fan_out")
    path = f"{function.__module__}.{function.__qualname__}"
    run.enqueue(path, arguments)
    if settings.OUTBOX_DELIVER_ON_COMMIT:
        transaction.on_commit(partial(run.call, path, arguments), robust=True)


@task()
def run(path: str, arguments: dict) -> None:
    function = import_string(path)
    if not getattr(function, "outbox_fan_out", False):
        raise ValueError(f"{path} is not marked with core.outbox.fan_out")
    with transaction.atomic():
        function(**arguments)
