from collections import Counter
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from core.formats import riga_today
from core.roles import ASSESSORS, COORDINATORS
from devtools.bench import pages
from devtools.bench.common import Made
from devtools.bench.rounds import BENCH_CRITERIA, make_applications, make_results, make_rounds
from events.models import Event, Registration
from grants import selectors
from grants.models import (
    Application,
    Assessment,
    BudgetLine,
    GrantRound,
    HistoryEntry,
    Score,
)
from grants.selectors import weighted_total
from resource_centres.hours import describe
from resource_centres.models import Equipment, ResourceCentre, WeeklyHours
from resource_centres.selectors import centre_list
from tests.html import parse

pytestmark = pytest.mark.django_db


def bench_data(scale: str) -> str:
    out = StringIO()
    call_command("bench_data", "--scale", scale, stdout=out)
    return out.getvalue()


def test_fractional_scale_makes_exact_counts():
    bench_data("0.02")

    assert ResourceCentre.objects.count() == 2
    # Each centre gets the ten items, all bookable.
    assert Equipment.objects.count() == Equipment.objects.filter(bookable=True).count() == 20
    assert Counter(ResourceCentre.objects.values_list("equipment__centre__slug", flat=True)) == {
        "bench-00000-berzkalni": 10,
        "bench-00001-ozolkalni": 10,
    }
    # Centre 0 has the week with a lunch break, centre 1 long days and a Saturday morning.
    assert [
        describe(centre.weekly_hours.all(), today=riga_today())
        for centre in ResourceCentre.objects.order_by("slug")
    ] == [
        ["P.–Pk. 09.00–12.00, 13.00–17.00", "S., Sv. slēgts"],
        ["P.–Pk. 10.00–18.00", "S. 10.00–14.00", "Sv. slēgts"],
    ]
    assert Community.objects.count() == 20
    # Every fourth community (3, 7, 11, 15, 19) has no centre.
    assert Community.objects.filter(resource_centre__isnull=False).count() == 15
    assert Community.objects.filter(is_published=True).count() == 20
    # Communities 0, 3, ..., 18 each have a leader, who is also a member of the next one; the
    # bench applicant is an activist of community 0.
    # Plus the assessed round's five assessors, the coordinator who reads its ranking and the
    # manager of the first centre.
    assert get_user_model().objects.count() == 8 + 7
    assert Membership.objects.filter(role=Membership.Role.LEADER).count() == 7
    assert Membership.objects.filter(role=Membership.Role.MEMBER).count() == 7
    assert Membership.objects.filter(role=Membership.Role.ACTIVIST).count() == 1
    assert Membership.objects.exclude(status=Membership.Status.ACTIVE).count() == 0
    # 50,000 events and ten registrations each per scale; every fifth event is full.
    assert Event.objects.count() == 1000
    assert Registration.objects.count() == 10_000
    assert Event.objects.filter(seats_confirmed=F("capacity")).count() == 200
    # Day offsets run from -730: events 731 to 999 are after today.
    assert Event.objects.filter(starts_at__date__gt=timezone.localdate()).count() == 269


def test_applications_are_spread_over_rounds_with_gap_free_references():
    bench_data("0.02")

    grant_round = GrantRound.objects.get()
    assert (grant_round.slug, grant_round.last_number) == ("bench-konkurss-000", 200)
    assert Application.objects.count() == 200
    assert BudgetLine.objects.count() == 600
    references = list(Application.objects.order_by("number").values_list("reference", flat=True))
    assert references == [f"BENCH-2000-{n:03d}" for n in range(1, 201)]
    assert Application.objects.filter(applicant__username="bench-pieteicejs").count() == 20

    bench_data("0.03")

    assert Application.objects.count() == 300
    assert GrantRound.objects.get().last_number == 300


