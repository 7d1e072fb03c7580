"""Fifty people press "Pieteikties" at the same moment for five places (DESIGN §8 reliability).

Real threads against PostgreSQL, each with its own connection, so the event's row lock is what
keeps the count. Outside PostgreSQL the test is skipped, except in CI, where it must run.
"""

import os
import threading

import pytest
from django.core import mail
from django.db import connection

from events import services
from events.models import Event, Registration
from tests.factories import EventFactory, UserFactory

PEOPLE = 50
PLACES = 5


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The concurrency test cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)


def _at_once(work, arguments):
    """Run work(argument) in one thread each, released together; returns the errors."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        try:
            barrier.wait()
            work(argument)
        except Exception as error:  # every failure is reported, not just the first
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
def test_fifty_at_once_for_five_places_then_two_cancel(postgresql):
    event = EventFactory(capacity=PLACES, title="Populāras mācības")
    users = UserFactory.create_batch(PEOPLE)

    errors = _at_once(lambda user: services.register(event=event, user=user), users)

    event.refresh_from_db()
    registrations = Registration.objects.filter(event=event)
    confirmed = list(registrations.filter(status=Registration.Status.CONFIRMED))
    waiting = list(
        registrations.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")
    )
    assert errors == []
    assert (len(confirmed), len(waiting), event.seats_confirmed) == (PLACES, PEOPLE - PLACES, 5)
    assert len(mail.outbox) == PEOPLE

    mail.outbox.clear()
    errors = _at_once(
        lambda registration: services.cancel_registration(registration=registration),
        confirmed[:2],
    )

    event.refresh_from_db()
    now_confirmed = set(
        registrations.filter(status=Registration.Status.CONFIRMED).values_list("pk", flat=True)
    )
    assert errors == []
    assert event.seats_confirmed == PLACES
    assert now_confirmed == {r.pk for r in confirmed[2:]} | {waiting[0].pk, waiting[1].pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [waiting[0].email, waiting[1].email]
    )
    assert {message.subject for message in mail.outbox} == {
        "Atbrīvojās vieta – tā ir jūsu: Populāras mācības"
    }
    assert Event.objects.get(pk=event.pk).registrations.count() == PEOPLE
