"""Shared setup for the capacity self-assessment tests: the eight dimensions of the Latgale
data with version 1 of the instrument, a community with a leader, activists and a plain member,
and a round open today."""

from datetime import date

import pytest

from communities import capacity
from communities.latgale import read_latgale_data
from communities.models import AssessmentRound, CapacityDimension, Membership
from tests.factories import CommunityFactory, MembershipFactory, verified_user

TODAY = date(2026, 3, 10)


def make_dimensions() -> list[CapacityDimension]:
    return [
        CapacityDimension.objects.create(slug=row["slug"], title=row["title"], order=order)
        for order, row in enumerate(read_latgale_data()["capacity_dimensions"])
    ]


def in_community(community, role: str, **names):
    person = verified_user(**names)
    MembershipFactory(user=person, community=community, role=role, status=Membership.Status.ACTIVE)
    return person


@pytest.fixture
def dimensions(db):
    made = make_dimensions()
    capacity.ensure_first_instrument()
    return made


@pytest.fixture
def community(dimensions):
    return CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")


@pytest.fixture
def leader(community):
    return in_community(
        community, Membership.Role.LEADER, username="lidere", first_name="Līga", last_name="Līdere"
    )


@pytest.fixture
def activist(community):
    return in_community(
        community,
        Membership.Role.ACTIVIST,
        username="aktivists",
        first_name="Jānis",
        last_name="Ozols",
    )


@pytest.fixture
def member(community):
    return in_community(
        community, Membership.Role.MEMBER, username="biedre", first_name="Ilze", last_name="Kalna"
    )


def open_round(community, *, opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31), **extra):
    return AssessmentRound.objects.create(
        community=community,
        instrument=capacity.current_instrument(),
        kind=extra.pop("kind", AssessmentRound.Kind.BASELINE),
        title=extra.pop("title", "Sākotnējais novērtējums 2026"),
        opens_on=opens_on,
        closes_on=closes_on,
        **extra,
    )


@pytest.fixture
def round_(community, leader):
    return open_round(community, opened_by=leader)


def levels(dimensions, *values, comment=""):
    """Answers by dimension id: the levels in the dimensions' order."""
    return {
        dimension.pk: (value, comment) for dimension, value in zip(dimensions, values, strict=True)
    }
