"""declare_conflict: the conflict-of-interest declaration and what it allows afterwards."""

import pytest

from grants import selectors
from grants.models import GrantRound, HistoryEntry
from grants.services import (
    AssessmentInvalid,
    AssessmentRefused,
    declare_conflict,
    open_assessment,
    save_scores,
)
from tests.factories import UserFactory
from tests.grants.services.assessment.helpers import saved_state

pytestmark = pytest.mark.django_db


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
