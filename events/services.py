"""Every write of events and registrations: seats under the event's row lock, the waiting
list, cancellations, closing reports, reminders and calendar feeds."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from core import formats, mail
from core.images import ProcessedPhoto
from resource_centres.booking_services import record_instruction
from resource_centres.services import delete_photo_files, track_written_photo_files

from . import selectors
from .models import CalendarFeed, Event, EventGroupCount, Registration

# --- Events and registrations -------------------------------------------------------------------
#
# Capacity is guarded twice: every change of an event's confirmed seats happens under the
# event's row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take
# the database's write lock at BEGIN, which serialises writers the same way), and the check
# constraint `event_seats_within_capacity` refuses an oversold row on both databases.

SEATS_MAX = 4
EVENT_FIELDS_IN_CALENDARS = {
    "title",
    "description",
    "starts_at",
    "ends_at",
    "centre",
    "address",
    "online_url",
    "format",
    "cancelled_at",
    "slug",
}


class RegistrationError(ValidationError):
    """A registration the rules refuse; the message is for the person."""


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def registration_open_error(*, event: Event, now: datetime | None = None) -> str | None:
    """Why people cannot register for `event` now, or None when they can."""
    now = now or timezone.now()
    if not event.is_published:
        return gettext("Šis pasākums nav publicēts.")
    if event.is_cancelled:
        return gettext("Pasākums ir atcelts.")
    if event.registration_mode != Event.RegistrationMode.PLATFORM:
        return gettext("Uz šo pasākumu šajā vietnē nav jāpiesakās.")
    if now >= event.starts_at:
        return gettext("Pasākums jau ir sācies vai noticis.")
    if now >= event.registration_closes_at:
        return gettext("Pieteikšanās termiņš ir beidzies.")
    return None


def _check_open(event: Event) -> None:
    error = registration_open_error(event=event)
    if error:
        raise RegistrationError(error, code="closed")


def _place(registration: Registration, *, event: Event) -> None:
    """Confirm the registration if its seats are free, else put it on the waiting list.

    `event` must be locked by the caller's transaction.
    """
    now = timezone.now()
    if registration.seats <= event.capacity - event.seats_confirmed:
        event.seats_confirmed += registration.seats
        Event.objects.filter(pk=event.pk).update(
            seats_confirmed=F("seats_confirmed") + registration.seats
        )
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.waitlisted_at = None
        kind = "confirmed"
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now
        kind = "waitlisted"
    registration.save()
    _mail(registration, kind)


@transaction.atomic
def register(
    *,
    event: Event,
    user=None,
    name: str = "",
    email: str = "",
    seats: int = 1,
    needs: str = "",
    photo_consent: bool = False,
    institution: str = "",
) -> RegistrationResult:
    """Register a signed-in person (seat held at once) or a guest (held once they confirm).

    A second submission of the same person for the same event changes nothing and returns the
    registration they already have; one who had cancelled registers anew.
    """
    if not 1 <= seats <= SEATS_MAX:
        raise RegistrationError(
            gettext("Var pieteikt no 1 līdz %(max)s vietām.") % {"max": SEATS_MAX}, code="seats"
        )
    event = _locked_event(event)
    _check_open(event)
    if seats > event.capacity:
        # More than the whole event holds would wait for ever.
        raise RegistrationError(
            ngettext(
                "Pasākumā ir tikai %(capacity)s vieta.",
                "Pasākumā ir tikai %(capacity)s vietas.",
                event.capacity,
            )
            % {"capacity": event.capacity},
            code="seats",
        )
    if event.is_teachers_seminar and not institution.strip():
        raise RegistrationError(
            gettext("Norādiet izglītības iestādi, kuru pārstāvat."), code="institution"
        )
    if user is not None:
        name = user.get_full_name() or name or user.get_username()
        email = user.email
        existing = Registration.objects.filter(event=event, user=user).first()
    else:
        email = email.strip().lower()
        existing = Registration.objects.filter(event=event, user__isnull=True, email=email).first()
    if existing is not None and existing.status != Registration.Status.CANCELLED:
        return RegistrationResult(registration=existing, created=False)

    registration = existing or Registration(event=event, user=user, token=_new_token())
    registration.name = name.strip()
    registration.email = email
    registration.seats = seats
    registration.needs = needs.strip()
    registration.photo_consent = photo_consent
    registration.institution = institution.strip()
    registration.language = formats.language()
    registration.attended = False
    registration.cancelled_at = None
    registration.confirmed_at = None
    registration.waitlisted_at = None
    registration.full_clean(exclude=["event", "user", "token", "status"], validate_unique=False)
    if user is None:
        registration.status = Registration.Status.PENDING
        registration.save()
        _mail(registration, "confirm_email")
    else:
        _place(registration, event=event)
    return RegistrationResult(registration=registration, created=True)


@transaction.atomic
def confirm_guest(*, registration: Registration) -> Registration:
    """The guest followed the link in the mail: now the seat is held (or they wait)."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        return registration
    _check_open(event)
    _place(registration, event=event)
    return registration


