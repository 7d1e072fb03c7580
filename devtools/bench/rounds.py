"""Bench data: grant rounds of past years with their applications; the first round assessed.

The first bench round is assessed, as the admin ranking's budget needs (DESIGN §8, issue 4):
ASSESSORS_PER_ROUND staff assessors have scored every criterion of every application, and the
round waits for decisions with a few recorded; a coordinator with two-factor authentication
opens its ranking in `make bench`. The second round, when the scale makes one, has its results
published, for the public results page.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from communities.models import Membership
from core.formats import RIGA
from core.roles import ASSESSORS, CENTRE_MANAGERS, COORDINATORS
from grants import selectors, services
from grants.models import Application, Assessment, BudgetLine, Criterion, GrantRound, Score

from .common import BATCH, BIG_BATCH, Made, analyze, target
from .names import (
    BENCH_APPLICANT,
    BENCH_COORDINATOR,
    BENCH_MANAGER,
    BENCH_MARK,
    BENCH_PREFIX,
    person,
)

# Row counts at --scale 1 (DESIGN §8: the national-scale dataset).
ROUNDS_PER_SCALE = 10
APPLICATIONS_PER_SCALE = 10_000
BUDGET_LINES_PER_APPLICATION = 3
# BENCH_APPLICANT's applications, on the /mans/ page the bench measures.
BENCH_APPLICANT_APPLICATIONS = 20
# The assessed round (the first bench round): issue 4's "1,000 applications × 5 assessors ×
# 6 criteria"; the coordinator whose ranking page `make bench` measures; decisions recorded.
ASSESSORS_PER_ROUND = 5
BENCH_CRITERIA = [
    # title, maximum points, weight
    ("Kopienas vajadzību pamatojums", 10, Decimal("1.5")),
    ("Mazāk aktīvo iedzīvotāju iesaiste", 10, Decimal("2")),
    ("Sadarbība ar partneriem", 5, Decimal("1")),
    ("Ilgtspēja pēc projekta beigām", 5, Decimal("1")),
    ("Budžeta pamatotība", 10, Decimal("1")),
    ("Publicitāte un pieredzes nodošana", 5, Decimal("0.5")),
]
BENCH_DECISIONS = {
    Application.Decision.SUPPORTED: 8,
    Application.Decision.RESERVE: 2,
}


def make_rounds(*, scale: float, made: Made) -> None:
    """Rounds of past years, all closed and public; the newest is the one the bench opens."""
    existing = GrantRound.objects.filter(slug__startswith=BENCH_PREFIX).count()
    rounds = []
    # At least one round, so even a small scale measures the grant pages.
    for index in range(existing, max(1, target(scale, ROUNDS_PER_SCALE))):
        year = 2000 + index
        rounds.append(
            GrantRound(
                slug=f"{BENCH_PREFIX}konkurss-{index:03d}",
                title=f"Mazo iniciatīvu konkurss {year} {BENCH_MARK}",
                year=year,
                description=f"Konkurss kopienu iniciatīvām. {BENCH_MARK}",
                rules="Pieteikumus vērtē pēc kritērijiem.",
                opens_at=datetime(year, 3, 1, 9, tzinfo=RIGA),
                closes_at=datetime(year, 4, 1, 23, 59, 59, tzinfo=RIGA),
                implementation_starts=date(year, 5, 1),
                implementation_ends=date(year, 10, 31),
                total_budget=Decimal("30000.00"),
                max_grant=Decimal("1500.00"),
                status=GrantRound.Status.RESULTS,
                reference_code=f"BENCH-{year}",
            )
        )
    GrantRound.objects.bulk_create(rounds, batch_size=BATCH)
    made.counts["rounds"] = len(rounds)


def make_applications(*, scale: float, made: Made) -> None:
    """Submitted applications spread evenly over the bench rounds, by community leaders, each
    with three budget lines; the first BENCH_APPLICANT_APPLICATIONS belong to BENCH_APPLICANT."""
    rounds = list(GrantRound.objects.filter(slug__startswith=BENCH_PREFIX).order_by("slug"))
    leaders = list(
        Membership.objects.filter(
            role=Membership.Role.LEADER, user__username__startswith=BENCH_PREFIX
        )
        .order_by("pk")
        .values_list("user_id", "community_id")
    )
    if not rounds or not leaders:
        made.counts["applications"] = made.counts["budget_lines"] = 0
        return
    User = get_user_model()
    applicant, _ = User.objects.get_or_create(
        username=BENCH_APPLICANT,
        defaults={
            "email": f"{BENCH_APPLICANT}@example.invalid",
            "first_name": "Ilze",
            "last_name": "Pieteicēja",
            "password": make_password(None),
        },
    )
    Membership.objects.get_or_create(
        user=applicant,
        community_id=leaders[0][1],
        defaults={"role": Membership.Role.ACTIVIST, "status": Membership.Status.ACTIVE},
    )
    first = Application.objects.filter(round__in=rounds).count()
    last = target(scale, APPLICATIONS_PER_SCALE)
    numbers = {r.pk: r.last_number for r in rounds}
    applications = []
    for index in range(first, last):
        grant_round = rounds[index % len(rounds)]
        numbers[grant_round.pk] += 1
        number = numbers[grant_round.pk]
        user_id, community_id = leaders[index % len(leaders)]
        if index < BENCH_APPLICANT_APPLICATIONS:
            user_id, community_id = applicant.pk, leaders[0][1]
        applications.append(
            Application(
                round=grant_round,
                applicant_id=user_id,
                community_id=community_id,
                number=number,
                reference=f"{grant_round.reference_code}-{number:03d}",
                title=f"Kopienas iniciatīva nr. {index + 1}",
                summary="Kopīgs darbs, kas kopienu satuvina. " + BENCH_MARK,
                needs="Vieta, kur satikties.",
                goals="Iesaistīt kaimiņus.",
                activities="Talkas un darbnīcas.",
                timeline="Maijs–oktobris.",
                expected_participants=20 + index % 80,
                starts_on=grant_round.implementation_starts,
                ends_on=grant_round.implementation_ends,
                status=Application.Status.SUBMITTED,
                submitted_at=grant_round.closes_at,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH)
    for grant_round in rounds:
        if numbers[grant_round.pk] != grant_round.last_number:
            GrantRound.objects.filter(pk=grant_round.pk).update(last_number=numbers[grant_round.pk])
    lines = [
        BudgetLine(
            application=application,
            item=item,
            category=category,
            quantity=Decimal(1 + position),
            unit_price=Decimal("100.00") + index % 7 * 10,
            own_contribution=Decimal("10.00") if position == 0 else Decimal(0),
            order=position,
        )
        for index, application in enumerate(applications)
        for position, (item, category) in enumerate(
            [
                ("Materiāli talkai", BudgetLine.Category.MATERIALS),
                ("Darbnīcas vadītāja pakalpojumi", BudgetLine.Category.SERVICES),
                ("Kafijas pauze dalībniekiem", BudgetLine.Category.CATERING),
            ][:BUDGET_LINES_PER_APPLICATION]
        )
    ]
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    made.counts["applications"] = len(applications)
    made.counts["budget_lines"] = len(lines)


def _staff(username: str, first: str, last: str, group: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.invalid",
            "first_name": first,
            "last_name": last,
            "is_staff": True,
            "password": make_password(None),
        },
    )
    if created:
        user.groups.add(Group.objects.get(name=group))
    return user, created


def make_centre_manager(*, scale: float, made: Made) -> None:
    """BENCH_MANAGER, the manager of the first synthetic centre only: "Pasākumi manā centrā" is
    measured for one centre's events as well as for the coordinator's over every centre."""
    made.counts["users"] = made.counts.get("users", 0)
    if not made.centres:
        return
    given, surname = person(3)
    manager, created = _staff(BENCH_MANAGER, given, surname, CENTRE_MANAGERS)
    made.counts["users"] += created
    made.centres[0].managers.add(manager)
    if not Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).exists():
        # Staff act as staff only with two-factor authentication (kopienas/middleware.py).
        TOTP.activate(manager, generate_totp_secret())


def _bench_points(index: int, assessor: int, criterion: int, max_points: int) -> int:
    """Points by fixed rules: each application has a quality of 30–90 %, which each criterion
    moves by up to ±12 points for every assessor alike and each assessor by up to ±6, so most
    assessors roughly agree; on every 23rd application the last assessor scores 40 lower (the
    ranking flags the disagreement)."""
    level = (
        30
        + index * 37 % 61
        + ((index + 5 * criterion) % 7 - 3) * 4
        + ((index * 3 + assessor) % 5 - 2) * 3
    )
    if index % 23 == 0 and assessor == ASSESSORS_PER_ROUND - 1:
        level -= 40
    return max(0, min(max_points, round(max_points * level / 100)))


def make_assessments(*, scale: float, made: Made) -> None:
    """The first bench round, assessed: criteria, ASSESSORS_PER_ROUND assessors with a submitted
    assessment of every application (bulk, totals from grants.selectors.weighted_total), a
    declared conflict on every 50th and one assessment left unfinished on every 97th; the round
    in decisions with a few decisions recorded through the service."""
    made.counts["assessments"] = made.counts["scores"] = made.counts["decisions"] = 0
    grant_round = GrantRound.objects.filter(slug__startswith=BENCH_PREFIX).order_by("slug").first()
    if grant_round is None or not grant_round.applications.exists():
        return
    coordinator, created = _staff(BENCH_COORDINATOR, "Kristīne", "Koordinatore", COORDINATORS)
    made.counts["users"] = made.counts.get("users", 0) + created
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        # Staff use the admin only with two-factor authentication (kopienas/middleware.py).
        TOTP.activate(coordinator, generate_totp_secret())
    assessors = []
    for number in range(1, ASSESSORS_PER_ROUND + 1):
        given, surname = person(number * 5)
        user, created = _staff(f"{BENCH_PREFIX}vertetajs-{number}", given, surname, ASSESSORS)
        made.counts["users"] += created
        assessors.append(user)
    grant_round.assessors.add(*assessors)
    if not grant_round.criteria.exists():
        Criterion.objects.bulk_create(
            Criterion(round=grant_round, title=title, max_points=points, weight=weight, order=n)
            for n, (title, points, weight) in enumerate(BENCH_CRITERIA)
        )
    criteria = list(grant_round.criteria.order_by("order", "pk"))
    assessed = set(
        Assessment.objects.filter(application__round=grant_round).values_list(
            "application_id", flat=True
        )
    )
    applications = [
        (index, pk)
        for index, pk in enumerate(
            selectors.competing_applications(grant_round=grant_round)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        if pk not in assessed
    ]
    submitted_at = grant_round.closes_at + timedelta(days=14)
    assessments, points_of = [], []
    for index, application_pk in applications:
        for number, assessor in enumerate(assessors):
            if index % 50 == 7 and number == 2:
                assessments.append(
                    Assessment(
                        application_id=application_pk,
                        assessor=assessor,
                        conflict=Assessment.Conflict.DECLARED,
                        conflict_reason="Esmu pieteicējas kopienas biedrības valdē.",
                    )
                )
                points_of.append(None)
                continue
            unfinished = index % 97 == 11 and number == 3
            points = {
                criterion.pk: _bench_points(index, number, position, criterion.max_points)
                for position, criterion in enumerate(criteria)
            }
            assessments.append(
                Assessment(
                    application_id=application_pk,
                    assessor=assessor,
                    conflict=Assessment.Conflict.NONE,
                    status=(Assessment.Status.DRAFT if unfinished else Assessment.Status.SUBMITTED),
                    weighted_total=(
                        None
                        if unfinished
                        else selectors.weighted_total(criteria=criteria, points=points)
                    ),
                    submitted_at=None if unfinished else submitted_at,
                )
            )
            points_of.append(points)
    Assessment.objects.bulk_create(assessments, batch_size=BIG_BATCH)
    scores = []
    for assessment, points in zip(assessments, points_of, strict=True):
        for criterion in criteria if points else ():
            scores.append(
                Score(
                    assessment=assessment,
                    criterion=criterion,
                    points=points[criterion.pk],
                    comment="Pamatots vērtējums.",
                )
            )
        if len(scores) >= BIG_BATCH:
            Score.objects.bulk_create(scores, batch_size=BIG_BATCH)
            made.counts["scores"] += len(scores)
            scores = []
    Score.objects.bulk_create(scores, batch_size=BIG_BATCH)
    made.counts["scores"] += len(scores)
    made.counts["assessments"] = len(assessments)
    if grant_round.status != GrantRound.Status.DECISIONS:
        GrantRound.objects.filter(pk=grant_round.pk).update(status=GrantRound.Status.DECISIONS)
        grant_round.status = GrantRound.Status.DECISIONS
    analyze([Application, BudgetLine, Assessment, Score])
    if not grant_round.applications.exclude(decision="").exists():
        made.counts["decisions"] = _decide(grant_round, coordinator)


def _decide(grant_round: GrantRound, coordinator) -> int:
    """A coordinator's first decisions, from the top of the ranking down."""
    rows = selectors.ranking(grant_round=grant_round).rows
    decided = 0
    for decision, count in BENCH_DECISIONS.items():
        for row in rows[decided : decided + count]:
            services.record_decision(
                application=row.application,
                actor=coordinator,
                decision=decision,
                awarded_amount=(
                    min(row.application.requested_total, grant_round.max_grant)
                    if decision == Application.Decision.SUPPORTED
                    else None
                ),
                message="Paldies par pieteikumu!",
            )
        decided += count
    return decided


