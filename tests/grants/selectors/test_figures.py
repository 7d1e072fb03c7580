"""Scores becoming figures (grants.selectors, "Assessment figures"), checked against values
worked out by hand in the comments.

weighted_total = Σ(points / max × weight) / Σ weight × 100, rounded half-up to cents.
"""

from decimal import Decimal

import pytest

from grants import selectors
from grants.models import Application, Assessment, Criterion
from grants.selectors import Figures, figures_of, ranking, round_figures, weighted_total
from tests.factories import MembershipFactory, UserFactory
from tests.factories.grants import (
    AssessmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)

D = Decimal


def criteria_of(*pairs) -> list[Criterion]:
    """Unsaved criteria with pks 1, 2, …: weighted_total needs no database."""
    return [
        Criterion(pk=index, max_points=max_points, weight=D(weight))
        for index, (max_points, weight) in enumerate(pairs, start=1)
    ]


def totals_of(*values) -> list[Assessment]:
    """Unsaved submitted assessments with the given weighted totals, by assessors 1, 2, …"""
    return [
        Assessment(
            assessor_id=index,
            status=Assessment.Status.SUBMITTED,
            conflict=Assessment.Conflict.NONE,
            weighted_total=D(value),
        )
        for index, value in enumerate(values, start=1)
    ]


def assigned(count: int) -> set[int]:
    return set(range(1, count + 1))


# --- weighted_total ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        # (8/10 × 2 + 5/5 × 1) / 3 × 100 = 2.6 / 3 × 100 = 86.666… → 86.67
        ({1: 8, 2: 5}, D("86.67")),
        # (2/10 × 2 + 1/5 × 1) / 3 × 100 = 0.6 / 3 × 100 = 20.00
        ({1: 2, 2: 1}, D("20.00")),
        # (0 + 5/5 × 1) / 3 × 100 = 33.333… → 33.33: the lighter criterion counts a third
        ({1: 0, 2: 5}, D("33.33")),
        # (10/10 × 2 + 0) / 3 × 100 = 66.666… → 66.67
        ({1: 10, 2: 0}, D("66.67")),
        # missing points count as 0: (8/10 × 2) / 3 × 100 = 53.333… → 53.33
        ({1: 8}, D("53.33")),
        ({1: 8, 2: None}, D("53.33")),
        # all zeros → 0, all maxima → 100
        ({1: 0, 2: 0}, D("0.00")),
        ({}, D("0.00")),
        ({1: 10, 2: 5}, D("100.00")),
    ],
)
def test_weighted_total_weights_each_criterion_as_a_share_of_its_maximum(points, expected):
    assert weighted_total(criteria=criteria_of((10, "2"), (5, "1")), points=points) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        # 1/32 × 100 = 3.125 → 3.13 half-up (half-even would give 3.12)
        (1, D("3.13")),
        # 5/32 × 100 = 15.625 → 15.63 (half-even: 15.62)
        (5, D("15.63")),
        # 3/32 × 100 = 9.375 → 9.38
        (3, D("9.38")),
    ],
)
def test_weighted_total_rounds_half_up(points, expected):
    assert weighted_total(criteria=criteria_of((32, "1")), points={1: points}) == expected


def test_weighted_total_with_fractional_weights():
    # (5/10 × 1.5 + 10/20 × 0.5) / 2 × 100 = (0.75 + 0.25) / 2 × 100 = 50.00
    criteria = criteria_of((10, "1.5"), (20, "0.5"))
    assert weighted_total(criteria=criteria, points={1: 5, 2: 10}) == D("50.00")
    # (10/10 × 1.5 + 0) / 2 × 100 = 75.00
    assert weighted_total(criteria=criteria, points={1: 10, 2: 0}) == D("75.00")


def test_weighted_total_of_a_round_without_criteria_is_zero():
    assert weighted_total(criteria=[], points={}) == D(0)


# --- figures_of: mean, median, spread, disagreement -------------------------------------------


