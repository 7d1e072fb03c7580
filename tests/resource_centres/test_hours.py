"""Opening hours: weekly rows and dated exceptions, read as Riga moments (resource_centres.hours),
their public text, their writes (service and admin) and the centre page."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.formats import RIGA, riga_today
from resource_centres.hours import OpeningCalendar, describe, exception_window, open_now
from resource_centres.models import OpeningException, WeeklyHours
from resource_centres.services import set_weekly_hours
from tests.factories import ResourceCentreFactory
from tests.html import definitions, parse
from tests.resource_centres.admin_support import change_url, form_data

MONDAY = date(2026, 12, 7)
SPRING_FORWARD = date(2026, 3, 29)  # Last Sunday of March: 03.00 does not exist.
FALL_BACK = date(2026, 10, 25)  # Last Sunday of October: 03.00–04.00 happens twice.
OVERLAP = (
    "Pirmdiena: laiki 09.00–13.00 un 12.00–17.00 pārklājas. Pusdienu pārtraukumam ievadiet "
    "divas rindas, kas nepārklājas, piemēram, 9.00–12.00 un 13.00–17.00."
)


def t(text: str) -> time:
    return time.fromisoformat(text)


def weekly(*rows) -> list[WeeklyHours]:
    """Unsaved rows: (weekday, "09:00", "17:00")."""
    return [
        WeeklyHours(weekday=day, opens=t(opens), closes=t(closes)) for day, opens, closes in rows
    ]


def riga(day: date, clock: str) -> datetime:
    return datetime.combine(day, t(clock), tzinfo=RIGA)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# A library's hours: weekdays 9–17 with lunch 12–13 on Mondays, Saturday morning, Sunday closed.
LIBRARY = weekly(
    (0, "09:00", "12:00"),
    (0, "13:00", "17:00"),
    *((day, "09:00", "17:00") for day in range(1, 5)),
    (5, "10:00", "14:00"),
)


# --- intervals_on ------------------------------------------------------------------------------


def test_intervals_of_a_day_with_a_lunch_break_are_sorted_riga_moments():
    calendar = OpeningCalendar(weekly=reversed(LIBRARY))

    assert calendar.intervals_on(MONDAY) == [
        (riga(MONDAY, "09:00"), riga(MONDAY, "12:00")),
        (riga(MONDAY, "13:00"), riga(MONDAY, "17:00")),
    ]
    assert [
        (opens.astimezone(UTC), closes.astimezone(UTC))
        for opens, closes in calendar.intervals_on(MONDAY)
    ] == [
        (utc("2026-12-07 07:00"), utc("2026-12-07 10:00")),
        (utc("2026-12-07 11:00"), utc("2026-12-07 15:00")),
    ]
    assert calendar.intervals_on(MONDAY + timedelta(days=6)) == []  # Sunday


def test_an_exception_closes_a_day_or_gives_it_other_hours():
    christmas_eve = OpeningException(date=date(2026, 12, 24), reason="Ziemassvētku vakars")
    new_years_eve = OpeningException(
        date=date(2026, 12, 31), opens=t("10:00"), closes=t("14:00"), reason="Vecgada vakars"
    )
    calendar = OpeningCalendar(weekly=LIBRARY, exceptions=[christmas_eve, new_years_eve])

    assert calendar.intervals_on(date(2026, 12, 24)) == []
    assert calendar.intervals_on(date(2026, 12, 31)) == [
        (riga(date(2026, 12, 31), "10:00"), riga(date(2026, 12, 31), "14:00"))
    ]
    # The Wednesday between keeps its weekly hours.
    assert calendar.intervals_on(date(2026, 12, 30)) == [
        (riga(date(2026, 12, 30), "09:00"), riga(date(2026, 12, 30), "17:00"))
    ]
    assert [
        calendar.exception_on(day) for day in (date(2026, 12, 24), date(2026, 12, 31), MONDAY)
    ] == [christmas_eve, new_years_eve, None]


def test_the_night_the_clocks_go_forward_an_interval_from_midnight_to_six_lasts_five_hours():
    sunday = SPRING_FORWARD.weekday()
    calendar = OpeningCalendar(
        weekly=weekly((sunday, "00:00", "06:00"), (sunday, "02:30", "03:30"))
        # Overlapping rows are refused on writing; here they only show two moments.
    )

    (night, gap) = sorted(calendar.intervals_on(SPRING_FORWARD))
    opens, closes = night
    assert (opens.astimezone(UTC), closes.astimezone(UTC)) == (
        utc("2026-03-28 22:00"),  # 00.00 at +02:00
        utc("2026-03-29 03:00"),  # 06.00 at +03:00
    )
    assert closes.astimezone(UTC) - opens.astimezone(UTC) == timedelta(hours=5)
    # 03.30 does not exist that night; fold=0 reads it at the winter offset, +02:00: the
    # moment the clocks show 04.30.
    assert [moment.astimezone(UTC) for moment in gap] == [
        utc("2026-03-29 00:30"),
        utc("2026-03-29 01:30"),
    ]
    # (astimezone to the zone a datetime already has returns it unchanged: hence via UTC.)
    assert gap[1].astimezone(UTC).astimezone(RIGA).strftime("%H:%M") == "04:30"


def test_the_night_the_clocks_go_back_an_interval_from_midnight_to_six_lasts_seven_hours():
    sunday = FALL_BACK.weekday()
    calendar = OpeningCalendar(weekly=weekly((sunday, "00:00", "06:00")))

    [(opens, closes)] = calendar.intervals_on(FALL_BACK)
    assert (opens.astimezone(UTC), closes.astimezone(UTC)) == (
        utc("2026-10-24 21:00"),  # 00.00 at +03:00
        utc("2026-10-25 04:00"),  # 06.00 at +02:00
    )
    assert closes.astimezone(UTC) - opens.astimezone(UTC) == timedelta(hours=7)
    # 03.30 happens twice; fold=0 is the first time, still at the summer offset.
    assert riga(FALL_BACK, "03:30").astimezone(UTC) == utc("2026-10-25 00:30")
    # Both 03.30s are within the hours, and so is an hour that starts at the second one.
    second_half_past_three = utc("2026-10-25 01:30")
    assert calendar.is_open(utc("2026-10-25 00:30"), second_half_past_three)
    assert calendar.is_open(second_half_past_three, second_half_past_three + timedelta(hours=1))
    # Seven real hours; adding to a Riga datetime would add wall-clock hours instead.
    start = opens.astimezone(UTC)
    assert calendar.is_open(start, start + timedelta(hours=7))
    assert not calendar.is_open(start, start + timedelta(hours=7, minutes=1))
    assert not calendar.is_open(opens, opens + timedelta(hours=7))  # 00.00–07.00 on the wall


# --- is_open and open_now ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (("09:00"), ("12:00"), True),  # exactly the morning
        (("11:00"), ("12:00"), True),  # ends exactly at closing
        (("12:00"), ("12:30"), False),  # starts exactly at closing
        (("08:59"), ("10:00"), False),  # starts before opening
        (("11:30"), ("13:30"), False),  # spans the lunch break
        (("09:00"), ("17:00"), False),  # the whole day, lunch included
        (("13:00"), ("17:00"), True),
        (("10:00"), ("10:00"), False),  # empty
        (("11:00"), ("10:00"), False),  # backwards
    ],
)
def test_is_open_on_a_day_with_a_lunch_break(start, end, expected):
    calendar = OpeningCalendar(weekly=LIBRARY)

    assert calendar.is_open(riga(MONDAY, start), riga(MONDAY, end)) is expected


def test_is_open_reads_moments_in_any_zone_on_rigas_clock():
    calendar = OpeningCalendar(weekly=LIBRARY)

    # 07.00–10.00 UTC is 09.00–12.00 in Riga in winter.
    assert calendar.is_open(utc("2026-12-07 07:00"), utc("2026-12-07 10:00")) is True
    assert calendar.is_open(utc("2026-12-07 06:59"), utc("2026-12-07 10:00")) is False


def test_is_open_is_false_across_midnight_and_on_closed_days():
    calendar = OpeningCalendar(
        weekly=weekly((0, "18:00", "23:59"), (1, "00:00", "08:00")),
        exceptions=[OpeningException(date=MONDAY + timedelta(days=7), reason="Remonts")],
    )
    tuesday = MONDAY + timedelta(days=1)

    assert calendar.is_open(riga(MONDAY, "22:00"), riga(MONDAY, "23:59")) is True
    # Open until midnight and from it, but a booking belongs to one day's interval.
    assert calendar.is_open(riga(MONDAY, "23:00"), riga(tuesday, "01:00")) is False
    assert calendar.is_open(riga(tuesday, "00:00"), riga(tuesday, "01:00")) is True
    # Sunday has no hours; the next Monday is closed by an exception.
    assert calendar.is_open(riga(MONDAY - timedelta(days=1), "19:00"), riga(MONDAY, "20:00")) is (
        False
    )
    next_monday = MONDAY + timedelta(days=7)
    assert calendar.is_open(riga(next_monday, "19:00"), riga(next_monday, "20:00")) is False


def test_is_open_refuses_naive_moments():
    calendar = OpeningCalendar(weekly=LIBRARY)

    with pytest.raises(ValueError, match="aware"):
        calendar.is_open(datetime(2026, 12, 7, 10), datetime(2026, 12, 7, 11))


def test_open_now_opens_at_opening_time_and_closes_at_closing_time():
    calendar = OpeningCalendar(weekly=LIBRARY)

    assert [
        open_now(calendar, riga(MONDAY, clock))
        for clock in ("08:59:59", "09:00", "11:59:59", "12:00", "12:30", "13:00", "17:00")
    ] == [False, True, True, False, False, True, False]


# --- Loading -----------------------------------------------------------------------------------


def test_load_reads_the_weekly_rows_and_the_exceptions_of_the_range_in_two_queries(
    db, django_assert_num_queries
):
    centre = ResourceCentreFactory()
    other = ResourceCentreFactory()
    set_weekly_hours(centre=centre, rows=[(0, t("09:00"), t("17:00"))])
    set_weekly_hours(centre=other, rows=[(0, t("08:00"), t("10:00"))])
    for day in (date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 13), date(2026, 12, 14)):
        OpeningException.objects.create(centre=centre, date=day)
    OpeningException.objects.create(centre=other, date=date(2026, 12, 8))

    with django_assert_num_queries(2):
        calendar = OpeningCalendar.load(centre, date(2026, 12, 7), date(2026, 12, 13))

    assert [row.date for row in calendar.exceptions] == [date(2026, 12, 7), date(2026, 12, 13)]
    assert calendar.intervals_on(date(2026, 12, 14)) == [
        (riga(date(2026, 12, 14), "09:00"), riga(date(2026, 12, 14), "17:00"))
    ]
    # The other centre's exception is not this centre's.
    assert calendar.intervals_on(date(2026, 12, 8)) == []  # a Tuesday: no weekly hours
    assert calendar.exception_on(date(2026, 12, 8)) is None


# --- describe ----------------------------------------------------------------------------------


def test_describe_groups_neighbouring_days_with_equal_hours():
    rows = weekly(
        *((day, "10:00", "18:00") for day in range(5)),
        (5, "10:00", "14:00"),
    )

    assert describe(rows, today=MONDAY) == [
        "P.–Pk. 10.00–18.00",
        "S. 10.00–14.00",
        "Sv. slēgts",
    ]


def test_describe_writes_lunch_breaks_and_two_days_with_a_comma():
    assert describe(LIBRARY, today=MONDAY) == [
        "P. 09.00–12.00, 13.00–17.00",
        "O.–Pk. 09.00–17.00",
        "S. 10.00–14.00",
        "Sv. slēgts",
    ]
    assert describe(
        weekly((2, "09:00", "17:00"), (5, "10:00", "12:00"), (6, "10:00", "12:00")), today=MONDAY
    ) == [
        "P., O. slēgts",
        "T. 09.00–17.00",
        "C., Pk. slēgts",
        "S., Sv. 10.00–12.00",
    ]


def test_describe_without_weekly_hours_says_nothing():
    assert describe([], today=MONDAY) == []


def test_describe_lists_the_exceptions_of_the_next_thirty_days():
    today = date(2026, 12, 20)
    exceptions = [
        OpeningException(date=date(2026, 12, 19), reason="Vakar"),
        OpeningException(date=date(2026, 12, 24), reason="Ziemassvētki"),
        OpeningException(
            date=date(2026, 12, 31), opens=t("10:00"), closes=t("14:00"), reason="Vecgada vakars"
        ),
        OpeningException(date=date(2027, 1, 1)),
        OpeningException(date=date(2027, 1, 19), reason="Pēdējā diena"),
        OpeningException(date=date(2027, 1, 20), reason="Par tālu"),
    ]
    calendar = OpeningCalendar(weekly=LIBRARY, exceptions=reversed(exceptions))

    assert exception_window(today) == (date(2026, 12, 20), date(2027, 1, 19))
    assert describe(calendar, today=today)[4:] == [
        "24.12. slēgts (Ziemassvētki)",
        "31.12. 10.00–14.00 (Vecgada vakars)",
        "01.01. slēgts",
        "19.01. slēgts (Pēdējā diena)",
    ]


def test_describe_in_english():
    exceptions = [
        OpeningException(date=date(2026, 12, 24), reason="Ziemassvētki"),
        OpeningException(
            date=date(2026, 12, 31), opens=t("10:00"), closes=t("14:00"), reason="Vecgada vakars"
        ),
    ]
    calendar = OpeningCalendar(weekly=LIBRARY, exceptions=exceptions)

    with translation.override("en"):
        lines = describe(calendar, today=date(2026, 12, 20))

    assert lines == [
        "Mon 09:00–12:00, 13:00–17:00",
        "Tue–Fri 09:00–17:00",
        "Sat 10:00–14:00",
        "Sun closed",
        "24 Dec closed (Ziemassvētki)",
        "31 Dec 10:00–14:00 (Vecgada vakars)",
    ]


# --- Writes: the service, the model's checks, the database's constraints -----------------------


def test_set_weekly_hours_replaces_the_rows(db):
    centre = ResourceCentreFactory()
    set_weekly_hours(centre=centre, rows=[(6, t("10:00"), t("12:00"))])

    set_weekly_hours(centre=centre, rows=[(0, t("13:00"), t("17:00")), (0, t("09:00"), t("12:00"))])

    assert list(centre.weekly_hours.values_list("weekday", "opens", "closes")) == [
        (0, t("09:00"), t("12:00")),
        (0, t("13:00"), t("17:00")),
    ]


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        ([(0, t("09:00"), t("13:00")), (0, t("12:00"), t("17:00"))], [OVERLAP]),
        (
            [(0, t("09:00"), t("17:00")), (0, t("09:00"), t("12:00"))],
            [
                "Pirmdiena: laiki 09.00–12.00 un 09.00–17.00 pārklājas. Pusdienu pārtraukumam "
                "ievadiet divas rindas, kas nepārklājas, piemēram, 9.00–12.00 un 13.00–17.00."
            ],
        ),
        (
            [(2, t("17:00"), t("09:00"))],
            ["Slēgšanas laikam jābūt vēlākam par atvēršanas laiku."],
        ),
        ([(7, t("09:00"), t("17:00"))], ["Vērtība 7 nav derīga izvēle."]),
    ],
)
def test_set_weekly_hours_refuses_bad_rows_and_keeps_the_old_ones(db, rows, messages):
    centre = ResourceCentreFactory()
    set_weekly_hours(centre=centre, rows=[(6, t("10:00"), t("12:00"))])

    with pytest.raises(ValidationError) as refused:
        set_weekly_hours(centre=centre, rows=rows)

    assert refused.value.messages == messages
    assert list(centre.weekly_hours.values_list("weekday", "opens", "closes")) == [
        (6, t("10:00"), t("12:00"))
    ]


def test_touching_rows_do_not_overlap(db):
    centre = ResourceCentreFactory()

    set_weekly_hours(centre=centre, rows=[(0, t("09:00"), t("13:00")), (0, t("13:00"), t("17:00"))])

    assert centre.weekly_hours.count() == 2


def test_a_rows_clean_compares_it_with_the_stored_rows_of_its_day(db):
    centre = ResourceCentreFactory()
    set_weekly_hours(centre=centre, rows=[(0, t("12:00"), t("17:00")), (1, t("08:00"), t("20:00"))])

    row = WeeklyHours(centre=centre, weekday=0, opens=t("09:00"), closes=t("13:00"))
    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert refused.value.messages == [OVERLAP]
    WeeklyHours(centre=centre, weekday=2, opens=t("09:00"), closes=t("13:00")).full_clean()
    # A stored row is not compared with itself.
    centre.weekly_hours.get(weekday=0).full_clean()


@pytest.mark.parametrize(
    "row",
    [
        {"weekday": 0, "opens": t("17:00"), "closes": t("09:00")},
        {"weekday": 0, "opens": t("09:00"), "closes": t("09:00")},
        {"weekday": 7, "opens": t("09:00"), "closes": t("10:00")},
    ],
)
def test_the_database_refuses_impossible_weekly_rows(db, row):
    centre = ResourceCentreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(centre=centre, **row)


@pytest.mark.parametrize(
    "times",
    [
        {"opens": t("10:00"), "closes": None},
        {"opens": None, "closes": t("10:00")},
        {"opens": t("14:00"), "closes": t("10:00")},
    ],
)
def test_the_database_refuses_impossible_exceptions(db, times):
    centre = ResourceCentreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(centre=centre, date=MONDAY, **times)


def test_the_database_refuses_two_exceptions_on_one_date(db):
    centre = ResourceCentreFactory()
    OpeningException.objects.create(centre=centre, date=MONDAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(
            centre=centre, date=MONDAY, opens=t("10:00"), closes=t("12:00")
        )


# --- The admin ---------------------------------------------------------------------------------


def _inline(response, prefix):
    [inline] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return inline


def _with_weekly_rows(data, centre, rows):
    data = {**data, "weekly_hours-TOTAL_FORMS": str(len(rows))}
    for number, (weekday, opens, closes) in enumerate(rows):
        data.update(
            {
                f"weekly_hours-{number}-id": "",
                f"weekly_hours-{number}-centre": str(centre.pk),
                f"weekly_hours-{number}-weekday": str(weekday),
                f"weekly_hours-{number}-opens": opens,
                f"weekly_hours-{number}-closes": closes,
            }
        )
    return data


def test_a_centre_manager_keeps_the_hours_of_their_centre(client, manager, preili):
    client.force_login(manager)
    page = client.get(change_url(preili))
    assert [
        (
            prefix,
            _inline(page, prefix).has_add_permission,
            _inline(page, prefix).has_delete_permission,
        )
        for prefix in ("weekly_hours", "opening_exceptions")
    ] == [("weekly_hours", True, True), ("opening_exceptions", True, True)]
    data = _with_weekly_rows(form_data(page), preili, [(0, "9:00", "12:00"), (0, "13:00", "17:00")])
    data.update(
        {
            "opening_exceptions-TOTAL_FORMS": "1",
            "opening_exceptions-0-centre": str(preili.pk),
            "opening_exceptions-0-date": "2026-12-24",
            "opening_exceptions-0-reason": "Ziemassvētki",
        }
    )

    response = client.post(change_url(preili), data)

    assert response.status_code == 302
    assert list(preili.weekly_hours.values_list("weekday", "opens", "closes")) == [
        (0, t("09:00"), t("12:00")),
        (0, t("13:00"), t("17:00")),
    ]
    assert list(preili.opening_exceptions.values_list("date", "opens", "closes", "reason")) == [
        (date(2026, 12, 24), None, None, "Ziemassvētki")
    ]


def test_the_admin_refuses_overlapping_rows_with_a_latvian_message(client, manager, preili):
    client.force_login(manager)
    data = _with_weekly_rows(
        form_data(client.get(change_url(preili))),
        preili,
        [(0, "9:00", "13:00"), (0, "12:00", "17:00")],
    )

    response = client.post(change_url(preili), data)

    assert response.status_code == 200
    assert _inline(response, "weekly_hours").formset.non_form_errors() == [OVERLAP]
    # Nothing typed is lost.
    assert [
        (form["opens"].value(), form["closes"].value())
        for form in _inline(response, "weekly_hours").formset.forms
    ] == [("9:00", "13:00"), ("12:00", "17:00")]
    assert preili.weekly_hours.count() == 0


def test_the_admin_moves_a_lunch_break_in_one_save(client, manager, preili):
    """Rows are compared as they will be: the stored 12.00–13.00 break moving to 13.00–14.00
    is no overlap with the morning that now runs to 13.00."""
    set_weekly_hours(centre=preili, rows=[(0, t("09:00"), t("12:00")), (0, t("13:00"), t("17:00"))])
    client.force_login(manager)
    page = client.get(change_url(preili))
    data = form_data(page)
    morning, afternoon = preili.weekly_hours.all()
    forms = {form.instance.pk: form.prefix for form in _inline(page, "weekly_hours").formset.forms}
    data[f"{forms[afternoon.pk]}-opens"] = "14:00"
    data[f"{forms[morning.pk]}-closes"] = "13:00"

    response = client.post(change_url(preili), data)

    assert response.status_code == 302
    assert list(preili.weekly_hours.values_list("opens", "closes")) == [
        (t("09:00"), t("13:00")),
        (t("14:00"), t("17:00")),
    ]


def test_the_admin_deletes_a_row_and_adds_an_overlapping_one_in_one_save(client, manager, preili):
    set_weekly_hours(centre=preili, rows=[(0, t("09:00"), t("17:00"))])
    client.force_login(manager)
    page = client.get(change_url(preili))
    data = form_data(page)
    [stored] = [form.prefix for form in _inline(page, "weekly_hours").formset.forms[:1]]
    data[f"{stored}-DELETE"] = "on"
    data.update(
        {
            "weekly_hours-1-weekday": "0",
            "weekly_hours-1-opens": "10:00",
            "weekly_hours-1-closes": "16:00",
        }
    )

    response = client.post(change_url(preili), data)

    assert response.status_code == 302
    assert list(preili.weekly_hours.values_list("opens", "closes")) == [(t("10:00"), t("16:00"))]


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (
            "10:00",
            "",
            "Norādiet gan atvēršanas, gan slēgšanas laiku vai atstājiet abus tukšus, ja centrs "
            "visu dienu ir slēgts.",
        ),
        ("14:00", "10:00", "Slēgšanas laikam jābūt vēlākam par atvēršanas laiku."),
        ("<script>", "10:00", "Jāievada derīgs laiks."),
    ],
)
def test_the_admin_refuses_impossible_exceptions(client, manager, preili, opens, closes, message):
    client.force_login(manager)
    data = form_data(client.get(change_url(preili)))
    data.update(
        {
            "opening_exceptions-TOTAL_FORMS": "1",
            "opening_exceptions-0-centre": str(preili.pk),
            "opening_exceptions-0-date": "2026-12-31",
            "opening_exceptions-0-opens": opens,
            "opening_exceptions-0-closes": closes,
            "opening_exceptions-0-reason": "Vecgada vakars",
        }
    )

    response = client.post(change_url(preili), data)

    assert response.status_code == 200
    [form] = _inline(response, "opening_exceptions").formset.forms
    assert [message for messages in form.errors.values() for message in messages] == [message]
    assert form["reason"].value() == "Vecgada vakars"
    assert preili.opening_exceptions.count() == 0


# --- The centre page ---------------------------------------------------------------------------


def _hours_of_page(client, url):
    return dict(definitions(parse(client.get(url).content).select_one("dl.facts")))[
        {"/": "Darba laiks", "/en/": "Opening hours"}[url[: url.index("centri/")]]
    ]


@pytest.fixture
def livani(db):
    centre = ResourceCentreFactory(slug="livani", opening_hours="Pirms apmeklējuma zvaniet.")
    set_weekly_hours(
        centre=centre,
        rows=[
            *((day, t("09:00"), t("12:00")) for day in range(5)),
            *((day, t("13:00"), t("17:00")) for day in range(5)),
            (5, t("10:00"), t("14:00")),
        ],
    )
    return centre


def test_the_centre_page_shows_the_hours_then_the_notes(client, livani):
    soon = riga_today() + timedelta(days=3)
    OpeningException.objects.create(centre=livani, date=soon, reason="Talka")
    OpeningException.objects.create(centre=livani, date=riga_today() + timedelta(days=31))

    lines = parse(client.get("/centri/livani/").content).texts("dl.facts .hours-line")

    assert lines == [
        "P.–Pk. 09.00–12.00, 13.00–17.00",
        "S. 10.00–14.00",
        "Sv. slēgts",
        f"{soon:%d.%m.} slēgts (Talka)",
    ]
    assert _hours_of_page(client, "/centri/livani/") == " ".join(
        [*lines, "Pirms apmeklējuma zvaniet."]
    )


def test_the_english_centre_page_writes_the_hours_in_english(client, livani):
    doc = parse(client.get("/en/centri/livani/").content)

    assert doc.texts("dl.facts .hours-line") == [
        "Mon–Fri 09:00–12:00, 13:00–17:00",
        "Sat 10:00–14:00",
        "Sun closed",
    ]
    # The notes are the centre's own Latvian text.
    assert [(span.get("class"), span.get("lang")) for span in doc.select("dl.facts dd span")] == [
        ("hours-line", None)
    ] * 3 + [(None, "lv")]


@pytest.mark.parametrize(
    ("notes", "hours", "shown"),
    [
        ("", True, "P. 09.00–17.00 O.–Sv. slēgts"),
        ("Zvaniet.", False, "Zvaniet."),
        ("", False, "Sazinieties ar centru."),
    ],
)
def test_the_centre_page_without_hours_or_notes(client, db, notes, hours, shown):
    centre = ResourceCentreFactory(slug="berzi", opening_hours=notes)
    if hours:
        set_weekly_hours(centre=centre, rows=[(0, t("09:00"), t("17:00"))])

    assert _hours_of_page(client, "/centri/berzi/") == shown
