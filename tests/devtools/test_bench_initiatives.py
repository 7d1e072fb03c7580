"""`manage.py bench_data`'s initiatives (issue 12): published ones with what publication copies
onto them, a few under way, institutions by name, years spread; exact counts at a small scale."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max

from core.text import fold
from devtools.bench import pages
from devtools.bench.initiatives import institution_name
from initiatives.models import Initiative, InitiativeReach, Institution

pytestmark = pytest.mark.django_db

PUBLISHED = Initiative.Status.PUBLISHED


def bench_data(scale: str) -> str:
    out = StringIO()
    call_command("bench_data", "--scale", scale, stdout=out)
    return out.getvalue()


def test_a_small_scale_makes_exact_counts_of_initiatives_and_institutions():
    output = bench_data("0.02")

    assert "institutions +60, initiatives +200, initiative_reach +" in output
    assert Institution.objects.count() == 60
    assert Counter(Initiative.objects.values_list("status", flat=True)) == {
        "published": 180,
        # Every tenth is under way, in five states in turn.
        "supported": 4,
        "in_progress": 4,
        "report_due": 4,
        "submitted": 4,
        "accepted": 4,
    }
    assert sorted(set(Initiative.objects.values_list("year", flat=True))) == list(range(2015, 2027))
    # All twenty synthetic communities have initiatives.
    assert Initiative.objects.values("community").distinct().count() == 20


def test_published_initiatives_carry_what_publication_copies(latgale):
    # On the real data (load_latgale), whose target groups and model elements they name.
    bench_data("0.02")
    published = Initiative.objects.filter(status=PUBLISHED)

    # Two to four institutions each, counted in `organisations`.
    named = published.annotate(n=Count("institutions"))
    assert not named.exclude(n=F("organisations")).exists()
    assert Counter(named.values_list("n", flat=True)) == {2: 60, 3: 60, 4: 60}
    assert Institution.objects.filter(initiatives__isnull=False).distinct().count() == 60
    # Reach per target group, never more than all the participants; the target groups are
    # the reached ones; every one practised a model element.
    assert not InitiativeReach.objects.filter(count__gt=F("initiative__participants")).exists()
    for initiative in published.prefetch_related("reach", "target_groups", "model_elements"):
        assert {row.target_group_id for row in initiative.reach.all()} == {
            group.pk for group in initiative.target_groups.all()
        }
        assert initiative.model_elements.all()
        assert initiative.story and initiative.published_at.year >= initiative.year
    under_way = Initiative.objects.exclude(status=PUBLISHED)
    assert under_way.aggregate(m=Max("participants"))["m"] is None
    assert not under_way.filter(institutions__isnull=False).exists()


def test_search_text_is_what_save_folds():
    bench_data("0.02")
    initiative = Initiative.objects.get(slug="bench-iniciativa-00001")
    bulk = initiative.search_text

    initiative.save()
    initiative.refresh_from_db()

    assert initiative.title == "Ģimeņu sporta diena (Ozolkalnu kopiena, nr. 2)"
    assert initiative.search_text == bulk
    assert "gimenu sporta diena" in bulk


def test_a_second_run_adds_nothing_and_a_larger_scale_tops_up():
    bench_data("0.02")
    assert "institutions +0, initiatives +0, initiative_reach +0" in bench_data("0.02")

    bench_data("0.03")

    assert (Initiative.objects.count(), Institution.objects.count()) == (300, 90)
    assert Initiative.objects.filter(slug="bench-iniciativa-00299").exists()


def test_institution_names_are_latvian_and_distinct():
    names = [institution_name(index) for index in range(3000)]

    assert names[:3] == ["Bērzkalnu pamatskola", "Ozolkalnu pamatskola", "Liepkalnu pamatskola"]
    assert names[288] == "Bērzkalnu vidusskola"
    assert len({Institution.key_of(name) for name in names}) == 3000


def test_make_bench_measures_the_busiest_initiative():
    bench_data("0.02")

    slug = pages._busiest_initiative()["slug"]

    initiative = Initiative.objects.get(slug=slug)
    assert (initiative.status, initiative.organisations) == (PUBLISHED, 4)


def test_a_bulk_made_initiative_has_the_shape_of_one_the_services_publish(latgale):
    """The bench inserts initiatives in bulk, without the services: each published one carries
    the same published copies as one carried through them (tests/factories/initiatives.py)."""
    from tests.factories.initiatives import published_initiative

    bench_data("0.02")
    made = published_initiative(funded=False)
    bulk = Initiative.objects.get(slug="bench-iniciativa-00001")

    def shape(initiative):
        initiative.refresh_from_db()
        return {
            "status": initiative.status,
            "copied": [
                bool(getattr(initiative, name))
                for name in ("story", "results", "participants", "volunteers", "published_at")
            ],
            "organisations": initiative.organisations == initiative.institutions.count() > 0,
            "groups": {row.target_group_id for row in initiative.reach.all()}
            == set(initiative.target_groups.values_list("pk", flat=True)),
            "elements": initiative.model_elements.exists(),
            "search_text": initiative.search_text
            == fold(" ".join([initiative.title, initiative.summary])),
        }

    assert shape(bulk) == shape(made)
