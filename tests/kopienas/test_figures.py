"""Each impact figure against the rows it must count and the rows it must leave out, its year,
and how it is written (kopienas/figures)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from core.formats import RIGA
from events.models import Event
from grants.models import Application, GrantRound
from initiatives.models import Initiative
from kopienas import figures as impact
from kopienas.figures.registry import BY_KEY, FIGURES, HEADLINE, reach_written
from kopienas.figures.sources import CENTRE, COMMUNITY, TOTAL, YEAR, breakdown
from tests.factories import CommunityFactory, ResourceCentreFactory, TargetGroupFactory
from tests.factories.initiatives import published_initiative
from tests.kopienas.figures_support import held_event, idea, initiative, reached, results_round

pytestmark = pytest.mark.django_db

NOTHING = {
    "participants": 0,
    "institutions": 0,
    "initiatives": 0,
    "trainings": 0,
    "rounds": 0,
    "supported_ideas": 0,
    "centres": 0,
    "volunteers": 0,
    "booked_hours": 0,
}


def test_the_registry_defines_every_figure_once_with_its_texts():
    assert [figure.key for figure in FIGURES] == [*HEADLINE, "volunteers", "booked_hours"]
    assert len(BY_KEY) == len(FIGURES)
    for figure in FIGURES:
        texts = [figure.label, figure.definition, figure.counts, figure.leaves_out]
        assert all(str(text).strip() for text in [*texts, figure.time_basis]), figure.key
    assert str(BY_KEY["participants"].label) == "iedzīvotāju iesaistīti"
    assert "divreiz" in str(BY_KEY["participants"].definition)


def test_an_exact_count_is_written_with_the_latvian_thousands_separator():
    assert BY_KEY["participants"].written(6014) == "6\xa0014"
    assert BY_KEY["participants"].written(0) == "0"
    with translation.override("en"):
        assert BY_KEY["participants"].written(6014) == "6,014"


def test_a_rounded_figure_says_it_is_rounded():
    rounded = impact.Figure(**{**BY_KEY["participants"].__dict__, "rounding": 1000})
    assert rounded.written(6014) == "ap 6\xa0000"
    assert rounded.written(6500) == "ap 7\xa0000"


def test_nothing_counted_is_zero():
    assert breakdown(TOTAL) == NOTHING


def test_participants_are_held_events_attendees_and_published_initiatives_participants():
    held_event(attendees=30)
    held_event(attendees=12, kind=Event.Kind.COMMUNITY_EVENT)
    initiative(participants=40)
    # Left out: a cancelled event, one not closed, an initiative not yet published, a cancelled
    # one, and a published one of an unpublished community.
    cancelled = held_event(attendees=500)
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=cancelled.closed_at)
    Event.objects.filter(pk=held_event(attendees=700).pk).update(closed_at=None)
    initiative(participants=900, status=Initiative.Status.SUBMITTED)
    initiative(participants=800, status=Initiative.Status.CANCELLED)
    initiative(participants=600, community=CommunityFactory(is_published=False))

    assert breakdown(TOTAL)["participants"] == 30 + 12 + 40


def test_a_person_at_two_events_counts_twice():
    held_event(attendees=1)
    held_event(attendees=1)
    assert breakdown(TOTAL)["participants"] == 2


def test_participants_by_year_follow_the_event_start_in_riga_and_the_initiative_year():
    # 23:30 on New Year's Eve in Riga (21:30 UTC) is 2024.
    held_event(attendees=5, starts=datetime(2024, 12, 31, 23, 30, tzinfo=RIGA))
    # Just after midnight in Riga is 2025, though it is 2024 in UTC.
    held_event(attendees=7, starts=datetime(2025, 1, 1, 0, 30, tzinfo=RIGA))
    initiative(participants=11, year=2023)

    assert breakdown(YEAR)["participants"] == {2023: 11, 2024: 5, 2025: 7}


def test_institutions_are_distinct_names_of_public_initiatives_in_the_first_year_named():
    centre = ResourceCentreFactory()
    community = CommunityFactory(resource_centre=centre)
    initiative(year=2024, community=community, institutions=["Aglonas vidusskola"])
    initiative(year=2025, institutions=["Aglonas vidusskola", "Preiļu novada dome"])
    # Named only by an unpublished initiative, or one of an unpublished community: left out.
    initiative(status=Initiative.Status.ACCEPTED, institutions=["Slepenā biedrība"])
    initiative(
        community=CommunityFactory(is_published=False), institutions=["Nepublicētā biedrība"]
    )

    assert breakdown(TOTAL)["institutions"] == 2
    assert breakdown(YEAR)["institutions"] == {2024: 1, 2025: 1}
    assert breakdown(CENTRE)["institutions"][centre.pk] == 1


def test_initiatives_are_published_ones_funded_and_own():
    published_initiative(funded=True)
    published_initiative(funded=False)
    initiative(year=2023)
    for status in [Initiative.Status.IN_PROGRESS, Initiative.Status.CANCELLED]:
        initiative(status=status)
    initiative(community=CommunityFactory(is_published=False))

    totals = breakdown(TOTAL)
    assert totals["initiatives"] == 3
    # fill_report's 12 volunteers for each of the two, and 3 of the typed one.
    assert totals["volunteers"] == 12 + 12 + 3


def test_trainings_are_held_events_of_the_training_kinds():
    for kind in [
        Event.Kind.COMMUNITY_TRAINING,
        Event.Kind.TEACHERS_SEMINAR,
        Event.Kind.LEADERS_SCHOOL,
        Event.Kind.EXPERT_CONSULTATION,
        Event.Kind.COMMUNITY_EVENT,
    ]:
        held_event(kind=kind, starts=datetime(2024, 3, 1, 10, 0, tzinfo=RIGA))
    cancelled = held_event()
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=cancelled.closed_at)

    assert breakdown(TOTAL)["trainings"] == 3
    assert breakdown(YEAR)["trainings"] == {2024: 3}


def test_rounds_and_supported_ideas_come_from_published_results_only():
    published = results_round(year=2024)
    idea(published)
    idea(published)
    # Left out: reserve and not supported, supported but not yet told, withdrawn.
    idea(published, notified=Application.Decision.RESERVE)
    idea(published, notified=Application.Decision.NOT_SUPPORTED)
    idea(published, notified="")
    idea(published, status=Application.Status.WITHDRAWN)
    # A round still deciding: its supported decisions are not public yet.
    deciding = results_round(year=2025, status=GrantRound.Status.DECISIONS)
    idea(deciding)
    results_round(year=2025, status=GrantRound.Status.DRAFT)

    totals = breakdown(TOTAL)
    assert (totals["rounds"], totals["supported_ideas"]) == (1, 2)
    assert breakdown(YEAR)["rounds"] == {2024: 1}
    assert breakdown(YEAR)["supported_ideas"] == {2024: 2}


def test_centres_are_the_published_ones():
    ResourceCentreFactory.create_batch(2)
    ResourceCentreFactory(is_published=False)
    assert breakdown(TOTAL)["centres"] == 2
    assert "centres" not in breakdown(YEAR)


def test_a_centre_counts_its_events_and_its_communities_initiatives_and_ideas():
    centre = ResourceCentreFactory()
    community = CommunityFactory(resource_centre=centre)
    elsewhere = CommunityFactory()
    held_event(attendees=8, centre=centre)
    initiative(community=community, participants=20)
    initiative(community=elsewhere, participants=50)
    idea(results_round(), community=community)

    values = breakdown(CENTRE)
    assert values["participants"][centre.pk] == 28
    assert values["initiatives"][centre.pk] == 1
    assert values["supported_ideas"][centre.pk] == 1
    assert values["trainings"][centre.pk] == 1


def test_a_community_counts_its_events_initiatives_and_ideas():
    community = CommunityFactory()
    held_event(attendees=8, community=community)
    initiative(community=community, participants=20, institutions=["Līvānu dome"])
    initiative(participants=50)

    assert breakdown(COMMUNITY, only=community.pk) == {
        "participants": {community.pk: 28},
        "institutions": {community.pk: 1},
        "initiatives": {community.pk: 1},
        "trainings": {community.pk: 1},
        "volunteers": {community.pk: 3},
    }


def test_reach_adds_held_events_and_public_initiatives_per_target_group():
    youth, men, families = TargetGroupFactory.create_batch(3)
    reached(held_event(), youth, 12)
    reached(initiative(), youth, 9)
    reached(initiative(), men, 3)
    # Left out: a cancelled event and an unpublished initiative.
    cancelled = held_event()
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=cancelled.closed_at)
    reached(cancelled, families, 40)
    reached(initiative(status=Initiative.Status.SUBMITTED), families, 40)

    assert [(item.group.slug, item.value, item.written) for item in impact.reach()] == [
        (youth.slug, 21, "21"),
        (men.slug, 3, "mazāk nekā 5"),
        # Nobody is fewer than five, too: written the same way.
        (families.slug, 0, "mazāk nekā 5"),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [(0, "mazāk nekā 5"), (1, "mazāk nekā 5"), (4, "mazāk nekā 5"), (5, "5"), (1234, "1\xa0234")],
)
def test_groups_under_five_people_are_written_less_than_five(value, written):
    assert reach_written(value) == written


def test_a_past_year_does_not_change_with_today(monkeypatch):
    held_event(attendees=9, starts=datetime(2024, 6, 1, 12, 0, tzinfo=RIGA))
    before = breakdown(YEAR)
    later = timezone.now() + timedelta(days=3 * 365)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert breakdown(YEAR) == before == {"participants": {2024: 9}, "trainings": {2024: 1}}


def test_headline_uses_the_coordinators_label_or_the_registry_s_own(latgale):
    from communities.models import ImpactFigure

    ImpactFigure.objects.filter(key="rounds").delete()
    shown = {item.key: (item.label, item.written) for item in impact.headline()}
    assert shown["participants"] == ("latgaliešu iesaistījušies iniciatīvā", "0")
    assert shown["rounds"] == ("mazo iniciatīvu konkursi", "0")
    assert shown["centres"] == ("izveidoti kopienu resursu centri", "10")
