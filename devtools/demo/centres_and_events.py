"""Sample details for the real centres (hours, contacts, photos) and the demo events: upcoming
ones at every centre and the initiative's record of the trainings and community events held."""

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from communities.models import Community, TargetGroup
from core.formats import riga_today
from events.models import Event, EventGroupCount
from resource_centres.models import ResourceCentre
from resource_centres.services import add_centre_photo, set_opening_exception, set_weekly_hours

from .common import DEMO_MARK

# The notes below the hours carry the mark for them: the rows themselves have no room for it.
OPENING_NOTES = f"Pirms apmeklējuma lūdzam piezvanīt. {DEMO_MARK}"
WORKDAYS = range(5)
# Three kinds of week, in turn: a lunch break, long days with a Saturday morning, afternoons
# and evenings for working people. Sunday is closed everywhere.
WEEKS = [
    [
        *((day, time(9), time(12)) for day in WORKDAYS),
        *((day, time(13), time(17)) for day in WORKDAYS),
    ],
    [*((day, time(10), time(18)) for day in WORKDAYS), (5, time(10), time(14))],
    [*((day, time(12), time(20)) for day in range(1, 5)), (5, time(10), time(14))],
]
# Latvia's public holidays of fixed date (month, day, reason, short day's hours or None = closed).
HOLIDAYS = [
    (1, 1, "Jaungada diena", None),
    (5, 1, "Darba svētki", None),
    (5, 4, "Latvijas Republikas Neatkarības atjaunošanas diena", None),
    (6, 23, "Līgo diena", None),
    (6, 24, "Jāņu diena", None),
    (11, 18, "Latvijas Republikas proklamēšanas diena", None),
    (12, 24, "Ziemassvētku vakars", None),
    (12, 25, "Ziemassvētki", None),
    (12, 26, "Otrie Ziemassvētki", None),
    (12, 31, "Vecgada vakars", (time(10), time(14))),
]
# Holidays this many days ahead get their exceptions.
HOLIDAYS_AHEAD = timedelta(days=200)
# Only a marked note, never the yes/no accessibility answers: the page shows those as plain
# "ir"/"nav" with no room for a mark, and a made-up "step-free entrance: yes" could send a
# wheelchair user to a centre they cannot enter. Unanswered, they read "nav zināms".
ACCESSIBILITY_NOTES = (
    f"Šeit centrs aprakstīs piekļūstamību: ieeju, tualeti, autostāvvietu. {DEMO_MARK}"
)
PHOTO_CENTRES = ["preili", "aglona", "dagda", "sakstagals"]
PALETTES = [("#1f6f50", "#8fd1b0"), ("#b3471d", "#f2c6a0"), ("#14503a", "#d9e8c4")]

DEMO_EVENT_PREFIX = "parauga-"
UPCOMING_EVENTS = [
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām: kā uzrakstīt mazās iniciatīvas ideju"),
    (Event.Kind.COMMUNITY_EVENT, "Kopienas vakars"),
]
HELD_TRAININGS = 95
HELD_COMMUNITY_EVENTS = 50
HELD_TRAINING_KINDS = [
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām"),
    (Event.Kind.TEACHERS_SEMINAR, "Seminārs pedagogiem"),
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām"),
    (Event.Kind.LEADERS_SCHOOL, "Līderu skola"),
]
# Trainings gather 12–32 people each; the community events held share COMMUNITY_EVENT_PEOPLE.
# With the people the published initiatives reached (`initiatives`), the brochure's "about
# 6,000 people" (the figure counts both).
COMMUNITY_EVENT_PEOPLE = 850


def _sample_photo(seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 800), rng.randint(40, 180)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=dark if rng.random() < 0.5 else "#ffffff")
    draw.rectangle([0, 640, 1200, 800], fill="#1d2a2f")
    font = ImageFont.load_default(size=48)
    # The bundled font lacks Latvian letters, so the mark on the picture avoids them.
    draw.text((40, 670), "PARAUGA FOTO", fill="#ffffff", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"parauga-{seed}.jpg", buffer.getvalue(), "image/jpeg")


def _coming_holidays() -> list[tuple[date, str, tuple[time, time] | None]]:
    today = riga_today()
    return [
        (day, reason, hours)
        for year in (today.year, today.year + 1)
        for month, number, reason, hours in HOLIDAYS
        if today <= (day := date(year, month, number)) <= today + HOLIDAYS_AHEAD
    ]


