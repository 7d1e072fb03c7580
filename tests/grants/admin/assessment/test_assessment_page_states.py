"""The admin assess page once others scored, the platform found a conflict or assessment closed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Membership
from grants.models import Assessment, GrantRound, Score
from tests.factories import MembershipFactory, staff
from tests.factories.grants import submitted_assessment
from tests.grants.admin.assessment.helpers import (
    QUERIES_ASSESS,
    assess_url,
    cells,
    declared_none,
    messages_of,
    scores_data,
)
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db


def test_other_assessors_scores_appear_only_after_the_own_submission(
    client, assessor, other_assessor, application, criteria
):
    submitted_assessment(application, other_assessor, [4, 1], comment="Vāji pamatots budžets.")
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    before = client.get(assess_url(application))

    assert "Vāji pamatots budžets." not in before.content.decode()
    assert "Pēteris Otrais" not in before.content.decode()
    assert parse(before.content).select("#figures") == []

    client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("6", "5"),
            comments=("Labi.", "Labi."),
        ),
    )
    after = parse(client.get(assess_url(application)).content)

    # Totals: 86,67 (own) and (0,4·1 + 0,2·2) / 3 = 26,67; spread 60 > 25.
    assert definitions(after.select_one("#figures")) == [
        ("Iesniegti vērtējumi", "2"),
        ("Vidējais", "56,67"),
        ("Mediāna", "56,67"),
        ("Izkliede (augstākais − zemākais)", "60,00"),
        ("Vērtētāju nesaskaņa", "Jā: vērtējumi atšķiras vairāk par 25 punktiem"),
        ("Izslēgti interešu konflikta dēļ", "0"),
        ("Vēl nav novērtējuši", "0"),
    ]
    assert after.texts(".other-assessment caption") == ["Pēteris Otrais: 26,67 no 100"]
    assert cells(after, ".other-assessment tbody tr") == [
        ["Kritērijs 1", "4 / 10", "Vāji pamatots budžets."],
        ["Kritērijs 2", "1 / 5", "Vāji pamatots budžets."],
    ]


def test_a_conflict_found_by_the_platform_excludes_the_assessment(
    client, assessor, application, criteria
):
    MembershipFactory(
        user=assessor,
        community=application.community,
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    refused = client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("5", "5")),
    )

    assert assessment.auto_conflict == Assessment.AutoConflict.MEMBER
    assert page.texts("#auto-conflict") == [
        "Platforma konstatēja interešu konfliktu: Vērtētājs ir pieteicējas kopienas "
        "dalībnieks. Tāpēc šo pieteikumu jūs nevērtējat, un šis vērtējums netiek ņemts vērā "
        "pieteikuma rezultātā."
    ]
    assert page.select("#conflict-form") + page.select("#scores-form") == []
    assert (refused.status_code, messages_of(refused)) == (
        302,
        [
            "Platforma konstatēja interešu konfliktu (Vērtētājs ir pieteicējas kopienas "
            "dalībnieks), tāpēc šo pieteikumu jūs nevērtējat."
        ],
    )
    assert Score.objects.count() == 0


def test_after_assessment_closes_the_page_is_read_only(
    client, assessor, other_assessor, application
):
    submitted_assessment(application, assessor, [6, 5], comment="Pārliecinoši.")
    submitted_assessment(application, other_assessor, [10, 5])
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)

    assert page.select("#scores-form") + page.select("#conflict-form") == []
    assert cells(page, "#own-scores tbody tr") == [
        ["Kritērijs 1", "6 / 10", "Pārliecinoši."],
        ["Kritērijs 2", "5 / 5", "Pārliecinoši."],
    ]
    assert page.texts(".other-assessment caption") == ["Pēteris Otrais: 100,00 no 100"]


def test_an_unopened_application_of_a_closed_assessment_is_shown_without_a_form(
    client, assessor, application
):
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūs šo pieteikumu nevērtējāt."
    ]
    assert Assessment.objects.count() == 0


def test_an_opened_but_never_saved_assessment_of_a_closed_round_shows_no_empty_table(
    client, assessor, application
):
    client.force_login(assessor)
    client.get(assess_url(application))
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūs šo pieteikumu nevērtējāt."
    ]
    assert page.select("#own-scores") == []
    assert Assessment.objects.filter(assessor=assessor).count() == 1


def test_a_saved_draft_of_a_closed_round_is_shown_as_saved(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("6", ""), comments=("Labi.", "")),
    )
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūsu vērtējums netika iesniegts. Zemāk redzams saglabātais."
    ]
    assert cells(page, "#own-scores tbody tr") == [
        ["Kritērijs 1", "6 / 10", "Labi."],
        ["Kritērijs 2", "–", ""],
    ]


def test_assess_page_queries_do_not_grow_with_other_assessments(
    client, assessor, grant_round, application, criteria
):
    others = [staff("Vērtētāji") for _ in range(4)]
    grant_round.assessors.add(*others)
    submitted_assessment(application, others[0], [5, 5])
    submitted_assessment(application, assessor, [6, 5])
    client.force_login(assessor)
    client.get(assess_url(application))
    with CaptureQueriesContext(connection) as one_other:
        client.get(assess_url(application))
    for other in others[1:]:
        submitted_assessment(application, other, [3, 2])
    with CaptureQueriesContext(connection) as four_others:
        page = parse(client.get(assess_url(application)).content)

    assert len(page.select(".other-assessment")) == 4
    assert (len(one_other), len(four_others)) == (QUERIES_ASSESS, QUERIES_ASSESS)
