"""Bench data: resource centres with their equipment, communities, and their leaders.

Every synthetic row has a slug (or username) starting with BENCH_PREFIX, so a second run only
tops the synthetic rows up to the target and never touches real ones.
"""

from datetime import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from communities.models import Community, Membership
from core.municipalities import MUNICIPALITIES
from core.text import fold
from resource_centres.models import Equipment, ResourceCentre, WeeklyHours

from .common import BATCH, Made, target
from .names import BENCH_MARK, BENCH_PREFIX, HOSTS, bench_user, person, settlement

# Row counts at --scale 1 (DESIGN §8: the national-scale dataset).
CENTRES_PER_SCALE = 100
COMMUNITIES_PER_SCALE = 1_000

EQUIPMENT = [
    ("Projektors un ekrāns", Equipment.Kind.EQUIPMENT),
    ("Skaņas sistēma ar mikrofoniem", Equipment.Kind.EQUIPMENT),
    ("Klēpjdatoru komplekts", Equipment.Kind.EQUIPMENT),
    ("Saliekamie galdi un krēsli", Equipment.Kind.EQUIPMENT),
    ("Pasākumu telts 6 × 3 m", Equipment.Kind.EQUIPMENT),
    ("Šujmašīna", Equipment.Kind.EQUIPMENT),
    ("Zāle līdz 60 vietām", Equipment.Kind.SPACE),
    ("Virtuve", Equipment.Kind.SPACE),
    ("Radošā darbnīca", Equipment.Kind.SPACE),
    ("Sporta laukums", Equipment.Kind.SPACE),
]


# Mondays to Fridays with a lunch break, long days with a Saturday morning, afternoons: the rows
# (weekday, opens, closes) of three kinds of week. Sunday is closed.
WEEKS = [
    [
        (day, time(hour), time(hour + 3 if hour == 9 else 17))
        for day in range(5)
        for hour in (9, 13)
    ],
    [*((day, time(10), time(18)) for day in range(5)), (5, time(10), time(14))],
    [*((day, time(12), time(20)) for day in range(1, 5)), (5, time(10), time(14))],
]


def municipality(index: int) -> str:
    # Only names from the fixed list, as a person picking in the admin could; 7 and the list's
    # length (43) are coprime, so every municipality gets its share.
    return MUNICIPALITIES[(index * 7) % len(MUNICIPALITIES)]


def _existing(model) -> list:
    return list(model.objects.filter(slug__startswith=BENCH_PREFIX).order_by("slug"))


def make_centres(*, scale: float, made: Made) -> None:
    existing = _existing(ResourceCentre)
    wanted = target(scale, CENTRES_PER_SCALE)
    new = []
    for index in range(len(existing), wanted):
        nominative, genitive = settlement(index)
        name = f"{genitive} kopienas resursu centrs"
        host = HOSTS[index % len(HOSTS)].format(nominative=nominative, genitive=genitive)
        novads = municipality(index)
        # Spread over Latvia's extent (55.7–58.0 N, 21.0–28.2 E) on a fixed lattice.
        latitude = Decimal("55.70000") + Decimal(index * 37 % 230) / 100
        longitude = Decimal("21.00000") + Decimal(index * 53 % 720) / 100
        new.append(
            ResourceCentre(
                slug=f"{BENCH_PREFIX}{index:05d}-{fold(nominative)}",
                name=name,
                host=host,
                settlement=nominative,
                municipality=novads,
                address=f"Skolas iela {index % 40 + 1}, {nominative}",
                latitude=latitude,
                longitude=longitude,
                coords_approximate=index % 4 == 0,
                setting=(
                    ResourceCentre.Setting.OUTDOOR
                    if index % 6 == 5
                    else ResourceCentre.Setting.INDOOR
                ),
                description=(
                    f"{name} ir vieta, kur {genitive} iedzīvotāji satiekas, mācās un rīko "
                    f"kopīgus pasākumus. {BENCH_MARK}"
                ),
                opening_hours="Pirms apmeklējuma lūdzam piezvanīt." if index % 5 == 0 else "",
                contact_person=f"{person(index)[0]} {person(index)[1]}",
                phone=f"+371 6{index:07d}",
                email=f"centrs{index:04d}@example.invalid",
                step_free_entrance=index % 3 != 0,
            )
        )
        # bulk_create bypasses save(), so the folded copies are made here the same way.
        new[-1].fold_text_fields()
    ResourceCentre.objects.bulk_create(new, batch_size=BATCH)
    made.counts["centres"] = len(new)
    made.centres = _existing(ResourceCentre)
    _make_equipment(first=len(existing), made=made)
    _make_weekly_hours(first=len(existing), made=made)


