"""save_scores: bad input is refused and nothing saved; what a draft and a submission need."""

import pytest

from grants.models import Score
from grants.services import AssessmentInvalid, save_scores
from tests.grants.services.assessment.helpers import D, saved_state

pytestmark = pytest.mark.django_db


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