def test_figures_of_three_assessments():
    figures = figures_of(
        assessments=totals_of("86.67", "20.00", "50.00"), assessors=assigned(3), threshold=D(25)
    )
    # mean (86.67 + 20.00 + 50.00) / 3 = 156.67 / 3 = 52.2233… → 52.22; median 50.00;
    # spread 86.67 − 20.00 = 66.67 > 25: flagged
    assert (
        figures.totals,
        figures.count,
        figures.mean,
        figures.median,
        figures.spread,
        figures.disagreement,
        figures.pending,
        figures.excluded,
        figures.missing,
    ) == (
        (D("20.00"), D("50.00"), D("86.67")),
        3,
        D("52.22"),
        D("50.00"),
        D("66.67"),
        True,
        0,
        0,
        False,
    )


def test_figures_of_four_assessments_takes_the_middle_pair_for_the_median():
    figures = figures_of(
        assessments=totals_of("40.00", "10.00", "30.00", "20.01"),
        assessors=assigned(4),
        threshold=D(25),
    )
    # sorted 10.00, 20.01, 30.00, 40.00: median (20.01 + 30.00) / 2 = 25.005 → 25.01 half-up;
    # mean 100.01 / 4 = 25.0025 → 25.00; spread 40.00 − 10.00 = 30.00 > 25
    assert (figures.mean, figures.median, figures.spread, figures.disagreement) == (
        D("25.00"),
        D("25.01"),
        D("30.00"),
        True,
    )


def test_figures_of_rounds_the_mean_half_up():
    # (10.02 + 20.00 + 30.00 + 40.00) / 4 = 100.02 / 4 = 25.005 → 25.01 (half-even: 25.00);
    # median (20.00 + 30.00) / 2 = 25.00
    figures = figures_of(
        assessments=totals_of("10.02", "20.00", "30.00", "40.00"),
        assessors=assigned(4),
        threshold=D(25),
    )
    assert (figures.mean, figures.median) == (D("25.01"), D("25.00"))


@pytest.mark.parametrize(
    ("totals", "flagged"),
    [
        (("50.00", "75.00"), False),  # spread 25.00: exactly at the default threshold
        (("50.00", "75.01"), True),  # spread 25.01: above it
        (("60.00", "60.00", "60.00"), False),  # spread 0
        (("60.00",), False),  # one assessment cannot disagree with itself
    ],
)
def test_disagreement_flag_at_the_default_threshold(totals, flagged):
    figures = figures_of(
        assessments=totals_of(*totals), assessors=assigned(len(totals)), threshold=D(25)
    )
    assert figures.disagreement is flagged


def test_figures_of_no_assessments():
    figures = figures_of(assessments=[], assessors=assigned(2), threshold=D(25))
    assert (
        figures.count,
        figures.mean,
        figures.median,
        figures.spread,
        figures.disagreement,
        figures.pending,
        figures.missing,
    ) == (0, None, None, None, False, 2, True)


def test_figures_of_excludes_conflicts_and_drafts():
    declared = Assessment(
        assessor_id=2,
        status=Assessment.Status.SUBMITTED,
        conflict=Assessment.Conflict.DECLARED,
        weighted_total=D("10.00"),
    )
    auto = Assessment(
        assessor_id=3,
        status=Assessment.Status.SUBMITTED,
        conflict=Assessment.Conflict.NONE,
        auto_conflict=Assessment.AutoConflict.MEMBER,
        weighted_total=D("99.00"),
    )
    draft = Assessment(
        assessor_id=4,
        status=Assessment.Status.DRAFT,
        conflict=Assessment.Conflict.NONE,
        weighted_total=D("1"),
    )
    figures = figures_of(
        assessments=[*totals_of("70.00"), declared, auto, draft],
        assessors=assigned(5),
        threshold=D(25),
    )
    # counted: 70.00 only; excluded: the declared and the automatic conflict; pending: 5
    # assigned − 1 submitted − 2 conflicted = 2 (the draft and one never opened)
    assert figures == Figures(totals=(D("70.00"),), excluded=2, pending=2, threshold=D(25))
    assert (figures.mean, figures.missing) == (D("70.00"), True)


