"""Every write of bookings: requests (one or weekly repeats), approval, declining, cancellation,
no-shows, instructions and maintenance closures, with the mails they cause.

No double booking, ever: each request takes the item's row lock (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the IMMEDIATE transaction holds the database's write lock from BEGIN),
then picks a unit that no pending or confirmed booking holds at that time and inserts. On
PostgreSQL the exclusion constraint `booking_no_overlap` refuses an overlapping row even from
a path that skipped the lock; its refusal is reported as "taken", never as an error page.

Times are aware datetimes; the rules about days (opening hours, weeks) read them on Riga's wall
clock, so a booking across the night the clocks change has its real length.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import calendars as ical
from core import formats, mail
from core.roles import has_verified_email

from .booking_calendars import booking_calendar
from .booking_models import Booking, Instruction, Maintenance
from .hours import OpeningCalendar
from .models import Equipment

NOTE_MAX_LENGTH = Booking._meta.get_field("note").max_length
# Weekly repeats: at most this many dates in one request.
REPEAT_WEEKS_MAX = 12
# No-shows: after this many within the season, a person's requests wait for approval.
NO_SHOW_LIMIT = 3
NO_SHOW_SEASON = timedelta(days=183)


class BookingError(ValidationError):
    """A request the rules refuse; the message is for the person, in their language."""


@dataclass(frozen=True)
class Request:
    """What a person asks for: one item, from `starts_at` to `ends_at` (aware datetimes, kept
    in UTC: Python subtracts two datetimes of one zone by their wall clocks, which is an hour
    wrong across the night the clocks change)."""

    equipment: Equipment
    starts_at: datetime
    ends_at: datetime
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "starts_at", self.starts_at.astimezone(UTC))
        object.__setattr__(self, "ends_at", self.ends_at.astimezone(UTC))


@dataclass
class SeriesResult:
    """A weekly repeat: the bookings made, and the dates refused with their reasons."""

    bookings: list[Booking] = field(default_factory=list)
    refused: list[tuple[date, str]] = field(default_factory=list)


# --- Checks ---------------------------------------------------------------------------------------


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def no_shows_in_season(person, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Booking.objects.filter(
        person=person, no_show=True, starts_at__gte=now - NO_SHOW_SEASON
    ).count()


def is_instructed(person, equipment: Equipment) -> bool:
    return Instruction.objects.filter(person=person, equipment=equipment).exists()


def _week_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 on Riga's wall clock, as aware datetimes."""
    day = formats.riga(moment).date()
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=formats.RIGA)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=formats.RIGA)
    return start, end


