"""Writes of the communities app."""

import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from core import mail
from core.images import ProcessedPhoto
from core.seeding import SeedResult, apply_seed
from resource_centres.models import Equipment, ResourceCentre
from resource_centres.services import delete_photo_files, track_written_photo_files

from .models import (
    CalendarFeed,
    CapacityDimension,
    Community,
    Event,
    EventGroupCount,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    ModelElement,
    Profile,
    Registration,
    TargetGroup,
    Testimonial,
)

logger = logging.getLogger(__name__)

LATGALE_DATA = Path(__file__).resolve().parent / "data" / "latgale.json"


def read_latgale_data(path: Path = LATGALE_DATA) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_latgale(*, data: dict[str, Any]) -> dict[str, SeedResult]:
    """Load the initiative's real facts; a second run changes nothing, edits are kept.

    Each entry is tracked by its seed key (see `core.seeding`): a row a coordinator
    edited is kept as edited, one they deleted stays deleted, and renaming a row or changing its
    slug never makes a second one.
    """
    results: dict[str, SeedResult] = {}

    def tally(name: str, result: SeedResult) -> None:
        results.setdefault(name, SeedResult()).add(result)

    communities: dict[str, Community] = {}
    new_communities: set[str] = set()
    for row in data["communities"]:
        community, result = apply_seed(
            Community,
            key=row["slug"],
            values={
                "slug": row["slug"],
                "name": row["name"],
                "municipality": row["municipality"],
            },
            natural_key={"slug": row["slug"]},
        )
        if community is not None:
            communities[row["slug"]] = community
        if result.created:
            new_communities.add(row["slug"])
        tally("communities", result)

    for row in data["resource_centres"]:
        centre, result = apply_seed(
            ResourceCentre,
            key=row["slug"],
            values={
                "slug": row["slug"],
                "name": row["name"],
                "host": row["host"],
                "settlement": row["settlement"],
                "municipality": row["municipality"],
                "address": row["address"] or "",
                "latitude": _decimal(row["lat"]),
                "longitude": _decimal(row["lon"]),
                "coords_approximate": bool(row["coords_approx"]),
                "setting": row["setting"],
                "description": row["description"],
            },
            natural_key={"slug": row["slug"]},
        )
        tally("resource_centres", result)
        if centre is None:
            # The centre's equipment went with it when it was deleted, so it stays deleted too;
            # an equipment item is never made on its own without its centre.
            skipped = SeedResult(kept_deleted=result.kept_deleted, kept_edited=result.kept_edited)
            for _item in row.get("equipment", []):
                tally("equipment", skipped)
            continue
        for order, item in enumerate(row.get("equipment", [])):
            _, result = apply_seed(
                Equipment,
                key=item["key"],
                values={
                    "centre_id": centre.pk,
                    "name": item["name"],
                    "kind": item["kind"],
                    "order": order,
                },
                natural_key={"centre": centre, "name": item["name"]},
            )
            tally("equipment", result)
        # The link is made only with a new community: afterwards it is the coordinators' to change,
        # including to no centre at all.
        community_slug = row.get("community") or ""
        community = communities.get(community_slug)
        if community_slug in new_communities and community.resource_centre_id is None:
            community.resource_centre = centre
            community.save(update_fields=["resource_centre"])

    simple = [
        ("model_elements", ModelElement, "slug", ["slug", "title", "summary"]),
        ("target_groups", TargetGroup, "slug", ["slug", "title", "note"]),
        ("capacity_dimensions", CapacityDimension, "slug", ["slug", "title"]),
        ("glossary", GlossaryTerm, "slug", ["slug", "term", "author", "text"]),
        ("stats", ImpactFigure, "key", ["key", "qualifier", "value", "label"]),
    ]
    for name, model, natural_key, field_names in simple:
        for order, row in enumerate(data[name]):
            values = {field: row[field] if row[field] is not None else "" for field in field_names}
            values["order"] = order
            _, result = apply_seed(
                model,
                key=row[natural_key],
                values=values,
                natural_key={natural_key: row[natural_key]},
            )
            tally(name, result)

    for order, row in enumerate(data["testimonials"]):
        # A quote has no natural key to adopt a hand-made row by: it is found by its seed key only.
        _, result = apply_seed(
            Testimonial,
            key=row["key"],
            values={
                "person": row["person"],
                "role": row["role"] or "",
                "text": row["text"],
                "order": order,
            },
            create_only={"community": communities.get(row.get("community") or "")},
        )
        tally("testimonials", result)
    return results


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"))


# --- Profiles and memberships ------------------------------------------------------------------


NAME_FIELDS = {"first_name", "last_name"}


