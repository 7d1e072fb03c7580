"""Registration rules: capacity, waiting list, guests, deadlines, idempotence, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.formats import RIGA
from events import selectors, services
from events.models import CalendarFeed, Event, Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def register_user(event, user=None, seats=1, **extra):
    user = user or UserFactory()
    return services.register(event=event, user=user, seats=seats, **extra).registration


def register_guest(event, email="viesis@example.lv", seats=1, **extra):
    return services.register(
        event=event, name="Viesis Ozols", email=email, seats=seats, **extra
    ).registration


def statuses(event):
    return list(event.registrations.order_by("pk").values_list("name", "status", "seats"))


def test_signed_in_person_gets_a_seat_and_a_mail_with_the_event(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5, title="Kopienas mācības Preiļos")
    user = UserFactory(first_name="Anna", last_name="Kalniņa")

    with django_capture_on_commit_callbacks(execute=True):
        registration = register_user(event, user, seats=2, needs="Ratiņkrēsls")

    event.refresh_from_db()
    assert (registration.status, registration.seats, registration.name, registration.email) == (
        Registration.Status.CONFIRMED,
        2,
        "Anna Kalniņa",
        user.email,
    )
    assert event.seats_confirmed == 2
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Vieta rezervēta: Kopienas mācības Preiļos", [user.email])
    ]
    assert [(name, mimetype) for name, _content, mimetype in mail.outbox[0].attachments] == [
        ("pasakums.ics", "text/calendar; charset=utf-8")
    ]


def test_full_event_puts_the_person_on_the_waiting_list_and_says_so(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1, title="Līderu skola")
    register_user(event)
    late = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        registration = register_user(event, late)

    assert registration.status == Registration.Status.WAITLISTED
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Jūs esat gaidīšanas sarakstā: Līderu skola", [late.email])
    ]


def test_seats_above_the_free_places_wait_rather_than_oversell():
    event = EventFactory(capacity=5)
    register_user(event, seats=3)

    asking_three = register_user(event, seats=3)
    asking_two = register_user(event, seats=2)

    event.refresh_from_db()
    assert (asking_three.status, asking_two.status, event.seats_confirmed) == (
        Registration.Status.WAITLISTED,
        Registration.Status.CONFIRMED,
        5,
    )


@pytest.mark.parametrize("seats", [0, 5])
def test_seats_must_be_one_to_four(seats):
    event = EventFactory()
    with pytest.raises(services.RegistrationError) as error:
        register_user(event, seats=seats)
    assert error.value.messages == ["Var pieteikt no 1 līdz 4 vietām."]
    assert event.registrations.count() == 0


def test_a_resent_form_registers_once():
    event = EventFactory(capacity=5)
    user = UserFactory()

    first = services.register(event=event, user=user, seats=2)
    second = services.register(event=event, user=user, seats=2)

    event.refresh_from_db()
    assert (first.created, second.created) == (True, False)
    assert second.registration.pk == first.registration.pk
    assert (event.registrations.count(), event.seats_confirmed) == (1, 2)


def test_the_database_refuses_a_second_registration_of_the_same_person():
    event = EventFactory()
    user = UserFactory()
    register_user(event, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, user=user, name="x", email="x@example.lv", token="cits"
        )


def test_the_database_refuses_more_seats_than_capacity():
    event = EventFactory(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_confirmed=3)


def test_registration_closes_at_the_deadline():
    event = EventFactory(registration_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.RegistrationError) as error:
        register_user(event)
    assert error.value.messages == ["Pieteikšanās termiņš ir beidzies."]


def test_registration_closes_at_the_start_even_with_a_later_deadline():
    start = timezone.now() - timedelta(minutes=5)
    event = EventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start + timedelta(hours=1),
    )
    with pytest.raises(services.RegistrationError) as error:
        register_user(event)
    assert error.value.messages == ["Pasākums jau ir sācies vai noticis."]


def test_no_registration_for_a_past_event():
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    with pytest.raises(services.RegistrationError) as error:
        register_guest(event)
    assert error.value.messages == ["Pasākums jau ir sācies vai noticis."]
    assert event.registrations.count() == 0


def test_no_registration_for_a_cancelled_event(django_capture_on_commit_callbacks):
    event = EventFactory(title="Seminārs")
    kept = register_user(event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, reason="Lektore saslima.")

    with pytest.raises(services.RegistrationError) as error:
        register_user(event)

    event.refresh_from_db()
    assert error.value.messages == ["Pasākums ir atcelts."]
    assert (event.is_cancelled, event.sequence, event.cancellation_reason) == (
        True,
        1,
        "Lektore saslima.",
    )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Pasākums atcelts: Seminārs", [kept.email])
    ]
    assert "Lektore saslima." in mail.outbox[0].body


def test_a_guest_holds_no_seat_until_they_confirm(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1, title="Kopienas vakars")
    with django_capture_on_commit_callbacks(execute=True):
        guest = register_guest(event, email="Viesis@Example.lv")
    event.refresh_from_db()

    assert (guest.status, guest.email, event.seats_confirmed) == (
        Registration.Status.PENDING,
        "viesis@example.lv",
        0,
    )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Apstipriniet pieteikumu: Kopienas vakars", ["viesis@example.lv"])
    ]
    assert f"http://127.0.0.1:8000/pasakumi/apstiprinat/{guest.token}/" in mail.outbox[0].body
    # A guest who never confirms leaves the seat to someone who registers afterwards.
    member = register_user(event)
    assert member.status == Registration.Status.CONFIRMED

    confirmed = services.confirm_guest(registration=guest)
    assert confirmed.status == Registration.Status.WAITLISTED


def test_a_guest_who_confirms_gets_the_seat(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=3)
    guest = register_guest(event, seats=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_guest(registration=guest)
        services.confirm_guest(registration=guest)
    guest.refresh_from_db()
    event.refresh_from_db()
    assert (guest.status, event.seats_confirmed) == (Registration.Status.CONFIRMED, 3)
    assert [m.subject for m in mail.outbox] == [f"Vieta rezervēta: {event.title}"]


def test_a_teachers_seminar_asks_for_the_school():
    event = EventFactory(kind=Event.Kind.TEACHERS_SEMINAR)
    with pytest.raises(services.RegistrationError) as error:
        register_user(event)
    registration = register_user(event, institution="Preiļu 1. pamatskola")
    assert error.value.messages == ["Norādiet izglītības iestādi, kuru pārstāvat."]
    assert registration.institution == "Preiļu 1. pamatskola"


def test_cancellation_promotes_the_first_waiting_who_fit(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=3, title="Mācības")
    holder = register_user(event, seats=2)
    register_user(event, seats=1)
    big = register_user(event, UserFactory(first_name="Liels"), seats=3)
    small = register_user(event, UserFactory(first_name="Mazs"), seats=1)
    later = register_user(event, UserFactory(first_name="Vēlāks"), seats=1)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(registration=holder)

    event.refresh_from_db()
    # Two seats free: the waiting three-seat group does not fit, the next two people do.
    assert [r.pk for r in promoted] == [small.pk, later.pk]
    assert event.seats_confirmed == 3
    assert Registration.objects.get(pk=big.pk).status == Registration.Status.WAITLISTED
    assert sorted((m.subject, m.to[0]) for m in mail.outbox) == sorted(
        [
            ("Atbrīvojās vieta – tā ir jūsu: Mācības", small.email),
            ("Atbrīvojās vieta – tā ir jūsu: Mācības", later.email),
        ]
    )


def test_cancelling_twice_frees_the_seats_once():
    event = EventFactory(capacity=2)
    registration = register_user(event, seats=2)
    services.cancel_registration(registration=registration)
    services.cancel_registration(registration=registration)
    event.refresh_from_db()
    assert event.seats_confirmed == 0


def test_someone_who_cancelled_may_register_again():
    event = EventFactory(capacity=2)
    user = UserFactory()
    first = register_user(event, user)
    services.cancel_registration(registration=first)
    again = services.register(event=event, user=user, seats=2)
    event.refresh_from_db()
    assert (again.created, again.registration.pk, again.registration.status) == (
        True,
        first.pk,
        Registration.Status.CONFIRMED,
    )
    assert event.seats_confirmed == 2


def test_a_larger_capacity_promotes_the_waiting_list():
    event = EventFactory(capacity=1)
    register_user(event)
    waiting = register_user(event)
    event.capacity = 2
    services.save_event(event=event, changed=["capacity"])
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert (waiting.status, event.seats_confirmed, event.sequence) == (
        Registration.Status.CONFIRMED,
        2,
        0,
    )


def test_capacity_cannot_drop_below_the_confirmed_seats():
    event = EventFactory(capacity=3)
    register_user(event, seats=3)
    event.capacity = 2
    with pytest.raises(Exception) as error:
        services.save_event(event=event, changed=["capacity"])
    assert error.value.message_dict == {
        "capacity": ["Jau apstiprināto vietu skaits ir 3; pasākuma vietu skaits nevar būt mazāks."]
    }


def test_sequence_rises_when_calendars_must_change():
    event = EventFactory()
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services.save_event(event=event, changed=["starts_at", "ends_at"])
    event.title = "Jauns nosaukums"
    services.save_event(event=event, changed=["title"])
    event.capacity = 30
    services.save_event(event=event, changed=["capacity"])
    event.refresh_from_db()
    assert event.sequence == 2


def test_reminders_go_once_to_the_confirmed_of_tomorrows_events(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    tomorrow = timezone.localtime(now).replace(
        hour=18, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    event = EventFactory(
        title="Rītdienas talka",
        starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=2),
        capacity=1,
    )
    confirmed = register_user(event)
    register_user(event)  # waiting: no reminder
    later = EventFactory(
        starts_at=tomorrow + timedelta(days=1), ends_at=tomorrow + timedelta(days=1, hours=1)
    )
    register_user(later)

    # Each reminder is queued with its claim and sent once that commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=None)
        call_command("send_event_reminders")

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Atgādinājums: rīt Rītdienas talka", [confirmed.email])
    ]
    assert [name for name, _c, _m in mail.outbox[0].attachments] == ["pasakums.ics"]


def test_a_registration_holds_its_history_for_the_data_export():
    event = EventFactory(title="Seminārs pedagogiem", kind=Event.Kind.TEACHERS_SEMINAR)
    user = UserFactory(first_name="Ilze", last_name="Liepa", email="ilze@example.lv")
    registration = register_user(event, user, seats=2, institution="Dagdas vidusskola")

    data = selectors.registration_data(user=user)

    assert data == [
        {
            "event": "Seminārs pedagogiem",
            "event_url": f"http://127.0.0.1:8000/pasakumi/{event.slug}/",
            "starts_at": event.starts_at.astimezone(RIGA).isoformat(),
            "name": "Ilze Liepa",
            "email": "ilze@example.lv",
            "seats": 2,
            "needs": "",
            "photo_consent": False,
            "institution": "Dagdas vidusskola",
            "status": "confirmed",
            "attended": False,
            "created_at": registration.created_at.astimezone(RIGA).isoformat(),
            "confirmed_at": registration.confirmed_at.astimezone(RIGA).isoformat(),
            "cancelled_at": None,
        }
    ]


def test_forgetting_a_person_frees_their_seats_and_keeps_no_trace_of_them():
    event = EventFactory(capacity=1)
    past_start = timezone.now() - timedelta(days=10)
    past = EventFactory(starts_at=past_start, ends_at=past_start + timedelta(hours=2))
    user = UserFactory()
    upcoming = register_user(event, user)
    waiting = register_user(event)
    old = Registration.objects.create(
        event=past,
        user=user,
        name="Anna",
        email=user.email,
        seats=1,
        token="vecs",
        status=Registration.Status.CONFIRMED,
        attended=True,
    )
    services.renew_calendar_feed(user=user)

    assert services.forget_registrations(user=user) == 2

    waiting.refresh_from_db()
    upcoming.refresh_from_db()
    old.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(user=user).count() == 0
    assert (upcoming.status, upcoming.name, upcoming.email) == (
        Registration.Status.CANCELLED,
        "",
        f"dzests-{upcoming.pk}@invalid.invalid",
    )
    # The past attendance still counts for the event's report, without the person.
    assert (old.attended, old.name, old.email, old.token != "vecs") == (
        True,
        "",
        f"dzests-{old.pk}@invalid.invalid",
        True,
    )
    assert CalendarFeed.objects.filter(user=user).exists() is False


def test_own_registrations_lists_what_still_matters_soonest_ahead_latest_behind():
    user = UserFactory()
    now = timezone.now()

    def event(days: float) -> Event:
        return EventFactory(
            starts_at=now + timedelta(days=days), ends_at=now + timedelta(days=days, hours=2)
        )

    soon, later, cancelled = event(1), event(9), event(3)
    # Under way: it began an hour ago and is not over, so it is still ahead.
    running = EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    yesterday, last_week = event(-1), event(-7)
    for each in (soon, later, cancelled):
        register_user(each, user)
    services.cancel_registration(registration=Registration.objects.get(event=cancelled))
    # Made directly: the service takes no registration once an event has begun.
    for each in (running, last_week, yesterday):
        RegistrationFactory(event=each, user=user)
    RegistrationFactory(event=soon)  # someone else's

    mine = selectors.own_registrations(user=user, now=now)
    cut = selectors.own_registrations(user=user, now=now, upcoming=2, earlier=1)
    # Exactly as many as shown: nothing more to link to.
    full = selectors.own_registrations(user=user, now=now, upcoming=3, earlier=2)

    assert (
        [r.event for r in mine.upcoming],
        [r.event for r in mine.earlier],
        mine.more_upcoming,
        mine.more_earlier,
    ) == ([running, soon, later], [yesterday, last_week], False, False)
    assert (
        [r.event for r in cut.upcoming],
        [r.event for r in cut.earlier],
        cut.more_upcoming,
        cut.more_earlier,
    ) == ([running, soon], [yesterday], True, True)
    assert (len(full.upcoming), len(full.earlier), full.more_upcoming, full.more_earlier) == (
        3,
        2,
        False,
        False,
    )


def test_a_registration_is_not_cancelled_once_the_event_has_started():
    event = EventFactory()
    registration = register_user(event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(services.RegistrationError) as error:
        services.cancel_registration(registration=registration)

    registration.refresh_from_db()
    assert error.value.messages == ["Pasākums jau ir sācies vai noticis."]
    assert registration.status == Registration.Status.CONFIRMED


def test_more_seats_than_the_event_holds_are_refused_rather_than_left_waiting():
    event = EventFactory(capacity=3)
    with pytest.raises(services.RegistrationError) as error:
        register_user(event, seats=4)
    assert error.value.messages == ["Pasākumā ir tikai 3 vietas."]
    assert event.registrations.count() == 0


def test_institutions_are_counted_once_from_the_seminars_seats():
    seminar = EventFactory(kind=Event.Kind.TEACHERS_SEMINAR, capacity=3)
    other = EventFactory(kind=Event.Kind.TEACHERS_SEMINAR)
    register_user(seminar, institution="Preiļu 1. pamatskola")
    register_user(other, institution=" preiļu 1. pamatskola ")
    register_user(other, institution="Dagdas vidusskola")
    register_user(seminar, seats=2, institution="Aglonas vidusskola")
    register_user(seminar, institution="Zilupes vidusskola")  # waiting: not counted

    assert selectors.institutions_involved() == 3


def test_an_event_lasts_at_most_31_days():
    event = EventFactory()
    event.ends_at = event.starts_at + timedelta(days=31, minutes=1)
    with pytest.raises(ValidationError) as error:
        services.save_event(event=event, changed=["ends_at"])
    assert error.value.message_dict == {"ends_at": ["Pasākums var ilgt ne vairāk kā 31 dienu."]}


def test_an_event_on_for_weeks_is_listed_until_it_ends():
    start = timezone.now() - timedelta(days=20)
    exhibition = EventFactory(starts_at=start, ends_at=start + timedelta(days=30))

    assert list(selectors.event_list()) == [exhibition]
    assert list(selectors.event_list(past=True)) == []


def test_a_freed_seat_is_announced_in_the_language_its_holder_registered_in(
    django_capture_on_commit_callbacks,
):
    from django.utils import translation

    event = EventFactory(capacity=1, title="Mācības")
    holder = register_user(event)
    with translation.override("en"):
        waiting = register_user(event, UserFactory(email="english@example.lv"))
    guest = register_guest(event, email="viesis@example.lv")
    services.confirm_guest(registration=guest)

    # The cancellation happens on a Latvian page; the mails follow each registration.
    with django_capture_on_commit_callbacks(execute=True), translation.override("lv"):
        services.cancel_registration(registration=holder)

    assert (waiting.language, guest.language) == ("en", "lv")
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("english@example.lv", "A place has become free – it is yours: Mācības")
    ]
