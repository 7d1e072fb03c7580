"""The public booking pages: an item's week (the table and the request form), one's own
booking with its cancellation, the bookings on /mans/ and on the centre's page.

The pages run on the real clock (there is no fake time here), so the tests book in the week
after the current one: always wholly ahead, and within the items' 60-day horizon."""

from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from core.formats import RIGA, latvian_date, riga_datetime_in, riga_period, riga_today
from resource_centres import booking_services as bookings
from resource_centres.booking_models import Booking, Instruction, Maintenance
from resource_centres.booking_selectors import monday_of
from resource_centres.hours import OpeningCalendar, open_now
from resource_centres.models import WeeklyHours
from tests.factories import EquipmentFactory, ResourceCentreFactory, UserFactory
from tests.html import parse
from tests.resource_centres.booking_support import bookable, confirmed_hour, person

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


# --- The week -------------------------------------------------------------------------------------


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


# --- Who may request ------------------------------------------------------------------------------


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
    path = f"/centri/{item.centre.slug}/rezervet/{item.pk}/"
    assert link == f"/konts/login/?next={path}%3Fnedela%3D{next_monday().isoformat()}"
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


# --- Requests: bad input --------------------------------------------------------------------------


def _refused_post(client, item, data, *, status=400, unreadable=()):
    """POST `data`: refused with `status`, nothing saved, everything typed shown back but for
    the `unreadable` date or time, which its input shows empty, as a browser's would."""
    response = client.post(week_url(item), data)
    assert response.status_code == status
    assert Booking.objects.count() == 0
    shown = typed(response)
    keys = ("day", "starts", "ends", "note", "token")
    assert {key: shown[key] for key in keys} == {
        key: None if key in unreadable else data[key] for key in keys
    }
    return errors(response)


@pytest.mark.parametrize(
    ("rules", "day", "starts", "ends", "message"),
    [
        ({}, 0, "11:00", "10:00", "Beigām jābūt vēlāk par sākumu."),
        ({}, 0, "10:00", "10:00", "Beigām jābūt vēlāk par sākumu."),
        ({}, -8, "10:00", "11:00", "Šis laiks jau ir pagājis."),
        ({}, 100, "10:00", "11:00", "Rezervēt var ne vairāk kā 60 dienas uz priekšu."),
        (
            {},
            0,
            "10:15",
            "11:00",
            "Sākumam un beigām jābūt pa 30 minūtēm (piemēram, 10.00 vai 10.30).",
        ),
        ({"min_minutes": 60}, 0, "10:00", "10:30", "Īsākā rezervācija ir 60 minūtes."),
        ({"max_minutes": 120}, 0, "13:00", "16:00", "Garākā rezervācija ir 120 minūtes."),
        ({}, 6, "10:00", "11:00", "Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
        ({}, 0, "11:30", "13:30", "Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
        (
            {"weekly_hours_limit": 1},
            0,
            "10:00",
            "12:00",
            "Vienam cilvēkam „Lāzergravētājs” var rezervēt ne vairāk kā 1 stundu nedēļā.",
        ),
    ],
)
def test_each_refusal_of_the_rules_is_shown_in_latvian_keeping_what_was_typed(
    client, rules, day, starts, ends, message
):
    item = bookable(**rules)
    client.force_login(person())
    when = next_monday() + timedelta(days=day) if day >= 0 else riga_today() + timedelta(days=day)
    data = form_data(when, starts, ends, note="Koka zīmes talkai")

    assert _refused_post(client, item, data) == [message]


def test_maintenance_and_a_taken_time_are_refused_in_words(client):
    item = bookable(name="Lāzergravētājs")
    monday = next_monday()
    Maintenance.objects.create(
        equipment=item,
        starts_at=at(monday, "9.00"),
        ends_at=at(monday, "12.00"),
        reason="Lāzera tīrīšana",
    )
    client.force_login(person())
    assert _refused_post(client, item, form_data(monday, "10:00", "11:00")) == [
        "Šajā laikā „Lāzergravētājs” ir slēgts apkopei: Lāzera tīrīšana."
    ]
    Maintenance.objects.all().delete()
    book(item, person(), monday, "10.00", "11.00")
    Booking.objects.all().update(person=UserFactory())  # someone else's
    before = Booking.objects.count()
    response = client.post(week_url(item), form_data(monday, "10:30", "11:30"))
    assert (response.status_code, errors(response), Booking.objects.count()) == (
        400,
        ["Šis laiks jau ir aizņemts. Izvēlieties citu laiku."],
        before,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "abc", "Datums: Ievadiet datumu, piemēram, 2026-03-24."),
        ("day", "2026-02-30", "Datums: Ievadiet datumu, piemēram, 2026-03-24."),
        ("day", "0001-01-01", "Datums: Ievadiet datumu, piemēram, 2026-03-24."),
        ("day", "9999-12-31", "Datums: Ievadiet datumu, piemēram, 2026-03-24."),
        ("day", "", "Datums: Šis lauks ir obligāts."),
        ("starts", "25:99", "Sākums: Ievadiet laiku, piemēram, 10.00."),
        ("starts", "desmitos", "Sākums: Ievadiet laiku, piemēram, 10.00."),
        ("ends", "12", "Beigas: Ievadiet laiku, piemēram, 12.00."),
        (
            "note",
            "ā" * 301,
            "Kam izmantosiet (nav obligāti): Pārliecinieties, ka vērtībā ir ne vairāk kā 300 "
            "rakstzīmes (tajā ir 301).",
        ),
        (
            "weeks",
            "13",
            "Cik nedēļas pēc kārtas: Izvēlieties derīgu vērtību. 13 nav starp pieejamajām.",
        ),
        (
            "weeks",
            "divas",
            "Cik nedēļas pēc kārtas: Izvēlieties derīgu vērtību. divas nav starp pieejamajām.",
        ),
    ],
)
def test_wrong_types_and_lengths_are_field_errors_keeping_what_was_typed(
    client, field, value, message
):
    item = bookable()
    client.force_login(person())
    data = form_data(next_monday(), repeat="on", weeks="4") | {field: value}
    # A date or time input can hold only a real date or time (HTML forbids any other value).
    unreadable = (
        [field] if field in ("starts", "ends") or value in ("abc", "2026-02-30", "") else []
    )

    assert _refused_post(client, item, data, unreadable=unreadable) == [message]


