"""The demo bookings (issue 13): the items' rules, the engraver's instruction, a year of bookings
that keep every rule, and a second run that adds nothing. Facts that hold whatever today is."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.formats import riga, riga_today
from devtools.demo.bookings import INSTRUCTION_EVENT_SLUG
from devtools.demo.common import DEMO_PASSWORD
from events.models import Event
from resource_centres.booking_models import Booking, Instruction
from resource_centres.hours import OpeningCalendar
from resource_centres.models import Equipment, ResourceCentre
from tests.html import parse

# centre, item, quantity, slot, min, max, buffer, approval, instruction, weekly hours, cut-off
BOOKABLE = [
    ("aglona", "Adāmmašīna", 1, 60, 60, 180, 0, False, False, None, 2),
    ("aglona", "Lāzergravieris", 1, 30, 30, 180, 15, False, True, 6, 2),
    ("dagda", "Dators", 1, 60, 60, 120, 0, False, False, None, 2),
    ("dagda", "Sanāksmju telpa", 1, 30, 30, 240, 15, True, False, None, 2),
    ("daugavpils", "Telpa iniciatīvu plānošanai", 1, 30, 30, 180, 15, False, False, None, 2),
    ("preili", "Darbnīca darbam ar mālu", 1, 30, 30, 180, 0, False, False, None, 2),
    ("preili", "Keramikas ceplis", 1, 60, 120, 360, 60, True, False, None, 24),
    ("priezmale", "Sanāksmju telpa", 1, 30, 30, 180, 0, False, False, None, 2),
    ("sakstagals", "Sporta laukums", 1, 60, 60, 120, 0, False, False, None, 2),
    ("varkava", "Lapene Vārkavas parkā", 1, 60, 60, 240, 0, False, False, None, 2),
    ("zilupe", "Datori", 5, 60, 60, 120, 0, False, False, None, 2),
]


@pytest.fixture
def demo(latgale, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def _rules():
    return list(
        Equipment.objects.filter(bookable=True)
        .order_by("centre__slug", "name")
        .values_list(
            "centre__slug",
            "name",
            "quantity",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "buffer_minutes",
            "requires_approval",
            "needs_instruction",
            "weekly_hours_limit",
            "cancel_cutoff_hours",
        )
    )


def test_the_seed_items_that_make_sense_are_bookable_with_their_rules(demo):
    assert _rules() == BOOKABLE
    # The meeting grounds, the drying cabinet, the printer and the sound system are not booked.
    assert sorted(Equipment.objects.filter(bookable=False).values_list("centre__slug", "name")) == [
        ("dagda", "Printeris"),
        ("dagda", "Skaņas pastiprināšanas aparatūra"),
        ("ilukste", "Āra sanākšanas vieta"),
        ("nautreni", "Žāvējamais skapis dabas velšu saglabāšanai"),
        ("sakstagals", "Āra sanākšanas vieta (2 ha)"),
        ("varkava", "Centra telpas muižas ēkā"),
    ]


def test_a_coordinators_rules_are_kept(latgale, settings):
    settings.DEBUG = True
    Equipment.objects.filter(centre__slug="aglona", name="Adāmmašīna").update(max_minutes=90)
    Equipment.objects.filter(centre__slug="dagda", name="Printeris").update(bookable=True)

    call_command("demo_data", stdout=io.StringIO())

    knitting = Equipment.objects.get(centre__slug="aglona", name="Adāmmašīna")
    printer = Equipment.objects.get(centre__slug="dagda", name="Printeris")
    assert (knitting.bookable, knitting.max_minutes, knitting.bookings.count()) == (False, 90, 0)
    assert (printer.bookable, printer.slot_minutes, printer.max_minutes) == (True, 30, 240)


def test_the_engraver_instruction_event_instructed_who_attended(demo):
    event = Event.objects.get(slug=INSTRUCTION_EVENT_SLUG)
    engraver = Equipment.objects.get(centre__slug="aglona", name="Lāzergravieris")
    instructed = [
        "aktiviste@example.lv",
        "aktivists.aglona@example.lv",
        "aktivists.dagda@example.lv",
        "aktivists.preili@example.lv",
        "lideris.aglona@example.lv",
    ]

    assert list(event.instructs.all()) == [engraver]
    assert event.starts_at < timezone.now()
    assert (
        sorted(event.registrations.filter(attended=True).values_list("user__username", flat=True))
        == instructed
    )
    assert sorted(
        Instruction.objects.filter(equipment=engraver).values_list(
            "person__username", "event__slug", "instructed_on"
        )
    ) == [(person, INSTRUCTION_EVENT_SLUG, riga(event.starts_at).date()) for person in instructed]
    # Only the instructed book the engraver.
    assert set(engraver.bookings.values_list("person__username", flat=True)) <= set(instructed)
    assert engraver.bookings.exists()


def test_no_unit_is_held_twice_at_once(demo):
    active = Booking.objects.filter(status__in=Booking.ACTIVE).order_by(
        "equipment", "unit", "starts_at"
    )
    previous = None
    for booking in active:
        if previous and (previous.equipment_id, previous.unit) == (
            booking.equipment_id,
            booking.unit,
        ):
            assert previous.blocked_until <= booking.starts_at, (previous, booking)
        previous = booking
    # Five computers are used by several people at once.
    units = set(Booking.objects.filter(equipment__name="Datori").values_list("unit", flat=True))
    assert {1, 2} <= units <= {1, 2, 3, 4, 5}


def test_every_booking_keeps_its_items_rules_and_the_opening_hours(demo):
    today = riga_today()
    calendars = {
        centre.pk: OpeningCalendar.load(
            centre, today - timedelta(days=400), today + timedelta(days=60)
        )
        for centre in ResourceCentre.objects.all()
    }
    bookings = list(Booking.objects.select_related("equipment"))

    assert len(bookings) > 500
    for booking in bookings:
        item = booking.equipment
        minutes = (booking.ends_at - booking.starts_at).total_seconds() / 60
        assert calendars[item.centre_id].is_open(booking.starts_at, booking.ends_at), booking
        assert item.min_minutes <= minutes <= item.max_minutes, booking
        assert riga(booking.starts_at).minute % item.slot_minutes == 0, booking
        assert riga(booking.ends_at).minute % item.slot_minutes == 0, booking
        assert booking.blocked_until == booking.ends_at + timedelta(minutes=item.buffer_minutes)
        assert 1 <= booking.unit <= item.quantity
        if booking.no_show:
            assert (booking.status, booking.starts_at < timezone.now()) == ("confirmed", True)


def test_past_and_coming_bookings_mix_statuses(demo):
    now = timezone.now()
    past = Booking.objects.filter(starts_at__lt=now)
    coming = Booking.objects.filter(starts_at__gte=now)

    assert past.filter(starts_at__lt=now - timedelta(days=270)).exists()
    assert not past.filter(starts_at__lt=now - timedelta(days=310)).exists()
    assert {"confirmed", "cancelled"} == set(past.values_list("status", flat=True))
    assert past.filter(no_show=True).exists()
    assert past.filter(status="confirmed").count() > 10 * past.filter(status="cancelled").count()
    assert not coming.filter(starts_at__gt=now + timedelta(days=29)).exists()
    assert set(coming.values_list("status", flat=True)) == {"confirmed", "pending"}
    # What waits for approval is only at the items that need it.
    assert set(
        coming.filter(status="pending").values_list("equipment__requires_approval", flat=True)
    ) == {True}
    # Nobody has three no-shows in a season, so nobody's requests wait for that.
    persons = list(Booking.objects.filter(no_show=True).values_list("person", flat=True))
    assert len(persons) == len(set(persons))


def test_the_demo_activist_sees_her_coming_bookings(client, demo):
    """Her kiln request waits for the Preiļi manager; the clay workshop is hers. /mans/ lists
    every coming booking of hers with its state."""
    coming = Booking.objects.filter(
        person__username="aktiviste@example.lv", starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    assert {("Keramikas ceplis", "pending"), ("Darbnīca darbam ar mālu", "confirmed")} <= set(
        coming.values_list("equipment__name", "status")
    )

    client.login(username="aktiviste@example.lv", password=DEMO_PASSWORD)
    doc = parse(client.get("/mans/").content)

    upcoming = doc.select(".my-bookings ul.bookings")[0]
    assert upcoming.texts(".booking-status") == [booking.get_status_display() for booking in coming]


def test_the_preili_manager_has_kiln_requests_to_approve(demo):
    """The kiln's pending requests wait for the Preiļi centre's manager."""
    pending = Booking.objects.filter(status="pending", starts_at__gte=timezone.now())
    assert set(pending.values_list("equipment__name", "equipment__centre__slug")) == {
        ("Keramikas ceplis", "preili"),
        ("Sanāksmju telpa", "dagda"),
    }
    kiln = pending.filter(equipment__name="Keramikas ceplis")
    assert set(kiln.values_list("equipment__centre__managers__username", flat=True)) == {
        "vaditajs@example.lv"
    }


def test_the_summary_counts_the_bookings(demo):
    now = timezone.now()
    active = Booking.objects.filter(status__in=Booking.ACTIVE)
    coming = active.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=28))

    assert (
        f"  Rezervācijas: {active.count()} ({coming.count()} nākamajās 4 nedēļās); "
        "aktiviste@example.lv savējās redz /mans/, vaditajs@example.lv apstiprina cepli "
        "/admin/resource_centres/booking/"
    ) in demo.splitlines()


def test_a_second_run_adds_no_bookings(demo):
    bookings = list(Booking.objects.values_list("pk", "status", "updated_at"))
    instructions = list(Instruction.objects.values_list("pk", flat=True))
    rules = _rules()

    call_command("demo_data", stdout=io.StringIO())

    assert list(Booking.objects.values_list("pk", "status", "updated_at")) == bookings
    assert list(Instruction.objects.values_list("pk", flat=True)) == instructions
    assert _rules() == rules
    assert Event.objects.filter(slug=INSTRUCTION_EVENT_SLUG).count() == 1
