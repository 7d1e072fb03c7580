"""Bench data: events over three years around today, each with confirmed guest registrations."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from events.models import Event, Registration

from .common import BIG_BATCH, Made, target
from .names import BENCH_MARK, BENCH_PREFIX, person

# Row counts at --scale 1 (DESIGN §8: 50,000 events, 500,000 registrations).
EVENTS_PER_SCALE = 50_000
REGISTRATIONS_PER_EVENT = 10

EVENT_TITLES = [
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām"),
    (Event.Kind.COMMUNITY_EVENT, "Kopienas talka"),
    (Event.Kind.TEACHERS_SEMINAR, "Seminārs pedagogiem"),
    (Event.Kind.COMMUNITY_EVENT, "Kopienas vakars"),
    (Event.Kind.LEADERS_SCHOOL, "Līderu skola"),
    (Event.Kind.EXPERT_CONSULTATION, "Ekspertu konsultācija"),
]


def make_events(*, scale: float, made: Made) -> None:
    """Events over three years around today (two past, one ahead), at the synthetic centres,
    each with REGISTRATIONS_PER_EVENT confirmed guest registrations; every fifth is full.

    Large batches in one transaction: on PostgreSQL each batch is one multi-row INSERT.
    """
    existing = Event.objects.filter(slug__startswith=BENCH_PREFIX).count()
    wanted = target(scale, EVENTS_PER_SCALE)
    centres, communities = made.centres, made.communities
    today = timezone.localdate()
    events = []
    for index in range(existing, wanted):
        kind, title = EVENT_TITLES[index % len(EVENT_TITLES)]
        centre = centres[index % len(centres)] if centres else None
        community = communities[index % len(communities)] if communities else None
        day = today + timedelta(days=index % 1095 - 730)
        starts_at = timezone.make_aware(datetime.combine(day, time(10 + index % 9)))
        capacity = REGISTRATIONS_PER_EVENT if index % 5 == 0 else 10 + index % 30
        events.append(
            Event(
                slug=f"{BENCH_PREFIX}{index:06d}",
                title=f"{title} nr. {index}",
                kind=kind,
                centre=centre,
                community=community,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                capacity=capacity,
                seats_confirmed=REGISTRATIONS_PER_EVENT,
                description=f"{title}: plānojam kopā. {BENCH_MARK}",
            )
        )
    for event in events:
        # bulk_create bypasses save(), so the folded copy is made here the same way.
        event.fold_text_fields()
    Event.objects.bulk_create(events, batch_size=BIG_BATCH)
    made.counts["events"] = len(events)
    registrations = []
    count = 0
    for event in events:
        for number in range(REGISTRATIONS_PER_EVENT):
            email = f"{BENCH_PREFIX}{event.pk}-{number}@example.invalid"
            registrations.append(
                Registration(
                    event=event,
                    name=" ".join(person(event.pk + number)),
                    email=email,
                    seats=1,
                    status=Registration.Status.CONFIRMED,
                    token=f"{BENCH_PREFIX}{event.pk}-{number}",
                )
            )
        if len(registrations) >= BIG_BATCH:
            Registration.objects.bulk_create(registrations, batch_size=BIG_BATCH)
            count += len(registrations)
            registrations = []
    Registration.objects.bulk_create(registrations, batch_size=BIG_BATCH)
    made.counts["registrations"] = count + len(registrations)
