"""Bookings of the centres' equipment and rooms: the rules of the items that make sense to book,
an instruction on Aglona's laser engraver, the last ten months of bookings and the next four
weeks' requests.

Idempotent like the rest: rules are set only on items nobody has touched (still not bookable,
every rule at its default), the instruction event by its slug, and bookings only while there are
none at all. Past bookings are bulk inserts that keep the rules by construction (opening hours,
slot steps, one unit never held twice, the item's buffer); the coming ones go through
resource_centres.booking_services.request_booking, so every rule is checked as for a person.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.formats import RIGA, riga_today
from events.models import Event, Registration
from events.services import mark_attendance
from resource_centres.booking_models import Booking
from resource_centres.booking_services import BookingError, Request, request_booking
from resource_centres.hours import OpeningCalendar
from resource_centres.models import Equipment, ResourceCentre

from .centres_and_events import DEMO_EVENT_PREFIX
from .common import DEMO_MARK

# (centre slug, item name from the seed) → its rules. Only items a person would book for a
# few hours: the two-hectare meeting grounds stay for events.
RULES = {
    ("aglona", "Lāzergravieris"): {
        "max_minutes": 180,
        "buffer_minutes": 15,
        "needs_instruction": True,
        "weekly_hours_limit": 6,
    },
    ("aglona", "Adāmmašīna"): {"slot_minutes": 60, "min_minutes": 60, "max_minutes": 180},
    # The kiln cools for an hour after each firing; the centre plans the firings itself.
    ("preili", "Keramikas ceplis"): {
        "slot_minutes": 60,
        "min_minutes": 120,
        "max_minutes": 360,
        "buffer_minutes": 60,
        "requires_approval": True,
        "cancel_cutoff_hours": 24,
    },
    ("preili", "Darbnīca darbam ar mālu"): {"max_minutes": 180},
    ("zilupe", "Datori"): {
        "quantity": 5,
        "slot_minutes": 60,
        "min_minutes": 60,
        "max_minutes": 120,
    },
    ("dagda", "Dators"): {"slot_minutes": 60, "min_minutes": 60, "max_minutes": 120},
    ("dagda", "Sanāksmju telpa"): {"requires_approval": True, "buffer_minutes": 15},
    ("daugavpils", "Telpa iniciatīvu plānošanai"): {"max_minutes": 180, "buffer_minutes": 15},
    ("varkava", "Lapene Vārkavas parkā"): {"slot_minutes": 60, "min_minutes": 60},
    ("priezmale", "Sanāksmju telpa"): {"max_minutes": 180},
    ("sakstagals", "Sporta laukums"): {"slot_minutes": 60, "min_minutes": 60, "max_minutes": 120},
}
RULE_FIELDS = [
    "bookable",
    "quantity",
    "slot_minutes",
    "min_minutes",
    "max_minutes",
    "horizon_days",
    "buffer_minutes",
    "requires_approval",
    "needs_instruction",
    "weekly_hours_limit",
    "cancel_cutoff_hours",
]

INSTRUCTION_EVENT_SLUG = f"{DEMO_EVENT_PREFIX}instruktaza-lazergravieris"
INSTRUCTION_ITEM = ("aglona", "Lāzergravieris")
# The instruction was held before the first past booking, so everyone who used the engraver
# had been instructed.
INSTRUCTION_DAYS_AGO = 320
INSTRUCTED = [
    "aktiviste@example.lv",
    "aktivists.aglona@example.lv",
    "lideris.aglona@example.lv",
    "aktivists.preili@example.lv",
    "aktivists.dagda@example.lv",
]
# The kiln's request that waits for the Preiļi manager (vaditajs@).
PENDING_REQUESTER = "aktiviste@example.lv"

PAST_DAYS = 300
UPCOMING_DAYS = 28
SEED = 13
# Each day, three tries per unit to book an item, each taken with this chance.
PAST_PER_ATTEMPT = 0.12
UPCOMING_PER_ATTEMPT = 0.1
# Of the past bookings: this share cancelled by the person, then of the rest this share
# marked as no-shows (each person at most once, so nobody's requests end up waiting).
CANCELLED_SHARE = 0.08
NO_SHOW_SHARE = 0.03
NOTES = [
    "Kopienas iniciatīvas sagatavošanai",
    "Darbnīcai bērniem",
    "Biedrības sanāksmei",
    "Dāvanām pagasta svētkiem",
    "",
    "",
]


def make_bookings(users) -> None:
    """Rules on the seed items of RULES, the engraver's instruction event and who attended,
    then the bookings (only while there are none)."""
    items = _set_rules()
    _make_instruction_event()
    if Booking.objects.exists() or not items:
        return
    people = _people(users)
    if not people:
        return
    rng = random.Random(SEED)
    _make_past_bookings(items, people, rng)
    _make_upcoming_bookings(items, people, rng, users)


def _defaults() -> dict[str, object]:
    return {name: Equipment._meta.get_field(name).get_default() for name in RULE_FIELDS}


def _set_rules() -> list[Equipment]:
    """The items of RULES now bookable (those a coordinator had already changed are left as
    they are, bookable or not); returns every bookable item of RULES."""
    defaults = _defaults()
    bookable = []
    for item in Equipment.objects.select_related("centre").order_by("centre__slug", "order"):
        rules = RULES.get((item.centre.slug, item.name))
        if rules is None:
            continue
        # The seed may already give a count (five computers): that is no one's rule.
        untouched = not item.bookable and all(
            getattr(item, name) == value for name, value in defaults.items() if name != "quantity"
        )
        if untouched:
            changed = {"bookable": True, **rules}
            if item.quantity != 1:
                changed.pop("quantity", None)
            for name, value in changed.items():
                setattr(item, name, value)
            item.save(update_fields=list(changed))
        if item.bookable:
            bookable.append(item)
    return bookable


def _make_instruction_event() -> None:
    """A held instruction on the engraver, some demo people registered and attending; marking
    their attendance records their instruction (events.services.mark_attendance)."""
    if Event.objects.filter(slug=INSTRUCTION_EVENT_SLUG).exists():
        return
    centre_slug, name = INSTRUCTION_ITEM
    engraver = Equipment.objects.filter(centre__slug=centre_slug, name=name).first()
    if engraver is None:
        return
    day = riga_today() - timedelta(days=INSTRUCTION_DAYS_AGO)
    day -= timedelta(days=day.weekday() - 1 if day.weekday() >= 1 else -1)  # a Tuesday
    starts_at = datetime.combine(day, time(13), tzinfo=RIGA)
    event = Event.objects.create(
        slug=INSTRUCTION_EVENT_SLUG,
        title=f"Instruktāža: {name} – {engraver.centre.settlement}",
        kind=Event.Kind.COMMUNITY_TRAINING,
        format=Event.Format.IN_PERSON,
        centre=engraver.centre,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=8,
        registration_mode=Event.RegistrationMode.PLATFORM,
        description=(
            f"Kā droši strādāt ar lāzergravieri: materiāli, iestatījumi, ventilācija. Pēc "
            f"instruktāžas gravieri var rezervēt pats. {DEMO_MARK}"
        ),
    )
    event.instructs.add(engraver)
    people = get_user_model().objects.filter(username__in=INSTRUCTED).order_by("username")
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=person,
            name=person.get_full_name(),
            email=person.email,
            status=Registration.Status.CONFIRMED,
            confirmed_at=starts_at - timedelta(days=5),
            token=f"{INSTRUCTION_EVENT_SLUG}-{person.pk}",
        )
        for person in people
    )
    mark_attendance(registrations=event.registrations.all(), attended=True)


def _people(users) -> list:
    """Who books: the demo activist, every community's activist and leader."""
    User = get_user_model()
    return list(
        User.objects.filter(
            is_staff=False, emailaddress__verified=True, username__endswith="@example.lv"
        )
        .distinct()
        .order_by("username")
    )


