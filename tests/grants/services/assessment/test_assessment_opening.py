"""may_assess and open_assessment with the conflicts it finds; an assessor's rounds and progress"""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants import selectors, services
from grants.models import Application, Assessment, GrantRound, HistoryEntry, Score
from grants.permissions import may_assess
from grants.services import AssessmentRefused, declare_conflict, open_assessment, save_scores
from tests.factories import MembershipFactory, UserFactory
from tests.factories.grants import GrantRoundFactory, closed_round, submitted_application
from tests.grants.services.assessment.helpers import D

pytestmark = pytest.mark.django_db


# --- may_assess and open_assessment -----------------------------------------------------------


def test_may_assess_an_assigned_closed_round_in_assessment(grant_round, assessor):
    assert may_assess(user=assessor, grant_round=grant_round) is True


def test_may_not_assess_before_the_deadline(assessor):
    grant_round = GrantRoundFactory(status=GrantRound.Status.ASSESSMENT)  # closes in 14 days
    grant_round.assessors.add(assessor)
    assert may_assess(user=assessor, grant_round=grant_round) is False


def test_may_assess_from_the_deadline_on(grant_round, assessor):
    closes = grant_round.closes_at
    assert (
        may_assess(user=assessor, grant_round=grant_round, now=closes - timedelta(seconds=1)),
        may_assess(user=assessor, grant_round=grant_round, now=closes),
    ) == (False, True)


def test_may_not_assess_an_unassigned_round(grant_round):
    assert may_assess(user=UserFactory(), grant_round=grant_round) is False


@pytest.mark.parametrize(
    "status",
    [
        GrantRound.Status.DRAFT,
        GrantRound.Status.OPEN,
        GrantRound.Status.DECISIONS,
        GrantRound.Status.RESULTS,
    ],
)
def test_may_not_assess_outside_the_assessment_stage(grant_round, assessor, status):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    grant_round.refresh_from_db()
    assert may_assess(user=assessor, grant_round=grant_round) is False


def test_open_assessment_makes_one_draft(application, assessor):
    first = open_assessment(application=application, assessor=assessor)
    again = open_assessment(application=application, assessor=assessor)

    assert (again.pk, first.status, first.conflict, first.auto_conflict, first.version) == (
        first.pk,
        Assessment.Status.DRAFT,
        Assessment.Conflict.UNDECLARED,
        "",
        1,
    )
    assert Assessment.objects.filter(application=application).count() == 1


def test_open_assessment_refused_to_an_unassigned_user(application):
    with pytest.raises(AssessmentRefused) as refused:
        open_assessment(application=application, assessor=UserFactory())
    assert refused.value.message == "Šo pieteikumu pašlaik nevar vērtēt."
    assert Assessment.objects.count() == 0


def test_open_assessment_refused_for_a_withdrawn_application(application, assessor):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    application.refresh_from_db()
    with pytest.raises(AssessmentRefused) as refused:
        open_assessment(application=application, assessor=assessor)
    assert refused.value.message == "Šis pieteikums konkursā nepiedalās."
    assert Assessment.objects.count() == 0


def test_open_assessment_marks_the_assessor_who_applied(grant_round, assessor):
    own = submitted_application(grant_round, applicant=assessor)
    assert open_assessment(application=own, assessor=assessor).auto_conflict == (
        Assessment.AutoConflict.APPLICANT
    )


def test_open_assessment_marks_a_member_found_later_and_never_clears_it(application, assessor):
    first = open_assessment(application=application, assessor=assessor)
    membership = MembershipFactory(user=assessor, community=application.community)

    marked = open_assessment(application=application, assessor=assessor)
    membership.delete()
    kept = open_assessment(application=application, assessor=assessor)

    assert (first.auto_conflict, marked.auto_conflict, kept.auto_conflict) == (
        "",
        Assessment.AutoConflict.MEMBER,
        Assessment.AutoConflict.MEMBER,
    )
    assert list(HistoryEntry.objects.values_list("actor", "action", "before", "after")) == [
        (None, "conflict", {"auto_conflict": ""}, {"auto_conflict": "member"})
    ]


def test_a_submitted_assessment_keeps_its_conflict_decision(
    application, assessment, assessor, criteria, grant_round
):
    values = {criteria[0].pk: ("8", "Labi."), criteria[1].pk: ("5", "Labi.")}
    save_scores(assessment=assessment, actor=assessor, values=values, version=2, submit=True)
    before = selectors.round_figures(grant_round=grant_round)[application.pk]
    MembershipFactory(user=assessor, community=application.community)

    reopened = open_assessment(application=application, assessor=assessor)

    assert (reopened.status, reopened.auto_conflict) == ("submitted", "")
    assert selectors.round_figures(grant_round=grant_round)[application.pk] == before
    assert before.totals == (D("86.67"),)


