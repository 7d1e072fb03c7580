"""Staff side of events: attendance, exports, the closing report and the home page figures;
and the /mans/ include with its personal feed form."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from events import selectors, services
from events.models import Event, Registration
from tests.factories import EventFactory, UserFactory, with_totp
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    event = EventFactory(title="Seminārs", kind=Event.Kind.TEACHERS_SEMINAR, slug="seminars")
    services.register(
        event=event, name="Anna Ozola", email="anna@example.lv", institution="=Preiļu 1. pamatskola"
    )
    guest = Registration.objects.get()
    services.confirm_guest(registration=guest)
    services.register(
        event=event,
        user=UserFactory(first_name="Jānis", last_name="Kalns"),
        seats=2,
        institution="Dagdas vidusskola",
    )
    return event


def test_coordinator_marks_attendance_in_bulk_once_the_event_has_begun(client, coordinator, event):
    client.force_login(coordinator)
    ids = list(event.registrations.values_list("pk", flat=True))
    mark = {"action": "mark_attended", "_selected_action": ids}

    ahead = client.post("/admin/events/registration/", mark, follow=True)
    attended_ahead = list(event.registrations.values_list("attended", flat=True))
    _move_into_the_past(event)
    response = client.post("/admin/events/registration/", mark, follow=True)

    assert [str(message) for message in ahead.context["messages"]] == [
        "Atzīmēto dalībnieku skaits: 0.",
        "2 pieteikumi netika atzīmēti: pasākums vēl nav sācies.",
    ]
    assert attended_ahead == [False, False]
    assert [str(message) for message in response.context["messages"]] == [
        "Atzīmēto dalībnieku skaits: 2."
    ]
    assert list(event.registrations.values_list("attended", flat=True)) == [True, True]


def test_attendee_exports_hold_every_registration(client, coordinator, event):
    client.force_login(coordinator)

    csv_response = client.get(f"/admin/events/event/{event.pk}/dalibnieki.csv")
    xlsx_response = client.get(f"/admin/events/event/{event.pk}/dalibnieki.xlsx")

    text = csv_response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    start = rows[1][1]
    expected = [
        [
            "Pasākums",
            "Sākums",
            "Vārds, uzvārds",
            "E-pasts",
            "Vietu skaits",
            "Statuss",
            "Izglītības iestāde",
            "Vajadzības",
            "Piekrīt būt fotogrāfijās",
            "Piedalījās",
        ],
        [
            "Seminārs",
            start,
            "Anna Ozola",
            "anna@example.lv",
            "1",
            "Apstiprināts",
            # A leading "=" would be run as a formula by a spreadsheet.
            "'=Preiļu 1. pamatskola",
            "",
            "nē",
            "nē",
        ],
        [
            "Seminārs",
            start,
            "Jānis Kalns",
            event.registrations.last().email,
            "2",
            "Apstiprināts",
            "Dagdas vidusskola",
            "",
            "nē",
            "nē",
        ],
    ]
    assert rows == expected
    assert csv_response["Content-Disposition"] == 'attachment; filename="dalibnieki-seminars.csv"'
    # Both leave as their rows are read or from a file on disk, never whole in memory.
    assert (csv_response.streaming, xlsx_response.streaming) == (True, True)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    # XLSX keeps the text as it was typed, in a text cell: shown, never run as a formula.
    expected[1][6] = "=Preiļu 1. pamatskola"
    assert (cells, sheet["G2"].data_type) == (expected, "s")


def test_signin_sheet_lists_the_confirmed_with_their_school(client, coordinator, event):
    client.force_login(coordinator)
    doc = parse(client.get(f"/admin/events/event/{event.pk}/parakstu-lapa/").content)
    assert [row.texts("td")[1:3] for row in doc.select(".signin-sheet tbody tr")][:2] == [
        ["Anna Ozola", "=Preiļu 1. pamatskola"],
        ["Jānis Kalns", "Dagdas vidusskola"],
    ]


def _move_into_the_past(*events) -> None:
    """Registrations open only ahead of an event; tests that close one move it to yesterday.

    At 15:00 Riga time, so that the admin form's separate date and time fields (one date for
    start and end) describe it at any hour the suite runs, even late in the evening.
    """
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1))
    start = yesterday.replace(hour=15, minute=0, second=0, microsecond=0)
    for event in events:
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=2)
        )
        event.refresh_from_db()


def test_an_event_is_closed_and_attended_only_once_it_has_ended(event):
    ids = list(event.registrations.values_list("pk", flat=True))

    with pytest.raises(ValidationError) as refused:
        services.close_event(event=event, attendees_count=25, organisations_count=12)
    marked_ahead = services.mark_attendance(
        registrations=Registration.objects.filter(pk__in=ids), attended=True
    )
    _move_into_the_past(event)
    marked = services.mark_attendance(
        registrations=Registration.objects.filter(pk__in=ids), attended=True
    )
    services.close_event(event=event, attendees_count=25, organisations_count=12)

    event.refresh_from_db()
    assert (refused.value.messages, marked_ahead, marked, event.attendees_count) == (
        ["Pasākumu var noslēgt tikai pēc tā beigām."],
        0,
        2,
        25,
    )


def test_closed_events_feed_the_home_page_figures(client, latgale, event):
    community_event = EventFactory(kind=Event.Kind.COMMUNITY_EVENT)
    _move_into_the_past(event, community_event)
    services.close_event(event=event, attendees_count=25, organisations_count=12)
    services.close_event(event=community_event, attendees_count=40, organisations_count=3)

    doc = parse(client.get("/").content)
    figures = dict(
        zip(doc.texts("li.figure .figure-label"), doc.texts("li.figure .figure-value"), strict=True)
    )

    assert (selectors.trainings_held(), selectors.people_reached()) == (1, 65)
    assert figures["dažādas mācību nodarbības kopienām un pedagogiem"] == "1"
    # Counted from the records, the figure is exact: "65", not "ap 65".
    assert figures["latgaliešu iesaistījušies iniciatīvā"] == "65"


def test_my_registrations_include_lists_cancels_and_offers_the_feed(event):
    user = Registration.objects.get(user__isnull=False).user
    request = RequestFactory().get("/mans/")
    request.user = user
    assert selectors.calendar_feed_token(user=user).first() is None
    feed = services.renew_calendar_feed(user=user)
    assert selectors.calendar_feed_token(user=user).first() == feed.token

    html = render_to_string(
        "events/includes/my_registrations.html",
        {
            "registrations": selectors.own_registrations(user=user),
            "feed_token": feed.token,
            "SITE_URL": "https://darbigaskopienas.lv",
        },
        request=request,
    )
    empty = render_to_string(
        "events/includes/my_registrations.html",
        {"registrations": selectors.NO_REGISTRATIONS, "feed_token": None},
        request=request,
    )

    doc = parse(html)
    assert doc.texts(".registrations li a") == ["Seminārs", "Atteikties: Seminārs"]
    # Cancelling starts with a page that asks, and comes back here afterwards.
    assert [a.get("href") for a in doc.select(".registrations a.button")] == [
        f"/pasakumi/atteikties/{user.event_registrations.get().pk}/?next=/mans/"
    ]
    assert doc.select(".registrations form") == []
    assert doc.select_one(".feed-url").text == (
        f"https://darbigaskopienas.lv/pasakumi/mans/{feed.token}.ics"
    )
    assert doc.texts("form[action=/pasakumi/mans/kalendars/] button") == [
        "Izveidot jaunu adresi",
        "Atsaukt adresi",
    ]
    assert parse(empty).select_one(".empty").text == (
        "Jūs vēl neesat pieteicies nevienam pasākumam. Apskatiet gaidāmos pasākumus."
    )


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _event_form(**values) -> dict:
    data = {
        "title": "Kopienas talka",
        "slug": "kopienas-talka",
        "kind": Event.Kind.COMMUNITY_EVENT,
        "format": Event.Format.IN_PERSON,
        "description": "Sakopjam parku.",
        "is_published": "on",
        "starts_at_0": "2030-05-04",
        "starts_at_1": "10:00",
        "ends_at_0": "2030-05-04",
        "ends_at_1": "13:00",
        "address": "",
        "registration_mode": Event.RegistrationMode.PLATFORM,
        "capacity": "15",
        "image_alt": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "group_counts-TOTAL_FORMS": "0",
        "group_counts-INITIAL_FORMS": "0",
    }
    data.update(values)
    return data


@pytest.fixture
def manager(db):
    from resource_centres.models import ResourceCentre
    from tests.factories import ResourceCentreFactory

    user = with_totp(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Centru vadītāji"))
    own = ResourceCentreFactory(slug="savs")
    own.managers.add(user)
    ResourceCentreFactory(slug="cits")
    return {"user": user, "own": own, "other": ResourceCentre.objects.get(slug="cits")}


def test_a_centre_manager_adds_an_event_with_a_photo_at_their_own_centre(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager["user"])
    photo = SimpleUploadedFile("Jāņa mājas.jpg", _jpeg(), content_type="image/jpeg")

    refused = client.post("/admin/events/event/add/", _event_form(centre=str(manager["other"].pk)))
    no_alt = client.post(
        "/admin/events/event/add/",
        _event_form(centre=str(manager["own"].pk), image=photo),
    )
    photo.seek(0)
    added = client.post(
        "/admin/events/event/add/",
        _event_form(centre=str(manager["own"].pk), image=photo, image_alt="Talkas dalībnieki"),
    )

    form = client.get("/admin/events/event/add/").context["adminform"].form
    assert list(form.fields["centre"].queryset) == [manager["own"]]
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["centre"]
    assert no_alt.context["adminform"].form.errors == {
        "image_alt": ["Aprakstiet attēlu: to nolasa ekrāna lasītāji."]
    }
    assert added.status_code == 302
    event = Event.objects.get()
    assert (event.centre, event.image_alt, event.sequence) == (
        manager["own"],
        "Talkas dalībnieki",
        0,
    )
    # Re-encoded under a random name, with a thumbnail: the uploader's file name is gone.
    assert event.image.name.startswith("events/photos/")
    assert "Jāņa" not in event.image.name
    assert event.thumbnail.name.startswith("events/thumbs/")
    assert event.image.storage.exists(event.image.name) is True


def test_a_reserved_slug_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/admin/events/event/add/", _event_form(slug="kalendars", address="Parks")
    )
    assert response.context["adminform"].form.errors == {
        "slug": ["Šī adreses daļa ir aizņemta; izvēlieties citu."]
    }


def test_coordinator_cancels_with_a_reason_and_closes_with_a_report(
    client, coordinator, event, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(coordinator)
    url = f"/admin/events/event/{event.pk}/change/"
    ids = list(event.registrations.order_by("pk").values_list("pk", flat=True))
    local = event.starts_at.astimezone(timezone.get_current_timezone())
    base = _event_form(
        title=event.title,
        slug=event.slug,
        kind=event.kind,
        centre=str(event.centre_id),
        starts_at_0=local.date().isoformat(),
        starts_at_1=local.strftime("%H:%M"),
        ends_at_0=(local + timedelta(hours=2)).date().isoformat(),
        ends_at_1=(local + timedelta(hours=2)).strftime("%H:%M"),
        capacity="20",
        **{
            "registrations-TOTAL_FORMS": "2",
            "registrations-INITIAL_FORMS": "2",
            "registrations-0-id": str(ids[0]),
            "registrations-0-event": str(event.pk),
            "registrations-0-attended": "on",
            "registrations-1-id": str(ids[1]),
            "registrations-1-event": str(event.pk),
        },
    )

    missing_reason = client.post(url, {**base, "cancel_event": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(url, {**base, "cancel_event": "on", "cancellation_reason": "Plūdi"})
    closing = {"close_event": "on", "attendees_count": "2", "organisations_count": "2"}
    too_early = client.post(url, {**base, **closing})
    _move_into_the_past(event)
    local = event.starts_at.astimezone(timezone.get_current_timezone())
    base.update(
        starts_at_0=local.date().isoformat(),
        starts_at_1=local.strftime("%H:%M"),
        ends_at_0=(local + timedelta(hours=2)).date().isoformat(),
        ends_at_1=(local + timedelta(hours=2)).strftime("%H:%M"),
    )
    closed = client.post(url, {**base, **closing})

    event.refresh_from_db()
    assert missing_reason.context["adminform"].form.errors == {
        "cancellation_reason": ["Norādiet iemeslu: to saņems visi pieteikušies."]
    }
    assert too_early.context["adminform"].form.errors == {
        "close_event": ["Pasākumu var noslēgt tikai pēc tā beigām."]
    }
    assert (cancelled.status_code, closed.status_code) == (302, 302)
    assert (event.is_cancelled, event.cancellation_reason, event.attendees_count) == (
        True,
        "Plūdi",
        2,
    )
    assert list(event.registrations.order_by("pk").values_list("attended", flat=True)) == [
        True,
        False,
    ]
    assert sorted(m.subject for m in mail.outbox) == ["Pasākums atcelts: Seminārs"] * 2


def test_a_cancelled_events_page_shows_the_reason_read_only(client, coordinator, event):
    services.cancel_event(event=event, reason="Plūdi")
    client.force_login(coordinator)

    response = client.get(f"/admin/events/event/{event.pk}/change/")

    doc = parse(response.content)
    assert response.status_code == 200
    assert doc.select("textarea[name=cancellation_reason]") == []
    assert doc.select("input[name=cancel_event]") == []
    assert "Plūdi" in doc.select_one(".field-cancellation_reason .readonly").text


def test_control_characters_typed_into_a_registration_leave_both_exports_whole(
    client, coordinator, event
):
    Registration.objects.filter(email="anna@example.lv").update(
        name="Anna\x07 Ozola\x1b", needs="Ratiņkrēsls\x0bpie ieejas"
    )
    client.force_login(coordinator)

    csv_response = client.get(f"/admin/events/event/{event.pk}/dalibnieki.csv")
    xlsx_response = client.get(f"/admin/events/event/{event.pk}/dalibnieki.xlsx")

    rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    assert (rows[1][2], rows[1][7], sheet["C2"].value, sheet["H2"].value) == (
        "Anna Ozola",
        "Ratiņkrēslspie ieejas",
        "Anna Ozola",
        "Ratiņkrēslspie ieejas",
    )
