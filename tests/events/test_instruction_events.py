"""An instruction event (Event.instructs): people with an account who attended are recorded as
instructed on its items, however attendance is marked (the service, the admin's list, the
event's page, closing the event), and only once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Registration
from resource_centres.booking_models import Instruction
from tests.factories import EventFactory
from tests.resource_centres.admin_support import staff_in
from tests.resource_centres.booking_support import bookable, person


@pytest.fixture
def engraver(db):
    return bookable(name="Lāzergravētājs", needs_instruction=True)


@pytest.fixture
def course(engraver):
    """An instruction at the engraver's centre, begun an hour ago, with two people with an
    account and a guest registered."""
    event = EventFactory(centre=engraver.centre, capacity=10)
    event.instructs.add(engraver)
    anna = person(email="anna@example.lv")
    ben = person(email="ben@example.lv")
    for user in (anna, ben):
        services.register(event=event, user=user)
    services.register(event=event, name="Viesis", email="viesis@example.lv")
    begun = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(starts_at=begun, ends_at=begun + timedelta(minutes=30))
    event.refresh_from_db()
    return event


def _instructed():
    return sorted(
        Instruction.objects.values_list("person__email", "equipment__name", "event__title")
    )


def test_marking_attendance_instructs_the_attending_people_with_accounts(course, engraver):
    attending = course.registrations.exclude(email="ben@example.lv")

    marked = services.mark_attendance(registrations=attending, attended=True)
    again = services.mark_attendance(registrations=attending, attended=True)

    assert (marked, again) == (2, 2)
    assert _instructed() == [("anna@example.lv", "Lāzergravētājs", course.title)]
    assert Instruction.objects.get().instructed_on == timezone.localdate(course.starts_at)


def test_marking_absence_or_an_event_not_begun_instructs_nobody(course, engraver):
    later = EventFactory(centre=engraver.centre, starts_at=timezone.now() + timedelta(days=3))
    later.instructs.add(engraver)
    services.register(event=later, user=person(email="cits@example.lv"))

    services.mark_attendance(registrations=course.registrations.all(), attended=False)
    services.mark_attendance(registrations=later.registrations.all(), attended=True)

    assert _instructed() == []


def test_an_event_without_items_instructs_nobody(course):
    course.instructs.clear()

    services.mark_attendance(registrations=course.registrations.all(), attended=True)

    assert _instructed() == []


def test_closing_the_event_instructs_those_marked_before_the_item_was_linked(course, engraver):
    course.instructs.clear()
    services.mark_attendance(registrations=course.registrations.all(), attended=True)
    course.instructs.add(engraver)

    services.close_event(event=course, attendees_count=3, organisations_count=0)

    assert _instructed() == [
        ("anna@example.lv", "Lāzergravētājs", course.title),
        ("ben@example.lv", "Lāzergravētājs", course.title),
    ]


def test_an_earlier_instruction_is_kept(course, engraver):
    anna = course.registrations.get(email="anna@example.lv").user
    Instruction.objects.create(person=anna, equipment=engraver, instructed_on=date(2025, 1, 9))

    services.mark_attendance(registrations=course.registrations.all(), attended=True)

    assert sorted(Instruction.objects.values_list("person__email", "instructed_on", "event")) == [
        ("anna@example.lv", date(2025, 1, 9), None),
        ("ben@example.lv", timezone.localdate(course.starts_at), course.pk),
    ]


def test_attendance_ticked_in_the_admins_list_instructs(client, course, engraver):
    manager = staff_in("Centru vadītāji", "vaditaja")
    engraver.centre.managers.add(manager)
    client.force_login(manager)
    anna = course.registrations.get(email="anna@example.lv")
    rows = list(course.registrations.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Saglabāt",
    }
    for index, registration in enumerate(rows):
        data[f"form-{index}-id"] = str(registration.pk)
        if registration.pk == anna.pk:
            data[f"form-{index}-attended"] = "on"

    response = client.post(f"/admin/events/registration/?event__id__exact={course.pk}", data)

    assert response.status_code == 302
    assert list(Registration.objects.filter(attended=True).values_list("email", flat=True)) == [
        "anna@example.lv"
    ]
    assert _instructed() == [("anna@example.lv", "Lāzergravētājs", course.title)]


def test_the_event_admin_offers_the_managers_own_bookable_items(client, course, engraver):
    bookable(name="Cits centrs")
    manager = staff_in("Centru vadītāji", "vaditaja")
    engraver.centre.managers.add(manager)
    client.force_login(manager)

    page = client.get(f"/admin/events/event/{course.pk}/change/")

    field = page.context["adminform"].form.fields["instructs"]
    assert (field.label, [item.name for item in field.queryset]) == (
        "Instruktāža šim aprīkojumam",
        ["Lāzergravētājs"],
    )