def test_a_form_without_its_token_is_refused_and_can_be_sent_again(client):
    item = bookable()
    client.force_login(person())
    data = form_data(next_monday())
    del data["token"]

    response = client.post(week_url(item), data)

    assert (response.status_code, errors(response), Booking.objects.count()) == (
        400,
        ["Veidlapa bija novecojusi: pārbaudiet datus un nosūtiet vēlreiz."],
        0,
    )
    again = {name: value for name, value in typed(response).items() if value is not None}
    assert client.post(week_url(item), again).status_code == 302
    assert Booking.objects.count() == 1


def test_script_in_the_note_is_text_on_every_page(client):
    item = bookable()
    client.force_login(person())
    note = "<script>alert('x')</script>"

    refused = client.post(week_url(item), form_data(next_monday(), "11:00", "10:00", note=note))
    assert typed(refused)["note"] == note
    assert b"<script>alert" not in refused.content

    made = client.post(week_url(item), form_data(next_monday(), note=note), follow=True)
    assert b"<script>alert" not in made.content
    assert Booking.objects.get().note == note
    assert dict(_facts(made))["Kam izmantosiet"] == note


# --- Requests: made -------------------------------------------------------------------------------


def _facts(response) -> list[tuple[str, str]]:
    from tests.html import definitions

    return definitions(parse(response.content).select_one("dl.facts"))


def test_a_booking_is_confirmed_and_the_page_redirects_to_it(client):
    item = bookable(name="Lāzergravētājs")
    anna = person(email="anna@example.lv")
    client.force_login(anna)
    monday = next_monday()

    response = client.post(week_url(item), form_data(monday, "10:00", "11:30", note="Zīmes"))

    booking = Booking.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        f"/mans/rezervacijas/{booking.pk}/",
    )
    assert (booking.person, booking.status, booking.note, booking.language) == (
        anna,
        "confirmed",
        "Zīmes",
        "lv",
    )
    assert (booking.starts_at, booking.ends_at) == (at(monday, "10.00"), at(monday, "11.30"))
    page = client.get(response["Location"])
    assert parse(page.content).texts("ul.messages li") == ["Rezervācija apstiprināta."]


def test_a_request_that_needs_approval_says_who_will_confirm_it(client):
    item = bookable(requires_approval=True)
    client.force_login(person())

    response = client.post(week_url(item), form_data(next_monday()), follow=True)

    assert Booking.objects.get().status == "pending"
    assert parse(response.content).texts("ul.messages li") == [
        "Pieprasījums nosūtīts: centra vadītājs to apstiprinās."
    ]