def test_names_are_latvian_and_search_text_matches_save():
    bench_data("0.02")

    centre = ResourceCentre.objects.get(slug="bench-00000-berzkalni")
    assert centre.name == "Bērzkalnu kopienas resursu centrs"
    assert centre.settlement == "Bērzkalni"
    bulk_search_text = centre.search_text
    centre.save()
    centre.refresh_from_db()
    assert centre.search_text == bulk_search_text
    assert [c.slug for c in centre_list(query="berzkalnu")] == ["bench-00000-berzkalni"]

    community = Community.objects.get(slug="bench-00000-berzkalni")
    assert community.name == "Bērzkalnu kopiena"
    assert community.resource_centre == centre
    assert community.municipality == centre.municipality
    leader = community.memberships.get(role=Membership.Role.LEADER).user
    assert leader.get_full_name() == "Anna Bērziņa"
    assert leader.has_usable_password() is False


def test_second_run_adds_nothing_and_a_larger_scale_tops_up():
    bench_data("0.02")
    output = bench_data("0.02")

    assert output == (
        "bench_data --scale 0.02: centres +0, equipment +0, communities +0, users +0, "
        "memberships +0, events +0, registrations +0, rounds +0, applications +0, "
        "budget_lines +0, assessments +0, scores +0, decisions +0, results +0, "
        "institutions +0, initiatives +0, initiative_reach +0, bookings +0, "
        "capacity_rounds +0, capacity_answers +0, capacity_consensus +0, action_items +0\n"
    )
    assert ResourceCentre.objects.count() == 2

    bench_data("0.03")

    assert ResourceCentre.objects.count() == 3
    assert Equipment.objects.count() == 30
    # 10 rows of the lunch-break week, 6 of the long days', 5 of the afternoons' for centre 2.
    assert WeeklyHours.objects.count() == 10 + 6 + 5
    assert Community.objects.count() == 30
    assert get_user_model().objects.count() == 11 + 7
    # Leader of community 18 is a member of 19 already; 21, 24, 27 lead and join 22, 25, 28;
    # plus the bench applicant's one membership.
    assert Membership.objects.count() == 21


def test_adds_to_the_latgale_data_without_changing_it(latgale):
    real_centres = {c.slug: c.search_text for c in ResourceCentre.objects.all()}
    real_communities = dict(Community.objects.values_list("slug", "resource_centre__slug"))

    bench_data("0.02")

    assert ResourceCentre.objects.count() == len(real_centres) + 2 == 12
    assert Community.objects.count() == len(real_communities) + 20 == 31
    assert {
        c.slug: c.search_text for c in ResourceCentre.objects.exclude(slug__startswith="bench-")
    } == real_centres
    assert (
        dict(
            Community.objects.exclude(slug__startswith="bench-").values_list(
                "slug", "resource_centre__slug"
            )
        )
        == real_communities
    )


def test_scale_must_be_positive():
    with pytest.raises(CommandError, match="--scale"):
        bench_data("0")


# --- The assessed round and the published one (issue 4) --------------------------------------


def test_the_first_round_is_assessed_by_five_with_a_few_decisions():
    bench_data("0.02")

    grant_round = GrantRound.objects.get()
    assert grant_round.status == GrantRound.Status.DECISIONS
    assert list(grant_round.criteria.values_list("title", "max_points", "weight")) == [
        (title, points, weight) for title, points, weight in BENCH_CRITERIA
    ]
    assessors = list(grant_round.assessors.order_by("username"))
    assert [a.username for a in assessors] == [f"bench-vertetajs-{n}" for n in range(1, 6)]
    assert all(a.is_staff and a.groups.filter(name=ASSESSORS).exists() for a in assessors)
    assert not any(a.has_usable_password() for a in assessors)
    # 200 applications × 5: on every 50th a declared conflict (indices 7, 57, 107, 157), on
    # every 97th one assessment saved but not submitted (11, 108).
    assert Counter(Assessment.objects.values_list("status", "conflict")) == {
        ("submitted", "none"): 994,
        ("draft", "declared"): 4,
        ("draft", "none"): 2,
    }
    assert Score.objects.count() == (994 + 2) * 6
    criteria = list(grant_round.criteria.all())
    for assessment in Assessment.objects.filter(status="submitted")[:50]:
        points = dict(assessment.scores.values_list("criterion_id", "points"))
        assert assessment.weighted_total == weighted_total(criteria=criteria, points=points)

    ranking = selectors.ranking(grant_round=grant_round)
    assert len(ranking.rows) == 200
    assert sum(row.figures.disagreement for row in ranking.rows) == 9
    assert sum(row.figures.missing for row in ranking.rows) == 2
    assert sum(row.figures.excluded for row in ranking.rows) == 4
    assert [row.application.decision for row in ranking.rows[:11]] == [
        *["supported"] * 8,
        *["reserve"] * 2,
        "",
    ]
    assert ranking.awarded <= grant_round.total_budget
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.DECISION).count() == 10