def test_a_conflict_begun_before_submission_is_stored_and_refuses_it(
    application, assessment, assessor, criteria
):
    MembershipFactory(user=assessor, community=application.community)
    values = {criteria[0].pk: ("8", "Labi."), criteria[1].pk: ("5", "Labi.")}

    with pytest.raises(AssessmentRefused) as refused:
        save_scores(assessment=assessment, actor=assessor, values=values, version=2, submit=True)

    assessment.refresh_from_db()
    assert refused.value.message == (
        "Platforma konstatēja interešu konfliktu (Vērtētājs ir pieteicējas kopienas "
        "dalībnieks), tāpēc šo pieteikumu jūs nevērtējat."
    )
    assert (assessment.status, assessment.auto_conflict, assessment.version) == (
        "draft",
        "member",
        2,
    )


def test_leaving_assessment_stores_the_conflicts_of_unopened_applications(
    application, assessor, grant_round
):
    MembershipFactory(user=assessor, community=application.community)
    later = UserFactory()
    grant_round.assessors.add(later)

    services.change_round_status(
        grant_round=grant_round, status=GrantRound.Status.DECISIONS, actor=None
    )
    grant_round.refresh_from_db()
    before = selectors.round_figures(grant_round=grant_round)[application.pk]
    # After assessment: a membership begun now changes nothing.
    MembershipFactory(user=later, community=application.community)

    assert list(Assessment.objects.values_list("assessor", "status", "auto_conflict")) == [
        (assessor.pk, "draft", "member")
    ]
    assert (before.excluded, before.pending) == (1, 1)
    assert selectors.round_figures(grant_round=grant_round)[application.pk] == before


def test_a_round_without_criteria_takes_no_submission(assessor):
    grant_round = closed_round(assessors=[assessor])
    opened = open_assessment(application=submitted_application(grant_round), assessor=assessor)
    opened = declare_conflict(
        assessment=opened, actor=assessor, conflict="none", reason="", version=opened.version
    )

    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=opened, actor=assessor, values={}, version=opened.version, submit=True
        )

    assert refused.value.message == (
        "Konkursam nav vērtēšanas kritēriju: vērtējumu nevar iesniegt."
    )
    opened.refresh_from_db()
    assert (opened.status, opened.weighted_total) == ("draft", None)


def test_auto_conflict_refuses_scores(application, assessor, criteria):
    MembershipFactory(user=assessor, community=application.community)
    opened = open_assessment(application=application, assessor=assessor)
    opened = declare_conflict(
        assessment=opened, actor=assessor, conflict="none", reason="", version=opened.version
    )

    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=opened,
            actor=assessor,
            values={criteria[0].pk: ("8", "Labi.")},
            version=opened.version,
        )

    assert refused.value.message == (
        "Platforma konstatēja interešu konfliktu (Vērtētājs ir pieteicējas kopienas "
        "dalībnieks), tāpēc šo pieteikumu jūs nevērtējat."
    )
    assert Score.objects.count() == 0


# --- the assessor's rounds and progress -------------------------------------------------------


def test_assigned_rounds_only_once_closed(grant_round, assessor):
    GrantRoundFactory(status=GrantRound.Status.OPEN).assessors.add(assessor)  # still open
    closed_round(assessors=[UserFactory()])  # someone else's
    decided = closed_round(status=GrantRound.Status.DECISIONS, assessors=[assessor])

    # Latest deadline first: `decided` was made (and closed) a moment after `grant_round`.
    assert list(selectors.assigned_rounds(user=assessor, now=timezone.now())) == [
        decided,
        grant_round,
    ]


def test_progress_counts_submitted_declared_and_platform_conflicts(
    grant_round, assessor, assessment, criteria
):
    first, second = criteria
    # 5 applications: `assessment`'s submitted, one declared, one where the assessor is a
    # member of the community (never opened), one draft, one untouched → 3 of 5 done.
    save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: ("8", "Labi."), second.pk: ("5", "Labi.")},
        version=assessment.version,
        submit=True,
    )
    declared_on = submitted_application(grant_round)
    opened = open_assessment(application=declared_on, assessor=assessor)
    declare_conflict(
        assessment=opened, actor=assessor, conflict="declared", reason="Radinieks.", version=1
    )
    member_of = submitted_application(grant_round)
    MembershipFactory(user=assessor, community=member_of.community)
    open_assessment(application=submitted_application(grant_round), assessor=assessor)
    submitted_application(grant_round)

    [progress] = selectors.progress_of(user=assessor, rounds=[grant_round])

    assert (progress.grant_round, progress.done, progress.total) == (grant_round, 3, 5)