def test_an_english_request_is_booked_in_english(client):
    item = bookable()
    client.force_login(person())

    response = client.post(week_url(item, prefix="/en"), form_data(next_monday()))

    booking = Booking.objects.get()
    assert (response["Location"], booking.language) == (
        f"/en/mans/rezervacijas/{booking.pk}/",
        "en",
    )


def test_a_double_submit_of_one_form_makes_one_booking_even_with_units_free(client):
    item = bookable(quantity=2)
    client.force_login(person())
    data = form_data(next_monday())

    first = client.post(week_url(item), data)
    second = client.post(week_url(item), data)

    booking = Booking.objects.get()
    assert [first["Location"], second["Location"]] == [f"/mans/rezervacijas/{booking.pk}/"] * 2
    page = client.get(second["Location"])
    assert parse(page.content).texts("ul.messages li") == [
        "Rezervācija apstiprināta.",
        "Šis pieprasījums jau ir nosūtīts.",
    ]


def test_a_second_form_for_a_time_now_taken_is_refused_as_taken(client):
    item = bookable()
    client.force_login(person())

    client.post(week_url(item), form_data(next_monday()))
    second = client.post(week_url(item), form_data(next_monday(), token=str(uuid4())))

    assert (second.status_code, errors(second), Booking.objects.count()) == (
        400,
        ["Šis laiks jau ir aizņemts. Izvēlieties citu laiku."],
        1,
    )


def test_a_submit_while_the_same_form_is_being_processed_waits_for_it(client):
    item = bookable(quantity=2)
    who = person()
    client.force_login(who)
    data = form_data(next_monday())
    # The first submit of the form is still inside the service (its token taken, no booking yet).
    cache.add(f"booking-form:{who.pk}:{data['token']}", "in-flight")

    response = client.post(week_url(item), data)

    assert (response.status_code, errors(response), Booking.objects.count()) == (
        409,
        ["Šis pieprasījums jau tiek apstrādāts. Lūdzu, uzgaidiet."],
        0,
    )


# --- Weekly repeats -------------------------------------------------------------------------------


def test_a_series_with_a_taken_date_offers_the_rest_or_none(client):
    item = bookable()
    monday = next_monday()
    book(item, person(), monday + timedelta(days=7), "10.00", "11.00")
    anna = person()
    client.force_login(anna)

    response = client.post(week_url(item), form_data(monday, repeat="on", weeks="3"))

    doc = parse(response.content)
    assert (response.status_code, Booking.objects.filter(person=anna).count()) == (200, 0)
    assert doc.texts("ul.refused li") == [
        f"{latvian_date(monday + timedelta(days=7))}: "
        "Šis laiks jau ir aizņemts. Izvēlieties citu laiku."
    ]
    choice = doc.select_one("form.series-choice")
    assert [button.text for button in choice.select("button")] == ["Rezervēt pārējos datumus"]
    assert choice.select_one("a").text == "Nerezervēt nevienu"
    assert choice.select_one("a").get("href") == week_url(item)
    # "Nerezervēt nevienu": back to the week; nothing was booked.
    back = client.get(choice.select_one("a").get("href"))
    back_doc = parse(back.content)
    assert (back.status_code, back_doc.select_one("h1").text) == (200, f"Rezervēt: {item.name}")
    assert back_doc.texts("ul.refused li") == []
    assert Booking.objects.filter(person=anna).count() == 0

    # "Rezervēt pārējos datumus": the same request again, with the choice.
    rest = {field.get("name"): field.get("value") or "" for field in choice.select("input")}
    response = client.post(week_url(item), rest)

    made = list(Booking.objects.filter(person=anna).order_by("starts_at"))
    assert [booking.starts_at for booking in made] == [
        at(monday, "10.00"),
        at(monday + timedelta(days=14), "10.00"),
    ]
    assert len({booking.series for booking in made}) == 1
    assert response["Location"] == f"/mans/rezervacijas/{made[0].pk}/"
    page = client.get(response["Location"])
    assert parse(page.content).texts("ul.messages li") == [
        f"Nav rezervēts {latvian_date(monday + timedelta(days=7))}: "
        "Šis laiks jau ir aizņemts. Izvēlieties citu laiku.",
        "Rezervācija apstiprināta.",
    ]
    assert len(parse(page.content).select("ul.booking-series li")) == 2