def _promote(event: Event) -> list[Registration]:
    """Confirm the earliest waiting registrations that fit the free seats (event locked)."""
    free = event.capacity - event.seats_confirmed
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")
    )
    now = timezone.now()
    for registration in waiting:
        if registration.seats > free:
            continue
        free -= registration.seats
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        promoted.append(registration)
        _mail(registration, "promoted")
        if free == 0:
            break
    taken = sum(registration.seats for registration in promoted)
    if taken:
        event.seats_confirmed += taken
        Event.objects.filter(pk=event.pk).update(seats_confirmed=F("seats_confirmed") + taken)
    return promoted


@transaction.atomic
def cancel_registration(*, registration: Registration) -> list[Registration]:
    """Cancel a registration, free its seats and promote who fits; returns the promoted."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return []
    if timezone.now() >= event.starts_at:
        # From the start on, the registration is the record of who was expected and came.
        raise RegistrationError(gettext("Pasākums jau ir sācies vai noticis."), code="started")
    held = registration.seats if registration.holds_seats else 0
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if held:
        event.seats_confirmed -= held
        Event.objects.filter(pk=event.pk).update(seats_confirmed=F("seats_confirmed") - held)
    if event.is_cancelled:
        return []
    return _promote(event)


@transaction.atomic
def save_event(*, event: Event, changed: Iterable[str] = ()) -> Event:
    """Save an event edited by staff: SEQUENCE rises when calendars must update, and seats
    that a larger capacity frees go to the waiting list."""
    if event.pk is not None:
        locked = _locked_event(event)
        if event.capacity < locked.seats_confirmed:
            raise ValidationError(
                {
                    "capacity": gettext(
                        "Jau apstiprināto vietu skaits ir %(seats)s; "
                        "pasākuma vietu skaits nevar būt mazāks."
                    )
                    % {"seats": locked.seats_confirmed}
                },
                code="capacity",
            )
        # The counter is the services' alone: a form never carries it.
        event.seats_confirmed = locked.seats_confirmed
        event.sequence = locked.sequence
        if set(changed) & EVENT_FIELDS_IN_CALENDARS:
            event.sequence += 1
    event.full_clean()
    event.save()
    if not event.is_cancelled and event.starts_at > timezone.now():
        _promote(event)
    return event


def set_event_image(*, event: Event, processed: ProcessedPhoto) -> None:
    """Write a checked photo and its thumbnail for `event` (saved by the caller).

    The files it replaces leave storage once the caller's transaction commits; the new ones go
    again if it is rolled back (the centres' photo rules, resource_centres.services).
    """
    replaced = []
    if event.pk is not None:
        previous = Event.objects.filter(pk=event.pk).only("image", "thumbnail").first()
        if previous is not None:
            replaced = [f for f in (previous.image, previous.thumbnail) if f]
    event.image.save(processed.image.name, processed.image, save=False)
    event.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    track_written_photo_files(files=[event.image, event.thumbnail])
    if replaced:
        transaction.on_commit(partial(delete_photo_files, files=replaced), robust=True)


def remove_event_image(*, event: Event) -> None:
    """Take the photo (and its description) off `event`, saved by the caller. Its files leave
    storage once the caller's transaction commits; a failing deletion is logged, never shown
    (the change is saved by then)."""
    removed = []
    if event.pk is not None:
        previous = Event.objects.filter(pk=event.pk).only("image", "thumbnail").first()
        if previous is not None:
            removed = [f for f in (previous.image, previous.thumbnail) if f]
    event.image = ""
    event.thumbnail = ""
    event.image_alt = ""
    if removed:
        transaction.on_commit(partial(delete_photo_files, files=removed), robust=True)


@transaction.atomic
def delete_events(*, events: QuerySet[Event]) -> None:
    """Delete events with their registrations; their photo files once this commits."""
    files = [
        field_file
        for event in events.only("image", "thumbnail")
        for field_file in (event.image, event.thumbnail)
        if field_file
    ]
    events.delete()
    if files:
        transaction.on_commit(partial(delete_photo_files, files=files), robust=True)


@transaction.atomic
def cancel_event(*, event: Event, reason: str) -> Event:
    """Cancel an event; everyone registered is told, and calendars show it cancelled."""
    event = _locked_event(event)
    if event.is_cancelled:
        return event
    event.cancelled_at = timezone.now()
    event.cancellation_reason = reason.strip()
    event.sequence += 1
    event.save(update_fields=["cancelled_at", "cancellation_reason", "sequence", "updated_at"])
    for registration in event.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    ):
        _mail(registration, "event_cancelled")
    return event


CLOSE_TOO_EARLY = gettext_lazy("Pasākumu var noslēgt tikai pēc tā beigām.")


@transaction.atomic
def mark_attendance(*, registrations: QuerySet[Registration], attended: bool) -> int:
    """Mark who came; only once the event has begun (nobody has attended an event ahead).
    Someone with an account who came to an instruction event may then book its items."""
    marked = list(
        registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(event__starts_at__lte=timezone.now())
        .values_list("pk", flat=True)
    )
    count = Registration.objects.filter(pk__in=marked).update(attended=attended)
    if attended and marked:
        instruct_attendees(registrations=Registration.objects.filter(pk__in=marked))
    return count


def instruct_attendees(*, registrations: QuerySet[Registration]) -> int:
    """Record the instruction of each attending registered person on each item their event
    instructs on (resource_centres.booking_services.record_instruction keeps a first record).
    Returns how many (person, item) pairs were recorded or already held."""
    attending = list(
        registrations.filter(attended=True, user__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "event")
    )
    if not attending:
        return 0
    links: dict[int, list] = {}
    for link in Event.instructs.through.objects.filter(
        event_id__in={registration.event_id for registration in attending}
    ).select_related("equipment"):
        links.setdefault(link.event_id, []).append(link.equipment)
    pairs = 0
    for registration in attending:
        for equipment in links.get(registration.event_id, []):
            record_instruction(
                person=registration.user,
                equipment=equipment,
                event=registration.event,
                on=formats.riga(registration.event.starts_at).date(),
            )
            pairs += 1
    return pairs


@transaction.atomic
def close_event(
    *,
    event: Event,
    attendees_count: int,
    organisations_count: int,
    group_counts: dict[int, int] | None = None,
    report: str = "",
) -> Event:
    """Record what happened on the day; the home page's figures count closed events, so an
    event is closed only once it has ended."""
    event = _locked_event(event)
    if event.ends_at > timezone.now():
        raise ValidationError(CLOSE_TOO_EARLY, code="not_ended")
    event.attendees_count = attendees_count
    event.organisations_count = organisations_count
    event.report = report.strip()
    event.closed_at = event.closed_at or timezone.now()
    event.save(
        update_fields=[
            "attendees_count",
            "organisations_count",
            "report",
            "closed_at",
            "updated_at",
        ]
    )
    for target_group_id, count in (group_counts or {}).items():
        EventGroupCount.objects.update_or_create(
            event=event, target_group_id=target_group_id, defaults={"count": count}
        )
    # Attendance marked before instruction items were linked still instructs on them.
    instruct_attendees(registrations=event.registrations.all())
    return event


def send_event_reminders(*, now: datetime | None = None) -> int:
    """Mail everyone confirmed for an event that starts tomorrow (Riga time), once each.

    Each registration is claimed by an UPDATE that only one run can win, then mailed, so two
    runs, even at the same time, send one mail.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min))
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
        event__cancelled_at__isnull=True,
        event__is_published=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        # The claim and the mail commit together: a run that dies between them loses neither.
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                send_registration_mail(registration_id=pk, kind="reminder")
                sent += 1
    return sent


