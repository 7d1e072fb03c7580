"""A round's set-up (grants.services.rounds): its status changed by hand, the way through the
statuses GrantRound.STATUS_CHANGES allows, nothing into assessment before the deadline and
results only by publishing; and copying a round for next year."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.formats import RIGA
from grants.models import AssessmentInvitation, Criterion, GrantRound, HistoryEntry
from grants.services import StatusChangeRefused, change_round_status, copy_round
from tests.factories import TargetGroupFactory, UserFactory
from tests.factories.accounts import ProfileFactory
from tests.factories.grants import GrantRoundFactory, closed_round, submitted_application

pytestmark = pytest.mark.django_db

Status = GrantRound.Status
D = Decimal


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinatore", first_name="Inese", last_name="Kalniņa")


def statuses(grant_round) -> tuple[str, str]:
    return grant_round.status, GrantRound.objects.get(pk=grant_round.pk).status


@pytest.mark.parametrize(
    ("was", "to"),
    [
        (Status.DRAFT, Status.OPEN),
        (Status.OPEN, Status.DRAFT),
        (Status.OPEN, Status.ASSESSMENT),
        (Status.ASSESSMENT, Status.DECISIONS),
        (Status.DECISIONS, Status.ASSESSMENT),
    ],
)
def test_a_round_moves_one_allowed_step(was, to):
    grant_round = closed_round(status=was)

    changed = change_round_status(grant_round=grant_round, status=to, actor=UserFactory())

    assert statuses(changed) == (to, to)


@pytest.mark.parametrize(
    ("was", "to", "message"),
    [
        (
            Status.ASSESSMENT,
            Status.OPEN,
            "Statusu „Vērtēšana” var mainīt tikai uz: „Lēmumu pieņemšana”.",
        ),
        (
            Status.DRAFT,
            Status.ASSESSMENT,
            "Statusu „Sagatavošanā” var mainīt tikai uz: „Izsludināts”.",
        ),
        (
            Status.OPEN,
            Status.DECISIONS,
            "Statusu „Izsludināts” var mainīt tikai uz: „Sagatavošanā”, „Vērtēšana”.",
        ),
        (
            Status.DECISIONS,
            Status.RESULTS,
            "Rezultātus publicē reitinga lapā ar pogu „Publicēt rezultātus”.",
        ),
        (
            Status.RESULTS,
            Status.DECISIONS,
            "Rezultāti jau ir publicēti: konkursa statusu vairs mainīt nevar.",
        ),
    ],
)
def test_other_changes_are_refused_and_change_nothing(was, to, message):
    grant_round = closed_round(status=was)

    with pytest.raises(StatusChangeRefused) as refused:
        change_round_status(grant_round=grant_round, status=to, actor=UserFactory())

    assert (refused.value.message, statuses(grant_round)) == (message, (was, was))


def test_assessment_does_not_begin_before_the_deadline():
    grant_round = GrantRoundFactory(closes_at=timezone.now() + timedelta(hours=1))

    with pytest.raises(StatusChangeRefused) as refused:
        change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=None)

    assert refused.value.message == "Vērtēšanu var sākt tikai pēc pieteikšanās beigām."
    assert statuses(grant_round) == (Status.OPEN, Status.OPEN)


def history(grant_round) -> list[tuple]:
    return list(
        HistoryEntry.objects.filter(round=grant_round)
        .order_by("pk")
        .values_list("action", "actor", "application", "before", "after")
    )


def test_each_change_is_recorded_in_the_rounds_history(coordinator):
    grant_round = closed_round(status=Status.OPEN)

    change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=coordinator)
    change_round_status(grant_round=grant_round, status=Status.DECISIONS, actor=coordinator)

    assert history(grant_round) == [
        ("status", coordinator.pk, None, {"status": "open"}, {"status": "assessment"}),
        ("status", coordinator.pk, None, {"status": "assessment"}, {"status": "decisions"}),
    ]


def test_a_refused_or_repeated_change_leaves_no_history(coordinator):
    grant_round = closed_round(status=Status.DECISIONS)

    with pytest.raises(StatusChangeRefused):
        change_round_status(grant_round=grant_round, status=Status.RESULTS, actor=coordinator)
    change_round_status(grant_round=grant_round, status=Status.DECISIONS, actor=coordinator)

    assert history(grant_round) == []


def test_the_same_status_again_changes_nothing():
    grant_round = closed_round(status=Status.DECISIONS)
    updated_at = grant_round.updated_at

    same = change_round_status(grant_round=grant_round, status=Status.DECISIONS, actor=None)

    assert (same.status, same.updated_at) == (Status.DECISIONS, updated_at)


# --- copy_round -------------------------------------------------------------------------------


def test_copy_round_for_next_year(coordinator):
    assessor = UserFactory()
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    source = closed_round(
        status=GrantRound.Status.RESULTS,
        criteria=[(10, "2"), (5, "1.5")],
        assessors=[assessor],
        slug="mazo-iniciativu-konkurss-2026",
        title="Mazo iniciatīvu konkurss",
        reference_code="DK-2026",
        total_budget=D("12000.00"),
        max_grant=D("1500.00"),
        disagreement_threshold=D("20.00"),
    )
    source.opens_at = datetime(2026, 3, 1, 9, 0, tzinfo=RIGA)
    source.closes_at = datetime(2026, 4, 15, 23, 59, tzinfo=RIGA)
    source.save()
    source.target_groups.set(groups)
    source.criteria.filter(order=1).update(guidance="Vai budžets ir reāls?", comment_required=False)
    submitted_application(source)

    copy = copy_round(grant_round=source, actor=coordinator)

    copy.refresh_from_db()
    assert (
        copy.slug,
        copy.title,
        copy.year,
        copy.status,
        copy.reference_code,
        copy.last_number,
        copy.opens_at,
        copy.closes_at,
        copy.implementation_starts,
        copy.implementation_ends,
        copy.total_budget,
        copy.max_grant,
        copy.disagreement_threshold,
        copy.summary,
        copy.description,
        copy.rules,
        copy.results_published_at,
    ) == (
        "mazo-iniciativu-konkurss-2027",
        "Mazo iniciatīvu konkurss (kopija)",
        2027,
        GrantRound.Status.DRAFT,
        "DK-2027",
        0,
        datetime(2027, 3, 1, 9, 0, tzinfo=RIGA),
        datetime(2027, 4, 15, 23, 59, tzinfo=RIGA),
        date(2028, 1, 1),
        date(2028, 6, 30),
        D("12000.00"),
        D("1500.00"),
        D("20.00"),
        source.summary,
        source.description,
        source.rules,
        None,
    )
    assert set(copy.target_groups.all()) == set(groups)
    assert list(copy.assessors.all()) == []
    assert copy.applications.count() == 0
    assert list(
        Criterion.objects.filter(round=copy).values_list(
            "title", "guidance", "max_points", "weight", "order", "comment_required"
        )
    ) == [
        ("Kritērijs 1", "", 10, D("2.00"), 0, True),
        ("Kritērijs 2", "Vai budžets ir reāls?", 5, D("1.50"), 1, False),
    ]
    # The source is untouched.
    assert source.criteria.count() == 2
    assert GrantRound.objects.get(pk=source.pk).status == GrantRound.Status.RESULTS


def test_copying_twice_gives_unique_slug_and_reference_code(coordinator):
    source = closed_round(
        status=GrantRound.Status.RESULTS, title="Mazo iniciatīvu konkurss", reference_code="DK-2026"
    )

    first = copy_round(grant_round=source, actor=coordinator)
    second = copy_round(grant_round=source, actor=coordinator)

    assert [(first.slug, first.reference_code), (second.slug, second.reference_code)] == [
        ("mazo-iniciativu-konkurss-2027", "DK-2027"),
        ("mazo-iniciativu-konkurss-2027-2", "DK-2027-2"),
    ]


def test_copy_of_a_round_on_29_february(coordinator):
    source = closed_round(status=GrantRound.Status.RESULTS, reference_code="DK-2028")
    source.year = 2028
    source.opens_at = datetime(2028, 2, 29, 12, 0, tzinfo=RIGA)
    source.closes_at = datetime(2028, 3, 31, 12, 0, tzinfo=RIGA)
    source.save()

    copy = copy_round(grant_round=source, actor=coordinator)

    assert (copy.year, copy.opens_at, copy.closes_at) == (
        2029,
        datetime(2029, 2, 28, 12, 0, tzinfo=RIGA),
        datetime(2029, 3, 31, 12, 0, tzinfo=RIGA),
    )


def test_copy_keeps_the_riga_wall_clock_across_a_summer_time_change(coordinator):
    # Summer time starts on 29 March 2026 but on 28 March 2027: 28 March 2026 23:59 is
    # 21:59 UTC, and a year later in UTC (2027-03-28 21:59 UTC) would be 00:59 next day in Riga.
    source = closed_round(status=GrantRound.Status.RESULTS, reference_code="DK-2026")
    GrantRound.objects.filter(pk=source.pk).update(
        opens_at=datetime(2026, 2, 1, 0, 0, tzinfo=RIGA),
        closes_at=datetime(2026, 3, 28, 23, 59, tzinfo=RIGA),
    )
    source = GrantRound.objects.get(pk=source.pk)  # as the admin has it: in UTC

    copy = copy_round(grant_round=source, actor=coordinator)

    assert (copy.opens_at, copy.closes_at) == (
        datetime(2027, 2, 1, 0, 0, tzinfo=RIGA),
        datetime(2027, 3, 28, 23, 59, tzinfo=RIGA),
    )


# --- Assessors are told once when a round opens for assessment -------------------------------


@pytest.fixture
def assessors():
    latvian = UserFactory(username="ilze", email="ilze@example.lv", first_name="Ilze")
    english = UserFactory(username="john", email="john@example.org", first_name="John")
    ProfileFactory(user=english, language="en")
    return latvian, english


def test_assessors_get_one_mail_each_in_their_language(
    coordinator, assessors, mailoutbox, django_capture_on_commit_callbacks
):
    grant_round = closed_round(
        status=Status.OPEN, assessors=assessors, title="Mazo iniciatīvu konkurss 2026"
    )

    with django_capture_on_commit_callbacks(execute=True):
        change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=coordinator)
    # Back to assessment after decisions began: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        change_round_status(grant_round=grant_round, status=Status.DECISIONS, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=coordinator)

    assert sorted((message.to, message.subject) for message in mailoutbox) == [
        (
            ["ilze@example.lv"],
            "Darbīgās kopienas: konkursa „Mazo iniciatīvu konkurss 2026” pieteikumus var vērtēt",
        ),
        (
            ["john@example.org"],
            "Active Communities: applications of the round “Mazo iniciatīvu konkurss 2026” are "
            "open for assessment",
        ),
    ]
    latvian = next(message for message in mailoutbox if message.to == ["ilze@example.lv"])
    assert "http://127.0.0.1:8000/admin/grants/assessment/" in latvian.body
    assert list(
        AssessmentInvitation.objects.order_by("assessor__username").values_list(
            "assessor__username", flat=True
        )
    ) == ["ilze", "john"]


def test_no_mail_before_the_commit_and_none_for_other_steps(
    coordinator, assessors, mailoutbox, django_capture_on_commit_callbacks
):
    grant_round = closed_round(status=Status.DRAFT, assessors=assessors)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change_round_status(grant_round=grant_round, status=Status.OPEN, actor=coordinator)
        change_round_status(grant_round=grant_round, status=Status.ASSESSMENT, actor=coordinator)
        assert mailoutbox == []

    assert len(callbacks) == 1


def test_a_failing_mail_does_not_undo_the_status_change(
    coordinator, assessors, django_capture_on_commit_callbacks, settings
):
    from core.models import OutgoingMail
    from tests.outbox.smtp import smtp_mailers, smtp_server

    grant_round = closed_round(status=Status.OPEN, assessors=assessors)

    with smtp_server() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        server.refuse = {"ilze@example.lv"}
        with django_capture_on_commit_callbacks(execute=True):
            changed = change_round_status(
                grant_round=grant_round, status=Status.ASSESSMENT, actor=coordinator
            )
        sent = [recipients for _id, recipients in server.accepted]

    assert statuses(changed) == (Status.ASSESSMENT, Status.ASSESSMENT)
    assert sent == [("john@example.org",)]
    # Both are invited; Ilze's mail waits in the outbox for its next try.
    assert list(
        OutgoingMail.objects.order_by("recipient").values_list("recipient", "status", "attempts")
    ) == [("ilze@example.lv", "pending", 1), ("john@example.org", "sent", 1)]
    assert sorted(AssessmentInvitation.objects.values_list("assessor__username", flat=True)) == [
        "ilze",
        "john",
    ]
