"""The public booking pages: an item's week (the table and the request form), one's own
booking with its cancellation, the bookings on /mans/ and on the centre's page.

The pages run on the real clock (there is no fake time here), so the tests book in the week
after the current one: always wholly ahead, and within the items' 60-day horizon."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache

from core.formats import RIGA, latvian_date, riga_today
from resource_centres import booking_services as bookings
from resource_centres.booking_models import Booking, Instruction, Maintenance
from resource_centres.booking_selectors import monday_of
from tests.factories import EquipmentFactory, ResourceCentreFactory, UserFactory
from tests.html import parse
from tests.resource_centres.booking_support import bookable, person

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10
DAYS_LV = ["pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena"]
DAYS_LV += ["svētdiena"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The forms' tokens live in the cache; each test starts with none.
    cache.clear()


def next_monday() -> date:
    return monday_of(riga_today()) + timedelta(days=7)


def at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split("."))
    return datetime.combine(day, time(hours, minutes), tzinfo=RIGA)


def week_url(item, monday: date | None = None, prefix: str = "") -> str:
    path = f"{prefix}/centri/{item.centre.slug}/rezervet/{item.pk}/"
    return f"{path}?nedela={monday.isoformat()}" if monday else path


def book(item, who, day: date, start: str, end: str, note: str = "") -> Booking:
    return bookings.request_booking(
        request=bookings.Request(item, at(day, start), at(day, end), note), person=who
    )


def table(response) -> list[list[str]]:
    doc = parse(response.content)
    return [
        [cell.text for cell in row.select("th") + row.select("td")]
        for row in doc.select("table.week-table tr")
    ]


def errors(response) -> list[str]:
    return parse(response.content).texts("#kludas li")


def form_data(day: date, starts="10:00", ends="11:00", **extra) -> dict:
    return {
        "day": day.isoformat(),
        "starts": starts,
        "ends": ends,
        "note": "",
        "token": extra.pop("token", "6f1c7c38-3c0e-4c38-9a53-5a4f5e0e0a01"),
        **extra,
    }


def typed(response) -> dict:
    """What the form shows back: each field's value as the person typed it."""
    doc = parse(response.content)
    form = doc.select_one("form.booking-form")
    values = {field.get("name"): field.get("value") for field in form.select("input")}
    values["note"] = form.select_one("textarea").text
    values.pop("csrfmiddlewaretoken")
    return values


# --- The week -----------------------------------------------------------------------------------


def _week_with_a_booking_and_maintenance():
    """An hourly item at a centre open P.-Pk. 9-12 and 13-17, S. 10-14: next week taken on
    Tuesday 10-11 and closed for maintenance on Wednesday 9-12."""
    item = bookable(name="Keramikas krāsns", slot_minutes=60, min_minutes=60)
    monday = next_monday()
    book(item, person(), monday + timedelta(days=1), "10.00", "11.00")
    Maintenance.objects.create(
        equipment=item,
        starts_at=at(monday + timedelta(days=2), "9.00"),
        ends_at=at(monday + timedelta(days=2), "12.00"),
        reason="Apkope",
    )
    return item, monday


def _expected_week(monday, *, days, free, taken, maintenance, closed, clock) -> list[list[str]]:
    def cell(row: str, column: int) -> str:
        day = monday + timedelta(days=column)
        weekday, hour = column, int(row[:2])
        if weekday == 6 or (weekday == 5 and not 10 <= hour < 14) or (weekday < 5 and hour == 12):
            return closed
        if weekday == 1 and hour == 10:
            return taken
        if weekday == 2 and hour < 12:
            return maintenance
        return f"{free}: {days[weekday]} {clock(hour)}"

    rows = [f"{hour:02d}" for hour in (9, 10, 11, 12, 13, 14, 15, 16)]
    return [[clock(int(row)), *(cell(row, column) for column in range(7))] for row in rows]