def test_a_series_with_every_date_free_is_booked_at_once(client):
    item = bookable()
    client.force_login(person())

    response = client.post(week_url(item), form_data(next_monday(), repeat="on", weeks="2"))

    assert response.status_code == 302
    assert Booking.objects.count() == 2


def test_a_series_with_no_date_free_is_an_error(client):
    item = bookable()
    monday = next_monday()
    client.force_login(person())

    response = client.post(
        week_url(item), form_data(monday + timedelta(days=6), repeat="on", weeks="2")
    )

    doc = parse(response.content)
    assert (response.status_code, errors(response), Booking.objects.count()) == (
        400,
        ["Neviens no datumiem nav pieejams."],
        0,
    )
    assert len(doc.select("ul.refused li")) == 2
    assert doc.select("form.series-choice") == []


# --- One's own booking ----------------------------------------------------------------------------


def test_the_booking_page_shows_its_owner_the_booking(client):
    item = bookable(name="Lāzergravētājs")
    item.centre.address = "Raiņa iela 1, Preiļi"
    item.centre.save()
    anna = person()
    booking = book(item, anna, next_monday(), "10.00", "11.30", note="Zīmes talkai")
    client.force_login(anna)

    response = client.get(f"/mans/rezervacijas/{booking.pk}/")

    doc = parse(response.content)
    assert doc.select_one("h1").text == "Rezervācija: Lāzergravētājs"
    assert _facts(response) == [
        ("Statuss", "Apstiprināta"),
        ("Kad", riga_period(booking.starts_at, booking.ends_at)),
        ("Aprīkojums vai telpa", "Lāzergravētājs"),
        ("Centrs", f"{item.centre.name}, Raiņa iela 1, Preiļi"),
        ("Kam izmantosiet", "Zīmes talkai"),
    ]
    assert doc.select_one("form.cancel-form button").text == "Atcelt šo rezervāciju"
    assert doc.texts("article > p")[-1] == (
        f"Atcelt var līdz {riga_datetime_in(booking.starts_at - timedelta(hours=2))}."
    )


def test_someone_elses_booking_is_not_found_for_anyone_staff_included(client, manager, preili):
    item = bookable(centre=preili)
    booking = book(item, person(), next_monday(), "10.00", "11.00")
    url = f"/mans/rezervacijas/{booking.pk}/"

    answers = []
    for who in (person(), manager, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(who)
        answers.append((client.get(url).status_code, client.post(url).status_code))
    client.logout()
    anonymous = client.get(url)

    assert answers == [(404, 404)] * 3
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"/konts/login/?next=/mans/rezervacijas/{booking.pk}/",
    )
    assert Booking.objects.get().status == "confirmed"


def test_cancelling_before_the_cut_off(client, django_capture_on_commit_callbacks):
    item = bookable(name="Šujmašīna", cancel_cutoff_hours=24)
    anna = person(email="anna@example.lv")
    # The week after next: next Monday is tomorrow on a Sunday, inside a 24-hour cut-off.
    booking = book(item, anna, next_monday() + timedelta(days=7), "10.00", "11.00")
    client.force_login(anna)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with_message = client.post(f"/mans/rezervacijas/{booking.pk}/", follow=True)

    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", anna)
    doc = parse(with_message.content)
    assert doc.texts("ul.messages li") == ["Rezervācija atcelta."]
    assert dict(_facts(with_message))["Statuss"] == "Atcelta"
    assert doc.select("form.cancel-form") == []
    assert [m.subject for m in mail.outbox] == ["Rezervācija atcelta: Šujmašīna"]
    # A second POST (a double click) changes nothing and says why.
    again = client.post(f"/mans/rezervacijas/{booking.pk}/", follow=True)
    assert parse(again.content).texts("ul.messages li") == [
        "Šī rezervācija jau ir atcelta vai noraidīta."
    ]


