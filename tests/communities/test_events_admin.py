"""Staff side of events: attendance, exports, the closing report and the home page figures;
and the /mans/ include with its personal feed form."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import RequestFactory

from communities import selectors, services
from communities.models import Event, Registration
from tests.factories import EventFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Koordinatori"))
    return user


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


def test_coordinator_marks_attendance_in_bulk(client, coordinator, event):
    client.force_login(coordinator)
    ids = list(event.registrations.values_list("pk", flat=True))

    response = client.post(
        "/admin/communities/registration/",
        {"action": "mark_attended", "_selected_action": ids},
    )

    assert response.status_code == 302
    assert list(event.registrations.values_list("attended", flat=True)) == [True, True]


def test_attendee_exports_hold_every_registration(client, coordinator, event):
    client.force_login(coordinator)

    csv_response = client.get(f"/admin/communities/event/{event.pk}/dalibnieki.csv")
    xlsx_response = client.get(f"/admin/communities/event/{event.pk}/dalibnieki.xlsx")

    text = csv_response.content.decode("utf-8-sig")
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
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == expected


def test_signin_sheet_lists_the_confirmed_with_their_school(client, coordinator, event):
    client.force_login(coordinator)
    doc = parse(client.get(f"/admin/communities/event/{event.pk}/parakstu-lapa/").content)
    assert [row.texts("td")[1:3] for row in doc.select(".signin-sheet tbody tr")][:2] == [
        ["Anna Ozola", "=Preiļu 1. pamatskola"],
        ["Jānis Kalns", "Dagdas vidusskola"],
    ]


def test_closed_events_feed_the_home_page_figures(client, latgale, event):
    community_event = EventFactory(kind=Event.Kind.COMMUNITY_EVENT)
    services.close_event(event=event, attendees_count=25, organisations_count=12)
    services.close_event(event=community_event, attendees_count=40, organisations_count=3)

    doc = parse(client.get("/").content)
    figures = dict(
        zip(doc.texts("li.figure .figure-label"), doc.texts("li.figure .figure-value"), strict=True)
    )

    assert (selectors.trainings_held(), selectors.people_reached()) == (1, 65)
    assert figures["dažādas mācību nodarbības kopienām un pedagogiem"] == "1"
    assert figures["latgaliešu iesaistījušies iniciatīvā"] == "ap 65"


def test_my_registrations_include_lists_cancels_and_offers_the_feed(event):
    user = Registration.objects.get(user__isnull=False).user
    request = RequestFactory().get("/mans/")
    request.user = user
    feed = services.renew_calendar_feed(user=user)

    html = render_to_string(
        "communities/includes/my_registrations.html",
        {
            "registrations": selectors.registrations_of(user=user),
            "calendar_feed": feed,
            "SITE_URL": "https://darbigaskopienas.lv",
        },
        request=request,
    )
    empty = render_to_string(
        "communities/includes/my_registrations.html",
        {"registrations": [], "calendar_feed": None},
        request=request,
    )

    doc = parse(html)
    assert doc.texts(".registrations li a") == ["Seminārs"]
    assert [f.get("action") for f in doc.select(".registrations form")] == [
        f"/pasakumi/atteikties/{user.event_registrations.get().pk}/"
    ]
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
