"""Events and registrations."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, Registration

from .centres import ResourceCentreFactory


class EventFactory(factory.django.DjangoModelFactory):
    """An upcoming event with registration on the platform, a week from now, two hours long."""

    class Meta:
        model = Event
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"pasakums-{n}")
    title = factory.Sequence(lambda n: f"Kopienas mācības nr. {n}")
    kind = Event.Kind.COMMUNITY_TRAINING
    format = Event.Format.IN_PERSON
    centre = factory.SubFactory(ResourceCentreFactory)
    community = None
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    capacity = 20
    registration_mode = Event.RegistrationMode.PLATFORM
    description = "Mācāmies kopā plānot kopienas iniciatīvas."
    is_published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration; use `services.register` where capacity matters."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = None
    name = factory.Sequence(lambda n: f"Dalībniece nr. {n}")
    email = factory.Sequence(lambda n: f"dalibniece{n}@example.lv")
    seats = 1
    status = Registration.Status.CONFIRMED
    token = factory.Sequence(lambda n: f"zetons-{n:06d}")
