"""Who reaches the admin assessment pages: assigned assessors, others, managers, coordinators."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import Application, Assessment, GrantRound
from tests.factories import staff
from tests.factories.grants import (
    AssessmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)
from tests.grants.admin.assessment.helpers import MINE, assess_url, cells
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- Who reaches what --------------------------------------------------------------------------


def test_an_unassigned_rounds_application_is_not_found(client, assessor):
    elsewhere = submitted_application(closed_round(criteria=[(10, "1")]))
    client.force_login(assessor)

    response = client.get(assess_url(elsewhere))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("status", [Application.Status.DRAFT, Application.Status.WITHDRAWN])
def test_an_application_outside_the_competition_is_not_found(client, assessor, application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    client.force_login(assessor)

    response = client.get(assess_url(application))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


def test_before_the_deadline_an_assigned_application_is_not_found(client, assessor):
    still_open = closed_round(assessors=[assessor], status=GrantRound.Status.OPEN)
    still_open.closes_at = timezone.now() + timedelta(days=3)
    still_open.save()
    application = submitted_application(still_open)
    client.force_login(assessor)

    response = client.get(assess_url(application))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


def test_another_assessors_assessment_is_not_found_in_the_standard_views(
    client, assessor, other_assessor, application
):
    theirs = submitted_assessment(application, other_assessor, [5, 5], comment="Slepens.")
    own = AssessmentFactory(application=application, assessor=assessor)
    client.force_login(assessor)

    answers = [
        client.get(f"{MINE}{theirs.pk}/change/").status_code,
        client.get(f"{MINE}{theirs.pk}/history/").status_code,
        client.get(f"{MINE}{theirs.pk}/delete/").status_code,
        client.get(f"{MINE}{own.pk}/change/").status_code,
        client.post(f"{MINE}{theirs.pk}/change/", {}).status_code,
        client.get(f"{MINE}add/").status_code,
    ]

    assert answers == [404, 404, 404, 404, 404, 403]


def test_centre_managers_are_forbidden_everywhere_here(client, assessor, application):
    manager = staff("Centru vadītāji", username="vaditaja")
    assessment = submitted_assessment(application, assessor, [5, 5])
    client.force_login(manager)

    answers = [
        client.get(MINE).status_code,
        client.get(assess_url(application)).status_code,
        client.get(f"{MINE}{assessment.pk}/change/").status_code,
        client.get(f"{MINE}{assessment.pk}/history/").status_code,
    ]

    assert answers == [403, 403, 403, 403]


def test_coordinators_read_every_assessment(
    client, coordinator, assessor, other_assessor, application
):
    mine = submitted_assessment(application, assessor, [6, 5], comment="Labi.")
    submitted_assessment(application, other_assessor, [10, 5])
    client.force_login(coordinator)

    listing = parse(client.get(MINE).content)
    change = client.get(f"{MINE}{mine.pk}/change/")
    assess = client.get(assess_url(application))

    rows = cells(listing, "#result_list tbody tr")
    assert sorted(rows) == [
        ["DK-2025-001", "cits", "Interešu konflikta nav", "Iesniegts", "100,00", rows[0][5]],
        ["DK-2025-001", "vertetaja", "Interešu konflikta nav", "Iesniegts", "86,67", rows[1][5]],
    ]
    assert change.status_code == 200
    change_page = parse(change.content)
    assert change_page.select("input[type=submit]") == []
    assert change_page.texts(".field-weighted_total .readonly") == ["86,67"]
    assert change_page.texts("td.field-comment") == ["Labi.", "Labi."]
    # Not assigned to the round: the assess page is for its assessors.
    assert assess.status_code == 404