def test_a_larger_scale_assesses_the_new_applications_only():
    bench_data("0.02")
    bench_data("0.03")

    assert Assessment.objects.count() == 300 * 5
    assert Assessment.objects.values("application").distinct().count() == 300
    # The decisions already taken stand; none are added.
    assert Application.objects.exclude(decision="").count() == 10


def test_the_coordinator_reads_the_ranking_in_the_same_queries_at_any_size(client):
    bench_data("0.02")
    coordinator = get_user_model().objects.get(username=pages.BENCH_COORDINATOR)
    assert coordinator.is_staff and coordinator.groups.filter(name=COORDINATORS).exists()
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    client.force_login(coordinator)
    url = reverse("admin:grants_grantround_ranking", kwargs=pages._assessed_round())

    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    bench_data("0.03")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert len(small) == len(large) <= pages.ADMIN_MAX_QUERIES


def test_the_second_round_has_published_results():
    # Two rounds at a small scale: the second gets half of the next 200 applications.
    made = Made()
    bench_data("0.02")
    make_rounds(scale=0.2, made=made)
    make_applications(scale=0.04, made=made)
    make_results(scale=0.04, made=made)

    grant_round = GrantRound.objects.get(slug="bench-konkurss-001")
    supported = selectors.published_results(grant_round=grant_round)
    assert grant_round.status == GrantRound.Status.RESULTS
    assert grant_round.results_published_at is not None
    assert made.counts["results"] == supported.count() > 30
    awarded = sum(a.notified_amount for a in supported)
    assert awarded <= grant_round.total_budget
    assert not Application.objects.filter(round=grant_round, notified_at__isnull=True).exists()
    assert pages._published_round() == {"slug": "bench-konkurss-001"}

    response = Client().get(reverse("grants:round_results", kwargs=pages._published_round()))
    assert response.status_code == 200
    # Published already: a second run leaves it as it is.
    made = Made()
    make_results(scale=0.04, made=made)
    assert made.counts["results"] == 0


def _past_events_shown(client) -> int:
    text = parse(client.get("/pasakumi/?laiks=pagajusi").content).select_one(".result-count").text
    return int("".join(character for character in text if character.isdigit()))


def test_the_public_lists_count_what_it_adds(client):
    # Its rows go in by bulk_create, which sends no signal: the counts the lists keep in the
    # shared cache (core.generations) are renewed by bench_data itself.
    shown, counted = [], []
    for scale in ("0.01", "0.02"):
        bench_data(scale)
        shown.append(_past_events_shown(client))
        counted.append(Event.objects.filter(is_published=True, ends_at__lt=timezone.now()).count())

    assert shown == counted
    assert counted[0] < counted[1]


def _vacuums_of(table: str) -> int:
    with connection.cursor() as cursor:
        # Statistics read once per transaction are kept; a fresh read sees the VACUUM.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_bench_vacuums_after_its_load_as_autovacuum_would():
    """Until VACUUM, a GIN index's pending list and entry counts make PostgreSQL price the
    search's trigram indexes too high: the bench measured a sequential scan of every
    initiative. bench_data runs in one transaction, so the bench settles the tables after it."""
    from devtools.bench.run import settle
    from initiatives.models import Initiative

    table = Initiative._meta.db_table
    before = _vacuums_of(table)
    settle()
    assert _vacuums_of(table) == before + 1
