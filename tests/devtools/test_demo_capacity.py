"""The demo communities' capacity self-assessment (devtools/demo/capacity.py): a 2019 baseline
and a 2022 round for each of the eleven communities, with answers, consensus and plans that
show the growth the brochure describes."""

from collections import defaultdict

import pytest

from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    Community,
    Membership,
)
from devtools.demo.capacity import make_capacity_rounds
from devtools.demo.initiative_data import LEADERS_BY_COMMUNITY
from devtools.demo.people import make_activists, make_leaders
from tests.factories import UserFactory
from tests.html import parse


@pytest.fixture
def voices(latgale):
    communities = {c.slug: c for c in Community.objects.all()}
    make_leaders(communities, LEADERS_BY_COMMUNITY)
    make_activists(communities)
    # Preiļi's leader is the demo activist's account (devtools.demo.people.make_accounts).
    preili_leader = UserFactory(username="aktiviste@example.lv", email="aktiviste@example.lv")
    Membership.objects.create(
        user=preili_leader,
        community=communities["preili"],
        role=Membership.Role.LEADER,
        status=Membership.Status.ACTIVE,
    )
    return preili_leader


def test_each_of_the_eleven_communities_has_a_2019_baseline_and_a_2022_round(voices):
    made = make_capacity_rounds()

    rounds = AssessmentRound.objects.order_by("community__slug", "opens_on")
    by_community = defaultdict(list)
    for round_ in rounds:
        by_community[round_.community.slug].append((round_.kind, round_.opens_on.year))
    assert made == 22
    assert len(by_community) == 11
    assert set(map(tuple, by_community.values())) == {(("baseline", 2019), ("follow_up", 2022))}
    # Two voices (the leader and the activist), eight dimensions each, all submitted.
    assert CapacityAnswer.objects.filter(submitted_at__isnull=False).count() == 22 * 2 * 8
    assert CapacityConsensus.objects.count() == 22 * 8


def test_every_community_grew_and_no_dimension_fell(voices):
    make_capacity_rounds()

    levels = defaultdict(dict)
    for slug, year, dimension, level in CapacityConsensus.objects.values_list(
        "round__community__slug", "round__opens_on__year", "dimension__slug", "level"
    ):
        levels[(slug, dimension)][year] = level

    grew = {key for key, years in levels.items() if years[2022] > years[2019]}
    slugs = {slug for slug, _dimension in levels}
    assert all(years[2022] >= years[2019] for years in levels.values())
    # Organised action and leaders (the resource centres, the leaders' school) grew everywhere.
    assert {(slug, d) for slug in slugs for d in ("organizeta-darbiba", "lideri")} <= grew


def test_the_2022_round_reviews_the_2019_plan(client, voices):
    make_capacity_rounds()
    preili = Community.objects.get(slug="preili")
    later = AssessmentRound.objects.get(community=preili, opens_on__year=2022)
    client.force_login(voices)

    doc = parse(client.get(f"/kopienas/preili/ricibspeja/{later.pk}/").content)

    assert [
        row.select("td")[-1].text
        for row in doc.select("section[aria-labelledby=ieprieksejais-plans] tbody tr")
    ] == ["Paveikts", "Paveikts", "Paveikts", "Atmests"]
    assert ActionItem.objects.filter(round=later).count() == 2


def test_the_results_page_draws_the_baseline_beside_the_latest(client, voices):
    make_capacity_rounds()
    client.force_login(voices)

    doc = parse(client.get("/kopienas/preili/ricibspeja/rezultati/").content)

    assert len(doc.select("polygon.radar-round")) == 2


def test_a_second_run_adds_nothing(voices):
    make_capacity_rounds()
    counts = (AssessmentRound.objects.count(), CapacityAnswer.objects.count())

    assert make_capacity_rounds() == 0
    assert (AssessmentRound.objects.count(), CapacityAnswer.objects.count()) == counts
