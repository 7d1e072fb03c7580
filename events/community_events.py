"""Community events run from the public site by their community's leaders (issue 17): create
(with weekly or monthly repeats, each a separate event), edit under an optimistic lock, record
attendance and close. Every write goes through the same services as the admin's
(events.services: save_event, set_event_image, cancel_event, mark_attendance, close_event), so
registration, the waiting list, calendar feeds and mails follow the same rules."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from communities.models import Community, ModelElement, TargetGroup
from core import formats
from core.images import ProcessedPhoto

from . import services
from .models import Event, Registration

SERIES_MAX = 52
SLUG_BASE_MAX = 80


class Repeat:
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


TOO_MANY_DATES = gettext_lazy(
    "Atkārtojumu sērijā var būt ne vairāk kā %(max)s datumi. "
    "Izvēlieties agrāku beigu datumu vai mazāku skaitu."
)
CHANGED_MEANWHILE = gettext_lazy(
    "Šo pasākumu pa to laiku mainīja cits lietotājs. Jūsu labojumi nav saglabāti: "
    "pārbaudiet pašreizējos datus un labojiet vēlreiz."
)

PHOTO_OR_REMOVAL = gettext_lazy(
    "Izvēlieties vienu: augšupielādējiet jaunu attēlu vai noņemiet esošo, ne abus."
)


class EventChanged(ValidationError):
    """The event changed after the form was shown: saving would overwrite someone's change."""


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime | None


@dataclass(frozen=True)
class Schedule:
    """When an event (and its repeats) takes place, as typed on Riga's wall clock."""

    starts_on: date
    starts_time: time
    ends_on: date
    ends_time: time
    deadline_on: date | None = None
    repeat: str = Repeat.NONE
    repeat_until: date | None = None
    repeat_count: int | None = None
    skipped: list[date] = field(default_factory=list)


def _riga(day: date, clock: time) -> datetime:
    # zoneinfo gives each date its own offset: 18.00 stays 18.00 across the change to summer time.
    return datetime.combine(day, clock, tzinfo=formats.RIGA)