@transaction.atomic
def renew_calendar_feed(*, user) -> CalendarFeed:
    """A new secret address for one's personal calendar; the old one stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    if not created:
        feed.token = _new_token()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def revoke_calendar_feed(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


@transaction.atomic
def forget_registrations(*, user) -> int:
    """For account deletion: cancel what is still ahead (freeing seats for others) and strip
    the person from every registration, keeping only the anonymous count of seats and
    attendance that the event's report rests on. Returns how many registrations there were."""
    registrations = list(selectors.registrations_of_person(user=user).select_related("event"))
    now = timezone.now()
    for registration in registrations:
        if registration.status != Registration.Status.CANCELLED and (
            registration.event.starts_at > now
        ):
            cancel_registration(registration=registration)
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        user=None,
        name="",
        email=Concat(Value("dzests-"), Cast("pk", CharField()), Value("@invalid.invalid")),
        needs="",
        institution="",
        photo_consent=False,
    )
    # Each token is replaced, so an old mail's link no longer reaches the row.
    for registration in registrations:
        Registration.objects.filter(pk=registration.pk).update(token=_new_token())
    CalendarFeed.objects.filter(user=user).delete()
    return len(registrations)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


# --- Mail ---------------------------------------------------------------------------------------

# The mails after which the person has a seat carry the event as an .ics attachment.
MAILS_WITH_CALENDAR = {"confirmed", "promoted", "reminder", "event_cancelled"}