def test_after_the_cut_off_the_deadline_and_the_centres_phone_are_shown(client):
    item = bookable(cancel_cutoff_hours=14 * 24)
    item.centre.phone = "+371 65 300 000"
    item.centre.save()
    anna = person()
    booking = book(item, anna, next_monday(), "10.00", "11.00")
    client.force_login(anna)

    page = parse(client.get(f"/mans/rezervacijas/{booking.pk}/").content)
    refused = client.post(f"/mans/rezervacijas/{booking.pk}/", follow=True)

    deadline = riga_datetime_in(booking.starts_at - timedelta(days=14))
    assert page.select("form.cancel-form") == []
    assert page.select_one("p.booking-cutoff").text == (
        f"Atcelšanas termiņš beidzās {deadline}. Ja nevarat ierasties, lūdzu, sazinieties ar "
        "centru. Tālrunis: +371 65 300 000"
    )
    assert parse(refused.content).texts("ul.messages li") == [
        f"Atcelšanas termiņš beidzās {deadline}. Lūdzu, sazinieties ar centru."
    ]
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_declined_request_shows_the_reason(client):
    item = bookable(requires_approval=True)
    anna = person()
    booking = book(item, anna, next_monday(), "10.00", "11.00")
    bookings.decline_booking(booking=booking, actor=UserFactory(), reason="Krāsns remontā.")
    client.force_login(anna)

    response = client.get(f"/mans/rezervacijas/{booking.pk}/")

    facts = dict(_facts(response))
    assert (facts["Statuss"], facts["Iemesls"]) == ("Noraidīta", "Krāsns remontā.")
    assert parse(response.content).select("form.cancel-form") == []


def test_the_booking_page_in_english(client):
    item = bookable(name="Lāzergravētājs")
    anna = person()
    booking = book(item, anna, next_monday(), "10.00", "11.00")
    client.force_login(anna)

    response = client.get(f"/en/mans/rezervacijas/{booking.pk}/")

    doc = parse(response.content)
    assert doc.select_one("h1").text == "Booking: Lāzergravētājs"
    assert [label for label, _value in _facts(response)] == [
        "Status",
        "When",
        "Equipment or room",
        "Centre",
    ]
    assert dict(_facts(response))["Status"] == "Confirmed"
    assert doc.select_one("form.cancel-form button").text == "Cancel this booking"


# --- Query ceilings -------------------------------------------------------------------------------


def _fill_week(item, monday, count: int) -> None:
    """`count` bookings by different people spread over the week's days (30-minute slots)."""
    made = Booking.objects.filter(equipment=item).count()
    slots = [
        (monday + timedelta(days=day), f"{hour}.{minutes:02d}")
        for day in range(5)
        for hour in (9, 10, 11, 13, 14, 15, 16)
        for minutes in (0, 30)
    ]
    for day, start in slots[made : made + count]:
        hours, minutes = (int(part) for part in start.split("."))
        end = (datetime.combine(day, time(hours, minutes)) + timedelta(minutes=30)).strftime(
            "%H.%M"
        )
        who = person()
        Instruction.objects.create(person=who, equipment=item, instructed_on=riga_today())
        book(item, who, day, start, end)


@pytest.mark.parametrize(
    ("signed_in", "queries"),
    [
        # The item with its centre, the weekly hours, the week's exceptions, the bookings, the
        # maintenance closures.
        (False, 5),
        # And the session, the user, whether the address is confirmed, whether instructed.
        (True, 9),
    ],
)
def test_the_week_page_query_count_does_not_grow_with_bookings(
    client, django_assert_num_queries, signed_in, queries
):
    assert queries <= QUERY_BUDGET
    item = bookable(needs_instruction=True)
    monday = next_monday()
    if signed_in:
        who = person()
        Instruction.objects.create(person=who, equipment=item, instructed_on=riga_today())
        client.force_login(who)
    seen = []
    for count in (1, 40):
        _fill_week(item, monday, count - Booking.objects.count())
        with django_assert_num_queries(queries):
            response = client.get(week_url(item, monday))
        seen.append(len(parse(response.content).select("td.slot-taken")))

    assert seen == [1, 40]


def test_the_booking_page_query_count_does_not_grow_with_the_series(
    client, django_assert_num_queries
):
    item = bookable()
    anna = person()
    client.force_login(anna)
    # The session, the user, the booking with its item and centre, the other dates of its series.
    queries = 4
    seen = []
    for weeks in (2, 8):
        request = bookings.Request(item, at(next_monday(), "10.00"), at(next_monday(), "11.00"), "")
        Booking.objects.filter(person=anna).delete()
        result = bookings.request_series(
            request=request, weeks=weeks, person=anna, book_available=False
        )
        with django_assert_num_queries(queries):
            response = client.get(f"/mans/rezervacijas/{result.bookings[0].pk}/")
        seen.append(len(parse(response.content).select("ul.booking-series li")))

    assert seen == [2, 8]


# --- /mans/ -------------------------------------------------------------------------------------


