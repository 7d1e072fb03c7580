"""The assessor's writes (grants.services, "Assessment"): who may assess, conflicts of interest,
saving and submitting scores, stale forms, and the history each step leaves."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import selectors, services
from grants.models import Application, Assessment, GrantRound, HistoryEntry, Score
from grants.permissions import may_assess
from grants.services import (
    AssessmentInvalid,
    AssessmentRefused,
    StaleAssessment,
    declare_conflict,
    open_assessment,
    save_scores,
)
from tests.factories import MembershipFactory, UserFactory
from tests.factories.grants import GrantRoundFactory, closed_round, submitted_application

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def assessor():
    return UserFactory(username="vertetaja", first_name="Ilze", last_name="Ozola")


@pytest.fixture
def grant_round(assessor):
    # criterion 1: 10 points, weight 2; criterion 2: 5 points, weight 1; comments required
    return closed_round(criteria=[(10, 2), (5, 1)], assessors=[assessor])


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return submitted_application(grant_round)


@pytest.fixture
def assessment(application, assessor):
    """Opened, with "no conflict" declared: ready to score."""
    opened = open_assessment(application=application, assessor=assessor)
    return declare_conflict(
        assessment=opened,
        actor=assessor,
        conflict=Assessment.Conflict.NONE,
        reason="",
        version=opened.version,
    )


def saved_state(assessment):
    """Everything a refused save must leave untouched."""
    assessment.refresh_from_db()
    return (
        assessment.version,
        assessment.status,
        assessment.weighted_total,
        list(Score.objects.filter(assessment=assessment).values_list("points", "comment")),
        HistoryEntry.objects.filter(assessment=assessment).count(),
    )


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


# --- declare_conflict -------------------------------------------------------------------------


def test_declaring_no_conflict_leaves_history(application, assessor):
    opened = open_assessment(application=application, assessor=assessor)

    declared = declare_conflict(
        assessment=opened, actor=assessor, conflict="none", reason="  ", version=1
    )

    assert (declared.conflict, declared.conflict_reason, declared.version) == ("none", "", 2)
    entry = HistoryEntry.objects.get()
    assert (
        entry.action,
        entry.actor,
        entry.round_id,
        entry.application_id,
        entry.assessment_id,
        entry.before,
        entry.after,
    ) == (
        HistoryEntry.Action.CONFLICT,
        assessor,
        application.round_id,
        application.pk,
        opened.pk,
        {"conflict": "", "reason": ""},
        {"conflict": "none", "reason": ""},
    )


def test_declared_conflict_needs_a_reason(application, assessor):
    opened = open_assessment(application=application, assessor=assessor)

    with pytest.raises(AssessmentInvalid) as invalid:
        declare_conflict(
            assessment=opened, actor=assessor, conflict="declared", reason=" ", version=1
        )

    assert invalid.value.errors == {"conflict_reason": ["Īsi aprakstiet interešu konfliktu."]}
    assert saved_state(opened)[0] == 1
    assert (opened.conflict, HistoryEntry.objects.count()) == ("", 0)


@pytest.mark.parametrize("conflict", ["", "maybe"])
def test_conflict_must_be_chosen(application, assessor, conflict):
    opened = open_assessment(application=application, assessor=assessor)
    with pytest.raises(AssessmentInvalid) as invalid:
        declare_conflict(assessment=opened, actor=assessor, conflict=conflict, reason="", version=1)
    assert invalid.value.errors == {"conflict": ["Norādiet, vai jums ir interešu konflikts."]}


def test_conflict_reason_over_2000_characters(application, assessor):
    opened = open_assessment(application=application, assessor=assessor)
    with pytest.raises(AssessmentInvalid) as invalid:
        declare_conflict(
            assessment=opened, actor=assessor, conflict="declared", reason="ā" * 2001, version=1
        )
    assert invalid.value.errors == {
        "conflict_reason": ["Apraksts nedrīkst būt garāks par 2000 rakstzīmēm."]
    }


def test_declared_conflict_closes_the_assessment(application, assessor, criteria):
    opened = open_assessment(application=application, assessor=assessor)
    declared = declare_conflict(
        assessment=opened,
        actor=assessor,
        conflict="declared",
        reason="Pieteicēja ir mana kaimiņiene.",
        version=1,
    )

    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=declared,
            actor=assessor,
            values={criteria[0].pk: ("8", "Labi.")},
            version=declared.version,
            submit=False,
        )

    assert refused.value.message == (
        "Jūs deklarējāt interešu konfliktu, tāpēc šo pieteikumu nevērtējat."
    )
    assert saved_state(declared) == (2, "draft", None, [], 1)
    figures = selectors.round_figures(grant_round=application.round)[application.pk]
    assert (figures.count, figures.excluded, figures.pending) == (0, 1, 0)
    assert HistoryEntry.objects.get().after == {
        "conflict": "declared",
        "reason": "Pieteicēja ir mana kaimiņiene.",
    }


def test_a_declared_conflict_cannot_be_taken_back(application, assessor):
    opened = open_assessment(application=application, assessor=assessor)
    declared = declare_conflict(
        assessment=opened,
        actor=assessor,
        conflict="declared",
        reason="Pieteicēja ir mana kaimiņiene.",
        version=1,
    )

    with pytest.raises(AssessmentRefused) as refused:
        declare_conflict(
            assessment=declared,
            actor=assessor,
            conflict="none",
            reason="",
            version=declared.version,
        )

    assert refused.value.message == (
        "Interešu konflikts jau ir deklarēts, tāpēc šo pieteikumu jūs nevērtējat."
    )
    declared.refresh_from_db()
    assert (declared.conflict, declared.version, HistoryEntry.objects.count()) == (
        "declared",
        2,
        1,
    )


def test_scores_need_a_declaration_first(application, assessor, criteria):
    opened = open_assessment(application=application, assessor=assessor)
    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=opened, actor=assessor, values={criteria[0].pk: ("8", "")}, version=1
        )
    assert refused.value.message == "Vispirms norādiet, vai jums ir interešu konflikts."


def test_another_assessors_assessment_is_refused(application, assessment, criteria, grant_round):
    other = UserFactory()
    grant_round.assessors.add(other)
    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=assessment,
            actor=other,
            values={criteria[0].pk: ("1", "Slikti.")},
            version=assessment.version,
        )
    assert refused.value.message == "Šis nav jūsu vērtējums."
    assert saved_state(assessment) == (2, "draft", None, [], 1)


def test_scores_refused_once_the_round_left_assessment(assessment, criteria, grant_round):
    GrantRound.objects.filter(pk=grant_round.pk).update(status=GrantRound.Status.DECISIONS)
    with pytest.raises(AssessmentRefused) as refused:
        save_scores(
            assessment=assessment,
            actor=assessment.assessor,
            values={criteria[0].pk: ("8", "Labi.")},
            version=assessment.version,
        )
    assert refused.value.message == "Konkursa vērtēšana ir slēgta."


# --- save_scores: bad input, nothing saved ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "Punktiem jābūt no 0 līdz 10."),
        ("-1", "Punktiem jābūt no 0 līdz 10."),
        (11, "Punktiem jābūt no 0 līdz 10."),
        ("abc", "Ievadiet veselu skaitli."),
        ("1.5", "Ievadiet veselu skaitli."),
        ("1,5", "Ievadiet veselu skaitli."),
        ("NaN", "Ievadiet veselu skaitli."),
        ("1e1000", "Ievadiet veselu skaitli."),
        # Refused by its shape before any conversion (it used to take seconds under the lock).
        ("1e300000", "Ievadiet veselu skaitli."),
        ("-1e300000", "Ievadiet veselu skaitli."),
        ("inf", "Ievadiet veselu skaitli."),
        ("-Infinity", "Ievadiet veselu skaitli."),
        ("sNaN", "Ievadiet veselu skaitli."),
        ("0x0A", "Ievadiet veselu skaitli."),
        ("1_0", "Ievadiet veselu skaitli."),
        ("٣", "Ievadiet veselu skaitli."),  # a digit, but not one typed on a Latvian keyboard
        ("9" * 30, "Ievadiet veselu skaitli."),
        ("1" * 100_000, "Ievadiet veselu skaitli."),
        ("10.5", "Ievadiet veselu skaitli."),
        ("9" * 20, "Punktiem jābūt no 0 līdz 10."),
        ("32768", "Punktiem jābūt no 0 līdz 10."),
        ("-0001", "Punktiem jābūt no 0 līdz 10."),
    ],
)
def test_bad_points_refused_even_in_a_draft(assessment, assessor, criteria, raw, message):
    first, second = criteria
    before = saved_state(assessment)

    with pytest.raises(AssessmentInvalid) as invalid:
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: (raw, "Komentārs."), second.pk: ("4", "Labs plāns.")},
            version=assessment.version,
        )

    assert invalid.value.errors == {f"points_{first.pk}": [message]}
    # Nothing saved: not even the valid second criterion.
    assert saved_state(assessment) == before == (2, "draft", None, [], 1)


@pytest.mark.parametrize(
    ("raw", "points"), [("10", 10), (" 7 ", 7), ("7.0", 7), ("+3", 3), ("0", 0)]
)
def test_whole_points_in_range_are_kept(assessment, assessor, criteria, raw, points):
    first, _second = criteria

    save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: (raw, "Komentārs.")},
        version=assessment.version,
    )

    assert list(Score.objects.values_list("points", "comment")) == [(points, "Komentārs.")]


def test_second_criterion_has_its_own_maximum(assessment, assessor, criteria):
    first, second = criteria
    with pytest.raises(AssessmentInvalid) as invalid:
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: ("10", "Izcili."), second.pk: ("6", "Labi.")},
            version=assessment.version,
        )
    assert invalid.value.errors == {f"points_{second.pk}": ["Punktiem jābūt no 0 līdz 5."]}


def test_draft_may_leave_points_and_comments_empty(assessment, assessor, criteria):
    first, second = criteria

    saved = save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: (" 8 ", "  Skaidrs mērķis.  "), second.pk: ("", "")},
        version=assessment.version,
    )

    assert (saved.version, saved.status, saved.weighted_total) == (3, "draft", None)
    assert list(saved.scores.values_list("criterion_id", "points", "comment")) == [
        (first.pk, 8, "Skaidrs mērķis.")
    ]


def test_submit_needs_every_point_and_required_comment(assessment, assessor, criteria):
    first, second = criteria
    before = saved_state(assessment)

    with pytest.raises(AssessmentInvalid) as invalid:
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: ("8", "   "), second.pk: ("", "Pamatots.")},
            version=assessment.version,
            submit=True,
        )

    assert invalid.value.errors == {
        f"comment_{first.pk}": ["Pamatojiet vērtējumu komentārā."],
        f"points_{second.pk}": ["Novērtējiet šo kritēriju."],
    }
    assert saved_state(assessment) == before


def test_submit_without_any_values(assessment, assessor, criteria):
    first, second = criteria
    with pytest.raises(AssessmentInvalid) as invalid:
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={},
            version=assessment.version,
            submit=True,
        )
    assert invalid.value.errors == {
        f"points_{first.pk}": ["Novērtējiet šo kritēriju."],
        f"comment_{first.pk}": ["Pamatojiet vērtējumu komentārā."],
        f"points_{second.pk}": ["Novērtējiet šo kritēriju."],
        f"comment_{second.pk}": ["Pamatojiet vērtējumu komentārā."],
    }


def test_optional_comment_may_stay_empty_on_submit(assessment, assessor, criteria):
    first, second = criteria
    second.comment_required = False
    second.save()

    submitted = save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: ("8", "Labi."), second.pk: ("0", "")},
        version=assessment.version,
        submit=True,
    )

    # (8/10 × 2 + 0) / 3 × 100 = 53.33
    assert (submitted.status, submitted.weighted_total) == ("submitted", D("53.33"))


def test_comment_over_4000_characters(assessment, assessor, criteria):
    first, second = criteria
    before = saved_state(assessment)

    with pytest.raises(AssessmentInvalid) as invalid:
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: ("8", "ā" * 4001), second.pk: ("5", "ž" * 4000)},
            version=assessment.version,
        )

    assert invalid.value.errors == {
        f"comment_{first.pk}": ["Komentārs nedrīkst būt garāks par 4000 rakstzīmēm."]
    }
    assert saved_state(assessment) == before


# --- stale forms, double submits --------------------------------------------------------------


def test_stale_form_is_refused_not_applied(assessment, assessor, criteria):
    first, second = criteria
    opened_at = assessment.version  # two tabs open the same form
    save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: ("8", "Pirmā cilne."), second.pk: ("5", "")},
        version=opened_at,
    )
    after_first = saved_state(assessment)

    with pytest.raises(StaleAssessment):
        save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: ("1", "Otrā cilne."), second.pk: ("1", "")},
            version=opened_at,
        )

    assert (
        saved_state(assessment)
        == after_first
        == (
            3,
            "draft",
            None,
            [(8, "Pirmā cilne."), (5, "")],
            2,
        )
    )


def test_stale_conflict_declaration_is_refused(application, assessor):
    opened = open_assessment(application=application, assessor=assessor)
    declare_conflict(assessment=opened, actor=assessor, conflict="none", reason="", version=1)

    with pytest.raises(StaleAssessment):
        declare_conflict(
            assessment=opened, actor=assessor, conflict="declared", reason="Radinieks.", version=1
        )

    opened.refresh_from_db()
    assert (opened.conflict, opened.version, HistoryEntry.objects.count()) == ("none", 2, 1)


def test_submitted_assessment_is_final(assessment, assessor, criteria):
    first, second = criteria
    values = {first.pk: ("8", "Skaidrs mērķis."), second.pk: ("5", "Reāls budžets.")}
    submitted = save_scores(
        assessment=assessment,
        actor=assessor,
        values=values,
        version=assessment.version,
        submit=True,
    )
    state = saved_state(assessment)

    for attempt in (
        lambda: save_scores(
            assessment=assessment,
            actor=assessor,
            values=values,
            version=submitted.version,
            submit=True,
        ),
        lambda: save_scores(
            assessment=assessment,
            actor=assessor,
            values={first.pk: ("1", "Pārdomāju."), second.pk: ("1", "")},
            version=submitted.version,
        ),
        lambda: declare_conflict(
            assessment=assessment,
            actor=assessor,
            conflict="declared",
            reason="Radinieks.",
            version=submitted.version,
        ),
    ):
        with pytest.raises(AssessmentRefused) as refused:
            attempt()
        assert refused.value.message == "Vērtējums jau ir iesniegts, un to vairs nevar mainīt."

    assert saved_state(assessment) == state
    assert (
        HistoryEntry.objects.filter(
            assessment=assessment, action=HistoryEntry.Action.SUBMITTED
        ).count()
    ) == 1


def test_submit_stores_the_selectors_total_and_leaves_history(assessment, assessor, criteria):
    first, second = criteria
    save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: ("6", "Vidēji."), second.pk: ("", "")},
        version=assessment.version,
    )
    started = timezone.now()

    submitted = save_scores(
        assessment=assessment,
        actor=assessor,
        values={first.pk: ("8", "Skaidrs mērķis."), second.pk: ("5", "Reāls budžets.")},
        version=3,
        submit=True,
    )

    # (8/10 × 2 + 5/5 × 1) / 3 × 100 = 86.67
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version, submitted.weighted_total) == (
        "submitted",
        4,
        D("86.67"),
    )
    assert submitted.submitted_at >= started
    assert submitted.weighted_total == selectors.weighted_total(
        criteria=criteria, points={first.pk: 8, second.pk: 5}
    )
    assert selectors.round_figures(grant_round=assessment.application.round) == {
        assessment.application_id: selectors.Figures(
            totals=(D("86.67"),), excluded=0, pending=0, threshold=D(25)
        )
    }
    history = [
        (entry.action, entry.actor, entry.before, entry.after)
        for entry in HistoryEntry.objects.filter(assessment=assessment).order_by("pk")
    ]
    f, s = str(first.pk), str(second.pk)
    assert history == [
        ("conflict", assessor, {"conflict": "", "reason": ""}, {"conflict": "none", "reason": ""}),
        ("scores", assessor, {}, {f: [6, "Vidēji."]}),
        (
            "scores",
            assessor,
            {f: [6, "Vidēji."]},
            {f: [8, "Skaidrs mērķis."], s: [5, "Reāls budžets."]},
        ),
        (
            "submitted",
            assessor,
            {"status": "draft"},
            {"status": "submitted", "weighted_total": "86.67"},
        ),
    ]


def test_unchanged_save_leaves_no_scores_entry(assessment, assessor, criteria):
    first, second = criteria
    values = {first.pk: ("8", "Labi."), second.pk: ("4", "Labi.")}
    save_scores(assessment=assessment, actor=assessor, values=values, version=2)

    again = save_scores(assessment=assessment, actor=assessor, values=values, version=3)

    assert again.version == 4
    assert list(
        HistoryEntry.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["conflict", "scores"]


def test_version_is_compared_with_the_database_not_the_callers_copy(assessment, assessor, criteria):
    # The caller's object may be old: the service re-reads the row under its lock.
    stale = Assessment.objects.get(pk=assessment.pk)
    stale.version = 99
    with pytest.raises(StaleAssessment):
        services.save_scores(assessment=stale, actor=assessor, values={}, version=99)


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