def test_the_week_table_in_latvian(client):
    item, monday = _week_with_a_booking_and_maintenance()

    response = client.get(week_url(item, monday))

    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.select_one("table.week-table caption").text == (
        f"Brīvie un aizņemtie laiki: {latvian_date(monday)} – "
        f"{latvian_date(monday + timedelta(days=6))}"
    )
    header = ["Laiks"] + [
        f"{DAYS_LV[offset]} {(monday + timedelta(days=offset)):%d.%m.}" for offset in range(7)
    ]
    rows = _expected_week(
        monday,
        days=DAYS_LV,
        free="Brīvs",
        taken="Aizņemts",
        maintenance="Apkope",
        closed="Slēgts",
        clock=lambda hour: f"{hour:02d}.00",
    )
    assert table(response) == [header, *rows]
    # The table scrolls sideways inside a labelled region that the keyboard can reach.
    region = doc.select_one("div.table-scroll")
    assert (region.get("role"), region.get("tabindex"), region.get("aria-labelledby")) == (
        "region",
        "0",
        "nedela",
    )
    # A free cell chooses its time in the form below.
    first_free = doc.select("table.week-table td a")[0]
    assert first_free.get("href") == (
        f"?nedela={monday.isoformat()}&diena={monday.isoformat()}&sakums=09:00#pieteikums"
    )


def test_the_week_table_in_english(client):
    item, monday = _week_with_a_booking_and_maintenance()

    response = client.get(week_url(item, monday, prefix="/en"))

    header = ["Time"] + [
        f"{DAYS_EN[offset]} {(monday + timedelta(days=offset)).day} "
        f"{(monday + timedelta(days=offset)):%b}"
        for offset in range(7)
    ]
    rows = _expected_week(
        monday,
        days=DAYS_EN,
        free="Free",
        taken="Taken",
        maintenance="Maintenance",
        closed="Closed",
        clock=lambda hour: f"{hour:02d}:00",
    )
    assert table(response) == [header, *rows]


def test_units_free_are_counted_in_words(client):
    item = bookable(name="Dators", quantity=3, slot_minutes=60, min_minutes=60)
    monday = next_monday()
    book(item, person(), monday, "9.00", "10.00")

    rows = table(client.get(week_url(item, monday)))

    assert rows[1][:3] == ["09.00", "Brīvi 2 no 3: pirmdiena 09.00", "Brīvi 3 no 3: otrdiena 09.00"]


def test_week_links_go_from_this_week_to_the_last_within_the_horizon(client):
    item = bookable(horizon_days=7)
    this_monday = monday_of(riga_today())

    def links(url):
        doc = parse(client.get(url).content)
        return [(a.get("rel"), a.get("href")) for a in doc.select("nav.week-nav a")]

    assert links(week_url(item)) == [("next", f"?nedela={next_monday().isoformat()}")]
    assert links(week_url(item, next_monday())) == [("prev", f"?nedela={this_monday.isoformat()}")]


@pytest.mark.parametrize(
    "week", ["abc", "2020-01-06", "9999-12-31", "2026-02-30", "-1", "0001-01-01", " "]
)
def test_a_week_that_cannot_be_shown_shows_this_week_with_a_note(client, week):
    item = bookable()

    response = client.get(week_url(item) + f"?nedela={week}")

    doc = parse(response.content)
    assert response.status_code == 200
    assert doc.texts("ul.messages li") == ["Šādu nedēļu nevar parādīt, tāpēc rādām šo nedēļu."]
    this_monday = monday_of(riga_today())
    assert doc.select_one("table.week-table caption").text == (
        f"Brīvie un aizņemtie laiki: {latvian_date(this_monday)} – "
        f"{latvian_date(this_monday + timedelta(days=6))}"
    )


def test_a_day_in_the_middle_of_a_week_shows_its_week(client):
    item = bookable()
    wednesday = next_monday() + timedelta(days=2)

    doc = parse(client.get(week_url(item) + f"?nedela={wednesday.isoformat()}").content)

    assert doc.texts("ul.messages li") == []
    assert doc.texts("table.week-table thead th")[1] == f"pirmdiena {next_monday():%d.%m.}"


def test_unknown_other_centres_and_unbookable_items_are_not_found(client):
    item = bookable()
    other_centre = ResourceCentreFactory(slug="cits-centrs")
    not_bookable = EquipmentFactory(centre=item.centre, bookable=False)
    hidden = bookable(centre=ResourceCentreFactory(slug="slepts", is_published=False))

    answers = [
        client.get(path).status_code
        for path in (
            f"/centri/{item.centre.slug}/rezervet/{item.pk + 1000}/",
            f"/centri/{other_centre.slug}/rezervet/{item.pk}/",
            f"/centri/{item.centre.slug}/rezervet/{not_bookable.pk}/",
            f"/centri/slepts/rezervet/{hidden.pk}/",
            f"/centri/{item.centre.slug}/rezervet/abc/",
            f"/centri/{item.centre.slug}/rezervet/99999999999999999999/",
        )
    ]

    assert answers == [404] * 6
    # A POST to an item that is not there saves nothing either.
    client.force_login(person())
    response = client.post(
        f"/centri/{other_centre.slug}/rezervet/{item.pk}/", form_data(next_monday())
    )
    assert (response.status_code, Booking.objects.count()) == (404, 0)


