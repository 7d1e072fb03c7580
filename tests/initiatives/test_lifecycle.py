"""An initiative's life through initiatives.services.lifecycle: every allowed and refused status
change with its message and history entry, idempotence, extending the due date, and what
publication freezes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from initiatives.models import Initiative, InitiativeHistory, InitiativeReach, Institution
from initiatives.services import lifecycle, reports
from tests.factories import UserFactory
from tests.initiatives.admin_support import funded, groups_and_elements, submitted

pytestmark = pytest.mark.django_db

Status = Initiative.Status
ALL_PAIRS = [(before, after) for before in Status for after in Status if before != after]


def _at(status: str) -> Initiative:
    """An initiative put in `status` directly: the transition under test is the only one made
    through the service."""
    initiative = funded(things=groups_and_elements())
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.refresh_from_db()
    return initiative


@pytest.mark.parametrize(("before", "after"), ALL_PAIRS, ids=[f"{b}-{a}" for b, a in ALL_PAIRS])
def test_every_status_change_is_allowed_or_refused_by_the_transitions(before, after):
    initiative = _at(before)
    actor = UserFactory(first_name="Ilze", last_name="Koordinatore")
    history_before = initiative.history.count()

    if after in Initiative.TRANSITIONS[before]:
        if after == Status.PUBLISHED:
            reports.start_report(initiative=initiative)
        changed = lifecycle.change_status(
            initiative=initiative, to=after, actor=actor, comment="Pārbaude"
        )
        entry = initiative.history.order_by("-pk").first()
        assert (
            changed.status,
            Initiative.objects.get(pk=initiative.pk).status,
            initiative.history.count() - history_before,
            entry.actor,
            entry.action,
            entry.before,
            entry.after,
            entry.comment,
        ) == (
            after,
            after,
            1,
            actor,
            InitiativeHistory.Action.STATUS,
            {"status": before},
            {"status": after},
            "Pārbaude",
        )
    else:
        with pytest.raises(ValidationError) as refused:
            lifecycle.change_status(initiative=initiative, to=after, actor=actor)
        assert refused.value.messages == [
            f"Iniciatīvu nevar pārvietot no stāvokļa „{Status(before).label}” uz "
            f"„{Status(after).label}”."
        ]
        assert (
            Initiative.objects.get(pk=initiative.pk).status,
            initiative.history.count(),
        ) == (before, history_before)


def test_the_transitions_are_those_of_the_issue():
    assert {status: set(targets) for status, targets in Initiative.TRANSITIONS.items()} == {
        Status.SUPPORTED: {
            Status.PLANNED,
            Status.IN_PROGRESS,
            Status.REPORT_DUE,
            Status.SUBMITTED,
            Status.CANCELLED,
        },
        Status.PLANNED: {Status.IN_PROGRESS, Status.REPORT_DUE, Status.SUBMITTED, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.REPORT_DUE, Status.SUBMITTED, Status.CANCELLED},
        Status.REPORT_DUE: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.ACCEPTED: {Status.PUBLISHED, Status.RETURNED},
        Status.PUBLISHED: set(),
        Status.CANCELLED: {Status.SUPPORTED, Status.PLANNED},
    }


def test_asking_for_the_state_it_is_in_changes_nothing():
    initiative = _at(Status.IN_PROGRESS)
    count = initiative.history.count()

    for _ in range(3):
        lifecycle.change_status(initiative=initiative, to=Status.REPORT_DUE, actor=None)

    assert (initiative.status, initiative.history.count() - count) == (Status.REPORT_DUE, 1)


def test_a_change_without_a_person_is_recorded_without_one():
    initiative = _at(Status.IN_PROGRESS)

    lifecycle.change_status(initiative=initiative, to=Status.REPORT_DUE, actor=None)

    entry = initiative.history.order_by("-pk").first()
    assert (entry.actor, entry.before, entry.after, entry.comment) == (
        None,
        {"status": "in_progress"},
        {"status": "report_due"},
        "",
    )


# --- Due dates ---------------------------------------------------------------------------------


def test_extending_the_due_date_keeps_the_reason_in_the_history():
    initiative = _at(Status.REPORT_DUE)
    actor = UserFactory()
    old = initiative.report_due_on

    lifecycle.extend_due_date(
        initiative=initiative,
        due_on=old + datetime.timedelta(days=14),
        reason="  Slimības dēļ  ",
        actor=actor,
    )

    entry = initiative.history.order_by("-pk").first()
    assert (
        initiative.report_due_on,
        entry.action,
        entry.actor,
        entry.before,
        entry.after,
        entry.comment,
    ) == (
        old + datetime.timedelta(days=14),
        InitiativeHistory.Action.DUE_DATE,
        actor,
        {"report_due_on": old.isoformat()},
        {"report_due_on": (old + datetime.timedelta(days=14)).isoformat()},
        "Slimības dēļ",
    )


@pytest.mark.parametrize(
    ("days", "reason", "expected"),
    [
        (14, "", {"reason": ["Norādiet, kāpēc termiņš tiek mainīts."]}),
        (14, "   ", {"reason": ["Norādiet, kāpēc termiņš tiek mainīts."]}),
        (0, "Iemesls", {"due_on": ["Jaunajam termiņam jābūt vēlākam par līdzšinējo."]}),
        (-3, "Iemesls", {"due_on": ["Jaunajam termiņam jābūt vēlākam par līdzšinējo."]}),
    ],
)
def test_an_extension_needs_a_reason_and_a_later_date(days, reason, expected):
    initiative = _at(Status.REPORT_DUE)
    old = initiative.report_due_on

    with pytest.raises(ValidationError) as refused:
        lifecycle.extend_due_date(
            initiative=initiative,
            due_on=old + datetime.timedelta(days=days),
            reason=reason,
            actor=None,
        )

    assert refused.value.message_dict == expected
    initiative.refresh_from_db()
    assert (initiative.report_due_on, initiative.history.filter(action="due_date").count()) == (
        old,
        0,
    )


def test_a_submitted_report_has_no_due_date_to_extend():
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)

    with pytest.raises(ValidationError) as refused:
        lifecycle.extend_due_date(
            initiative=initiative,
            due_on=initiative.report_due_on + datetime.timedelta(days=5),
            reason="Iemesls",
            actor=None,
        )

    assert refused.value.messages == ["Termiņu var mainīt tikai, kamēr atskaite vēl nav iesniegta."]


# --- Publication --------------------------------------------------------------------------------


def _published():
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)
    reports.accept_report(initiative=initiative, actor=None)
    reports.publish_initiative(initiative=initiative, actor=None)
    initiative.refresh_from_db()
    return initiative, things


def _published_figures(initiative):
    initiative = Initiative.objects.get(pk=initiative.pk)
    return {
        "status": initiative.status,
        "story": initiative.story,
        "results": initiative.results,
        "participants": initiative.participants,
        "volunteers": initiative.volunteers,
        "organisations": initiative.organisations,
        "institutions": sorted(initiative.institutions.values_list("pk", flat=True)),
        "elements": sorted(initiative.model_elements.values_list("title", flat=True)),
        "groups": sorted(initiative.target_groups.values_list("title", flat=True)),
        "reach": sorted(
            InitiativeReach.objects.filter(initiative=initiative).values_list(
                "target_group__title", "count"
            )
        ),
    }


def test_publishing_copies_the_reports_figures():
    initiative, _things = _published()

    figures = _published_figures(initiative)
    assert {**figures, "institutions": len(figures["institutions"])} == {
        "status": Status.PUBLISHED,
        "story": "Visi kopā sakopām krastu.",
        "results": "Krasts sakopts.",
        "participants": 45,
        "volunteers": 10,
        "organisations": 2,
        "institutions": 2,
        "elements": ["Kopienas svētki", "Kopienas talka"],
        "groups": ["Vīrieši 35+", "Ģimenes ar bērniem"],
        "reach": [("Vīrieši 35+", 12), ("Ģimenes ar bērniem", 8)],
    }
    assert initiative.published_at is not None


def test_the_report_cannot_change_after_publication_nor_the_published_figures():
    initiative, things = _published()
    before = _published_figures(initiative)
    report = initiative.report

    with pytest.raises(reports.ReportClosed):
        reports.save_report(
            report=report,
            actor=None,
            version=None,
            changes=reports.ReportChanges(
                fields={"participants": 999, "story": "Cits stāsts"},
                institutions=["Jauna iestāde"],
                reach={things["youth"].pk: 500},
            ),
        )

    report.refresh_from_db()
    assert (report.participants, _published_figures(initiative)) == (45, before)


def test_renaming_or_reusing_an_institution_does_not_change_published_counts():
    initiative, things = _published()
    before = _published_figures(initiative)

    Institution.objects.filter(name="Preiļu novada dome").update(name="Preiļu novada pašvaldība")
    # Another initiative names the same institutions and more.
    other = funded(
        initiative.application.round,
        things=things,
        title="Otra iniciatīva",
        community=initiative.community,
    )
    report = reports.start_report(initiative=other)
    reports.save_report(
        report=report,
        actor=None,
        version=None,
        changes=reports.ReportChanges(
            institutions=["Preiļu novada dome", "Ezerkrastu pamatskola", "Trešā iestāde"]
        ),
    )

    assert _published_figures(initiative) == before


def test_a_published_initiative_cannot_be_published_again_or_reopened():
    initiative, _things = _published()
    count = initiative.history.count()
    published_at = initiative.published_at

    reports.publish_initiative(initiative=initiative, actor=None)
    with pytest.raises(ValidationError):
        reports.return_report(initiative=initiative, actor=None, comment="Vēlreiz")

    initiative.refresh_from_db()
    assert (initiative.status, initiative.published_at, initiative.history.count()) == (
        Status.PUBLISHED,
        published_at,
        count,
    )


def test_return_and_accept_twice_mail_the_team_once_each(
    mailoutbox, django_capture_on_commit_callbacks
):
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            reports.return_report(initiative=initiative, actor=None, comment="Pievienojiet čekus.")
    returned_mails = len(mailoutbox)
    reports.submit_report(report=initiative.report, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            reports.accept_report(initiative=initiative, actor=None)

    initiative.refresh_from_db()
    assert (
        returned_mails,
        [message.subject for message in mailoutbox],
        list(
            initiative.history.filter(action="status")
            .order_by("pk")
            .values_list("after__status", "comment")
        ),
    ) == (
        1,
        [
            "Atskaite par „Ezera krasta sakopšana” atgriezta labošanai",
            "Atskaite par „Ezera krasta sakopšana” pieņemta",
        ],
        [
            ("supported", ""),
            ("submitted", ""),
            ("returned", "Pievienojiet čekus."),
            ("submitted", ""),
            ("accepted", ""),
        ],
    )


def test_own_contribution_is_money():
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)
    assert initiative.report.own_contribution == Decimal("60.00")