def test_my_page_lists_upcoming_bookings_then_a_few_earlier_ones(client):
    item = bookable(name="Šujmašīna")
    anna = person()
    monday = next_monday()
    later = book(item, anna, monday + timedelta(days=1), "10.00", "11.00")
    sooner = book(item, anna, monday, "13.00", "14.00")
    cancelled = book(item, anna, monday, "10.00", "11.00")
    bookings.cancel_own_booking(booking=cancelled, person=anna)
    book(item, person(), monday, "15.00", "16.00")  # someone else's
    client.force_login(anna)

    doc = parse(client.get("/mans/").content)

    section = doc.select_one("section.my-bookings")
    centre = item.centre.name
    assert section.texts("ul.bookings > li") == [
        f"Šujmašīna, {centre}, {riga_period(sooner.starts_at, sooner.ends_at)} – Apstiprināta",
        f"Šujmašīna, {centre}, {riga_period(later.starts_at, later.ends_at)} – Apstiprināta",
        f"Šujmašīna, {riga_period(cancelled.starts_at, cancelled.ends_at)} – Atcelta",
    ]
    assert [a.get("href") for a in section.select("ul.bookings a")] == [
        f"/mans/rezervacijas/{sooner.pk}/",
        f"/mans/rezervacijas/{later.pk}/",
        f"/mans/rezervacijas/{cancelled.pk}/",
    ]
    assert section.texts("h3") == ["Agrākās un atceltās rezervācijas"]


def test_my_page_without_bookings_says_where_to_book(client):
    client.force_login(person())

    section = parse(client.get("/mans/").content).select_one("section.my-bookings")

    assert section.texts("p.empty") == [
        "Jums nav gaidāmu rezervāciju. Aprīkojumu un telpas var rezervēt resursu centru lapās. "
        "Skatīt centrus"
    ]


def _past_bookings(item, who, count: int) -> list[Booking]:
    """`count` confirmed one-hour bookings on the days before the item's earliest booking (or
    today), latest first."""
    earliest = item.bookings.order_by("starts_at").first()
    rows = []
    day = riga_today() if earliest is None else earliest.starts_at.astimezone(RIGA).date()
    day = min(day, riga_today())
    while len(rows) < count:
        day -= timedelta(days=1)
        starts = at(day, "10.00")
        rows.append(confirmed_hour(item, who, starts))
    return rows


def test_my_page_links_to_all_earlier_bookings_when_there_are_more_than_five(client):
    item = bookable(name="Šujmašīna")
    anna = person()
    client.force_login(anna)
    _past_bookings(item, anna, 5)

    five = parse(client.get("/mans/").content).select_one("section.my-bookings")
    _past_bookings(item, anna, 6)
    six = parse(client.get("/mans/").content).select_one("section.my-bookings")

    def more(section):
        return [(a.get("href"), a.text) for a in section.select("p.more a")]

    assert (len(five.select("ul.bookings-earlier li")), more(five)) == (5, [])
    assert (len(six.select("ul.bookings-earlier li")), more(six)) == (
        5,
        [("/mans/rezervacijas/", "Visas agrākās un atceltās rezervācijas")],
    )


def test_all_earlier_bookings_a_page_at_a_time_latest_first_own_only(client):
    item = bookable(name="Šujmašīna")
    anna = person()
    past = _past_bookings(item, anna, 23)  # latest first
    past[1].no_show = True
    past[1].save()
    cancelled = book(item, anna, next_monday(), "10.00", "11.00")
    bookings.cancel_own_booking(booking=cancelled, person=anna)
    book(item, anna, next_monday(), "13.00", "14.00")  # upcoming: on /mans/, not here
    _past_bookings(item, person(), 3)  # someone else's, earlier still
    client.force_login(anna)

    first = parse(client.get("/mans/rezervacijas/").content)
    second = parse(client.get("/mans/rezervacijas/?lapa=2").content)
    beyond = parse(client.get("/mans/rezervacijas/?lapa=99").content)

    centre = item.centre.name

    def line(booking, status):
        return f"Šujmašīna, {centre}, {riga_period(booking.starts_at, booking.ends_at)} – {status}"

    assert first.select_one("main h1").text == "Agrākās un atceltās rezervācijas"
    assert first.texts("main p")[1] == "Kopā 24 rezervācijas, jaunākās vispirms."
    assert first.texts("ul.bookings-earlier li") == [
        line(cancelled, "Atcelta"),
        line(past[0], "Apstiprināta"),
        line(past[1], "Apstiprināta, neieradās"),
        *(line(booking, "Apstiprināta") for booking in past[2:19]),
    ]
    assert second.texts("ul.bookings-earlier li") == [
        line(booking, "Apstiprināta") for booking in past[19:]
    ]
    assert first.texts("nav.pagination span") == ["1. lapa no 2"]
    assert [a.get("href") for a in first.select("nav.pagination a")] == ["?lapa=2"]
    # A page past the last shows the last one.
    assert beyond.texts("ul.bookings-earlier li") == second.texts("ul.bookings-earlier li")
    assert [(a.get("href"), a.text) for a in first.select("p.more a")] == [
        ("/mans/rezervacijas/gaidamas/", "Gaidāmās rezervācijas")
    ]