def _months_later(first: date, months: int) -> date | None:
    """The same day number `months` later, or None when that month has no such day."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    if first.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, first.day)


def repeat_dates(
    *, first: date, repeat: str, until: date | None = None, count: int | None = None
) -> tuple[list[date], list[date]]:
    """The dates of a series starting on `first` (included), and the months skipped for lacking
    the day number (as the first of that month). Refuses more than SERIES_MAX dates."""
    if repeat == Repeat.NONE:
        return [first], []
    dates: list[date] = []
    skipped: list[date] = []
    step = 0
    while True:
        if repeat == Repeat.WEEKLY:
            day = first + timedelta(weeks=step)
        else:
            day = _months_later(first, step)
            if day is None:
                index = first.month - 1 + step
                missing = date(first.year + index // 12, index % 12 + 1, 1)
                if until is not None and missing > until:
                    break
                skipped.append(missing)
                step += 1
                continue
        if until is not None and day > until:
            break
        dates.append(day)
        if count is not None and len(dates) >= count:
            break
        if len(dates) > SERIES_MAX:
            break
        step += 1
    if len(dates) > SERIES_MAX:
        raise ValidationError(TOO_MANY_DATES % {"max": SERIES_MAX}, code="too_many_dates")
    return dates, skipped


def occurrences(schedule: Schedule) -> tuple[list[Occurrence], list[date]]:
    """Each date of the series with its start, end and registration deadline (the end of the
    deadline's day), at the same distance from its start as in the first one."""
    dates, skipped = repeat_dates(
        first=schedule.starts_on,
        repeat=schedule.repeat,
        until=schedule.repeat_until,
        count=schedule.repeat_count,
    )
    end_days = schedule.ends_on - schedule.starts_on
    deadline_days = (
        schedule.deadline_on - schedule.starts_on if schedule.deadline_on is not None else None
    )
    result = []
    for day in dates:
        deadline = None
        if deadline_days is not None:
            deadline = _riga(day + deadline_days + timedelta(days=1), time.min)
        result.append(
            Occurrence(
                starts_at=_riga(day, schedule.starts_time),
                ends_at=_riga(day + end_days, schedule.ends_time),
                registration_deadline=deadline,
            )
        )
    return result, skipped


def _free_slugs(title: str, days: list[date]) -> list[str]:
    """One unused slug per date: the title's, then with the date when there are several (or the
    title's is taken), then a number."""
    from .urls import RESERVED_SLUGS  # the URLs import the views, which import this module

    base = slugify(title)[:SLUG_BASE_MAX].strip("-") or "pasakums"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slugs = []
    for day in days:
        wanted = base if len(days) == 1 else f"{base}-{day.isoformat()}"
        slug, number = wanted, 1
        while slug in taken:
            number += 1
            slug = f"{wanted}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _attach_photo(event: Event, processed: ProcessedPhoto | None) -> None:
    if processed is None:
        return
    # One re-encoded photo written for each event of a series: each owns its files.
    processed.image.seek(0)
    processed.thumbnail.seek(0)
    services.set_event_image(event=event, processed=processed)


@transaction.atomic
def create_community_events(
    *,
    community: Community,
    event: Event,
    schedule: Schedule,
    target_groups: Iterable[TargetGroup] = (),
    model_elements: Iterable[ModelElement] = (),
    processed_photo: ProcessedPhoto | None = None,
) -> list[Event]:
    """Create `event` (unsaved, its fields filled in) on each date of the schedule, each a
    separate event with its own slug; returns them in date order."""
    planned, _skipped = occurrences(schedule)
    slugs = _free_slugs(event.title, [formats.riga(each.starts_at).date() for each in planned])
    target_groups, model_elements = list(target_groups), list(model_elements)
    created = []
    for occurrence, slug in zip(planned, slugs, strict=True):
        one = Event(
            **{
                f.attname: getattr(event, f.attname)
                for f in Event._meta.concrete_fields
                if f.attname not in ("id", "image", "thumbnail")
            }
        )
        one.pk = None
        one.slug = slug
        one.community = community
        one.starts_at = occurrence.starts_at
        one.ends_at = occurrence.ends_at
        one.registration_deadline = occurrence.registration_deadline
        one.seats_confirmed = 0
        one.sequence = 0
        one.cancelled_at = None
        one.cancellation_reason = ""
        one.closed_at = None
        one.attendees_count = None
        one.organisations_count = None
        one.report = ""
        _attach_photo(one, processed_photo)
        services.save_event(event=one)
        one.target_groups.set(target_groups)
        one.model_elements.set(model_elements)
        created.append(one)
    return created


def _calendar_changes(before: Event, after: Event) -> set[str]:
    return {
        name
        for name in services.EVENT_FIELDS_IN_CALENDARS
        if getattr(before, Event._meta.get_field(name).attname)
        != getattr(after, Event._meta.get_field(name).attname)
    }


@transaction.atomic
def update_community_event(
    *,
    event: Event,
    version: datetime | None,
    target_groups: Iterable[TargetGroup],
    model_elements: Iterable[ModelElement],
    processed_photo: ProcessedPhoto | None = None,
    remove_photo: bool = False,
) -> Event:
    """Save the edited `event` unless it changed since the form was shown (`version` is the
    `updated_at` the form was made from): then EventChanged, and nothing is written. A new
    photo replaces the old one; `remove_photo` takes it off (its files go after the commit)."""
    if remove_photo and processed_photo is not None:
        raise ValidationError({"remove_image": PHOTO_OR_REMOVAL}, code="photo_and_removal")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if version is None or locked.updated_at != version:
        raise EventChanged(CHANGED_MEANWHILE, code="changed")
    if locked.is_cancelled:
        raise ValidationError(gettext("Atcelts pasākums vairs nav labojams."), code="cancelled")
    _attach_photo(event, processed_photo)
    if remove_photo:
        services.remove_event_image(event=event)
    services.save_event(event=event, changed=_calendar_changes(locked, event))
    event.target_groups.set(list(target_groups))
    event.model_elements.set(list(model_elements))
    return event


def _check_after_end(event: Event) -> None:
    if event.ends_at > timezone.now():
        raise ValidationError(services.CLOSE_TOO_EARLY, code="not_ended")
    if event.closed_at is not None:
        raise ValidationError(gettext("Pasākums jau ir noslēgts."), code="closed")
    if event.is_cancelled:
        raise ValidationError(gettext("Pasākums ir atcelts."), code="cancelled")


@transaction.atomic
def record_attendance(*, event: Event, attended: Iterable[int]) -> int:
    """Mark the event's registrations with these ids as attended and the rest as not; only
    after the end and before the event is closed. Returns how many came."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_after_end(event)
    attended = set(attended)
    registrations = event.registrations.exclude(status=Registration.Status.CANCELLED)
    services.mark_attendance(registrations=registrations.exclude(pk__in=attended), attended=False)
    return services.mark_attendance(
        registrations=registrations.filter(pk__in=attended), attended=True
    )


@transaction.atomic
def close_community_event(
    *,
    event: Event,
    attendees_count: int,
    organisations_count: int,
    group_counts: dict[int, int],
    report: str,
) -> Event:
    """Close the event with the day's counts (events.services.close_event); refused before its
    end, and once closed (the figures already count it)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_after_end(event)
    return services.close_event(
        event=event,
        attendees_count=attendees_count,
        organisations_count=organisations_count,
        group_counts=group_counts,
        report=report,
    )