# --- round_figures: from the database ----------------------------------------------------------


@pytest.fixture
def assessors():
    return [UserFactory(username=f"vertetajs{n}") for n in range(1, 4)]


@pytest.mark.django_db
def test_round_figures_of_a_scored_application(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round)
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    submitted_assessment(application, assessors[1], [2, 1])  # 20.00
    submitted_assessment(application, assessors[2], [5, 5])  # (1 + 1) / 3 × 100 = 66.67

    figures = round_figures(grant_round=grant_round)

    # mean (86.67 + 20.00 + 66.67) / 3 = 173.34 / 3 = 57.78; median 66.67; spread 66.67
    assert figures == {
        application.pk: Figures(
            totals=(D("20.00"), D("66.67"), D("86.67")), excluded=0, pending=0, threshold=D(25)
        )
    }
    only = figures[application.pk]
    assert (only.mean, only.median, only.spread, only.disagreement) == (
        D("57.78"),
        D("66.67"),
        D("66.67"),
        True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("threshold", "flagged"), [("66.67", False), ("66.66", True)])
def test_disagreement_flag_uses_the_rounds_own_threshold(assessors, threshold, flagged):
    grant_round = closed_round(
        criteria=[(10, 2), (5, 1)], assessors=assessors[:2], disagreement_threshold=D(threshold)
    )
    application = submitted_application(grant_round)
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    submitted_assessment(application, assessors[1], [2, 1])  # 20.00: spread 66.67

    figures = round_figures(grant_round=grant_round)[application.pk]

    assert (figures.spread, figures.threshold, figures.disagreement) == (
        D("66.67"),
        D(threshold),
        flagged,
    )


@pytest.mark.django_db
def test_declared_conflict_is_excluded(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round)
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    submitted_assessment(application, assessors[1], [2, 1])  # 20.00
    AssessmentFactory(
        application=application,
        assessor=assessors[2],
        conflict=Assessment.Conflict.DECLARED,
        conflict_reason="Pieteicēja ir mana māsa.",
    )

    figures = round_figures(grant_round=grant_round)[application.pk]

    # mean (86.67 + 20.00) / 2 = 53.335 → 53.34 half-up; the third assessor is done, not pending
    assert figures == Figures(
        totals=(D("20.00"), D("86.67")), excluded=1, pending=0, threshold=D(25)
    )
    assert (figures.mean, figures.median, figures.missing) == (D("53.34"), D("53.34"), False)


@pytest.mark.django_db
def test_assessor_who_applied_is_excluded_even_with_a_submitted_assessment(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round, applicant=assessors[2])
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    submitted_assessment(application, assessors[1], [2, 1])  # 20.00
    # The conflict the platform stored on submission excludes it whatever was declared.
    submitted_assessment(application, assessors[2], [10, 5])  # 100.00

    figures = round_figures(grant_round=grant_round)[application.pk]

    assert figures == Figures(
        totals=(D("20.00"), D("86.67")), excluded=1, pending=0, threshold=D(25)
    )


@pytest.mark.django_db
def test_member_of_the_applicants_community_is_excluded_without_opening_it(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round)
    other = submitted_application(grant_round)
    MembershipFactory(user=assessors[2], community=application.community)
    for target in (application, other):
        submitted_assessment(target, assessors[0], [8, 5])  # 86.67
        submitted_assessment(target, assessors[1], [2, 1])  # 20.00

    figures = round_figures(grant_round=grant_round)

    # assessors[2] never opened either: excluded for `application`, missing for `other`
    assert figures == {
        application.pk: Figures(
            totals=(D("20.00"), D("86.67")), excluded=1, pending=0, threshold=D(25)
        ),
        other.pk: Figures(totals=(D("20.00"), D("86.67")), excluded=0, pending=1, threshold=D(25)),
    }
    assert (figures[application.pk].missing, figures[other.pk].missing) == (False, True)