def make_results(*, scale: float, made: Made) -> None:
    """The second bench round's results, published: the applications in number order are
    supported with what they asked for while the budget lasts, the rest not supported, and
    every applicant told (as grants.services.publish_results leaves them; no mail)."""
    made.counts["results"] = 0
    rounds = list(GrantRound.objects.filter(slug__startswith=BENCH_PREFIX).order_by("slug")[:2])
    if len(rounds) < 2 or rounds[1].results_published_at is not None:
        return
    grant_round = rounds[1]
    applications = selectors.with_budget_totals(
        selectors.competing_applications(grant_round=grant_round)
    ).order_by("number")
    remaining = grant_round.total_budget
    supported: dict[Decimal, list[int]] = {}
    for pk, requested in applications.values_list("pk", "requested_total"):
        amount = min(requested, grant_round.max_grant)
        if amount > remaining:
            break
        remaining -= amount
        supported.setdefault(amount, []).append(pk)
    now = grant_round.closes_at + timedelta(days=30)
    competing = selectors.competing_applications(grant_round=grant_round)
    competing.update(
        decision=Application.Decision.NOT_SUPPORTED,
        notified_decision=Application.Decision.NOT_SUPPORTED,
        decision_message="Paldies par pieteikumu!",
        notified_message="Paldies par pieteikumu!",
        notified_at=now,
        status=Application.Status.DECIDED,
    )
    for amount, pks in supported.items():
        competing.filter(pk__in=pks).update(
            decision=Application.Decision.SUPPORTED,
            notified_decision=Application.Decision.SUPPORTED,
            awarded_amount=amount,
            notified_amount=amount,
        )
    GrantRound.objects.filter(pk=grant_round.pk).update(
        status=GrantRound.Status.RESULTS, results_published_at=now
    )
    made.counts["results"] = sum(len(pks) for pks in supported.values())
