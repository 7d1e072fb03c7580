"""The writes of the capacity self-assessment (communities/capacity.py): who may do what, and
each bad input of issue 16 answered with a clear message and nothing lost."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import capacity
from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    Membership,
)
from kopienas.services import delete_account, personal_data
from tests.communities.capacity_support import TODAY, in_community, levels, open_round
from tests.factories import CommunityFactory, staff

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Riga"))


def answers_of(person):
    return list(
        CapacityAnswer.objects.filter(person=person)
        .order_by("dimension__order")
        .values_list("level", "comment", "submitted_at")
    )


# --- Opening a round ---------------------------------------------------------------------------


def open_as(person, community, **extra):
    return capacity.open_round(
        community=community,
        opened_by=person,
        title=extra.pop("title", "Novērtējums 2026"),
        opens_on=extra.pop("opens_on", date(2026, 3, 10)),
        closes_on=extra.pop("closes_on", date(2026, 3, 31)),
        today=TODAY,
    )


def test_a_leader_opens_the_baseline_then_a_follow_up(community, leader):
    first = open_as(leader, community, closes_on=date(2026, 3, 10))
    second = capacity.open_round(
        community=community,
        opened_by=leader,
        title="Otrais gads",
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 3, 31),
        today=date(2026, 3, 11),
    )

    assert [(r.kind, r.title, r.opened_by) for r in (first, second)] == [
        (AssessmentRound.Kind.BASELINE, "Novērtējums 2026", leader),
        (AssessmentRound.Kind.FOLLOW_UP, "Otrais gads", leader),
    ]
    assert second.instrument.number == 1


def test_a_round_is_refused_while_another_is_open(community, leader):
    open_as(leader, community)

    with pytest.raises(ValidationError) as error:
        open_as(leader, community, title="Vēl viena")

    assert error.value.messages == [
        "Kopienai jau ir atvērta novērtēšanas kārta. Jaunu var atvērt, kad tā beigsies."
    ]
    assert AssessmentRound.objects.count() == 1


def test_a_coordinator_opens_a_round_but_an_activist_or_another_leader_may_not(
    community, activist, dimensions
):
    other_leader = in_community(CommunityFactory(slug="aglona"), Membership.Role.LEADER)

    for person in (activist, other_leader):
        with pytest.raises(PermissionDenied):
            open_as(person, community)
    round_ = open_as(staff("Koordinatori"), community)

    assert AssessmentRound.objects.get() == round_


@pytest.mark.parametrize(
    ("extra", "messages"),
    [
        ({"title": "  "}, {"title": ["Šis lauks ir obligāts."]}),
        ({"title": "x" * 201}, {"title": ["Ne vairāk kā 200 rakstzīmes."]}),
        (
            {"opens_on": date(2026, 3, 20), "closes_on": date(2026, 3, 19)},
            {"closes_on": ["Beigu datums nevar būt agrāks par sākuma datumu."]},
        ),
        (
            {"opens_on": date(2026, 3, 1), "closes_on": date(2026, 3, 9)},
            {"closes_on": ["Beigu datums nevar būt pagātnē."]},
        ),
    ],
)
def test_a_round_with_bad_input_is_refused(community, leader, extra, messages):
    with pytest.raises(ValidationError) as error:
        open_as(leader, community, **extra)

    assert error.value.message_dict == messages
    assert AssessmentRound.objects.count() == 0


# --- Answers -----------------------------------------------------------------------------------


def submit(round_, person, answers, *, final=True, today=TODAY):
    return capacity.submit_answers(
        round_=round_, person=person, answers=answers, final=final, today=today, now=NOON
    )


def test_an_activist_submits_a_level_and_comment_for_each_dimension(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, 1, 2, 3, 4, 4, 3, 2, 1, comment=" Talkas "))

    assert answers_of(activist) == [(level, "Talkas", NOON) for level in (1, 2, 3, 4, 4, 3, 2, 1)]


def test_a_second_answer_replaces_the_first_and_never_adds(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8), final=False)
    submit(round_, activist, levels(dimensions, *[3] * 8))
    submit(round_, activist, levels(dimensions, *[4] * 8, comment="Pārdomāju"))

    assert answers_of(activist) == [(4, "Pārdomāju", NOON)] * 8
    assert CapacityAnswer.objects.count() == 8


def test_a_draft_may_leave_dimensions_out_and_is_not_submitted(round_, activist, dimensions):
    submit(round_, activist, {dimensions[0].pk: ("2", "Sākām")}, final=False)

    assert answers_of(activist) == [(2, "Sākām", None)]


@pytest.mark.parametrize("level", [0, 5, "-1", "trīs", "2.5", None])
def test_a_level_outside_the_scale_is_refused_and_nothing_is_saved(
    round_, activist, dimensions, level
):
    answers = levels(dimensions, *[3] * 8)
    answers[dimensions[2].pk] = (level, "")

    with pytest.raises(ValidationError) as error:
        submit(round_, activist, answers)

    expected = (
        "Izvēlieties līmeni šai dimensijai." if level is None else "Izvēlieties līmeni no 1 līdz 4."
    )
    assert error.value.message_dict == {f"level-{dimensions[2].pk}": [expected]}
    assert answers_of(activist) == []


def test_a_final_answer_needs_every_dimension(round_, activist, dimensions):
    with pytest.raises(ValidationError) as error:
        submit(round_, activist, {dimensions[0].pk: (3, "")})

    assert error.value.message_dict == {
        f"level-{dimension.pk}": ["Izvēlieties līmeni šai dimensijai."]
        for dimension in dimensions[1:]
    }


def test_a_comment_too_long_is_refused(round_, activist, dimensions):
    answers = levels(dimensions, *[3] * 8)
    answers[dimensions[0].pk] = (3, "ā" * 2001)

    with pytest.raises(ValidationError) as error:
        submit(round_, activist, answers)

    assert error.value.message_dict == {
        f"comment-{dimensions[0].pk}": ["Ne vairāk kā 2000 rakstzīmes."]
    }


def test_an_answer_for_a_dimension_outside_the_instrument_is_refused(round_, activist, dimensions):
    with pytest.raises(ValidationError) as error:
        submit(round_, activist, {**levels(dimensions, *[3] * 8), 999999: (3, "")})

    assert error.value.messages == ["Atbilde attiecas uz dimensiju, kuras šajā kārtā nav."]


@pytest.mark.parametrize("day", [date(2026, 2, 28), date(2026, 4, 1)])
def test_an_answer_before_opening_or_after_closing_is_refused_and_the_draft_kept(
    round_, activist, dimensions, day
):
    submit(round_, activist, levels(dimensions, *[2] * 8), final=False)

    with pytest.raises(ValidationError) as error:
        submit(round_, activist, levels(dimensions, *[4] * 8), today=day)

    assert error.value.messages == [
        "Šī kārta nav atvērta: atbildes pieņem no 2026-03-01 līdz 2026-03-31."
    ]
    assert answers_of(activist) == [(2, "", None)] * 8


def test_the_closing_day_itself_still_takes_answers(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8), today=date(2026, 3, 31))

    assert len(answers_of(activist)) == 8


def test_only_active_activists_and_leaders_answer(round_, member, leader, dimensions):
    outsider = in_community(CommunityFactory(slug="aglona"), Membership.Role.ACTIVIST)
    requested = in_community(round_.community, Membership.Role.ACTIVIST)
    Membership.objects.filter(user=requested).update(status=Membership.Status.REQUESTED)

    for person in (member, outsider, requested, staff("Koordinatori")):
        with pytest.raises(PermissionDenied):
            submit(round_, person, levels(dimensions, *[3] * 8))
    submit(round_, leader, levels(dimensions, *[3] * 8))

    assert set(CapacityAnswer.objects.values_list("person", flat=True)) == {leader.pk}


def test_a_person_who_leaves_keeps_their_past_answers_anonymised(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, 1, 2, 3, 4, 1, 2, 3, 4, comment="Mana balss"))

    delete_account(user=activist)

    assert list(
        CapacityAnswer.objects.order_by("dimension__order").values_list(
            "person", "level", "comment"
        )
    ) == [(None, level, "Mana balss") for level in (1, 2, 3, 4, 1, 2, 3, 4)]


def test_ones_answers_are_part_of_ones_data(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, 1, 2, 3, 4, 1, 2, 3, 4, comment="Mana balss"))

    data = personal_data(user=activist)["capacity_answers"]

    assert [(row["community"], row["round"], row["level"], row["comment"]) for row in data] == [
        (round_.community.name, round_.title, level, "Mana balss")
        for level in (1, 2, 3, 4, 1, 2, 3, 4)
    ]
    assert [row["dimension"] for row in data] == [dimension.title for dimension in dimensions]
    assert all(row["submitted"] is not None for row in data)


# --- Consensus ---------------------------------------------------------------------------------


def consensus(round_, person, entries):
    return capacity.record_consensus(round_=round_, recorded_by=person, entries=entries)


def test_consensus_before_any_submitted_answer_is_refused(round_, activist, leader, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8), final=False)

    with pytest.raises(ValidationError) as error:
        consensus(round_, leader, {dimensions[0].pk: (2, "Vienojāmies sapulcē", "")})

    assert error.value.messages == [
        "Vienošanos var ierakstīt, kad vismaz viens dalībnieks ir iesniedzis savas atbildes."
    ]
    assert CapacityConsensus.objects.count() == 0


def test_the_leader_records_and_then_replaces_the_consensus(round_, activist, leader, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8))

    consensus(round_, leader, {dimensions[0].pk: (2, "Sapulcē", "Protokols")})
    consensus(round_, leader, {dimensions[0].pk: ("3", " Pārrunājām vēlreiz ", "")})

    assert list(
        CapacityConsensus.objects.values_list("dimension", "level", "reason", "evidence")
    ) == [(dimensions[0].pk, 3, "Pārrunājām vēlreiz", "")]


def test_a_consensus_needs_a_reason_and_a_level_in_scale(round_, activist, leader, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8))

    with pytest.raises(ValidationError) as error:
        consensus(
            round_,
            leader,
            {
                dimensions[0].pk: (3, "", ""),
                dimensions[1].pk: (7, "Iemesls", ""),
                dimensions[2].pk: ("", "Iemesls bez līmeņa", ""),
            },
        )

    assert error.value.message_dict == {
        f"reason-{dimensions[0].pk}": ["Uzrakstiet, kāpēc kopiena vienojās par šo līmeni."],
        f"level-{dimensions[1].pk}": ["Izvēlieties līmeni no 1 līdz 4."],
        f"level-{dimensions[2].pk}": ["Pamatojumam izvēlieties arī līmeni."],
    }
    assert CapacityConsensus.objects.count() == 0


def test_only_the_leader_or_a_coordinator_records_the_consensus(round_, activist, dimensions):
    submit(round_, activist, levels(dimensions, *[2] * 8))

    with pytest.raises(PermissionDenied):
        consensus(round_, activist, {dimensions[0].pk: (2, "Es tā domāju", "")})
    consensus(round_, staff("Koordinatori"), {dimensions[0].pk: (2, "Sapulcē", "")})

    assert CapacityConsensus.objects.count() == 1


# --- The plan ----------------------------------------------------------------------------------


def test_the_leader_plans_an_action_owned_by_a_member_and_moves_it_on(
    round_, leader, activist, dimensions
):
    item = capacity.add_action_item(
        round_=round_,
        by=leader,
        dimension_id=dimensions[5].pk,
        text=" Līderu skola jauniešiem ",
        owner_id=activist.pk,
        due_on=date(2026, 9, 1),
    )
    capacity.set_action_item_status(item=item, by=leader, status=ActionItem.Status.IN_PROGRESS)

    assert list(ActionItem.objects.values_list("text", "owner", "due_on", "status")) == [
        ("Līderu skola jauniešiem", activist.pk, date(2026, 9, 1), "in_progress")
    ]


def test_an_action_with_bad_input_is_refused(round_, leader, dimensions):
    outsider = in_community(CommunityFactory(slug="aglona"), Membership.Role.ACTIVIST)
    cases = [
        ({"text": "", "owner_id": None}, {"text": ["Šis lauks ir obligāts."]}),
        ({"text": "x" * 501, "owner_id": None}, {"text": ["Ne vairāk kā 500 rakstzīmes."]}),
        (
            {"text": "Talka", "owner_id": outsider.pk},
            {"owner": ["Atbildīgajam jābūt kopienas dalībniekam."]},
        ),
    ]
    for extra, messages in cases:
        with pytest.raises(ValidationError) as error:
            capacity.add_action_item(
                round_=round_, by=leader, dimension_id=dimensions[0].pk, **extra
            )
        assert error.value.message_dict == messages
    item = capacity.add_action_item(
        round_=round_, by=leader, dimension_id=dimensions[0].pk, text="Talka"
    )
    with pytest.raises(ValidationError) as error:
        capacity.set_action_item_status(item=item, by=leader, status="lost")

    assert error.value.message_dict == {"status": ["Izvēlieties statusu no saraksta."]}
    assert list(ActionItem.objects.values_list("text", "status")) == [("Talka", "planned")]


def test_an_activist_may_not_plan(round_, activist, dimensions):
    with pytest.raises(PermissionDenied):
        capacity.add_action_item(
            round_=round_, by=activist, dimension_id=dimensions[0].pk, text="Talka"
        )
    assert ActionItem.objects.count() == 0


def test_rounds_of_other_communities_do_not_block_opening(community, leader):
    open_round(CommunityFactory(slug="aglona"), closes_on=date(2026, 12, 31))

    assert open_as(leader, community).community == community
