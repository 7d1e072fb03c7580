"""`manage.py initiative_reminders` (initiatives.services.reminders): ended initiatives owe their
report, and each team is mailed once when its report is due within a week and once when it is
overdue, per due date, however often the command runs or how many run at once."""

import datetime
import io
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from initiatives.models import Initiative
from initiatives.services import lifecycle
from initiatives.services.reminders import ReminderCounts, send_report_reminders
from tests.factories import ProfileFactory, UserFactory, leader_of
from tests.initiatives.admin_support import funded, grant_round, groups_and_elements, submitted

Status = Initiative.Status
TODAY = datetime.date(2027, 8, 1)
DUE_SOON = (
    "Atgādinājums: atskaite par „Ezera krasta sakopšana” jāiesniedz līdz 2027. gada 8. augusts"
)
DUE_SOON_EN = "Reminder: the report on “Ezera krasta sakopšana” is due by 8 August 2027"
OVERDUE = "Atskaites termiņš par „Ezera krasta sakopšana” ir pagājis"


def _team_initiative(**dates):
    """The initiative with its applicant (Latvian) and a leader of its community who reads
    English; its dates as given."""
    applicant = UserFactory(email="pieteiceja@example.lv")
    initiative = funded(things=groups_and_elements(), applicant=applicant)
    leader = leader_of(initiative.community, email="leader@example.lv")
    ProfileFactory(user=leader, language="en")
    Initiative.objects.filter(pk=initiative.pk).update(**dates)
    initiative.refresh_from_db()
    return initiative


def _mails(outbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in outbox)