def _make_weekly_hours(*, first: int, made: Made) -> None:
    """Weekly hours for each centre from index `first` on, one of WEEKS in turn."""
    WeeklyHours.objects.bulk_create(
        (
            WeeklyHours(centre=made.centres[index], weekday=weekday, opens=opens, closes=closes)
            for index in range(first, len(made.centres))
            for weekday, opens, closes in WEEKS[index % len(WEEKS)]
        ),
        batch_size=BATCH,
    )


def _make_equipment(*, first: int, made: Made) -> None:
    """The ten items of EQUIPMENT for each centre from index `first` on, all bookable, with the
    rules a centre would set: rooms are approved by the manager and cleaned for half an hour
    after each booking, the sewing machine needs instruction, the laptops have a weekly limit.
    """
    new = []
    for index in range(first, len(made.centres)):
        centre = made.centres[index]
        for order, (name, kind) in enumerate(EQUIPMENT):
            space = kind == Equipment.Kind.SPACE
            new.append(
                Equipment(
                    centre=centre,
                    name=name,
                    kind=kind,
                    quantity=1 + (index + order) % 4,
                    bookable=True,
                    order=order,
                    requires_approval=space,
                    buffer_minutes=30 if space else 0,
                    needs_instruction=name == "Šujmašīna",
                    weekly_hours_limit=8 if name == "Klēpjdatoru komplekts" else None,
                    horizon_days=366,
                )
            )
    Equipment.objects.bulk_create(new, batch_size=BATCH)
    made.counts["equipment"] = len(new)


def make_communities(*, scale: float, made: Made) -> None:
    """Three in four communities are linked to a centre; every fiftieth is unpublished."""
    existing = _existing(Community)
    wanted = target(scale, COMMUNITIES_PER_SCALE)
    centres = made.centres
    new = []
    for index in range(len(existing), wanted):
        nominative, genitive = settlement(index)
        novads = municipality(index)
        name = f"{genitive} kopiena"
        centre = centres[index % len(centres)] if centres and index % 4 != 3 else None
        new.append(
            Community(
                slug=f"{BENCH_PREFIX}{index:05d}-{fold(nominative)}",
                name=name,
                municipality=centre.municipality if centre else novads,
                description=f"{genitive} iedzīvotāji kopā rūpējas par savu apkaimi. {BENCH_MARK}",
                resource_centre=centre,
                is_published=index % 50 != 49,
            )
        )
        new[-1].fold_text_fields()
    Community.objects.bulk_create(new, batch_size=BATCH)
    made.counts["communities"] = len(new)
    made.communities = _existing(Community)
    _make_memberships(first=len(existing), made=made)


def _make_memberships(*, first: int, made: Made) -> None:
    """From community `first` on, community i with i % 3 == 0 gets a new user as its active
    leader; that user is also an active member of community i + 1 (when it exists)."""
    User = get_user_model()
    communities = made.communities
    # One unusable password hash for all: these accounts can never log in.
    password = make_password(None)
    leaders = {}
    for index in range(first, len(communities)):
        if index % 3:
            continue
        given, surname = person(index)
        username = bench_user(index)
        leaders[index] = User(
            username=username,
            email=f"{username}@example.invalid",
            first_name=given,
            last_name=surname,
            password=password,
        )
    # PostgreSQL and SQLite both return the new primary keys to bulk_create.
    User.objects.bulk_create(leaders.values(), batch_size=BATCH)
    memberships = []
    for index, user in leaders.items():
        memberships.append(
            Membership(
                user=user,
                community=communities[index],
                role=Membership.Role.LEADER,
                status=Membership.Status.ACTIVE,
            )
        )
        if index + 1 < len(communities):
            memberships.append(
                Membership(
                    user=user,
                    community=communities[index + 1],
                    role=Membership.Role.MEMBER,
                    status=Membership.Status.ACTIVE,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    made.counts["users"] = len(leaders)
    made.counts["memberships"] = len(memberships)
