"""The capacity self-assessment in `make bench`'s data (issue 16): ten yearly rounds for every
synthetic community, and the leader's pages read in the same queries whatever the number of
communities and rounds."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    Community,
    Membership,
)
from devtools.bench import pages
from devtools.bench.capacity import level
from tests.html import parse

pytestmark = pytest.mark.django_db


def bench_data(scale: str) -> str:
    out = StringIO()
    call_command("bench_data", "--scale", scale, stdout=out)
    return out.getvalue()


def test_every_synthetic_community_has_ten_yearly_rounds(latgale):
    output = bench_data("0.02")

    rounds = AssessmentRound.objects.filter(community__slug__startswith="bench-")
    first = Community.objects.filter(slug__startswith="bench-").order_by("slug").first()
    assert output.endswith(
        "capacity_rounds +200, capacity_answers +1120, capacity_consensus +1600, "
        "action_items +400\n"
    )
    # Real communities are left alone.
    assert AssessmentRound.objects.count() == rounds.count() == 20 * 10
    assert list(rounds.filter(community=first).values_list("kind", "title", "opens_on__year")) == [
        ("baseline", "Sākotnējais novērtējums 2017", 2017)
    ] + [("follow_up", f"Novērtējums {year}", year) for year in range(2018, 2027)]
    assert CapacityConsensus.objects.count() == 200 * 8
    assert Counter(CapacityConsensus.objects.values_list("level", flat=True)) == Counter(
        level(community, dimension, year)
        for community in range(20)
        for dimension in range(8)
        for year in range(10)
    )
    # Answers only by a member of the community: the leaders of communities 0, 3, … 18 in
    # their own and, as members, in the next one.
    assert all(
        Membership.objects.filter(user_id=person, community_id=community, status="active").exists()
        for person, community in CapacityAnswer.objects.values_list(
            "person_id", "round__community_id"
        ).distinct()
    )
    assert CapacityAnswer.objects.values("round__community").distinct().count() == 14
    assert Counter(ActionItem.objects.values_list("status", flat=True)) == {
        "done": 20 * 9 * 2,
        "planned": 20 * 2,
    }
    assert "capacity_rounds +0, capacity_answers +0" in bench_data("0.02")


def test_levels_grow_over_the_years_within_the_scale():
    levels = [[level(c, d, year) for year in range(10)] for c in range(30) for d in range(8)]

    assert {value for row in levels for value in row} == {1, 2, 3, 4}
    assert all(row == sorted(row) for row in levels)


def test_the_leader_reads_the_results_in_the_same_queries_at_any_size(latgale, client):
    bench_data("0.02")
    client.force_login(get_user_model().objects.get(username=pages.BENCH_LEADER))
    url = reverse("communities:capacity_results", kwargs=pages._assessed_community())

    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    heads = parse(response.content).texts(".capacity-results thead th")
    bench_data("0.03")
    with CaptureQueriesContext(connection) as large:
        client.get(url)

    assert heads == ["Dimensija", "Sākotnējais novērtējums 2017"] + [
        f"Novērtējums {year}" for year in range(2018, 2027)
    ]
    assert len(small) == len(large) <= pages.MAX_QUERIES
