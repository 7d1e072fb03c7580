"""Assessment writes: stale forms, double submits, a final submission and the history it leaves."""

import pytest
from django.utils import timezone

from grants import selectors, services
from grants.models import Assessment, HistoryEntry
from grants.services import (
    AssessmentRefused,
    StaleAssessment,
    declare_conflict,
    open_assessment,
    save_scores,
)
from tests.grants.services.assessment.helpers import D, saved_state

pytestmark = pytest.mark.django_db


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
