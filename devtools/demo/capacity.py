"""The communities' capacity self-assessment: a baseline in 2019 and a second round in 2022
for each of the eleven communities, with their leader's and activist's answers, the agreed
levels with reasons, and a plan the 2022 round reviews.

The levels follow what the brochure says changed: "stiprināts teritoriālais sociālais kapitāls
– kopienu rīcībspēja", communities that think more about their future and have their own
resource centres. So organised action, leaders, participation and trust grew most; the
standard of living, which a community changes least on its own, grew least.

The rounds are in the past, which the services refuse (a round cannot close before today,
nor take answers after it closes), so they are written as rows here, exactly as the services
would have left them. Idempotent: a community's round is made once (by its title).
"""

import datetime
from zoneinfo import ZoneInfo

from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityDimension,
    Community,
    Membership,
)

from .common import DEMO_MARK
from .initiative_data import LOCATIVES

RIGA = ZoneInfo("Europe/Riga")
BASELINE = ("Sākotnējais novērtējums 2019", datetime.date(2019, 9, 2), datetime.date(2019, 9, 30))
FOLLOW_UP = ("Atkārtotais novērtējums 2022", datetime.date(2022, 9, 5), datetime.date(2022, 9, 30))
# Agreed levels by dimension (in the instrument's order): 2019, then the change by 2022.
BASELINE_LEVELS = [2, 1, 1, 2, 1, 1, 2, 1]
GROWTH = [1, 1, 1, 0, 2, 2, 1, 1]
REASONS = {
    "lidzdarbosanas": "Talkās piedalās arvien vairāk cilvēku, arī ģimenes ar bērniem.",
    "potenciala-realizacija": "Resursu centrā darbojas interešu grupas, ko vada paši iedzīvotāji.",
    "iesaiste-lemumos": "Pašvaldība kopienu uzklausa, bet lēmumus vēl bieži uzzinām pēc tam.",
    "dzives-limenis": "Ikdienas dzīvi uzlabojam pa mazumam; darbavietas kopiena pati nerada.",
    "organizeta-darbiba": "Ir darba grupa, gada plāns un savs resursu centrs.",
    "lideri": "Līderu skolu beiguši vairāki kopienas cilvēki; atbildību dala.",
    "uzticiba": "Pēc kopīgiem darbiem cilvēki cits citam vairāk uzticas.",
    "komunikacija": "Informējam sociālo tīklu grupā un uz ziņojumu dēļa veikalā.",
}
PLANS = {
    # dimension slug: the action of the 2019 plan, reviewed in 2022
    "organizeta-darbiba": "Izveidot kopienas darba grupu un sastādīt gada plānu",
    "lideri": "Nosūtīt divus jauniešus uz līderu skolu",
    "iesaiste-lemumos": "Uzaicināt pašvaldības pārstāvi uz kopienas sapulci",
    "komunikacija": "Iekārtot ziņojumu dēli un kopienas sociālo tīklu grupu",
}
NEXT_PLANS = {
    "dzives-limenis": "Apzināt, kādus pakalpojumus kopiena varētu sniegt pati",
    "komunikacija": "Sagatavot kopienas ziņu lapu arī tiem, kas nelieto internetu",
}


def make_capacity_rounds() -> int:
    """Both rounds for every Latgale community that has the instrument's dimensions and an
    active leader; returns how many rounds were made."""
    communities = {c.slug: c for c in Community.objects.filter(slug__in=LOCATIVES)}
    dimensions = list(CapacityDimension.objects.filter(levels__isnull=False).distinct())
    if not dimensions:
        return 0
    instrument_id = dimensions[0].levels.values_list("instrument_id", flat=True).first()
    dimensions.sort(key=lambda d: (d.order, d.pk))
    made = 0
    for position, slug in enumerate(LOCATIVES):
        community = communities.get(slug)
        if community is None:
            continue
        voices = list(
            Membership.objects.filter(
                community=community,
                status=Membership.Status.ACTIVE,
                role__in=[Membership.Role.LEADER, Membership.Role.ACTIVIST],
            )
            .order_by("-role", "pk")
            .values_list("user_id", "role")
        )
        leader = next((user for user, role in voices if role == Membership.Role.LEADER), None)
        if leader is None:
            continue
        # A step higher on every third dimension, shifted by community, so they differ.
        agreed_2019 = [
            _level(base + (position + i) % 3 // 2) for i, base in enumerate(BASELINE_LEVELS)
        ]
        agreed_2022 = [_level(level + GROWTH[i]) for i, level in enumerate(agreed_2019)]
        baseline, created = _round(community, instrument_id, leader, BASELINE, kind="baseline")
        if created:
            made += 1
            _voices_and_consensus(baseline, dimensions, voices, leader, agreed_2019)
            _plan(baseline, dimensions, PLANS, voices, done=True)
        follow_up, created = _round(community, instrument_id, leader, FOLLOW_UP, kind="follow_up")
        if created:
            made += 1
            _voices_and_consensus(follow_up, dimensions, voices, leader, agreed_2022)
            _plan(follow_up, dimensions, NEXT_PLANS, voices, done=False)
    return made


def _level(value: int) -> int:
    return max(1, min(4, value))


def _round(community, instrument_id, leader, spec, *, kind):
    title, opens_on, closes_on = spec
    return AssessmentRound.objects.get_or_create(
        community=community,
        title=title,
        defaults={
            "instrument_id": instrument_id,
            "kind": kind,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "opened_by_id": leader,
        },
    )


def _voices_and_consensus(round_, dimensions, voices, leader, agreed) -> None:
    """Each voice answers near the agreed level (the activist a step more hopeful on every
    other dimension); the leader records the agreed level with a reason."""
    submitted = datetime.datetime.combine(round_.closes_on, datetime.time(18), tzinfo=RIGA)
    answers = []
    for number, (user, _role) in enumerate(voices):
        for index, dimension in enumerate(dimensions):
            shift = 1 if number % 2 and index % 2 else 0
            answers.append(
                CapacityAnswer(
                    round=round_,
                    person_id=user,
                    dimension=dimension,
                    level=_level(agreed[index] + shift),
                    comment="",
                    submitted_at=submitted,
                )
            )
    CapacityAnswer.objects.bulk_create(answers)
    CapacityConsensus.objects.bulk_create(
        CapacityConsensus(
            round=round_,
            dimension=dimension,
            level=agreed[index],
            reason=f"{REASONS.get(dimension.slug, 'Vienojāmies kopienas sapulcē.')} {DEMO_MARK}",
            evidence="Kopienas sapulces protokols",
            recorded_by_id=leader,
        )
        for index, dimension in enumerate(dimensions)
    )


def _plan(round_, dimensions, plans, voices, *, done: bool) -> None:
    by_slug = {d.slug: d for d in dimensions}
    owners = [user for user, _role in voices]
    items = []
    for number, (slug, text) in enumerate(plans.items()):
        if slug not in by_slug:
            continue
        if done:
            status = ActionItem.Status.DROPPED if number == 3 else ActionItem.Status.DONE
        else:
            status = ActionItem.Status.IN_PROGRESS if number == 0 else ActionItem.Status.PLANNED
        items.append(
            ActionItem(
                round=round_,
                dimension=by_slug[slug],
                text=text,
                owner_id=owners[number % len(owners)],
                due_on=datetime.date(round_.opens_on.year + 1, 6, 1),
                status=status,
            )
        )
    ActionItem.objects.bulk_create(items)
