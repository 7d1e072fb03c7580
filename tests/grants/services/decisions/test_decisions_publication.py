"""publish_results and renotify: when results may go out, one mail an applicant, re-notification."""

import pytest
from django.core import mail

from grants import selectors, services
from grants.models import Application, GrantRound, HistoryEntry
from grants.services import PublishRefused, publish_results, renotify
from tests.factories.grants import submitted_application
from tests.grants.services.decisions.helpers import (
    NBSP,
    NOT_SUPPORTED,
    RESERVE,
    SUPPORTED,
    D,
    decide,
    publish,
    results_url,
    sent,
    url_of,
)

pytestmark = pytest.mark.django_db


# --- publish_results --------------------------------------------------------------------------


def test_publish_refused_while_a_decision_is_missing(grant_round, coordinator, decided):
    undecided = [submitted_application(grant_round) for _ in range(2)]

    with pytest.raises(PublishRefused) as refused:
        publish_results(grant_round=grant_round, actor=coordinator)

    assert refused.value.message == "2 pieteikumiem vēl nav lēmuma: DK-2026-004, DK-2026-005."
    decide(undecided[0], coordinator, RESERVE)
    with pytest.raises(PublishRefused) as refused:
        publish_results(grant_round=grant_round, actor=coordinator)
    assert refused.value.message == "1 pieteikumam vēl nav lēmuma: DK-2026-005."
    grant_round.refresh_from_db()
    assert (grant_round.status, grant_round.results_published_at) == ("decisions", None)
    assert Application.objects.filter(notified_at__isnull=False).count() == 0


def test_drafts_and_withdrawn_applications_do_not_hold_up_publication(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    withdrawn = submitted_application(grant_round)
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)

    assert publish(grant_round, coordinator, django_capture_on_commit_callbacks) == 3
    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.notified_at) == ("withdrawn", None)


@pytest.mark.parametrize("status", [GrantRound.Status.ASSESSMENT, GrantRound.Status.OPEN])
def test_publish_refused_before_the_decision_stage(grant_round, coordinator, status):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    with pytest.raises(PublishRefused) as refused:
        publish_results(grant_round=grant_round, actor=coordinator)
    assert refused.value.message == (
        "Rezultātus var publicēt, kad konkurss ir lēmumu pieņemšanas posmā."
    )


