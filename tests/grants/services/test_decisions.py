"""Decisions, publication and re-notification (grants.services.decisions)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from grants import selectors, services
from grants.models import Application, GrantRound, HistoryEntry
from grants.services import (
    DecisionInvalid,
    PublishRefused,
    publish_results,
    record_decision,
    renotify,
)
from initiatives.models import Initiative
from tests.factories import ModelElementFactory, TargetGroupFactory, UserFactory
from tests.factories.grants import closed_round, submitted_application

pytestmark = pytest.mark.django_db

D = Decimal
NBSP = "\u00a0"
SUPPORTED = Application.Decision.SUPPORTED
RESERVE = Application.Decision.RESERVE
NOT_SUPPORTED = Application.Decision.NOT_SUPPORTED


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinatore", first_name="Inese", last_name="Kalniņa")


@pytest.fixture
def grant_round():
    """Budget 3,500 €, at most 2,000 € per project, deciding."""
    return closed_round(
        status=GrantRound.Status.DECISIONS,
        total_budget=D("3500.00"),
        max_grant=D("2000.00"),
        reference_code="DK-2026",
        title="Mazo iniciatīvu konkurss 2026",
    )


def decide(application, actor, decision, amount=None, message=""):
    return record_decision(
        application=application,
        actor=actor,
        decision=decision,
        awarded_amount=amount,
        message=message,
    )


def refusal(application, actor, decision, amount=None, message=""):
    with pytest.raises(DecisionInvalid) as invalid:
        decide(application, actor, decision, amount, message)
    return invalid.value.errors


def stored(application):
    application.refresh_from_db()
    return (application.decision, application.awarded_amount, application.decision_message)


# --- record_decision: bad input ---------------------------------------------------------------


def test_award_above_the_request(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("1000.00"))
    assert refusal(application, coordinator, SUPPORTED, D("1000.01")) == {
        "awarded_amount": [f"Piešķirtā summa nedrīkst pārsniegt prasīto (1{NBSP}000,00{NBSP}€)."]
    }
    assert stored(application) == ("", None, "")
    assert HistoryEntry.objects.count() == 0


def test_award_above_the_maximum_grant(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("2500.00"))
    assert refusal(application, coordinator, SUPPORTED, D("2000.01")) == {
        "awarded_amount": [
            f"Piešķirtā summa nedrīkst pārsniegt lielāko atbalstu (2{NBSP}000,00{NBSP}€)."
        ]
    }
    assert stored(application) == ("", None, "")


def test_award_above_the_remaining_budget(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))

    # 3,500 − 2,000 = 1,500 € left
    assert refusal(second, coordinator, SUPPORTED, D("1500.01")) == {
        "awarded_amount": [
            f"Konkursa budžetā atlikuši 1{NBSP}500,00{NBSP}€: tik lielu summu piešķirt nevar."
        ]
    }
    assert stored(second) == ("", None, "")
    # Exactly what is left is fine; then nothing is left.
    decide(second, coordinator, SUPPORTED, D("1500.00"))
    third = submitted_application(grant_round, requested=D("100.00"))
    assert refusal(third, coordinator, SUPPORTED, D("0.01")) == {
        "awarded_amount": [
            f"Konkursa budžetā atlikuši 0,00{NBSP}€: tik lielu summu piešķirt nevar."
        ]
    }
    assert selectors.awarded_total(grant_round=grant_round) == D("3500.00")


def test_changing_an_award_does_not_count_it_twice(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))
    decide(second, coordinator, SUPPORTED, D("1500.00"))

    # 3,500 − 1,500 (the other award) = 2,000 € available to `first` itself
    decide(first, coordinator, SUPPORTED, D("1900.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))

    assert selectors.awarded_total(grant_round=grant_round) == D("3500.00")


def test_awards_of_withdrawn_or_unsupported_applications_free_the_budget(grant_round, coordinator):
    first = submitted_application(grant_round, requested=D("2000.00"))
    second = submitted_application(grant_round, requested=D("2000.00"))
    decide(first, coordinator, SUPPORTED, D("2000.00"))
    decide(first, coordinator, NOT_SUPPORTED)

    decide(second, coordinator, SUPPORTED, D("2000.00"))

    assert selectors.awarded_total(grant_round=grant_round) == D("2000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("0"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (D("0.00"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (D("-100.00"), "Piešķirtajai summai jābūt lielākai par 0 €."),
        (None, "Norādiet piešķirto summu."),
    ],
)
def test_award_must_be_positive(grant_round, coordinator, amount, message):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, SUPPORTED, amount) == {"awarded_amount": [message]}
    assert stored(application) == ("", None, "")


def test_decision_must_be_one_of_the_choices(grant_round, coordinator):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, "maybe", D("100.00")) == {
        "decision": ["Izvēlieties lēmumu no saraksta."]
    }


def test_message_over_4000_characters(grant_round, coordinator):
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, RESERVE, None, "ā" * 4001) == {
        "decision_message": ["Ziņa nedrīkst būt garāka par 4000 rakstzīmēm."]
    }


@pytest.mark.parametrize("decision", [RESERVE, NOT_SUPPORTED, ""])
def test_other_decisions_clear_the_amount(grant_round, coordinator, decision):
    application = submitted_application(grant_round)
    decide(application, coordinator, SUPPORTED, D("800.00"), "Apsveicam!")

    decide(application, coordinator, decision, D("800.00"), " Paldies. ")

    assert stored(application) == (decision, None, "Paldies.")
    assert selectors.awarded_total(grant_round=grant_round) == D(0)


@pytest.mark.parametrize(
    "status", [GrantRound.Status.DRAFT, GrantRound.Status.OPEN, GrantRound.Status.ASSESSMENT]
)
def test_no_decisions_before_the_decision_stage(grant_round, coordinator, status):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    application = submitted_application(grant_round)
    assert refusal(application, coordinator, RESERVE) == {
        "__all__": ["Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā."]
    }
    assert stored(application) == ("", None, "")


def test_no_decision_for_a_withdrawn_application(grant_round, coordinator):
    application = submitted_application(grant_round)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    assert refusal(application, coordinator, SUPPORTED, D("100.00")) == {
        "__all__": ["Šis pieteikums konkursā nepiedalās."]
    }
    assert stored(application) == ("", None, "")


def test_decision_history_before_and_after(grant_round, coordinator):
    application = submitted_application(grant_round, requested=D("1200.00"))
    other = UserFactory(username="otra-koordinatore")

    decide(application, coordinator, SUPPORTED, D("1000"), "Apsveicam!")
    decide(application, coordinator, SUPPORTED, D("1000.00"), "Apsveicam!")  # unchanged
    decide(application, other, RESERVE, None, "Rezervē.")

    history = [
        (entry.action, entry.actor, entry.application_id, entry.round_id, entry.before, entry.after)
        for entry in HistoryEntry.objects.order_by("pk")
    ]
    none = {"decision": "", "awarded_amount": None, "decision_message": ""}
    supported = {
        "decision": "supported",
        "awarded_amount": "1000.00",
        "decision_message": "Apsveicam!",
    }
    reserve = {"decision": "reserve", "awarded_amount": None, "decision_message": "Rezervē."}
    assert history == [
        ("decision", coordinator, application.pk, grant_round.pk, none, supported),
        ("decision", other, application.pk, grant_round.pk, supported, reserve),
    ]


# --- publish_results --------------------------------------------------------------------------


@pytest.fixture
def decided(grant_round, coordinator):
    """Three decided applications: supported (1,500 €), reserve, not supported."""
    applicants = [
        UserFactory(username=name, email=f"{name}@example.lv")
        for name in ("janis", "liga", "andris")
    ]
    first, second, third = (
        submitted_application(grant_round, applicant=applicant, requested=D("1800.00"))
        for applicant in applicants
    )
    decide(first, coordinator, SUPPORTED, D("1500.00"), "Apsveicam! Līgumu sūtīsim nedēļas laikā.")
    decide(second, coordinator, RESERVE, None, "Jūs esat rezerves sarakstā.")
    decide(third, coordinator, NOT_SUPPORTED, None, "")
    return first, second, third


def publish(grant_round, actor, capture):
    with capture(execute=True):
        return publish_results(grant_round=grant_round, actor=actor)


def sent():
    return sorted(
        ((message.to, message.subject) for message in mail.outbox), key=lambda pair: pair[1]
    )


def url_of(application):
    return settings.SITE_URL + reverse(
        "grants:application_detail", kwargs={"key": application.reference}
    )


def results_url(grant_round):
    return settings.SITE_URL + reverse("grants:round_results", kwargs={"slug": grant_round.slug})


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
    assert (len(callbacks), len(mail.outbox)) == (3, 0)


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


# --- the initiative ---------------------------------------------------------------------------


def test_supported_application_starts_an_initiative(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    elements = [ModelElementFactory()]
    first.target_groups.set(groups)
    first.model_elements.set(elements)

    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    initiative = Initiative.objects.get()
    assert (
        initiative.application,
        initiative.slug,
        initiative.title,
        initiative.community,
        initiative.year,
        initiative.summary,
        initiative.participants,
        initiative.status,
        set(initiative.target_groups.all()),
        set(initiative.model_elements.all()),
    ) == (
        first,
        "dk-2026-001-kopienas-darzs-pie-skolas",
        "Kopienas dārzs pie skolas",
        first.community,
        2026,
        first.summary,
        40,
        Initiative.Status.PLANNED,
        set(groups),
        set(elements),
    )


def test_withdrawn_support_cancels_the_initiative_and_renewed_support_restores_it(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)

    decide(first, coordinator, NOT_SUPPORTED, None, "Pieteicējs atteicās.")
    # Not yet told: the initiative stands until the re-notification.
    assert Initiative.objects.get().status == Initiative.Status.PLANNED
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)
    assert Initiative.objects.get().status == Initiative.Status.CANCELLED

    decide(first, coordinator, SUPPORTED, D("1200.00"), "Atbalsts atjaunots.")
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)
    assert list(Initiative.objects.values_list("application", "status")) == [
        (first.pk, Initiative.Status.PLANNED)
    ]


def test_initiative_under_way_is_left_alone(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    Initiative.objects.update(status=Initiative.Status.IN_PROGRESS)

    decide(first, coordinator, NOT_SUPPORTED, None, "")
    with django_capture_on_commit_callbacks(execute=True):
        renotify(grant_round=grant_round, actor=coordinator)

    assert Initiative.objects.get().status == Initiative.Status.IN_PROGRESS


def test_initiative_slug_is_unique(
    grant_round, coordinator, decided, django_capture_on_commit_callbacks
):
    first = decided[0]
    Initiative.objects.create(
        slug="dk-2026-001-kopienas-darzs-pie-skolas",
        title="Cita iniciatīva",
        community=first.community,
        year=2025,
    )
    publish(grant_round, coordinator, django_capture_on_commit_callbacks)
    assert Initiative.objects.get(application=first).slug == (
        "dk-2026-001-kopienas-darzs-pie-skolas-2"
    )


# --- Found in review ----------------------------------------------------------------------------


def test_a_refused_mail_does_not_stop_the_others_and_is_sent_at_the_next_publication(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.core import mail as django_mail
    from django.core.mail import EmailMessage

    from grants.models import GrantRound as Round
    from tests.factories import UserFactory
    from tests.factories.grants import closed_round, submitted_application

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
    send = EmailMessage.send

    def refuse_first(message, *args, **kwargs):
        if message.to == ["p0@example.lv"]:
            raise OSError("550 mailbox unavailable")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_first)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.publish_results(grant_round=grant_round, actor=None)
    first = sorted(message.to[0] for message in django_mail.outbox)
    applications[0].refresh_from_db()
    monkeypatch.setattr(EmailMessage, "send", send)
    with django_capture_on_commit_callbacks(execute=True):
        told_again = services.publish_results(grant_round=grant_round, actor=None)

    assert (told, first, applications[0].notified_at) == (
        3,
        ["p1@example.lv", "p2@example.lv"],
        None,
    )
    assert (told_again, [message.to[0] for message in django_mail.outbox[2:]]) == (
        1,
        ["p0@example.lv"],
    )


def test_the_budget_cannot_shrink_below_what_is_awarded():
    from django.core.exceptions import ValidationError

    from grants.models import GrantRound as Round
    from tests.factories.grants import closed_round, submitted_application

    grant_round = closed_round(
        criteria=[(10, 1)],
        status=Round.Status.DECISIONS,
        total_budget=Decimal("3000.00"),
        max_grant=Decimal("1500.00"),
    )
    services.record_decision(
        application=submitted_application(grant_round, requested=Decimal("1500.00")),
        actor=None,
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1500.00"),
        message="",
    )
    services.record_decision(
        application=submitted_application(grant_round, requested=Decimal("1000.00")),
        actor=None,
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1000.00"),
        message="",
    )
    grant_round.total_budget = Decimal("2000.00")
    grant_round.max_grant = Decimal("1200.00")

    with pytest.raises(ValidationError) as refused:
        grant_round.full_clean()

    assert refused.value.message_dict == {
        "total_budget": ["Jau piešķirti 2\xa0500,00\xa0€: budžets nevar būt mazāks."],
        "max_grant": [
            "Vienam projektam jau piešķirti 1\xa0500,00\xa0€: lielākais atbalsts nevar būt mazāks."
        ],
    }
