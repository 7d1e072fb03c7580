"""The initiative's three past competitions (issue 4, part 9), replayed through the platform.

The brochure: "3 community initiative competitions held, 32 community ideas supported". Each
past round is replayed through the platform's own services, as coordinators and assessors would
have used them: assessors declare conflicts and submit scores, the coordinator records decisions
from the ranking and publishes the results (which makes the HistoryEntry rows, the Initiative
records and one decision mail per application). Only the submitted applications themselves are
written directly, with the reference numbers and dates they had. The supported ideas are the top
of each round's ranking, and each round's budget is drawn so that its funding line falls just
below them.

The rounds, ideas, comments and messages are data (`past_round_data`, from
`devtools/data/past_rounds.json`); the texts every round or application shares and the rules
that turn an idea's quality into points are here.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from communities.models import Community, ModelElement, TargetGroup
from grants import selectors, services
from grants.models import (
    Application,
    ApplicationRevision,
    Assessment,
    BudgetLine,
    Criterion,
    GrantRound,
    HistoryEntry,
)
from initiatives.models import Initiative

from .common import DEMO_MARK
from .past_round_data import PastIdea, PastRound, past_rounds_data
from .people import DEMO_ASSESSORS, make_activists

PAST_ROUND_SLUG = "mazo-iniciativu-konkurss-{year}"

# Target groups (TargetGroup slugs) that decide which model elements an idea puts to work.
YOUTH, MEN, MINORITIES, FAMILIES = (
    "neredzamie-jauniesi",
    "viriesi-35",
    "mazakumtautibas",
    "gimenes-ar-berniem",
)


def make_past_rounds(users, *, out) -> list[GrantRound]:
    """The three past competitions; a round that exists already (by its address or reference
    code) is left as it is. Without the Latgale communities they are skipped, with a line on
    `out`."""
    data = past_rounds_data()
    communities = {c.slug: c for c in Community.objects.all()}
    needed = {idea.community for spec in data.rounds for idea in spec.ideas}
    if not needed <= communities.keys():
        out.write(
            "Iepriekšējie konkursi izlaisti: vispirms ielādējiet Latgales kopienas "
            "(manage.py load_latgale)."
        )
        return []
    activists = make_activists(communities)
    assessors = [users[email] for email in DEMO_ASSESSORS]
    coordinator = users["koordinators@example.lv"]
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    elements = {e.slug: e for e in ModelElement.objects.all()}
    rounds = []
    for spec in data.rounds:
        slug = PAST_ROUND_SLUG.format(year=spec.year)
        existing = GrantRound.objects.filter(
            Q(slug=slug) | Q(reference_code=f"DK-{spec.year}")
        ).first()
        if existing is None:
            existing = _past_round(
                spec,
                slug=slug,
                communities=communities,
                activists=activists,
                assessors=assessors,
                coordinator=coordinator,
                groups=groups,
                elements=elements,
            )
        rounds.append(existing)
    return rounds


def _past_round(
    spec: PastRound, *, slug, communities, activists, assessors, coordinator, groups, elements
) -> GrantRound:
    data = past_rounds_data()
    year = spec.year
    riga = timezone.get_current_timezone()
    opens = datetime.combine(spec.opens, time(9), riga)
    closes = datetime.combine(spec.closes, time(23, 59, 59), riga)
    grant_round = GrantRound.objects.create(
        slug=slug,
        title=f"Mazo iniciatīvu konkurss {year}",
        year=year,
        summary=f"{spec.summary} {DEMO_MARK}",
        description=(
            f"{spec.summary} Konkursā varēja pieteikties „Darbīgo kopienu” aktīvisti "
            "Latgalē ar idejām, kas kopienu satuvina un iesaista mazāk aktīvos iedzīvotājus: "
            "neredzamos jauniešus, vīriešus pēc 35 gadiem, mazākumtautību pārstāvjus un "
            f"ģimenes ar bērniem. {DEMO_MARK}"
        ),
        rules=(
            "Pieteikumu iesniedz kopienas aktīvists kopienas vārdā.\n"
            f"Lielākais atbalsts vienai iniciatīvai: {spec.max_grant:.0f} €.\n"
            f"Iniciatīvu īsteno no 1. maija līdz 31. oktobrim. {DEMO_MARK}"
        ),
        opens_at=opens,
        closes_at=closes,
        implementation_starts=date(year, 5, 1),
        implementation_ends=date(year, 10, 31),
        total_budget=spec.budget,
        max_grant=spec.max_grant,
        status=GrantRound.Status.ASSESSMENT,
        reference_code=f"DK-{year}",
        last_number=len(spec.ideas),
    )
    grant_round.target_groups.set(groups.values())
    grant_round.assessors.set(assessors)
    criteria = Criterion.objects.bulk_create(
        Criterion(
            round=grant_round,
            title=criterion.title,
            guidance=criterion.guidance,
            max_points=criterion.max_points,
            weight=criterion.weight,
            order=n,
        )
        for n, criterion in enumerate(spec.criteria)
    )
    ideas = {}
    for number, idea in enumerate(spec.ideas, start=1):
        application = _past_application(
            grant_round,
            idea,
            number=number,
            community=communities[idea.community],
            applicant=activists[idea.community],
            groups=groups,
            elements=elements,
        )
        ideas[application.pk] = idea
    for index, (pk, idea) in enumerate(ideas.items()):
        application = Application.objects.select_related("round").get(pk=pk)
        for n, assessor in enumerate(assessors):
            # The assessors worked in the fortnight after the deadline.
            when = closes + timedelta(days=3 + (index + 4 * n) % 12, hours=10 + n * 3)
            _assess(application, idea, index, n, assessor, criteria, when)
    grant_round.status = GrantRound.Status.DECISIONS
    grant_round.save(update_fields=["status", "updated_at"])
    decided = closes + timedelta(days=24)
    ranking = selectors.ranking(grant_round=grant_round)
    for position, row in enumerate(ranking.rows):
        application, idea = row.application, ideas[row.application.pk]
        if position < spec.supported:
            decision = Application.Decision.SUPPORTED
            award = idea.award or row.application.requested_total
        elif position < spec.supported + spec.reserve:
            decision, award = Application.Decision.RESERVE, None
        else:
            decision, award = Application.Decision.NOT_SUPPORTED, None
        message = data.decision_messages[decision.value]
        if idea.award:
            message += data.partial_award_message
        services.record_decision(
            application=application,
            actor=coordinator,
            decision=decision,
            awarded_amount=award,
            message=message,
        )
        HistoryEntry.objects.filter(
            application=application, action=HistoryEntry.Action.DECISION
        ).update(at=decided + timedelta(minutes=position))
    services.publish_results(grant_round=grant_round, actor=coordinator)
    published = closes + timedelta(days=28, hours=12)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        results_published_at=published, created_at=opens - timedelta(days=21)
    )
    HistoryEntry.objects.filter(
        round=grant_round,
        action__in=[HistoryEntry.Action.PUBLISHED, HistoryEntry.Action.NOTIFIED],
    ).update(at=published)
    Application.objects.filter(round=grant_round).update(notified_at=published)
    # The supported ideas' initiatives start now (grants' publication started them): what the
    # teams did and reported follows in `initiatives`.
    Initiative.objects.filter(application__round=grant_round).update(created_at=published)
    return grant_round


def _past_application(
    grant_round, idea: PastIdea, *, number, community, applicant, groups, elements
) -> Application:
    year = grant_round.year
    submitted = grant_round.closes_at - timedelta(days=number % 9 + 1, hours=number % 7)
    target_groups = [groups[slug] for slug in idea.groups if slug in groups]
    reached = ", ".join(g.title.lower() for g in target_groups) or "kaimiņi"
    application = Application.objects.create(
        round=grant_round,
        applicant=applicant,
        community=community,
        number=number,
        reference=f"{grant_round.reference_code}-{number:03d}",
        title=idea.title,
        summary=f"{idea.summary} {DEMO_MARK}",
        needs=(
            f"Idejas apspriešanā {community.name} sapulcē iedzīvotāji atzina, ka trūkst "
            "iemesla un vietas, kur satikties dažādām paaudzēm un kaimiņiem, kuri līdz šim "
            "kopienas dzīvē nepiedalījās."
        ),
        goals=(
            f"Iesaistīt {idea.participants or 'pēc iespējas vairāk'} dalībniekus "
            f"(īpaši: {reached}) un turpināt kopīgo darbu arī pēc iniciatīvas beigām."
        ),
        activities=idea.activities,
        timeline=(
            f"Maijs–jūnijs {year}: sagatavošana; jūlijs–septembris: īstenošana; "
            "oktobris: noslēguma tikšanās un atskaite."
        ),
        partners=idea.partners,
        starts_on=grant_round.implementation_starts,
        ends_on=grant_round.implementation_ends,
        expected_participants=idea.participants or None,
        status=Application.Status.SUBMITTED,
        submitted_at=submitted,
    )
    application.target_groups.set(target_groups)
    application.model_elements.set(
        elements[slug] for slug in _model_elements(idea) if slug in elements
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            item=line.item,
            category=line.category,
            quantity=line.quantity,
            unit_price=line.unit_price,
            own_contribution=line.own_contribution,
            order=order,
        )
        for order, line in enumerate(idea.lines)
    )
    ApplicationRevision.objects.create(
        application=application,
        kind=ApplicationRevision.Kind.SUBMITTED,
        version=application.version,
        author=applicant,
        snapshot=services.snapshot(application),
    )
    Application.objects.filter(pk=application.pk).update(
        created_at=submitted - timedelta(days=6), updated_at=submitted
    )
    ApplicationRevision.objects.filter(application=application).update(created_at=submitted)
    return application


def _assess(application, idea: PastIdea, index, n, assessor, criteria, when) -> None:
    """Assessor number `n` assesses: declares a conflict, or declares none and submits
    points with a comment for every criterion. The platform's own conflict check (the
    assessor belongs to the applicant's community) needs no declaration: it excludes
    the assessment by itself."""
    comments = past_rounds_data().score_comments
    assessment = services.open_assessment(application=application, assessor=assessor)
    if assessment.auto_conflict:
        pass
    elif idea.conflict and idea.conflict.assessor == n:
        services.declare_conflict(
            assessment=assessment,
            actor=assessor,
            conflict=Assessment.Conflict.DECLARED,
            reason=idea.conflict.reason,
            version=assessment.version,
        )
    else:
        assessment = services.declare_conflict(
            assessment=assessment,
            actor=assessor,
            conflict=Assessment.Conflict.NONE,
            reason="",
            version=assessment.version,
        )
        values = {}
        for c, criterion in enumerate(criteria):
            points = _past_points(idea, index, n, c, criterion.max_points)
            share = points / criterion.max_points
            level = "high" if share >= 0.8 else "mid" if share >= 0.5 else "low"
            values[criterion.pk] = (points, comments[level][(index + n + c) % 3])
        services.save_scores(
            assessment=assessment,
            actor=assessor,
            values=values,
            version=assessment.version,
            submit=True,
        )
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=when - timedelta(hours=1), updated_at=when
    )
    HistoryEntry.objects.filter(assessment=assessment).update(at=when)


def _model_elements(idea: PastIdea) -> list[str]:
    """The model elements an idea puts to work: always a small community initiative."""
    slugs = ["mazas-kopienu-iniciativas"]
    if {YOUTH, MEN, MINORITIES} & set(idea.groups):
        slugs.append("mazak-aktivo-grupu-motivesana")
    if FAMILIES in idea.groups:
        slugs.append("gimenu-iesaistisana")
    return slugs


def _past_points(idea: PastIdea, index: int, n: int, c: int, max_points: int) -> int:
    """Assessor `n`'s points for criterion `c` of the `index`-th idea: around the idea's
    quality, a fixed −8…+8 per assessor and criterion, the second assessor a little kinder and
    the third a little stricter; on a disputed idea the third scores 35 lower."""
    level = idea.quality + ((index * 7 + c * 3 + n * 5) % 5 - 2) * 4 + (0, 3, -3)[n % 3]
    if idea.disputed and n == 2:
        level -= 35
    return max(0, min(max_points, round(max_points * level / 100)))