@pytest.fixture
def mails_now(django_capture_on_commit_callbacks):
    """Runs the reminders with their after-commit mails sent at once."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return send_report_reminders(today=today)

    return run


@pytest.mark.django_db
def test_initiatives_whose_work_has_ended_owe_their_report(mails_now):
    things = groups_and_elements()
    round_ = grant_round()
    ended = {
        status: funded(round_, things=things, title=f"Beigusies {status}", number=index + 1)
        for index, status in enumerate([Status.SUPPORTED, Status.PLANNED, Status.IN_PROGRESS])
    }
    ends_today = funded(round_, things=things, title="Beidzas šodien", number=10)
    no_end = funded(round_, things=things, title="Bez beigām", number=11)
    already = submitted(
        funded(round_, things=things, title="Jau iesniegta", number=12), things=things
    )
    far = datetime.date(2030, 1, 1)
    for status, initiative in ended.items():
        Initiative.objects.filter(pk=initiative.pk).update(
            status=status, ends_on=TODAY - datetime.timedelta(days=1), report_due_on=far
        )
    Initiative.objects.filter(pk=ends_today.pk).update(ends_on=TODAY, report_due_on=far)
    Initiative.objects.filter(pk=no_end.pk).update(ends_on=None, report_due_on=far)
    Initiative.objects.filter(pk=already.pk).update(ends_on=TODAY - datetime.timedelta(days=9))

    counts = mails_now(TODAY)

    statuses = dict(Initiative.objects.values_list("title", "status"))
    assert (counts, statuses) == (
        ReminderCounts(report_due=3, due_soon=0, overdue=0),
        {
            f"Beigusies {Status.SUPPORTED}": Status.REPORT_DUE,
            f"Beigusies {Status.PLANNED}": Status.REPORT_DUE,
            f"Beigusies {Status.IN_PROGRESS}": Status.REPORT_DUE,
            "Beidzas šodien": Status.SUPPORTED,
            "Bez beigām": Status.SUPPORTED,
            "Jau iesniegta": Status.SUBMITTED,
        },
    )
    entry = ended[Status.PLANNED].history.order_by("-pk").first()
    assert (entry.actor, entry.before, entry.after) == (
        None,
        {"status": "planned"},
        {"status": "report_due"},
    )
    assert mails_now(TODAY) == ReminderCounts()


@pytest.mark.django_db
def test_the_team_is_reminded_once_a_week_before_in_each_ones_language(mailoutbox, mails_now):
    initiative = _team_initiative(
        status=Status.IN_PROGRESS,
        ends_on=TODAY + datetime.timedelta(days=2),
        report_due_on=TODAY + datetime.timedelta(days=7),
    )

    # Eight days before: not yet.
    assert mails_now(TODAY - datetime.timedelta(days=1)) == ReminderCounts()
    counts = mails_now(TODAY)
    again = [mails_now(TODAY), mails_now(TODAY + datetime.timedelta(days=3))]

    # Three days on, its work has ended: the report is due, still no second reminder.
    assert (counts, again) == (
        ReminderCounts(due_soon=1),
        [ReminderCounts(), ReminderCounts(report_due=1)],
    )
    assert _mails(mailoutbox) == [
        ("leader@example.lv", DUE_SOON_EN),
        ("pieteiceja@example.lv", DUE_SOON),
    ]
    bodies = {message.to[0]: message.body for message in mailoutbox}
    slug = initiative.slug
    assert bodies["pieteiceja@example.lv"] == (
        "Atgādinām, ka noslēguma atskaite par iniciatīvu „Ezera krasta sakopšana” jāiesniedz "
        "līdz 2027. gada 8. augusts.\n\n"
        "Atskaiti var rakstīt un iesniegt šeit:\n"
        f"{settings.SITE_URL}/iniciativas/{slug}/atskaite/\n\n"
        "Ja atskaite jau ir iesniegta, šo vēstuli var neņemt vērā. Ja termiņā neizdodas, "
        "rakstiet koordinatoram.\n\n"
        "Darbīgās kopienas\n\n"
    )
    assert f"{settings.SITE_URL}/en/iniciativas/{slug}/atskaite/" in bodies["leader@example.lv"]
    initiative.refresh_from_db()
    assert (initiative.due_soon_mailed_for, initiative.overdue_mailed_for) == (
        TODAY + datetime.timedelta(days=7),
        None,
    )


@pytest.mark.django_db
def test_an_overdue_report_is_reminded_once_and_an_extended_date_gets_its_own(
    mailoutbox, mails_now
):
    initiative = _team_initiative(
        status=Status.REPORT_DUE,
        ends_on=TODAY - datetime.timedelta(days=40),
        report_due_on=TODAY - datetime.timedelta(days=1),
        due_soon_mailed_for=TODAY - datetime.timedelta(days=1),
    )

    first = [mails_now(TODAY), mails_now(TODAY), mails_now(TODAY + datetime.timedelta(days=5))]
    overdue_mails = _mails(mailoutbox)
    mailoutbox.clear()

    lifecycle.extend_due_date(
        initiative=initiative,
        due_on=TODAY + datetime.timedelta(days=20),
        reason="Slimības dēļ",
        actor=None,
    )
    # Extended: quiet until a week before the new date, then once; then once when it passes.
    later = [
        mails_now(TODAY + datetime.timedelta(days=12)),
        mails_now(TODAY + datetime.timedelta(days=13)),
        mails_now(TODAY + datetime.timedelta(days=14)),
        mails_now(TODAY + datetime.timedelta(days=21)),
        mails_now(TODAY + datetime.timedelta(days=22)),
    ]

    assert (first, overdue_mails) == (
        [ReminderCounts(overdue=1), ReminderCounts(), ReminderCounts()],
        [
            ("leader@example.lv", "The report on “Ezera krasta sakopšana” is overdue"),
            ("pieteiceja@example.lv", OVERDUE),
        ],
    )
    assert later == [
        ReminderCounts(),
        ReminderCounts(due_soon=1),
        ReminderCounts(),
        ReminderCounts(overdue=1),
        ReminderCounts(),
    ]
    assert sorted(message.to[0] for message in mailoutbox) == [
        "leader@example.lv",
        "leader@example.lv",
        "pieteiceja@example.lv",
        "pieteiceja@example.lv",
    ]
    assert [
        message.subject for message in mailoutbox if message.to[0] == "pieteiceja@example.lv"
    ] == [
        "Atgādinājums: atskaite par „Ezera krasta sakopšana” jāiesniedz līdz "
        "2027. gada 21. augusts",
        OVERDUE,
    ]


@pytest.mark.django_db
def test_a_submitted_report_or_a_cancelled_initiative_is_not_reminded(mailoutbox, mails_now):
    things = groups_and_elements()
    done = submitted(funded(things=things), things=things)
    cancelled = funded(done.application.round, things=things, title="Atcelta", number=5)
    lifecycle.change_status(initiative=cancelled, to=Status.CANCELLED, actor=None)
    Initiative.objects.update(report_due_on=TODAY - datetime.timedelta(days=1))

    assert (mails_now(TODAY), mailoutbox) == (ReminderCounts(), [])


@pytest.mark.django_db
def test_the_reminder_days_are_a_setting(settings, mailoutbox, mails_now):
    settings.INITIATIVE_REPORT_REMINDER_DAYS = 14
    _team_initiative(
        status=Status.REPORT_DUE,
        ends_on=TODAY - datetime.timedelta(days=1),
        report_due_on=TODAY + datetime.timedelta(days=14),
    )

    assert (mails_now(TODAY), len(mailoutbox)) == (ReminderCounts(due_soon=1), 2)


@pytest.mark.django_db
def test_the_command_says_what_it_did(mailoutbox, django_capture_on_commit_callbacks):
    _team_initiative(
        status=Status.IN_PROGRESS,
        starts_on=datetime.date(1999, 12, 1),
        ends_on=datetime.date(2000, 1, 1),
        report_due_on=datetime.date(2000, 2, 1),
    )
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("initiative_reminders", stdout=out)

    assert out.getvalue() == (
        "Atskaite pieprasīta: 1; atgādinājumi par tuvojošos termiņu: 0; par nokavētu termiņu: 1\n"
    )
    assert len(mailoutbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_mail_each(mailoutbox, roles):
    _team_initiative(
        status=Status.REPORT_DUE,
        ends_on=TODAY - datetime.timedelta(days=1),
        report_due_on=TODAY + datetime.timedelta(days=3),
    )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(send_report_reminders(today=TODAY))
        except Exception as error:  # every failure is reported
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(result.due_soon for result in results) == [0, 1]
    assert _mails(mailoutbox) == [
        (
            "leader@example.lv",
            "Reminder: the report on “Ezera krasta sakopšana” is due by 4 August 2027",
        ),
        (
            "pieteiceja@example.lv",
            "Atgādinājums: atskaite par „Ezera krasta sakopšana” jāiesniedz līdz "
            "2027. gada 4. augusts",
        ),
    ]
