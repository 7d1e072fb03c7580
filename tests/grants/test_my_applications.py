"""The /mans/ list of applications (templates/grants/includes/my_applications.html)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from grants.models import Application, GrantRound
from grants.selectors import applications_of
from tests.factories import CommunityFactory, UserFactory
from tests.factories.grants import ApplicationFactory, BudgetLineFactory, GrantRoundFactory
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db


def render(user) -> object:
    return parse(
        render_to_string(
            "grants/includes/my_applications.html", {"applications": applications_of(user=user)}
        )
    )


def test_lists_each_application_with_status_total_deadline_and_link():
    user = UserFactory()
    community = CommunityFactory(name="Preiļu kopiena")
    grant_round = GrantRoundFactory(
        title="Mazo iniciatīvu konkurss 2026",
        closes_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        opens_at=datetime(2026, 10, 1, tzinfo=UTC),
        status=GrantRound.Status.RESULTS,
    )
    submitted = ApplicationFactory(
        round=grant_round,
        applicant=user,
        community=community,
        title="Senioru deju vakari",
        status=Application.Status.DECIDED,
        reference="DK-2026-007",
        number=7,
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1200.00"),
        # What the applicant was told is what /mans/ shows.
        notified_decision=Application.Decision.SUPPORTED,
        notified_amount=Decimal("1200.00"),
        notified_at=datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
    )
    BudgetLineFactory(
        application=submitted,
        quantity=Decimal("1"),
        unit_price=Decimal("1300.00"),
        own_contribution=Decimal("65.50"),
    )
    ApplicationFactory(round=grant_round, applicant=user, community=community, title="")
    ApplicationFactory(round=grant_round, applicant=UserFactory(), community=community)

    page = render(user)

    cards = page.select("li.application-card")
    assert [card.select_one("h3").text for card in cards] == [
        "Melnraksts bez nosaukuma",
        "Senioru deju vakari",
    ]
    assert definitions(cards[1].select_one("dl")) == [
        ("Konkurss", "Mazo iniciatīvu konkurss 2026"),
        ("Kopiena", "Preiļu kopiena"),
        ("Statuss", "Lēmums pieņemts"),
        ("Numurs", "DK-2026-007"),
        ("Prasītais atbalsts", "1 234,50 €"),
        ("Pieteikšanās termiņš", "2026. gada 26. novembris plkst. 14.00"),
        ("Lēmums", "Atbalstīts"),
        ("Piešķirtā summa", "1 200,00 €"),
    ]
    assert cards[1].select_one("a").get("href") == "/pieteikumi/DK-2026-007/"
    draft = Application.objects.get(title="", applicant=user)
    assert cards[0].select_one("a").get("href") == f"/pieteikumi/{draft.draft_key}/labot/"
    assert cards[0].select_one("a").text == "Turpināt aizpildīt: Melnraksts bez nosaukuma"


def test_decision_hidden_until_results_are_published():
    user = UserFactory()
    ApplicationFactory(
        applicant=user,
        round=GrantRoundFactory(status=GrantRound.Status.DECISIONS),
        status=Application.Status.DECIDED,
        reference="DK-2030-001",
        number=1,
        decision=Application.Decision.NOT_SUPPORTED,
    )

    terms = [term for term, _ in definitions(render(user).select_one("dl"))]

    assert terms == [
        "Konkurss",
        "Kopiena",
        "Statuss",
        "Numurs",
        "Prasītais atbalsts",
        "Pieteikšanās termiņš",
    ]


def test_empty_state_points_to_the_rounds():
    page = render(UserFactory())

    assert page.select("li.application-card") == []
    assert page.select_one("p.empty a").get("href") == "/konkursi/"