def _mail(registration: Registration, kind: str) -> None:
    send_registration_mail(registration_id=registration.pk, kind=kind)


# The moment a mail of each kind is about: a person who cancels and registers again is told
# again, about the new registration (the outbox's key includes it).
_MAIL_MOMENTS = {
    "confirmed": "confirmed_at",
    "promoted": "confirmed_at",
    "waitlisted": "waitlisted_at",
    "reminder": "reminded_at",
}


def send_registration_mail(*, registration_id: int, kind: str) -> None:
    """Queue one mail about a registration, in the language the person registered in, in the
    transaction of the change it tells of."""
    from . import calendars  # calendars reads the models; services is imported by them

    registration = Registration.objects.select_related("event", "event__centre").get(
        pk=registration_id
    )
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "event_url": mail.absolute(event.get_absolute_url()),
        "confirm_url": mail.absolute(
            reverse("events:confirm", kwargs={"token": registration.token})
        ),
        "manage_url": mail.absolute(
            reverse("events:registration", kwargs={"token": registration.token})
        ),
    }
    attachments = []
    if kind in MAILS_WITH_CALENDAR:
        ics = calendars.calendar([event], name=event.title)
        attachments.append(("pasakums.ics", ics, calendars.CONTENT_TYPE))
    field = _MAIL_MOMENTS.get(kind)
    moment = (getattr(registration, field) if field else None) or timezone.now()
    mail.queue(
        f"events/mail/registration_{kind}",
        to=registration.email,
        context=context,
        language=registration.language,
        attachments=attachments,
        cause=f"registration:{registration.pk}:{kind}:{moment.isoformat()}",
    )