# --- Who may request ----------------------------------------------------------------------------


def _form_section(response) -> tuple[str, int]:
    doc = parse(response.content)
    section = doc.select_one("section#pieteikums")
    return section.select("p")[0].text, len(section.select("form.booking-form"))


def test_anonymous_people_are_asked_to_sign_in_and_come_back(client):
    item = bookable()
    url = week_url(item, next_monday())

    response = client.get(url)

    assert _form_section(response) == ("Lai rezervētu, pieslēdzieties savā kontā.", 0)
    link = parse(response.content).select_one("section#pieteikums a").get("href")
    assert (
        link
        == f"/konts/login/?next=/centri/{item.centre.slug}/rezervet/{item.pk}/%3Fnedela%3D{next_monday().isoformat()}"
    )
    # A POST without an account books nothing and leads to the sign-in.
    response = client.post(week_url(item), form_data(next_monday()))
    assert (response.status_code, response["Location"], Booking.objects.count()) == (
        302,
        f"/konts/login/?next=/centri/{item.centre.slug}/rezervet/{item.pk}/",
        0,
    )


def test_a_person_without_a_confirmed_address_is_told_to_confirm_it(client):
    item = bookable()
    client.force_login(UserFactory())

    response = client.get(week_url(item))

    assert _form_section(response) == (
        "Rezervēt var pēc e-pasta adreses apstiprināšanas. Apstipriniet savu e-pasta adresi.",
        0,
    )
    response = client.post(week_url(item), form_data(next_monday()))
    assert errors(response) == ["Rezervēt var pēc e-pasta adreses apstiprināšanas."]
    assert Booking.objects.count() == 0


def test_an_item_that_needs_instruction_says_so_and_only_instructed_people_get_the_form(client):
    item = bookable(name="Lāzergravētājs", needs_instruction=True)
    item.centre.phone = "+371 26 000 000"
    item.centre.save()
    anna, juris = person(), person()
    Instruction.objects.create(person=juris, equipment=item, instructed_on=riga_today())

    client.force_login(anna)
    response = client.get(week_url(item))
    doc = parse(response.content)
    assert doc.select_one("p.notice[role=note]").text == (
        "Šo aprīkojumu var rezervēt tikai pēc instruktāžas centrā. Par instruktāžu jautājiet "
        "centra vadītājam."
    )
    assert _form_section(response) == (
        "Jums vēl nav atzīmēta instruktāža, tāpēc „Lāzergravētājs” rezervēt nevarat. "
        "Piesakieties instruktāžai centrā vai sazinieties ar centra vadītāju. "
        "Tālrunis: +371 26 000 000",
        0,
    )
    response = client.post(week_url(item), form_data(next_monday()))
    assert errors(response) == [
        "„Lāzergravētājs” var rezervēt tikai pēc instruktāžas. Piesakieties instruktāžai "
        "centrā vai sazinieties ar centra vadītāju."
    ]

    client.force_login(juris)
    assert _form_section(client.get(week_url(item)))[1] == 1


def test_a_chosen_cell_fills_the_form_in(client):
    item = bookable(min_minutes=90, max_minutes=240)
    client.force_login(person())
    day = next_monday() + timedelta(days=1)

    response = client.get(week_url(item) + f"?nedela={next_monday()}&diena={day}&sakums=10:00")

    values = typed(response)
    assert (values["day"], values["starts"], values["ends"], values["repeat"]) == (
        day.isoformat(),
        "10:00",
        "11:30",
        None,
    )
    assert len(values["token"]) == 36
    # An edited link fills nothing in and is no error.
    response = client.get(week_url(item) + "?diena=vakar&sakums=25:00")
    values = typed(response)
    assert (response.status_code, values["day"], values["starts"]) == (200, None, None)
