"""The outbox (issue 14): a mail is a row written with the change that causes it, sent by the
worker of django-tasks-db (`manage.py db_worker`, run here for real: in this process, or as a
process of its own that the test kills), exactly once, with retries, never undoing the change."""

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import mail, outbox
from core.models import OutgoingMail
from grants import services
from grants.models import Application, BudgetLine, GrantRound
from tests.factories import CommunityFactory, UserFactory
from tests.factories.grants import closed_round, submitted_application
from tests.outbox.smtp import smtp_mailers, smtp_server

ROOT = django_settings.BASE_DIR


@pytest.fixture
def worker_only(settings):
    """Mail goes out only through the worker, as in production."""
    settings.OUTBOX_DELIVER_ON_COMMIT = False
    return settings


def queue_one(cause="round:1:assessment_open", to="ilze@example.lv"):
    return mail.queue(
        "grants/mail/assessment_open",
        to=to,
        context={"round": {"title": "Mazo iniciatīvu konkurss"}, "url": "http://x.lv/"},
        language="lv",
        cause=cause,
    )


def tasks() -> list[tuple[str, list]]:
    return [
        (task.task_path, task.args_kwargs["args"])
        for task in DBTaskResult.objects.order_by("enqueued_at")
    ]


def run_worker(**options) -> None:
    """The library's worker, in this process, until no task is ready."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, **options)


def decided_round(applicants: list[str]) -> tuple[GrantRound, list[Application]]:
    grant_round = closed_round(criteria=[(10, 1)], status=GrantRound.Status.DECISIONS)
    applications = [
        submitted_application(grant_round, applicant=UserFactory(email=address))
        for address in applicants
    ]
    for application in applications:
        services.record_decision(
            application=application,
            actor=None,
            decision=Application.Decision.NOT_SUPPORTED,
            awarded_amount=None,
            message="",
        )
    return grant_round, applications


# --- Written with the change -------------------------------------------------------------------


def test_the_mail_and_its_task_are_written_with_the_change_or_not_at_all(db, worker_only):
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        queue_one(cause="round:1:assessment_open")
        raise Undone
    assert (OutgoingMail.objects.count(), tasks()) == (0, [])

    with transaction.atomic():
        row = queue_one(cause="round:2:assessment_open")
    row.refresh_from_db()
    assert (
        row.status,
        row.attempts,
        row.recipient,
        row.kind,
        row.subject,
        row.message_id.endswith("@127.0.0.1>"),
        tasks(),
        django_mail.outbox,
    ) == (
        "pending",
        0,
        "ilze@example.lv",
        "grants/mail/assessment_open",
        "Darbīgās kopienas: konkursa „Mazo iniciatīvu konkurss” pieteikumus var vērtēt",
        True,
        [("core.outbox.deliver", [row.pk])],
        [],
    )


def test_one_mail_per_cause_recipient_and_kind(db, worker_only):
    first = queue_one(cause="round:3:assessment_open")
    again = queue_one(cause="round:3:assessment_open")
    other_cause = queue_one(cause="round:4:assessment_open")
    other_person = queue_one(cause="round:3:assessment_open", to="john@example.org")

    assert (again.pk, len({first.pk, other_cause.pk, other_person.pk})) == (first.pk, 3)
    assert [args for _path, args in tasks()] == [[first.pk], [other_cause.pk], [other_person.pk]]


def test_the_worker_sends_with_the_stored_message_id_once(transactional_db, worker_only):
    row = queue_one()
    run_worker()
    run_worker()  # nothing left: the mail is not sent twice
    row.refresh_from_db()

    assert [(m.to, m.extra_headers["Message-ID"]) for m in django_mail.outbox] == [
        (["ilze@example.lv"], row.message_id)
    ]
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


# --- A mail server that refuses ----------------------------------------------------------------


def test_a_refused_mail_waits_then_fails_and_the_decision_stays(transactional_db, worker_only):
    grant_round, applications = decided_round(["p0@example.lv", "p1@example.lv"])
    worker_only.OUTBOX_RETRY_DELAYS = [3600]
    with smtp_server() as (server, port):
        worker_only.MAILERS = smtp_mailers(port)
        server.refuse = {"p0@example.lv"}
        told = services.publish_results(grant_round=grant_round, actor=None)
        run_worker()  # the fan-out and both mails; the refused one's next try is an hour away
        first = list(
            OutgoingMail.objects.order_by("recipient").values_list(
                "recipient", "status", "attempts"
            )
        )
        refused = OutgoingMail.objects.get(recipient="p0@example.lv")
        waits = refused.next_attempt_at - timezone.now()

        # The hours pass (here: the rows' times are moved, and the retries come at once).
        worker_only.OUTBOX_RETRY_DELAYS = [0]
        OutgoingMail.objects.filter(pk=refused.pk).update(next_attempt_at=timezone.now())
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
        sent = [recipients for _id, recipients in server.accepted]
    refused.refresh_from_db()
    applications[0].refresh_from_db()
    grant_round.refresh_from_db()

    assert (told, first, sent) == (
        2,
        [("p0@example.lv", "pending", 1), ("p1@example.lv", "sent", 1)],
        [("p1@example.lv",)],
    )
    assert timedelta(minutes=59) < waits <= timedelta(hours=1)
    assert (refused.status, refused.attempts, refused.next_attempt_at, refused.last_error) == (
        "failed",
        5,
        None,
        "SMTPRecipientsRefused: {'p0@example.lv': (550, b'5.1.1 Mailbox unavailable')}",
    )
    # The decision is told and published all the same.
    assert (
        grant_round.status,
        applications[0].status,
        applications[0].notified_decision,
        applications[0].notified_at is not None,
    ) == ("results", "decided", "not_supported", True)


def test_a_coordinator_sends_a_failed_mail_again(transactional_db, worker_only, roles, client):
    from tests.factories import staff

    coordinator = staff("Koordinatori")
    row = queue_one()
    OutgoingMail.objects.filter(pk=row.pk).update(
        status="failed", attempts=5, last_error="SMTPServerDisconnected: x"
    )
    client.force_login(coordinator)

    listing = client.get("/admin/core/outgoingmail/?status__exact=failed")
    response = client.post(
        "/admin/core/outgoingmail/",
        {"action": "send_again", "_selected_action": [row.pk]},
        follow=True,
    )
    row.refresh_from_db()
    state = (row.status, row.attempts, row.last_error)
    run_worker()
    row.refresh_from_db()

    assert (listing.status_code, "ilze@example.lv" in listing.content.decode()) == (200, True)
    assert (response.status_code, [str(m) for m in response.context["messages"]]) == (
        200,
        ["1 vēstule atkal gaida sūtīšanu."],
    )
    assert state == ("pending", 0, "")
    assert (row.status, [m.to for m in django_mail.outbox]) == ("sent", [["ilze@example.lv"]])


# --- A round of a thousand -------------------------------------------------------------------


def thousand_applicants() -> GrantRound:
    grant_round = closed_round(criteria=[(10, 1)], status=GrantRound.Status.DECISIONS)
    community = CommunityFactory()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"pieteicejs{n}", email=f"pieteicejs{n}@example.lv") for n in range(1000)
    )
    applications = Application.objects.bulk_create(
        Application(
            round=grant_round,
            applicant=user,
            community=community,
            title=f"Iniciatīva nr. {n}",
            number=n + 1,
            reference=f"{grant_round.reference_code}-{n + 1:04d}",
            status=Application.Status.SUBMITTED,
            submitted_at=grant_round.closes_at,
            decision=Application.Decision.NOT_SUPPORTED,
        )
        for n, user in enumerate(users)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            item="Materiāli",
            category=BudgetLine.Category.MATERIALS,
            quantity=Decimal(1),
            unit_price=Decimal(100),
            own_contribution=Decimal(0),
            order=0,
        )
        for application in applications
    )
    return grant_round


def test_a_round_of_a_thousand_is_published_without_its_mails_and_each_goes_once(
    transactional_db, worker_only
):
    grant_round = thousand_applicants()

    with CaptureQueriesContext(connection) as queries:
        told = services.publish_results(grant_round=grant_round, actor=None)
    # The request writes no mail: it enqueues one task that will write them all.
    mail_writes = [q["sql"] for q in queries if "core_outgoingmail" in q["sql"]]
    [(path, (function, arguments))] = tasks()
    assert (told, mail_writes, path, function, len(arguments["application_pks"])) == (
        1000,
        [],
        "core.outbox.run",
        "grants.services.decisions.send_decisions",
        1000,
    )
    assert django_mail.outbox == []

    run_worker()
    # The fan-out again (a retried task): the mails are there already, nothing is added.
    outbox.run.call(function, arguments)
    run_worker()

    sent = Counter(m.extra_headers["Message-ID"] for m in django_mail.outbox)
    rows = dict(OutgoingMail.objects.values_list("message_id", "status"))
    assert (len(sent), set(sent.values()), set(sent) == set(rows)) == (1000, {1}, True)
    assert set(rows.values()) == {"sent"}


# --- A worker killed mid-batch -------------------------------------------------------------------


def _worker_process(port: int, *extra: str) -> subprocess.Popen:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
            *extra,
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.postgres
def test_a_worker_killed_mid_batch_and_started_again_sends_each_mail_once(
    transactional_db, worker_only
):
    grant_round, _applications = decided_round([f"p{n}@example.lv" for n in range(12)])
    with smtp_server() as (server, port):
        server.hold_at = 5
        services.publish_results(grant_round=grant_round, actor=None)
        first = _worker_process(port)
        try:
            _wait(server.held.is_set, "the fifth mail to reach the server")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
        server.release.set()  # the mail in flight was never answered: not delivered
        in_flight = list(OutgoingMail.objects.filter(status="sending").values_list("recipient"))
        before = server.message_ids()

        # As the worker's unit does before it starts: mend what the dead worker left.
        call_command("outbox_sweep", sending_older_than=0, stdout=io.StringIO())
        second = _worker_process(port, "--batch")
        assert second.wait(timeout=300) == 0
        sent = server.message_ids()

    rows = dict(OutgoingMail.objects.values_list("message_id", "status"))
    assert (first.returncode, in_flight, sum(before.values())) == (
        -signal.SIGKILL,
        [("p4@example.lv",)],
        4,
    )
    assert (len(rows), set(rows.values()), set(sent) == set(rows), set(sent.values())) == (
        12,
        {"sent"},
        True,
        {1},
    )


def test_the_sweep_runs_again_a_fan_out_whose_worker_died(transactional_db, worker_only):
    """The worker died while writing a round's mails: the task stays "running" in the library
    for ever, and no mail row tells of it; the sweep runs it again, and each mail goes once."""
    grant_round, _applications = decided_round(["p0@example.lv", "p1@example.lv"])
    services.publish_results(grant_round=grant_round, actor=None)
    [fan_out] = DBTaskResult.objects.all()
    fan_out.claim("worker-that-died")  # as the dead worker left it

    out = io.StringIO()
    call_command("outbox_sweep", sending_older_than=0, stdout=out)
    run_worker()
    fan_out.refresh_from_db()

    assert out.getvalue() == (
        "outbox: 0 put back to pending, 0 enqueued, 1 lost fan-outs enqueued again\n"
    )
    assert (fan_out.status, sorted(m.to[0] for m in django_mail.outbox)) == (
        "FAILED",
        ["p0@example.lv", "p1@example.lv"],
    )
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