def save_profile(*, user, first_name: str, last_name: str, phone: str) -> Profile:
    """A person's name (kept on the user) and their profile, saved together."""
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.full_clean(
            exclude=[f.name for f in user._meta.fields if f.name not in NAME_FIELDS],
            validate_unique=False,
            validate_constraints=False,
        )
        user.save(update_fields=["first_name", "last_name"])
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.phone = phone.strip()
        profile.full_clean()
        profile.save()
    return profile


def request_membership(*, user, community: Community) -> tuple[Membership, bool]:
    """Ask to join a community; asking again (a double click, a resent form) changes nothing.

    Returns the membership and whether this call made it. The community's leaders hear of a new
    request once the request is stored.
    """
    with transaction.atomic():
        # get_or_create retries the read when a concurrent request wins the unique constraint.
        membership, created = Membership.objects.get_or_create(user=user, community=community)
        if created:
            mail.after_commit(_notify_leaders_of_request, membership_id=membership.pk)
    return membership, created


def forget_member(*, user) -> None:
    """For account deletion: the person's memberships, requests and profile go."""
    Membership.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()


def decide_membership(
    *, membership_id: int, community: Community, approve: bool, role: str = Membership.Role.MEMBER
) -> Membership | None:
    """Approve (with a role) or decline a request to join `community`.

    A declined request is deleted, so the person may ask again later. Returns the approved
    membership, or None when declined. A request already decided (the leader's double click, or
    two leaders at once) raises Membership.DoesNotExist; the row is locked while deciding.
    """
    if approve and role not in Membership.Role.values:
        raise ValidationError({"role": "unknown role"})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "community")
            .get(pk=membership_id, community=community, status=Membership.Status.REQUESTED)
        )
        user_id = membership.user_id
        if approve:
            membership.role = role
            membership.status = Membership.Status.ACTIVE
            membership.full_clean()
            membership.save(update_fields=["role", "status"])
        else:
            membership.delete()
        mail.after_commit(
            _notify_person_of_decision,
            user_id=user_id,
            community_id=community.pk,
            approved=approve,
            role=role,
        )
    return membership if approve else None


def _notify_leaders_of_request(*, membership_id: int) -> None:
    # Mail to other people goes out in the platform's language: their own choice is not stored.
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None:
        return
    community = membership.community
    leaders = list(
        get_user_model()
        .objects.filter(
            memberships__community=community,
            memberships__role=Membership.Role.LEADER,
            memberships__status=Membership.Status.ACTIVE,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .order_by("email")
    )
    if not leaders:
        logger.info("No leader to tell of a request to join %s", community.slug)
        return
    context = {
        "community": community,
        "person": membership.user,
        "members_url": mail.absolute(
            reverse("communities:members", kwargs={"slug": community.slug})
        ),
    }
    # One mail each: leaders do not learn one another's addresses from a shared "To:".
    for address in leaders:
        mail.send("communities/mail/membership_requested", to=address, context=context)


def _notify_person_of_decision(*, user_id: int, community_id: int, approved: bool, role: str):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first()
    if user is None or community is None or not user.email:
        return
    context = {
        "community": community,
        "person": user,
        "approved": approved,
        "role": Membership.Role(role).label if approved else "",
        "community_url": mail.absolute(community.get_absolute_url()),
    }
    mail.send("communities/mail/membership_decided", to=user.email, context=context)


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
    _mail_on_commit(registration, kind)


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
    registration.attended = False
    registration.cancelled_at = None
    registration.confirmed_at = None
    registration.waitlisted_at = None
    registration.full_clean(exclude=["event", "user", "token", "status"], validate_unique=False)
    if user is None:
        registration.status = Registration.Status.PENDING
        registration.save()
        _mail_on_commit(registration, "confirm_email")
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
        _mail_on_commit(registration, "promoted")
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
        _mail_on_commit(registration, "event_cancelled")
    return event


@transaction.atomic
def mark_attendance(*, registrations: QuerySet[Registration], attended: bool) -> int:
    return registrations.exclude(status=Registration.Status.CANCELLED).update(attended=attended)


@transaction.atomic
def close_event(
    *,
    event: Event,
    attendees_count: int,
    organisations_count: int,
    group_counts: dict[int, int] | None = None,
    report: str = "",
) -> Event:
    """Record what happened on the day; the home page's figures count closed events."""
    event = _locked_event(event)
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
    registrations = list(Registration.objects.filter(user=user).select_related("event"))
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


def _mail_on_commit(registration: Registration, kind: str) -> None:
    # In the language of the page the person used (the reminder command's is Latvian).
    mail.after_commit(
        send_registration_mail,
        registration_id=registration.pk,
        kind=kind,
        language=translation.get_language(),
    )


def send_registration_mail(*, registration_id: int, kind: str, language: str | None = None) -> None:
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
    mail.send(
        f"communities/mail/registration_{kind}",
        to=registration.email,
        context=context,
        language=language,
        attachments=attachments,
    )
