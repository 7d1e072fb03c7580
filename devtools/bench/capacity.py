"""The capacity self-assessment at national scale (issue 16): every synthetic community with ten
yearly rounds (a baseline, then nine follow-ups), the agreed level of each of the eight
dimensions in each, its members' answers and a plan of two steps per round.

Levels follow fixed rules of the community's and the dimension's index, climbing slowly over
the years as the brochure tells of the Latgale communities, so a given scale always yields the
same rows. Communities that bench_data gave a leader (see `places`) have that person's answers;
the next community has them as its member's. Rows go in by bulk_create; a community that has
rounds already is left as it is, so a second run adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from communities import capacity
from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    Membership,
)

from .common import BIG_BATCH, Made, analyze
from .names import BENCH_MARK, bench_user

FIRST_YEAR = 2017
ROUNDS = 10
STEPS_PER_ROUND = 2
STEP_TEXTS = [
    "Rīkot kopienas sanāksmi reizi ceturksnī",
    "Uzaicināt jauniešus vadīt vienu talku",
    "Izveidot kopienas ziņu lapu",
    "Pieteikties mazo grantu konkursā",
]


def level(community: int, dimension: int, year: int) -> int:
    """The agreed level, 1–4: each community starts at 1 or 2 and grows every few years, some
    dimensions faster than others."""
    start = 1 + (community + dimension) % 2
    pace = 2 + (community * 3 + dimension) % 4
    return min(4, start + year // pace)


def make_capacity(*, scale: float, made: Made) -> None:
    made.counts.update(capacity_rounds=0, capacity_answers=0, capacity_consensus=0, action_items=0)
    capacity.ensure_first_instrument()
    instrument = capacity.current_instrument()
    if instrument is None:  # no dimensions loaded (a bench test without the Latgale data)
        return
    dimensions = capacity.instrument_dimension_ids(instrument)
    assessed = set(
        AssessmentRound.objects.filter(community__in=made.communities).values_list(
            "community_id", flat=True
        )
    )
    todo = [
        (index, community)
        for index, community in enumerate(made.communities)
        if community.pk not in assessed
    ]
    if not todo:
        return
    users = get_user_model().objects.filter(
        username__in=[bench_user(index - index % 3) for index, _ in todo if index % 3 < 2]
    )
    by_name = {user.username: user for user in users}
    members = set(
        Membership.objects.filter(user__in=users, status=Membership.Status.ACTIVE).values_list(
            "user_id", "community_id"
        )
    )

    def voice(index: int):
        """Community i (i % 3 == 0) is led by bench_user(i), who is a member of community i + 1."""
        person = by_name.get(bench_user(index - index % 3)) if index % 3 < 2 else None
        if person is None or (person.pk, made.communities[index].pk) not in members:
            return None
        return person

    rounds = []
    for index, community in todo:
        for year in range(ROUNDS):
            opens_on = date(FIRST_YEAR + year, 4, 1)
            baseline = year == 0
            rounds.append(
                AssessmentRound(
                    community=community,
                    instrument=instrument,
                    kind=AssessmentRound.Kind.BASELINE
                    if baseline
                    else AssessmentRound.Kind.FOLLOW_UP,
                    title=(
                        f"Sākotnējais novērtējums {opens_on.year}"
                        if baseline
                        else f"Novērtējums {opens_on.year}"
                    ),
                    opens_on=opens_on,
                    closes_on=opens_on + timedelta(days=29),
                    opened_by=voice(index) if index % 3 == 0 else None,
                )
            )
    AssessmentRound.objects.bulk_create(rounds, batch_size=BIG_BATCH)

    consensus, answers, steps = [], [], []
    for number, round_ in enumerate(rounds):
        index, _community = todo[number // ROUNDS]
        year = number % ROUNDS
        person = voice(index)
        closed = timezone.make_aware(datetime.combine(round_.closes_on, time(18)))
        for position, dimension in enumerate(dimensions):
            agreed = level(index, position, year)
            consensus.append(
                CapacityConsensus(
                    round=round_,
                    dimension_id=dimension,
                    level=agreed,
                    reason=f"Vienojāmies kopienas sanāksmē. {BENCH_MARK}",
                    recorded_by=person if index % 3 == 0 else None,
                )
            )
            if person is not None:
                answers.append(
                    CapacityAnswer(
                        round=round_,
                        person=person,
                        dimension_id=dimension,
                        level=min(4, agreed + (index + position + year) % 2),
                        submitted_at=closed,
                    )
                )
        for step in range(STEPS_PER_ROUND):
            latest = year == ROUNDS - 1
            steps.append(
                ActionItem(
                    round=round_,
                    dimension_id=dimensions[(index + year + step * 3) % len(dimensions)],
                    text=STEP_TEXTS[(index + year + step) % len(STEP_TEXTS)],
                    owner=person,
                    due_on=round_.closes_on + timedelta(days=180),
                    status=ActionItem.Status.PLANNED if latest else ActionItem.Status.DONE,
                )
            )
    CapacityConsensus.objects.bulk_create(consensus, batch_size=BIG_BATCH)
    CapacityAnswer.objects.bulk_create(answers, batch_size=BIG_BATCH)
    ActionItem.objects.bulk_create(steps, batch_size=BIG_BATCH)
    analyze([AssessmentRound, CapacityConsensus, CapacityAnswer, ActionItem])
    made.counts.update(
        capacity_rounds=len(rounds),
        capacity_answers=len(answers),
        capacity_consensus=len(consensus),
        action_items=len(steps),
    )