def fill_in_centres() -> None:
    """Sample weekly hours and holidays, marked notes on the hours, contacts and accessibility
    notes where a centre has none yet (never over what a coordinator filled in), and two sample
    photos for the centres of PHOTO_CENTRES."""
    for index, centre in enumerate(ResourceCentre.objects.order_by("slug")):
        changed = []
        if not centre.opening_hours:
            centre.opening_hours = OPENING_NOTES
            changed.append("opening_hours")
        if not centre.weekly_hours.exists():
            set_weekly_hours(centre=centre, rows=WEEKS[index % len(WEEKS)])
        if not centre.opening_exceptions.exists():
            for day, reason, hours in _coming_holidays():
                opens, closes = hours or (None, None)
                set_opening_exception(
                    centre=centre, day=day, opens=opens, closes=closes, reason=reason
                )
        if not centre.contact_person:
            centre.contact_person = f"Parauga kontaktpersona {DEMO_MARK}"
            centre.phone = f"+371 6000 00{index:02d}"
            centre.email = f"{centre.slug}@example.lv"
            changed += ["contact_person", "phone", "email"]
        if not centre.accessibility_notes:
            centre.accessibility_notes = ACCESSIBILITY_NOTES
            changed.append("accessibility_notes")
        if changed:
            centre.save()
        if centre.slug in PHOTO_CENTRES and not centre.photos.exists():
            for number in range(2):
                add_centre_photo(
                    centre=centre,
                    upload=_sample_photo(index * 10 + number),
                    alt_text="Parauga attēls: krāsaini apļi ar uzrakstu „PARAUGA FOTO”",
                    caption=f"Parauga attēls {DEMO_MARK}",
                    order=number,
                )


def make_events() -> None:
    """Upcoming events at every centre and the initiative's record of held trainings.

    The record reproduces the brochure: 95 training sessions for communities and teachers;
    with the community events held and the published initiatives, about 6,000 people reached;
    the figures are computed from these rows. Bulk inserts keep `make run` quick.
    """
    if Event.objects.filter(slug__startswith=DEMO_EVENT_PREFIX).exists():
        return
    centres = list(ResourceCentre.objects.order_by("slug"))
    communities = {c.resource_centre_id: c for c in Community.objects.all()}
    groups = list(TargetGroup.objects.order_by("order", "pk"))
    now = timezone.localtime()
    events = []
    for index, centre in enumerate(centres):
        for number, (kind, title) in enumerate(UPCOMING_EVENTS):
            day = (now + timedelta(days=7 + index * 3 + number * 11)).replace(
                hour=17 if number else 11, minute=0, second=0, microsecond=0
            )
            events.append(
                _demo_event(
                    slug=f"{DEMO_EVENT_PREFIX}{centre.slug}-{number + 1}",
                    title=f"{title} – {centre.settlement}",
                    kind=kind,
                    centre=centre,
                    community=communities.get(centre.pk),
                    starts_at=day,
                    capacity=12 + 4 * number,
                )
            )
    held = []
    for number in range(HELD_TRAININGS + HELD_COMMUNITY_EVENTS):
        centre = centres[number % len(centres)] if centres else None
        training = number < HELD_TRAININGS
        kind, title = (
            HELD_TRAINING_KINDS[number % len(HELD_TRAINING_KINDS)]
            if training
            else (Event.Kind.COMMUNITY_EVENT, "Kopienas svētki")
        )
        # From spring 2019 on, about three weeks apart.
        day = timezone.make_aware(datetime(2019, 4, 6, 11)) + timedelta(days=number * 19)
        event = _demo_event(
            slug=f"{DEMO_EVENT_PREFIX}notikusi-{number + 1:03d}",
            title=f"{title} – {centre.settlement if centre else 'Latgale'}",
            kind=kind,
            centre=centre,
            community=communities.get(centre.pk) if centre else None,
            starts_at=day,
            capacity=80,
        )
        event.attendees_count = _attendance(number, training=training)
        event.organisations_count = 2 + number % 6
        event.closed_at = day + timedelta(days=1)
        event.report = f"Pasākums notika, kā plānots. {DEMO_MARK}"
        held.append(event)
    for event in events + held:
        # bulk_create bypasses save(), so the folded copy is made here the same way.
        event.fold_text_fields()
    Event.objects.bulk_create(events + held, batch_size=500)
    if groups:
        EventGroupCount.objects.bulk_create(
            EventGroupCount(
                event=event,
                target_group=groups[number % len(groups)],
                count=event.attendees_count // 3,
            )
            for number, event in enumerate(held)
        )


def _attendance(number: int, *, training: bool) -> int:
    if training:
        return 12 + (number * 7) % 21
    share, rest = divmod(COMMUNITY_EVENT_PEOPLE, HELD_COMMUNITY_EVENTS)
    return share + (1 if number - HELD_TRAININGS < rest else 0)


def _demo_event(*, slug, title, kind, centre, community, starts_at, capacity) -> Event:
    return Event(
        slug=slug,
        title=title,
        kind=kind,
        format=Event.Format.IN_PERSON,
        centre=centre,
        community=community,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        capacity=capacity,
        registration_mode=Event.RegistrationMode.PLATFORM,
        description=(
            "Praktiska nodarbība: iepazīstamies, dalāmies pieredzē un kopā plānojam nākamos "
            f"soļus savai kopienai. {DEMO_MARK}"
        ),
    )