@pytest.mark.django_db
def test_pending_and_drafts(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round)
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    # A draft, even one carrying a total, is not counted and leaves its assessor pending.
    AssessmentFactory(application=application, assessor=assessors[1], weighted_total=D("5.00"))

    figures = round_figures(grant_round=grant_round)[application.pk]

    assert figures == Figures(totals=(D("86.67"),), excluded=0, pending=2, threshold=D(25))
    assert (figures.count, figures.mean, figures.missing) == (1, D("86.67"), True)


@pytest.mark.django_db
def test_assessor_taken_off_the_round_counts_but_hides_no_one_pending(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    application = submitted_application(grant_round)
    submitted_assessment(application, assessors[0], [8, 5])  # 86.67
    submitted_assessment(application, assessors[1], [2, 1])  # 20.00
    grant_round.assessors.remove(assessors[0])

    figures = round_figures(grant_round=grant_round)[application.pk]

    # The submitted assessment still counts; assessors[2], still assigned, has not assessed.
    assert figures == Figures(
        totals=(D("20.00"), D("86.67")), excluded=0, pending=1, threshold=D(25)
    )
    assert figures.missing is True


@pytest.mark.django_db
def test_round_figures_leave_out_drafts_and_withdrawn_applications(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors[:1])
    competing = submitted_application(grant_round)
    withdrawn = submitted_application(grant_round)
    submitted_assessment(withdrawn, assessors[0], [8, 5])
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)

    assert round_figures(grant_round=grant_round) == {
        competing.pk: Figures(totals=(), excluded=0, pending=1, threshold=D(25))
    }