def test_no_earlier_bookings_says_so(client):
    client.force_login(person())

    doc = parse(client.get("/mans/rezervacijas/").content)

    assert doc.texts("main p.empty") == [
        "Agrāku vai atceltu rezervāciju vēl nav. Atpakaļ uz manu lapu"
    ]
    assert doc.select("ul.bookings-earlier") == []


def _future_bookings(item, who, count: int, *, first: datetime | None = None) -> list[Booking]:
    """`count` confirmed one-hour bookings a day apart from `first`, or from 10.00 on the day
    after the item's latest booking (or tomorrow), soonest first."""
    if first is None:
        latest = item.bookings.order_by("starts_at").last()
        day = riga_today() if latest is None else latest.starts_at.astimezone(RIGA).date()
        first = at(max(day, riga_today()) + timedelta(days=1), "10.00")
    rows = []
    for day in range(count):
        starts = first + timedelta(days=day)
        rows.append(confirmed_hour(item, who, starts))
    return rows


def test_my_page_shows_the_ten_soonest_upcoming_bookings_and_links_to_all(client):
    item = bookable(name="Šujmašīna")
    anna = person()
    client.force_login(anna)
    soonest = _future_bookings(item, anna, 10)

    ten = parse(client.get("/mans/").content).select_one("section.my-bookings")
    _future_bookings(item, anna, 1)
    eleven = parse(client.get("/mans/").content).select_one("section.my-bookings")

    def shown(section):
        return (
            [a.get("href") for a in section.select("ul.bookings > li > a")],
            [(a.get("href"), a.text) for a in section.select("p.more a")],
        )

    expected = [f"/mans/rezervacijas/{booking.pk}/" for booking in soonest]
    assert shown(ten) == (expected, [])
    assert shown(eleven) == (
        expected,
        [("/mans/rezervacijas/gaidamas/", "Visas gaidāmās rezervācijas")],
    )


def test_all_upcoming_bookings_a_page_at_a_time_soonest_first_own_only(client):
    item = bookable(name="Šujmašīna")
    anna = person()
    # One began an hour ago and runs for another: upcoming until it ends.
    running = _future_bookings(item, anna, 1, first=timezone.now() - timedelta(hours=1))[0]
    running.ends_at = running.blocked_until = timezone.now() + timedelta(hours=1)
    running.save()
    ahead = [running, *_future_bookings(item, anna, 22)]
    cancelled = book(item, anna, next_monday() + timedelta(days=7), "13.00", "14.00")
    bookings.cancel_own_booking(booking=cancelled, person=anna)  # earlier, not here
    _past_bookings(item, anna, 2)  # ended: not here
    _future_bookings(bookable(), person(), 3)  # someone else's
    client.force_login(anna)

    first = parse(client.get("/mans/rezervacijas/gaidamas/").content)
    second = parse(client.get("/mans/rezervacijas/gaidamas/?lapa=2").content)
    unreadable = parse(client.get("/mans/rezervacijas/gaidamas/?lapa=abc").content)

    centre = item.centre.name

    def line(booking):
        period = riga_period(booking.starts_at, booking.ends_at)
        return f"Šujmašīna, {centre}, {period} – Apstiprināta"

    assert first.select_one("main h1").text == "Gaidāmās rezervācijas"
    assert first.texts("main p")[1] == "Kopā 23 rezervācijas, tuvākās vispirms."
    assert first.texts("ul.bookings li") == [line(booking) for booking in ahead[:20]]
    assert second.texts("ul.bookings li") == [line(booking) for booking in ahead[20:]]
    assert [a.get("href") for a in first.select("ul.bookings li a")][:1] == [
        f"/mans/rezervacijas/{running.pk}/"
    ]
    assert first.texts("nav.pagination span") == ["1. lapa no 2"]
    # A page number that is not one shows the first page.
    assert unreadable.texts("ul.bookings li") == first.texts("ul.bookings li")
    assert [(a.get("href"), a.text) for a in first.select("p.more a")] == [
        ("/mans/rezervacijas/", "Agrākās un atceltās rezervācijas")
    ]


