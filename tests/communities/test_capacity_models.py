"""The capacity instrument's first version, the database's own guards and what stays when a
person goes (issue 16)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from communities import capacity
from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityInstrument,
    CapacityLevel,
    Membership,
)
from kopienas.services import delete_account
from tests.communities.capacity_support import in_community, open_round
from tests.factories import CommunityFactory, MembershipFactory


def test_version_one_has_four_latvian_levels_for_each_of_the_eight_dimensions(dimensions):
    instrument = CapacityInstrument.objects.get()

    texts = list(
        CapacityLevel.objects.filter(instrument=instrument, dimension=dimensions[5]).values_list(
            "level", "text"
        )
    )

    assert (instrument.number, instrument.is_published, instrument.levels.count()) == (1, True, 32)
    assert texts == [
        (1, "Sākums: kopienā nav neviena, kas uzņemas iniciatīvu, vai visu nes viens cilvēks."),
        (2, "Attīstība: ir viens vai divi līderi, bet bez viņiem darbs apstājas."),
        (3, "Stabila: kopienā ir vairāki līderi, kuri dala atbildību un iedrošina citus."),
        (
            4,
            "Spēcīga: līderi aug no dažādām grupām, arī no jauniešiem; kopiena apzināti sagatavo "
            "jaunus līderus un nomaiņa darbu neaptur.",
        ),
    ]


def test_a_second_run_leaves_the_coordinators_instrument_alone(dimensions):
    CapacityLevel.objects.filter(level=1).update(text="Labots teksts")

    assert capacity.ensure_first_instrument() is None
    assert (CapacityInstrument.objects.count(), CapacityLevel.objects.count()) == (1, 32)
    assert set(CapacityLevel.objects.filter(level=1).values_list("text", flat=True)) == {
        "Labots teksts"
    }


def test_loading_the_latgale_data_makes_version_one(latgale):
    assert list(CapacityInstrument.objects.values_list("number", "is_published")) == [(1, True)]
    assert CapacityLevel.objects.count() == 32


@pytest.mark.parametrize("level", [0, 5])
def test_the_database_refuses_a_level_outside_the_scale(round_, activist, dimensions, level):
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityAnswer.objects.create(
            round=round_, person=activist, dimension=dimensions[0], level=level
        )


def test_the_database_refuses_a_second_answer_and_a_second_consensus(round_, activist, dimensions):
    CapacityAnswer.objects.create(round=round_, person=activist, dimension=dimensions[0], level=2)
    CapacityConsensus.objects.create(round=round_, dimension=dimensions[0], level=2, reason="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityAnswer.objects.create(
            round=round_, person=activist, dimension=dimensions[0], level=3
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityConsensus.objects.create(round=round_, dimension=dimensions[0], level=3, reason="y")


def test_the_database_refuses_a_round_that_closes_before_it_opens(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        open_round(community, opens_on=date(2026, 3, 10), closes_on=date(2026, 3, 9))


def test_a_person_who_deletes_their_account_leaves_their_answers_without_a_name(
    round_, activist, leader, dimensions
):
    CapacityAnswer.objects.create(
        round=round_, person=activist, dimension=dimensions[0], level=3, comment="Talkas"
    )
    CapacityConsensus.objects.create(
        round=round_, dimension=dimensions[0], level=3, reason="Vienojāmies", recorded_by=leader
    )

    # A community's only leader names a successor before their account can go.
    in_community(round_.community, Membership.Role.LEADER)
    delete_account(user=activist)
    delete_account(user=leader)

    assert list(CapacityAnswer.objects.values_list("person", "level", "comment")) == [
        (None, 3, "Talkas")
    ]
    assert list(CapacityConsensus.objects.values_list("recorded_by", "level")) == [(None, 3)]
    assert AssessmentRound.objects.get().opened_by is None


def test_a_person_who_leaves_or_is_removed_leaves_their_answers_there_without_a_name(
    round_, community, activist, leader, dimensions
):
    from communities import membership as membership_services

    other = CommunityFactory(slug="cits")
    elsewhere = open_round(other)
    MembershipFactory(user=activist, community=other, status=Membership.Status.ACTIVE)
    for where in (round_, elsewhere):
        CapacityAnswer.objects.create(
            round=where, person=activist, dimension=dimensions[0], level=2
        )
    step = ActionItem.objects.create(
        round=round_, dimension=dimensions[1], text="Talka", owner=activist
    )
    stays = in_community(community, Membership.Role.ACTIVIST)
    CapacityAnswer.objects.create(round=round_, person=stays, dimension=dimensions[0], level=4)

    membership_services.leave_community(user=activist, community=community)

    step.refresh_from_db()
    assert sorted(
        CapacityAnswer.objects.values_list("round__community__slug", "person_id", "level"),
        key=str,
    ) == sorted([("preili", None, 2), ("preili", stays.pk, 4), ("cits", activist.pk, 2)], key=str)
    assert step.owner is None

    removed = Membership.objects.get(user=stays, community=community)
    membership_services.remove_member(
        membership_id=removed.pk, community=community, message="", by=leader
    )

    assert list(
        CapacityAnswer.objects.filter(round=round_).values_list("person_id", flat=True)
    ) == [None, None]