def _instructed(item: Equipment) -> set[int]:
    return set(item.instructions.values_list("person_id", flat=True))


def _slot_times(
    calendar: OpeningCalendar, day: date, item: Equipment, rng: random.Random
) -> tuple[datetime, datetime] | None:
    """A random start and end on the item's steps, within one opening interval of `day`."""
    intervals = calendar.intervals_on(day)
    if not intervals:
        return None
    opens, closes = rng.choice(intervals)
    step = item.slot_minutes
    length_open = int((closes - opens).total_seconds() // 60)
    lengths = [
        minutes
        for minutes in range(item.min_minutes, item.max_minutes + 1, step)
        if minutes % step == 0 and minutes <= length_open
    ]
    if not lengths:
        return None
    minutes = rng.choice(lengths)
    offset = rng.randrange(0, length_open - minutes + 1, step)
    # Opening hours are whole hours and half hours: the offset keeps the item's steps.
    starts = (opens + timedelta(minutes=offset)).astimezone(UTC)
    return starts, starts + timedelta(minutes=minutes)


def _free_unit(held: dict[int, list], item: Equipment, starts, blocked_until) -> int | None:
    for unit in range(1, item.quantity + 1):
        if all(not (s < blocked_until and starts < b) for s, b in held.setdefault(unit, [])):
            return unit
    return None


def _make_past_bookings(items, people, rng: random.Random) -> None:
    today = riga_today()
    first = today - timedelta(days=PAST_DAYS)
    no_shows: set[int] = set()
    bookings = []
    managers = {
        centre.pk: centre.managers.order_by("pk").first()
        for centre in ResourceCentre.objects.prefetch_related("managers")
    }
    for item in items:
        calendar = OpeningCalendar.load(item.centre, first, today)
        instructed = _instructed(item)
        bookers = [p for p in people if not item.needs_instruction or p.pk in instructed]
        if not bookers:
            continue
        held: dict[int, list] = {}
        for offset in range(PAST_DAYS, 0, -1):
            day = today - timedelta(days=offset)
            # Five computers are busier than one kiln: about 0.35 bookings a day per unit.
            for _attempt in range(3 * item.quantity):
                if rng.random() >= PAST_PER_ATTEMPT:
                    continue
                times = _slot_times(calendar, day, item, rng)
                if times is None:
                    continue
                starts, ends = times
                blocked_until = ends + timedelta(minutes=item.buffer_minutes)
                unit = _free_unit(held, item, starts, blocked_until)
                if unit is None:
                    continue
                person = rng.choice(bookers)
                booking = Booking(
                    equipment=item,
                    unit=unit,
                    person=person,
                    starts_at=starts,
                    ends_at=ends,
                    blocked_until=blocked_until,
                    status=Booking.Status.CONFIRMED,
                    note=rng.choice(NOTES),
                )
                if item.requires_approval:
                    booking.decided_by = managers.get(item.centre_id)
                    booking.decided_at = starts - timedelta(days=3)
                draw = rng.random()
                if draw < CANCELLED_SHARE:
                    booking.status = Booking.Status.CANCELLED
                    booking.cancelled_by = person
                    booking.cancelled_at = starts - timedelta(days=1)
                else:
                    held[unit].append((starts, blocked_until))
                    if draw < CANCELLED_SHARE + NO_SHOW_SHARE and person.pk not in no_shows:
                        booking.no_show = True
                        no_shows.add(person.pk)
                bookings.append(booking)
    Booking.objects.bulk_create(bookings, batch_size=500)


def _make_upcoming_bookings(items, people, rng: random.Random, users) -> None:
    """The next four weeks through request_booking; every demo person without staff rights in
    DEMO_ACCOUNTS gets at least one, and the kiln one request waiting for approval."""
    today = riga_today()
    now = timezone.now()
    by_key = {(item.centre.slug, item.name): item for item in items}
    # Guaranteed first: the activist's pending kiln request and a booking of the clay workshop.
    activist = users.get(PENDING_REQUESTER)
    if activist is not None:
        for key in [("preili", "Keramikas ceplis"), ("preili", "Darbnīca darbam ar mālu")]:
            if key in by_key:
                _book_first_free(by_key[key], activist, today, now, rng)
    for item in items:
        calendar = OpeningCalendar.load(item.centre, today, today + timedelta(days=UPCOMING_DAYS))
        instructed = _instructed(item)
        bookers = [p for p in people if not item.needs_instruction or p.pk in instructed]
        if not bookers:
            continue
        for offset in range(1, UPCOMING_DAYS + 1):
            day = today + timedelta(days=offset)
            for _attempt in range(3 * item.quantity):
                if rng.random() >= UPCOMING_PER_ATTEMPT:
                    continue
                times = _slot_times(calendar, day, item, rng)
                if times is None:
                    continue
                try:
                    request_booking(
                        request=Request(item, *times, note=rng.choice(NOTES)),
                        person=rng.choice(bookers),
                        now=now,
                    )
                except BookingError:
                    continue  # taken, or the person's weekly hours are used up


def _book_first_free(item, person, today, now, rng) -> Booking | None:
    calendar = OpeningCalendar.load(item.centre, today, today + timedelta(days=UPCOMING_DAYS))
    for offset in range(3, UPCOMING_DAYS + 1):
        times = _slot_times(calendar, today + timedelta(days=offset), item, rng)
        if times is None:
            continue
        try:
            return request_booking(
                request=Request(item, *times, note=f"Kopienas darbnīcai {DEMO_MARK}"),
                person=person,
                now=now,
            )
        except BookingError:
            continue
    return None


def upcoming_bookings_line() -> str | None:
    """The summary's line: how many bookings there are, how many of them in the next four
    weeks, and the page that shows them; None when there are none."""
    active = Booking.objects.filter(status__in=Booking.ACTIVE)
    total = active.count()
    if not total:
        return None
    now = timezone.now()
    coming = active.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=UPCOMING_DAYS))
    return (
        f"  Rezervācijas: {total} ({coming.count()} nākamajās 4 nedēļās); "
        "aktiviste@example.lv savējās redz /mans/, vaditajs@example.lv apstiprina cepli "
        "/admin/resource_centres/booking/"
    )
