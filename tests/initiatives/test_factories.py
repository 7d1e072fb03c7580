"""The initiative factories make what the services would: a smoke test of the whole way."""

from decimal import Decimal

import pytest

from initiatives.models import Initiative
from tests.factories import published_initiative

pytestmark = pytest.mark.django_db


def test_a_published_initiative_carries_its_reports_figures():
    initiative = published_initiative(
        funded=True, awarded=Decimal("900.00"), requested=Decimal("900.00")
    )

    assert (
        initiative.status,
        initiative.participants,
        initiative.volunteers,
        initiative.organisations,
        sorted(initiative.institutions.values_list("name", flat=True)),
        initiative.story,
        list(initiative.history.order_by("at", "pk").values_list("after", flat=True)),
    ) == (
        Initiative.Status.PUBLISHED,
        40,
        12,
        2,
        ["Aglonas vidusskola", "Preiļu novada dome"],
        "Visa ciema stāsts par to, kā mēs sakopām ezera krastu.",
        [
            {"status": "supported"},
            {"status": "submitted"},
            {"status": "accepted"},
            {"status": "published"},
        ],
    )


def test_an_own_initiative_goes_the_same_way():
    initiative = published_initiative(funded=False)

    assert (initiative.status, initiative.application, initiative.participants) == (
        Initiative.Status.PUBLISHED,
        None,
        40,
    )