@pytest.mark.django_db
def test_round_figures_equal_figures_of_each_application(assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    first, second, third = (submitted_application(grant_round) for _ in range(3))
    submitted_assessment(first, assessors[0], [8, 5])
    submitted_assessment(first, assessors[1], [2, 1])
    submitted_assessment(first, assessors[2], [7, 3])
    submitted_assessment(second, assessors[0], [10, 5])
    AssessmentFactory(
        application=second,
        assessor=assessors[1],
        conflict=Assessment.Conflict.DECLARED,
        conflict_reason="Strādāju šajā biedrībā.",
    )
    AssessmentFactory(application=third, assessor=assessors[2])

    figures = round_figures(grant_round=grant_round)

    assert figures == {
        application.pk: figures_of(
            assessments=Assessment.objects.filter(application=application),
            assessors={assessor.pk for assessor in assessors},
            threshold=grant_round.disagreement_threshold,
        )
        for application in (first, second, third)
    }
    # and by hand: [7, 3] → (0.7 × 2 + 0.6) / 3 × 100 = 66.67
    assert figures[first.pk].totals == (D("20.00"), D("66.67"), D("86.67"))
    assert (figures[second.pk].totals, figures[second.pk].excluded) == ((D("100.00"),), 1)
    assert (figures[third.pk].count, figures[third.pk].pending) == (0, 3)


# --- ranking -----------------------------------------------------------------------------------


@pytest.fixture
def ranked_round(assessors):
    """Four applications, one criterion worth 100 points (points = total):
    W (#1, asks 500) unscored; Y (#2, asks 1000) 70/70/70: mean 70, median 70;
    X (#3, asks 900) 10/90/95: mean 65, median 90; Z (#4, asks 1200) 60/70/80: mean 70,
    median 70 (ties with Y, comes after it by reference). Budget 3,100 €."""
    grant_round = closed_round(
        criteria=[(100, 1)],
        assessors=assessors,
        total_budget=D("3100.00"),
        max_grant=D("1500.00"),
        reference_code="DK-2026",
    )
    submitted_application(grant_round, requested=D("500.00"))  # W
    y = submitted_application(grant_round, requested=D("1000.00"))
    x = submitted_application(grant_round, requested=D("900.00"))
    z = submitted_application(grant_round, requested=D("1200.00"))
    for application, points in ((y, (70, 70, 70)), (x, (10, 90, 95)), (z, (60, 70, 80))):
        for assessor, value in zip(assessors, points, strict=True):
            submitted_assessment(application, assessor, [value])
    return grant_round


def rows_of(result):
    return [
        (
            row.position,
            row.application.reference,
            row.figures.score(result.by),
            row.application.requested_total,
            row.running_total,
            row.within_budget,
        )
        for row in result.rows
    ]


@pytest.mark.django_db
def test_ranking_by_mean(ranked_round):
    result = ranking(grant_round=ranked_round)

    # Y 70 and Z 70 tie: reference order; X 65; W unscored last. Running totals of the
    # requests: 1000, 2200, 3100 (= the budget: still within), 3600 (over the funding line).
    assert result.by == "mean"
    assert rows_of(result) == [
        (1, "DK-2026-002", D("70.00"), D("1000.00"), D("1000.00"), True),
        (2, "DK-2026-004", D("70.00"), D("1200.00"), D("2200.00"), True),
        (3, "DK-2026-003", D("65.00"), D("900.00"), D("3100.00"), True),
        (4, "DK-2026-001", None, D("500.00"), D("3600.00"), False),
    ]
    assert (result.awarded, result.remaining) == (D(0), D("3100.00"))


@pytest.mark.django_db
def test_ranking_by_median(ranked_round):
    result = ranking(grant_round=ranked_round, by="median")

    # X 90 first; Y 70 and Z 70 in reference order: 900, 1900, 3100, 3600
    assert rows_of(result) == [
        (1, "DK-2026-003", D("90.00"), D("900.00"), D("900.00"), True),
        (2, "DK-2026-002", D("70.00"), D("1000.00"), D("1900.00"), True),
        (3, "DK-2026-004", D("70.00"), D("1200.00"), D("3100.00"), True),
        (4, "DK-2026-001", None, D("500.00"), D("3600.00"), False),
    ]


@pytest.mark.django_db
def test_ranking_by_anything_else_is_by_mean(ranked_round):
    result = ranking(grant_round=ranked_round, by="; drop table")
    assert (result.by, [row.application.reference for row in result.rows]) == (
        "mean",
        ["DK-2026-002", "DK-2026-004", "DK-2026-003", "DK-2026-001"],
    )


@pytest.mark.django_db
def test_ranking_counts_awarded_sums_of_supported_applications(ranked_round):
    Application.objects.filter(reference="DK-2026-002").update(
        decision=Application.Decision.SUPPORTED, awarded_amount=D("950.00")
    )
    Application.objects.filter(reference="DK-2026-003").update(
        decision=Application.Decision.RESERVE
    )

    result = ranking(grant_round=ranked_round)

    assert (result.awarded, result.remaining) == (D("950.00"), D("2150.00"))
    assert selectors.awarded_total(grant_round=ranked_round) == D("950.00")


# --- a fixed number of queries -----------------------------------------------------------------


def round_of(size: int, assessors):
    grant_round = closed_round(criteria=[(10, 2), (5, 1)], assessors=assessors)
    for _ in range(size):
        application = submitted_application(grant_round)
        submitted_assessment(application, assessors[0], [8, 5])
        AssessmentFactory(application=application, assessor=assessors[1])
        MembershipFactory(user=assessors[2], community=application.community)
    return grant_round


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_round_figures_query_count_does_not_grow(size, assessors, django_assert_num_queries):
    grant_round = round_of(size, assessors)

    # assessors, competing applications, memberships, assessments, competing pks
    with django_assert_num_queries(5):
        figures = round_figures(grant_round=grant_round)

    assert len(figures) == size
    assert {(f.count, f.excluded, f.pending) for f in figures.values()} == {(1, 1, 1)}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_ranking_query_count_does_not_grow(size, assessors, django_assert_num_queries):
    grant_round = round_of(size, assessors)

    # round_figures' five, the requested sums, and the applications with their communities
    with django_assert_num_queries(7):
        result = ranking(grant_round=grant_round)
        names = [row.application.community.name for row in result.rows]

    assert len(names) == size