def test_publishing_twice_sends_one_mail_per_applicant(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first, _second, third = decided

    told = [publish(grant_round, coordinator, django_capture_on_commit_callbacks) for _ in "12"]

    assert told == [3, 0]
    assert sent() == [
        (["janis@example.lv"], "Darbīgās kopienas: lēmums par pieteikumu DK-2026-001"),
        (["liga@example.lv"], "Darbīgās kopienas: lēmums par pieteikumu DK-2026-002"),
        (["andris@example.lv"], "Darbīgās kopienas: lēmums par pieteikumu DK-2026-003"),
    ]
    # (the template leaves a blank line at the very end)
    bodies = {message.to[0]: message.body.rstrip("\n").splitlines() for message in mail.outbox}
    assert bodies["janis@example.lv"] == [
        "Labdien! Konkursa „Mazo iniciatīvu konkurss 2026” rezultāti ir zināmi.",
        "",
        "Numurs: DK-2026-001",
        "Iniciatīva: Kopienas dārzs pie skolas",
        f"Kopiena: {first.community.name}",
        "Lēmums: Atbalstīts",
        f"Piešķirtā summa: 1{NBSP}500,00{NBSP}€",
        "",
        "Apsveicam! Līgumu sūtīsim nedēļas laikā.",
        "",
        f"Pieteikums un lēmums: {url_of(first)}",
        f"Atbalstītās idejas: {results_url(grant_round)}",
        "",
        "Darbīgās kopienas",
    ]
    assert bodies["liga@example.lv"][5:9] == [
        "Lēmums: Rezerves sarakstā",
        "",
        "Jūs esat rezerves sarakstā.",
        "",
    ]
    assert bodies["andris@example.lv"][5:8] == [
        "Lēmums: Nav atbalstīts",
        "",
        f"Pieteikums un lēmums: {url_of(third)}",
    ]


def test_publishing_records_what_was_told(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.RESULTS
    assert grant_round.results_published_at is not None
    rows = Application.objects.filter(round=grant_round).order_by("number")
    assert [
        (a.status, a.notified_decision, a.notified_amount, a.notified_message, a.notified_at)
        for a in rows
    ] == [
        (
            "decided",
            "supported",
            D("1500.00"),
            "Apsveicam! Līgumu sūtīsim nedēļas laikā.",
            grant_round.results_published_at,
        ),
        (
            "decided",
            "reserve",
            None,
            "Jūs esat rezerves sarakstā.",
            grant_round.results_published_at,
        ),
        ("decided", "not_supported", None, "", grant_round.results_published_at),
    ]
    assert list(
        HistoryEntry.objects.filter(round=grant_round)
        .exclude(action=HistoryEntry.Action.DECISION)
        .order_by("pk")
        .values_list("action", "application__reference", "actor")
    ) == [
        ("published", None, coordinator.pk),
        ("notified", "DK-2026-001", coordinator.pk),
        ("notified", "DK-2026-002", coordinator.pk),
        ("notified", "DK-2026-003", coordinator.pk),
    ]
    assert [a.reference for a in selectors.published_results(grant_round=grant_round)] == [
        "DK-2026-001"
    ]
    assert list(selectors.pending_notifications(grant_round=grant_round)) == []


def test_no_mail_before_commit(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_results(grant_round=grant_round, actor=coordinator)
    # One task writes the three mails after the commit (core.outbox.later).
    assert (len(callbacks), len(mail.outbox)) == (1, 0)


def test_applicant_with_a_deleted_account_gets_no_mail(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    second = decided[1]
    second.applicant.delete()

    assert publish(grant_round, coordinator, django_capture_on_commit_callbacks) == 3

    assert [message.to for message in mail.outbox] == [["janis@example.lv"], ["andris@example.lv"]]
    second.refresh_from_db()
    assert (second.applicant, second.status, second.notified_decision) == (
        None,
        "decided",
        "reserve",
    )


def test_changed_decision_waits_for_an_explicit_renotification(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    second = decided[1]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    # The reserve application moves up: supported with 1,000 € (2,000 € left in the budget).
    decide(second, coordinator, SUPPORTED, D("1000.00"), "Atbrīvojās finansējums.")

    assert list(selectors.pending_notifications(grant_round=grant_round)) == [second]
    second.refresh_from_db()
    assert (second.notified_decision, second.notified_amount) == ("reserve", None)
    assert [a.reference for a in selectors.published_results(grant_round=grant_round)] == [
        "DK-2026-001"
    ]
    # Publishing again tells nobody.
    assert publish(grant_round, coordinator, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert renotify(grant_round=grant_round, actor=coordinator) == 1

    assert sent() == [
        (["liga@example.lv"], "Darbīgās kopienas: mainīts lēmums par pieteikumu DK-2026-002")
    ]
    body = mail.outbox[0].body.splitlines()
    assert body[:10] == [
        "Labdien! Konkursa „Mazo iniciatīvu konkurss 2026” rezultāti ir zināmi.",
        "",
        "Lēmums par jūsu pieteikumu ir mainīts. Spēkā ir šis lēmums:",
        "",
        "Numurs: DK-2026-002",
        "Iniciatīva: Kopienas dārzs pie skolas",
        f"Kopiena: {second.community.name}",
        "Lēmums: Atbalstīts",
        f"Piešķirtā summa: 1{NBSP}000,00{NBSP}€",
        "",
    ]
    assert body[10] == "Atbrīvojās finansējums."
    second.refresh_from_db()
    assert (second.notified_decision, second.notified_amount, second.notified_message) == (
        "supported",
        D("1000.00"),
        "Atbrīvojās finansējums.",
    )
    assert list(selectors.pending_notifications(grant_round=grant_round)) == []
    assert [a.reference for a in selectors.published_results(grant_round=grant_round)] == [
        "DK-2026-001",
        "DK-2026-002",
    ]
    # Nothing more to tell.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert renotify(grant_round=grant_round, actor=coordinator) == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "pending"),
    [
        ((SUPPORTED, D("1500.00"), "Apsveicam! Līgumu sūtīsim nedēļas laikā."), False),
        ((SUPPORTED, D("1400.00"), "Apsveicam! Līgumu sūtīsim nedēļas laikā."), True),
        ((SUPPORTED, D("1500.00"), "Cits teksts."), True),
        ((RESERVE, None, "Apsveicam! Līgumu sūtīsim nedēļas laikā."), True),
    ],
)
def test_pending_notification_follows_every_part_of_the_decision(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks, change, pending
):
    first = decided[0]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    decide(first, coordinator, *change)

    assert list(selectors.pending_notifications(grant_round=grant_round)) == (
        [first] if pending else []
    )


def test_changed_decision_back_to_what_was_told_needs_no_renotification(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    second = decided[1]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    decide(second, coordinator, NOT_SUPPORTED, None, "")
    decide(second, coordinator, RESERVE, None, "Jūs esat rezerves sarakstā.")

    assert list(selectors.pending_notifications(grant_round=grant_round)) == []


def test_renotify_refused_while_a_told_decision_was_cleared(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    second, third = decided[1:]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    decide(second, coordinator, "", None, "")  # cleared after publication
    decide(third, coordinator, RESERVE, None, "")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PublishRefused) as refused:
        renotify(grant_round=grant_round, actor=coordinator)

    # A mail saying "Lēmums: " with nothing after it would tell the applicant nothing.
    assert refused.value.message == "1 pieteikumam vēl nav lēmuma: DK-2026-002."
    assert mail.outbox == []
    assert [a.reference for a in selectors.pending_notifications(grant_round=grant_round)] == [
        "DK-2026-002",
        "DK-2026-003",
    ]
    second.refresh_from_db()
    assert (second.notified_decision, second.notified_message) == (
        "reserve",
        "Jūs esat rezerves sarakstā.",
    )


def test_renotify_refused_before_publication(grant_round, coordinator):
    with pytest.raises(PublishRefused) as refused:
        renotify(grant_round=grant_round, actor=coordinator)
    assert refused.value.message == "Rezultāti vēl nav publicēti."


def test_renotify_of_a_deleted_account_sends_nothing(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    second = decided[1]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    decide(second, coordinator, NOT_SUPPORTED, None, "")
    second.applicant.delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert renotify(grant_round=grant_round, actor=coordinator) == 1

    assert mail.outbox == []
    assert list(selectors.pending_notifications(grant_round=grant_round)) == []


# --- Found in review ----------------------------------------------------------------------------


def test_a_refused_mail_does_not_stop_the_others_nor_undo_the_decision(
    django_capture_on_commit_callbacks, settings
):
    """A mail server that refuses one applicant (a real SMTP server answering 550): the others
    are mailed, the refused one waits in the outbox for its next try, and the decision stays
    told; publishing again tells nobody twice."""
    from django.utils import timezone

    from core import outbox
    from core.models import OutgoingMail
    from grants.models import GrantRound as Round
    from tests.factories import UserFactory
    from tests.factories.grants import closed_round, submitted_application
    from tests.outbox.smtp import smtp_mailers, smtp_server

    grant_round = closed_round(criteria=[(10, 1)], status=Round.Status.DECISIONS)
    applications = [
        submitted_application(grant_round, applicant=UserFactory(email=f"p{n}@example.lv"))
        for n in range(3)
    ]
    for application in applications:
        services.record_decision(
            application=application,
            actor=None,
            decision=Application.Decision.NOT_SUPPORTED,
            awarded_amount=None,
            message="",
        )
    with smtp_server() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        server.refuse = {"p0@example.lv"}
        with django_capture_on_commit_callbacks(execute=True):
            told = services.publish_results(grant_round=grant_round, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            told_again = services.publish_results(grant_round=grant_round, actor=None)
        first = sorted(recipients[0] for _id, recipients in server.accepted)
        refused = OutgoingMail.objects.get(recipient="p0@example.lv")
        state = (refused.status, refused.attempts, refused.last_error)
        # The next try, once its time has come and the server takes the mail.
        server.refuse = set()
        OutgoingMail.objects.filter(pk=refused.pk).update(next_attempt_at=timezone.now())
        outbox.deliver.call(refused.pk)
        later = [recipients[0] for _id, recipients in server.accepted[2:]]
    applications[0].refresh_from_db()

    assert (told, told_again, first, later) == (
        3,
        0,
        ["p1@example.lv", "p2@example.lv"],
        ["p0@example.lv"],
    )
    assert state == (
        "pending",
        1,
        "SMTPRecipientsRefused: {'p0@example.lv': (550, b'5.1.1 Mailbox unavailable')}",
    )
    assert (applications[0].notified_decision, applications[0].notified_at is not None) == (
        Application.Decision.NOT_SUPPORTED,
        True,
    )