def test_the_upcoming_bookings_page_in_english(client):
    anna = person()
    _future_bookings(bookable(name="Šujmašīna"), anna, 2)
    client.force_login(anna)

    doc = parse(client.get("/en/mans/rezervacijas/gaidamas/").content)

    assert (doc.select_one("main h1").text, doc.texts("main p")[1]) == (
        "Upcoming bookings",
        "2 bookings in all, soonest first.",
    )


def test_no_upcoming_bookings_says_where_to_book(client):
    anna = person()
    _past_bookings(bookable(), anna, 1)
    client.force_login(anna)

    doc = parse(client.get("/mans/rezervacijas/gaidamas/").content)

    assert doc.select_one("main h1").text == "Gaidāmās rezervācijas"
    assert doc.texts("main p.empty") == [
        "Jums nav gaidāmu rezervāciju. Aprīkojumu un telpas var rezervēt resursu centru lapās. "
        "Skatīt centrus"
    ]
    assert doc.select("ul.bookings") == []


@pytest.mark.parametrize(
    ("path", "make", "rows"),
    [
        ("/mans/rezervacijas/?lapa=2", _past_bookings, "ul.bookings-earlier li"),
        ("/mans/rezervacijas/gaidamas/?lapa=2", _future_bookings, "ul.bookings li"),
    ],
    ids=["earlier", "upcoming"],
)
def test_the_lists_of_ones_bookings_query_count_does_not_grow(
    client, django_assert_num_queries, path, make, rows
):
    item = bookable()
    anna = person()
    client.force_login(anna)
    # The session, the user, the count, the page of bookings with their items and centres.
    for count in (1, 60):
        make(item, anna, count - Booking.objects.count())
        with django_assert_num_queries(4):
            response = client.get(path)
    assert len(parse(response.content).select(rows)) == 20


# --- The centre's page ----------------------------------------------------------------------------


def test_the_centre_page_offers_each_bookable_item_with_whether_it_is_free_now(client):
    centre = ResourceCentreFactory(slug="preilu-centrs")
    open_all_day = [
        WeeklyHours(centre=centre, weekday=day, opens=time(0), closes=time(23, 59))
        for day in range(7)
    ]
    WeeklyHours.objects.bulk_create(open_all_day)
    free = EquipmentFactory(centre=centre, name="Dators", bookable=True, quantity=2, order=1)
    taken = EquipmentFactory(centre=centre, name="Krāsns", bookable=True, order=2)
    EquipmentFactory(centre=centre, name="Galds", bookable=False, order=3)
    now = timezone.now()
    for item in (free, taken):
        Booking.objects.create(
            equipment=item,
            person=person(),
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
            blocked_until=now + timedelta(hours=1),
            status=Booking.Status.CONFIRMED,
        )

    doc = parse(client.get("/centri/preilu-centrs/").content)

    # The centre is open all day but for the last minute before midnight.
    is_open = open_now(OpeningCalendar(weekly=open_all_day), timezone.now())
    assert doc.texts("ul.equipment li") == [
        f"Dators Aprīkojums × 2 {'brīvs tagad' if is_open else 'centrs tagad slēgts'} "
        "· Rezervēt: Dators",
        f"Krāsns Aprīkojums {'aizņemts tagad' if is_open else 'centrs tagad slēgts'} "
        "· Rezervēt: Krāsns",
        "Galds Aprīkojums",
    ]
    assert [a.get("href") for a in doc.select("ul.equipment a")] == [
        f"/centri/preilu-centrs/rezervet/{free.pk}/",
        f"/centri/preilu-centrs/rezervet/{taken.pk}/",
    ]


def test_a_centre_without_opening_hours_is_closed_now(client):
    item = bookable(centre=ResourceCentreFactory(slug="bez-laika"))
    item.centre.weekly_hours.all().delete()

    doc = parse(client.get("/en/centri/bez-laika/").content)

    assert doc.texts("ul.equipment .now") == ["centre closed now"]
