"""The assessor's "Mani vērtējumi" progress page in the admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership
from grants.models import Assessment, GrantRound
from tests.factories import CommunityFactory, MembershipFactory
from tests.factories.grants import (
    AssessmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)
from tests.grants.admin.assessment.helpers import MINE, QUERIES_MINE, assess_url, cells
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- "Mani vērtējumi" --------------------------------------------------------------------------


def test_progress_page_shows_each_application_with_the_assessors_own_state(
    client, assessor, other_assessor, grant_round
):
    not_started = submitted_application(grant_round, title="Sporta laukums")
    draft = submitted_application(grant_round, title="Bērnu rīts")
    submitted = submitted_application(grant_round, title="Senioru klubs")
    declared = submitted_application(grant_round, title="Kino vakari")
    member_community = CommunityFactory(name="Aglonas kopiena")
    MembershipFactory(
        user=assessor,
        community=member_community,
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )
    found = submitted_application(grant_round, title="Dziesmu svētki", community=member_community)
    AssessmentFactory(application=draft, assessor=assessor, conflict=Assessment.Conflict.NONE)
    submitted_assessment(submitted, assessor, [6, 5])  # (0,6·1 + 1·2) / 3 = 86,67
    AssessmentFactory(
        application=declared,
        assessor=assessor,
        conflict=Assessment.Conflict.DECLARED,
        conflict_reason="Pieteicējs ir mans brālis.",
    )
    # Someone else's submission changes nothing of this assessor's states.
    submitted_assessment(not_started, other_assessor, [10, 5])
    client.force_login(assessor)

    response = client.get(MINE)

    page = parse(response.content)
    assert response.status_code == 200
    assert page.texts("h1") == ["Mani vērtējumi"]
    assert page.texts(".assessing-round h2") == ["Mazo iniciatīvu konkurss 2025"]
    assert page.texts(".assessing-progress") == ["3 no 5 novērtēti · Vērtēšana"]
    rows = cells(page, ".assessing-table tbody tr")
    community = not_started.community.name
    assert rows == [
        ["DK-2025-001", "Sporta laukums", community, "Nav sākts"],
        ["DK-2025-002", "Bērnu rīts", draft.community.name, "Melnraksts"],
        ["DK-2025-003", "Senioru klubs", submitted.community.name, "Iesniegts (86,67)"],
        ["DK-2025-004", "Kino vakari", declared.community.name, "Interešu konflikts"],
        ["DK-2025-005", "Dziesmu svētki", "Aglonas kopiena", "Interešu konflikts"],
    ]
    links = [a.get("href") for a in page.select(".assessing-table tbody th a")]
    assert links == [assess_url(app) for app in (not_started, draft, submitted, declared, found)]


def test_progress_counts_one_assessed_in_the_singular(client, assessor, grant_round):
    submitted_assessment(submitted_application(grant_round), assessor, [1, 1])
    client.force_login(assessor)

    page = parse(client.get(MINE).content)

    assert page.texts(".assessing-progress") == ["1 no 1 novērtēts · Vērtēšana"]


def test_before_the_deadline_and_in_unassigned_rounds_assessors_see_nothing(client, assessor):
    now = timezone.now()
    still_open = closed_round(assessors=[assessor], status=GrantRound.Status.OPEN)
    still_open.closes_at = now + timedelta(days=3)
    still_open.save()
    submitted_application(still_open, title="Vēl pieņem pieteikumus")
    unassigned = closed_round()
    submitted_application(unassigned, title="Cits konkurss")
    client.force_login(assessor)

    response = client.get(MINE)

    page = parse(response.content)
    assert response.status_code == 200
    assert page.select(".assessing-round") == []
    assert page.texts(".assessing-empty") == [
        "Jums pašlaik nav vērtējamu pieteikumu. Šeit redzami konkursi, kuru vērtēšana jums "
        "uzticēta, tiklīdz pieteikšanās tajos ir beigusies."
    ]
    assert "Vēl pieņem pieteikumus" not in response.content.decode()


def test_progress_page_queries_do_not_grow_with_the_applications(client, assessor, grant_round):
    client.force_login(assessor)
    first = submitted_application(grant_round)
    submitted_assessment(first, assessor, [3, 3])
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for number in range(29):
        application = submitted_application(grant_round)
        if number % 3 == 0:
            submitted_assessment(application, assessor, [3, 3])
    with CaptureQueriesContext(connection) as thirty:
        page = parse(client.get(MINE).content)

    assert len(page.select(".assessing-table tbody tr")) == 30
    assert page.texts(".assessing-progress") == ["11 no 30 novērtēti · Vērtēšana"]
    assert (len(one), len(thirty)) == (QUERIES_MINE, QUERIES_MINE)
