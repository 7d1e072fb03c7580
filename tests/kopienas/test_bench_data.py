from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from communities.models import Community, Event, Membership, Registration
from grants.models import Application, BudgetLine, GrantRound
from resource_centres.models import Equipment, ResourceCentre
from resource_centres.selectors import centre_list

pytestmark = pytest.mark.django_db


def bench_data(scale: str) -> str:
    out = StringIO()
    call_command("bench_data", "--scale", scale, stdout=out)
    return out.getvalue()


def test_fractional_scale_makes_exact_counts():
    bench_data("0.02")

    assert ResourceCentre.objects.count() == 2
    # Centre 0 gets 2 items, centre 1 gets 3.
    assert Equipment.objects.count() == 5
    assert sorted(ResourceCentre.objects.values_list("equipment__centre__slug", flat=True)) == [
        "bench-00000-berzkalni",
        "bench-00000-berzkalni",
        "bench-00001-ozolkalni",
        "bench-00001-ozolkalni",
        "bench-00001-ozolkalni",
    ]
    assert Community.objects.count() == 20
    # Every fourth community (3, 7, 11, 15, 19) has no centre.
    assert Community.objects.filter(resource_centre__isnull=False).count() == 15
    assert Community.objects.filter(is_published=True).count() == 20
    # Communities 0, 3, ..., 18 each have a leader, who is also a member of the next one; the
    # bench applicant is an activist of community 0.
    assert get_user_model().objects.count() == 8
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
        "budget_lines +0\n"
    )
    assert ResourceCentre.objects.count() == 2

    bench_data("0.03")

    assert ResourceCentre.objects.count() == 3
    # Centre 2 gets 2 + 2 % 3 = 4 items.
    assert Equipment.objects.count() == 9
    assert Community.objects.count() == 30
    assert get_user_model().objects.count() == 11
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
