"""Rows for the impact-figure tests: each made as the platform leaves it (a closed event, a
published initiative, a round with published results), directly, so a test can set the one
field a definition turns on."""

from datetime import datetime, timedelta

from django.utils import timezone

from core.formats import RIGA
from events.models import Event, EventGroupCount
from grants.models import Application, GrantRound
from initiatives.models import Initiative, InitiativeReach, Institution
from resource_centres.booking_models import Booking
from tests.factories import CommunityFactory, EquipmentFactory, EventFactory, UserFactory
from tests.factories.grants import GrantRoundFactory, submitted_application

_serial = iter(range(1, 10**6))


def held_event(*, attendees=10, kind=Event.Kind.COMMUNITY_TRAINING, starts=None, **kwargs):
    """An event that took place and was closed with its attendance."""
    starts = starts or datetime(2025, 5, 10, 15, 0, tzinfo=RIGA)
    event = EventFactory(kind=kind, starts_at=starts, **kwargs)
    Event.objects.filter(pk=event.pk).update(closed_at=timezone.now(), attendees_count=attendees)
    event.refresh_from_db()
    return event


def initiative(
    *,
    community=None,
    year=2025,
    participants=20,
    volunteers=3,
    status=Initiative.Status.PUBLISHED,
    institutions=(),
):
    """An initiative in `status` (published, with its report's counts, by default)."""
    number = next(_serial)
    published = status == Initiative.Status.PUBLISHED
    row = Initiative.objects.create(
        slug=f"iniciativa-{number}",
        title=f"Iniciatīva nr. {number}",
        community=community or CommunityFactory(),
        year=year,
        status=status,
        participants=participants,
        volunteers=volunteers,
        published_at=timezone.now() if published else None,
    )
    for name in institutions:
        institution, _ = Institution.objects.get_or_create(
            key=name.lower(), defaults={"name": name}
        )
        row.institutions.add(institution)
    return row


def reached(row, group, count):
    """Reach of one target group at an event or in an initiative."""
    if isinstance(row, Event):
        return EventGroupCount.objects.create(event=row, target_group=group, count=count)
    return InitiativeReach.objects.create(initiative=row, target_group=group, count=count)


def results_round(*, year=2025, status=GrantRound.Status.RESULTS):
    return GrantRoundFactory(year=year, status=status)


def idea(grant_round, *, notified=Application.Decision.SUPPORTED, status=None, community=None):
    """An application of `grant_round` with the decision its applicant was told."""
    application = submitted_application(grant_round, community=community or CommunityFactory())
    Application.objects.filter(pk=application.pk).update(
        status=status or Application.Status.DECIDED,
        decision=notified or Application.Decision.SUPPORTED,
        notified_decision=notified,
    )
    return application


def booked(centre, starts: datetime, *, hours: int):
    """A confirmed booking of a new item of `centre`, as the booking services leave it."""
    item = EquipmentFactory(centre=centre, bookable=True, name=f"Projektors {next(_serial)}")
    ends = starts + timedelta(hours=hours)
    return Booking.objects.create(
        equipment=item,
        person=UserFactory(),
        starts_at=starts,
        ends_at=ends,
        blocked_until=ends,
        status=Booking.Status.CONFIRMED,
    )