def check_request(
    request: Request,
    *,
    person,
    now: datetime | None = None,
    calendar: OpeningCalendar | None = None,
    also_booked: timedelta = timedelta(0),
) -> None:
    """Raise BookingError for the first rule `request` breaks (the checks that need no lock).

    `also_booked`: time the same request already takes in that week (other dates of a weekly
    repeat are in other weeks, so it is zero except for callers that add several at once)."""
    equipment = request.equipment
    now = now or timezone.now()
    starts, ends = request.starts_at, request.ends_at
    if not equipment.bookable or not equipment.centre.is_published:
        raise BookingError(_("Šo aprīkojumu vai telpu nevar rezervēt."), code="not_bookable")
    if not (person.is_authenticated and person.is_active and has_verified_email(person)):
        raise BookingError(
            _("Rezervēt var pēc e-pasta adreses apstiprināšanas."), code="email_unconfirmed"
        )
    if len(request.note) > NOTE_MAX_LENGTH:
        raise BookingError(
            _("Piezīme ir par garu: ne vairāk kā %(limit)s zīmes.") % {"limit": NOTE_MAX_LENGTH},
            code="note_too_long",
        )
    if ends <= starts:
        raise BookingError(_("Beigām jābūt vēlāk par sākumu."), code="ends_before_start")
    if starts < now:
        raise BookingError(_("Šis laiks jau ir pagājis."), code="past")
    if starts > now + timedelta(days=equipment.horizon_days):
        raise BookingError(
            ngettext(
                "Rezervēt var ne vairāk kā %(days)s dienu uz priekšu.",
                "Rezervēt var ne vairāk kā %(days)s dienas uz priekšu.",
                equipment.horizon_days,
            )
            % {"days": equipment.horizon_days},
            code="too_far_ahead",
        )
    step = equipment.slot_minutes
    local_start, local_end = formats.riga(starts), formats.riga(ends)
    if any(
        moment.minute % step or moment.second or moment.microsecond
        for moment in (local_start, local_end)
    ):
        raise BookingError(
            _("Sākumam un beigām jābūt pa %(step)s minūtēm (piemēram, 10.00 vai 10.30).")
            % {"step": step},
            code="off_step",
        )
    length = _minutes(ends - starts)
    if length < equipment.min_minutes:
        raise BookingError(
            _("Īsākā rezervācija ir %(minutes)s minūtes.") % {"minutes": equipment.min_minutes},
            code="too_short",
        )
    if length > equipment.max_minutes:
        raise BookingError(
            _("Garākā rezervācija ir %(minutes)s minūtes.") % {"minutes": equipment.max_minutes},
            code="too_long",
        )
    if calendar is None:
        calendar = OpeningCalendar.load(equipment.centre, local_start.date(), local_end.date())
    if not calendar.is_open(starts, ends):
        raise BookingError(
            _("Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
            code="closed",
        )
    closed = (
        Maintenance.objects.filter(equipment=equipment, starts_at__lt=ends, ends_at__gt=starts)
        .order_by("starts_at")
        .first()
    )
    if closed is not None:
        raise BookingError(
            _("Šajā laikā „%(item)s” ir slēgts apkopei: %(reason)s.")
            % {"item": equipment.name, "reason": closed.reason},
            code="maintenance",
        )
    if equipment.needs_instruction and not is_instructed(person, equipment):
        raise BookingError(
            _(
                "„%(item)s” var rezervēt tikai pēc instruktāžas. Piesakieties instruktāžai "
                "centrā vai sazinieties ar centra vadītāju."
            )
            % {"item": equipment.name},
            code="not_instructed",
        )
    if equipment.weekly_hours_limit:
        week_start, week_end = _week_bounds(starts)
        booked = also_booked + sum(
            (
                booking.ends_at - booking.starts_at
                for booking in Booking.objects.filter(
                    equipment=equipment,
                    person=person,
                    status__in=Booking.ACTIVE,
                    starts_at__gte=week_start,
                    starts_at__lt=week_end,
                ).only("starts_at", "ends_at")
            ),
            timedelta(0),
        )
        if booked + (ends - starts) > timedelta(hours=equipment.weekly_hours_limit):
            raise BookingError(
                ngettext(
                    "Vienam cilvēkam „%(item)s” var rezervēt ne vairāk kā %(hours)s stundu nedēļā.",
                    "Vienam cilvēkam „%(item)s” var rezervēt ne vairāk kā %(hours)s stundas "
                    "nedēļā.",
                    equipment.weekly_hours_limit,
                )
                % {"item": equipment.name, "hours": equipment.weekly_hours_limit},
                code="weekly_limit",
            )


def _reason_missing() -> BookingError:
    return BookingError(_("Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."), code="reason")


def _taken_error() -> BookingError:
    return BookingError(_("Šis laiks jau ir aizņemts. Izvēlieties citu laiku."), code="taken")


def _overlapping(equipment: Equipment, starts: datetime, blocked_until: datetime) -> QuerySet:
    return Booking.objects.filter(equipment=equipment).holding(starts, blocked_until)


def _free_unit(equipment: Equipment, starts: datetime, blocked_until: datetime) -> int | None:
    held = set(_overlapping(equipment, starts, blocked_until).values_list("unit", flat=True))
    for unit in range(1, equipment.quantity + 1):
        if unit not in held:
            return unit
    return None


def _locked(equipment: Equipment) -> Equipment:
    return Equipment.objects.select_for_update().select_related("centre").get(pk=equipment.pk)


def _insert(
    *, equipment: Equipment, person, request: Request, status: str, language: str, series=None
) -> Booking:
    """Under the item's lock: the first free unit, or BookingError("taken")."""
    blocked_until = request.ends_at + timedelta(minutes=equipment.buffer_minutes)
    unit = _free_unit(equipment, request.starts_at, blocked_until)
    if unit is None:
        raise _taken_error()
    booking = Booking(
        equipment=equipment,
        unit=unit,
        person=person,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        blocked_until=blocked_until,
        status=status,
        note=request.note,
        language=language,
        series=series,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        # The exclusion constraint: another writer got there first.
        raise _taken_error() from error
    return booking


def _initial_status(equipment: Equipment, person, now: datetime) -> str:
    if equipment.requires_approval or no_shows_in_season(person, now=now) >= NO_SHOW_LIMIT:
        return Booking.Status.PENDING
    return Booking.Status.CONFIRMED


# --- Requests -------------------------------------------------------------------------------------


def request_booking(
    *, request: Request, person, language: str = "lv", now: datetime | None = None
) -> Booking:
    """Book one time, confirmed at once or waiting for the centre's manager; raises
    BookingError with the reason otherwise. Nothing is saved when it raises."""
    now = now or timezone.now()
    with transaction.atomic():
        equipment = _locked(request.equipment)
        request = Request(equipment, request.starts_at, request.ends_at, request.note.strip())
        check_request(request, person=person, now=now)
        booking = _insert(
            equipment=equipment,
            person=person,
            request=request,
            status=_initial_status(equipment, person, now),
            language=language,
        )
        _mail(booking, "confirmed" if booking.status == Booking.Status.CONFIRMED else "pending")
    return booking


def weekly_dates(request: Request, weeks: int) -> list[Request]:
    """The same wall-clock times on `weeks` consecutive weeks (the first is `request` itself):
    10.00-12.00 stays 10.00-12.00 in the week the clocks change."""
    local_start, local_end = formats.riga(request.starts_at), formats.riga(request.ends_at)
    requests = []
    for week in range(weeks):
        shift = timedelta(weeks=week)
        starts = datetime.combine(
            local_start.date() + shift, local_start.time(), tzinfo=formats.RIGA
        )
        ends = datetime.combine(local_end.date() + shift, local_end.time(), tzinfo=formats.RIGA)
        requests.append(Request(request.equipment, starts, ends, request.note))
    return requests


def request_series(
    *,
    request: Request,
    weeks: int,
    person,
    book_available: bool,
    language: str = "lv",
    now: datetime | None = None,
) -> SeriesResult:
    """The same time every week for `weeks` weeks (2..REPEAT_WEEKS_MAX). Every date is checked;
    when some are refused, nothing is booked unless `book_available` (then the rest are).
    The result lists the refused dates with their reasons either way."""
    if not 2 <= weeks <= REPEAT_WEEKS_MAX:
        raise BookingError(
            _("Atkārtot var no 2 līdz %(weeks)s nedēļām.") % {"weeks": REPEAT_WEEKS_MAX},
            code="repeat_weeks",
        )
    now = now or timezone.now()
    series = uuid.uuid4()
    result = SeriesResult()
    with transaction.atomic():
        equipment = _locked(request.equipment)
        status = _initial_status(equipment, person, now)
        for one in weekly_dates(
            Request(equipment, request.starts_at, request.ends_at, request.note.strip()), weeks
        ):
            try:
                check_request(one, person=person, now=now)
                result.bookings.append(
                    _insert(
                        equipment=equipment,
                        person=person,
                        request=one,
                        status=status,
                        language=language,
                        series=series,
                    )
                )
            except BookingError as error:
                result.refused.append((formats.riga(one.starts_at).date(), error.messages[0]))
        if result.refused and not book_available:
            transaction.set_rollback(True)
            return SeriesResult(bookings=[], refused=result.refused)
        if result.bookings:
            _mail(
                result.bookings[0],
                "series_confirmed" if status == Booking.Status.CONFIRMED else "series_pending",
            )
    return result


# --- The centre's decisions -----------------------------------------------------------------------


def _locked_booking(booking: Booking) -> Booking:
    _locked(booking.equipment)
    return (
        Booking.objects.select_for_update().select_related("equipment__centre").get(pk=booking.pk)
    )


def approve_booking(*, booking: Booking, actor, now: datetime | None = None) -> Booking:
    """A pending request confirmed by the centre. The unit is held since the request (the
    exclusion constraint covers pending bookings too), so approval cannot double-book; it is
    refused when the time has passed or the item was closed for maintenance since."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        if booking.status != Booking.Status.PENDING:
            raise BookingError(_("Šī rezervācija vairs negaida apstiprinājumu."), code="state")
        if booking.starts_at < now:
            raise BookingError(_("Šis laiks jau ir pagājis."), code="past")
        booking.status = Booking.Status.CONFIRMED
        booking.decided_by, booking.decided_at = actor, now
        booking.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _mail(booking, "approved")
    return booking


def decline_booking(
    *, booking: Booking, actor, reason: str, now: datetime | None = None
) -> Booking:
    reason = reason.strip()
    if not reason:
        raise BookingError(
            _("Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."), code="reason"
        )
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        if booking.status != Booking.Status.PENDING:
            raise BookingError(_("Šī rezervācija vairs negaida apstiprinājumu."), code="state")
        booking.status = Booking.Status.DECLINED
        booking.reason = reason
        booking.decided_by, booking.decided_at = actor, now
        booking.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
        _mail(booking, "declined")
    return booking


def cancel_deadline(booking: Booking) -> datetime:
    """Until when the person may cancel it themselves."""
    return booking.starts_at - timedelta(hours=booking.equipment.cancel_cutoff_hours)


def cancel_own_booking(*, booking: Booking, person, now: datetime | None = None) -> Booking:
    """The person cancels their own pending or confirmed booking, until the item's cut-off."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        if booking.person_id != person.pk:
            raise BookingError(_("Šī nav jūsu rezervācija."), code="not_own")
        if not booking.is_active:
            raise BookingError(_("Šī rezervācija jau ir atcelta vai noraidīta."), code="state")
        if now > cancel_deadline(booking):
            raise BookingError(
                _("Atcelšanas termiņš beidzās %(deadline)s. Lūdzu, sazinieties ar centru.")
                % {"deadline": formats.riga_datetime_in(cancel_deadline(booking))},
                code="cutoff",
            )
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_by, booking.cancelled_at = person, now
        booking.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
        _mail(booking, "cancelled")
    return booking


def forget_booker(*, user, now: datetime | None = None) -> int:
    """For account deletion: cancel what is still ahead (the units are free for others at once;
    no mail, the person is leaving) and strip the person from every booking. The item, times,
    status and no-show mark stay for the centre's usage figures and the impact figure; one
    random key per person (`forgotten_as`) keeps the count of distinct people right without
    saying who they were. Returns how many bookings there were."""
    now = now or timezone.now()
    key = uuid.uuid4()
    with transaction.atomic():
        bookings = list(Booking.objects.select_for_update().filter(person=user))
        for booking in bookings:
            if booking.is_active and booking.starts_at > now:
                booking.status = Booking.Status.CANCELLED
                booking.cancelled_at = now
                with translation.override("lv"):  # read by the centre's staff
                    booking.reason = _("Cilvēks dzēsa savu kontu.")
                # Through save(): an upcoming confirmed booking's hours leave the figures.
                booking.save(update_fields=["status", "cancelled_at", "reason", "updated_at"])
        Booking.objects.filter(pk__in=[booking.pk for booking in bookings]).update(
            person=None, forgotten_as=key, note="", series=None
        )
    return len(bookings)


def cancel_by_centre(
    *, booking: Booking, actor, reason: str, now: datetime | None = None
) -> Booking:
    """The centre cancels a pending or confirmed booking at any time, with a reason mailed."""
    reason = reason.strip()
    if not reason:
        raise BookingError(
            _("Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."), code="reason"
        )
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        if not booking.is_active:
            raise BookingError(_("Šī rezervācija jau ir atcelta vai noraidīta."), code="state")
        _cancel_for(booking, actor=actor, reason=reason, now=now)
    return booking


def _cancel_for(booking: Booking, *, actor, reason: str, now: datetime) -> None:
    booking.status = Booking.Status.CANCELLED
    booking.reason = reason
    booking.cancelled_by, booking.cancelled_at = actor, now
    booking.save(update_fields=["status", "reason", "cancelled_by", "cancelled_at", "updated_at"])
    _mail(booking, "cancelled_by_centre")


def mark_no_show(
    *, booking: Booking, actor, no_show: bool = True, now: datetime | None = None
) -> Booking:
    """The person did not come (or, `no_show=False`, the mark was a mistake). Only a confirmed
    booking whose time has begun."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingError(
                _("Neierašanos var atzīmēt tikai apstiprinātai rezervācijai."), code="state"
            )
        if booking.starts_at > now:
            raise BookingError(
                _("Neierašanos var atzīmēt, kad rezervētais laiks ir sācies."), code="future"
            )
        booking.no_show = no_show
        booking.save(update_fields=["no_show", "updated_at"])
    return booking


# --- Items: instruction and maintenance -----------------------------------------------------------


def record_instruction(
    *, person, equipment: Equipment, actor=None, event=None, on: date | None = None
) -> Instruction:
    """`person` may now book `equipment` (recorded by a manager, or by attendance at an
    instruction event). Recording it again keeps the first record."""
    instruction, _created = Instruction.objects.get_or_create(
        person=person,
        equipment=equipment,
        defaults={
            "instructed_on": on or formats.riga_today(),
            "recorded_by": actor,
            "event": event,
        },
    )
    return instruction


def close_for_maintenance(
    *, equipment: Equipment, starts_at: datetime, ends_at: datetime, reason: str, actor
) -> tuple[Maintenance, list[Booking]]:
    """Close an item for a time; its pending and confirmed bookings then are cancelled, each
    person told why by mail."""
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Uzrakstiet iemeslu."), code="reason")
    if ends_at <= starts_at:
        raise BookingError(_("Beigām jābūt vēlāk par sākumu."), code="ends_before_start")
    now = timezone.now()
    with transaction.atomic():
        equipment = _locked(equipment)
        maintenance = Maintenance.objects.create(
            equipment=equipment,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_by=actor,
        )
        cancelled = list(
            Booking.objects.select_for_update()
            .filter(
                equipment=equipment,
                status__in=Booking.ACTIVE,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            .order_by("starts_at")
        )
        text = _("„%(item)s” ir slēgts apkopei: %(reason)s") % {
            "item": equipment.name,
            "reason": reason,
        }
        for booking in cancelled:
            _cancel_for(booking, actor=actor, reason=text, now=now)
    return maintenance, cancelled


# --- Mail -----------------------------------------------------------------------------------------

# The mails after which the person holds a time carry it as an .ics attachment.
MAILS_WITH_CALENDAR = frozenset({"confirmed", "approved", "series_confirmed"})


def _mail(booking: Booking, kind: str) -> None:
    send_booking_mail(booking_id=booking.pk, kind=kind)


def send_booking_mail(*, booking_id: int, kind: str) -> None:
    """Queue one mail about a booking, in the language the person booked in, in the transaction
    of the change it tells of (a booking passes through each of its states once)."""
    booking = Booking.objects.select_related("equipment__centre", "person").get(pk=booking_id)
    if booking.person is None or not booking.person.email:
        return
    series = []
    if booking.series and kind.startswith("series_"):
        series = list(
            Booking.objects.filter(series=booking.series, status__in=Booking.ACTIVE)
            .select_related("equipment__centre")
            .order_by("starts_at")
        )
    attachments = []
    if kind in MAILS_WITH_CALENDAR:
        with translation.override(booking.language):
            ics = booking_calendar(series or [booking], name=booking.equipment.name)
        attachments.append(("rezervacija.ics", ics, ical.CONTENT_TYPE))
    mail.queue(
        f"resource_centres/mail/booking_{kind}",
        cause=f"booking:{booking.pk}:{kind}",
        to=booking.person.email,
        context={
            "booking": booking,
            "series": series,
            "equipment": booking.equipment,
            "centre": booking.equipment.centre,
            "when": formats.riga_period(booking.starts_at, booking.ends_at),
            "centre_url": mail.absolute(booking.equipment.centre.get_absolute_url()),
            "my_url": mail.absolute("/mans/"),
        },
        language=booking.language,
        attachments=attachments,
    )
