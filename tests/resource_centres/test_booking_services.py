"""The booking rules (resource_centres.booking_services): what is refused and why, units and
buffers, approval, cancellation, no-shows, maintenance, weekly repeats and the changes of clock.

Every refusal leaves nothing saved and says why in Latvian. The database is a transactional
one, so that the mails sent after commit go out as in production."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from resource_centres import booking_services as bookings
from resource_centres.booking_models import Booking, Instruction, Maintenance
from tests.factories import UserFactory
from tests.resource_centres.booking_support import (
    NOW,
    bookable,
    closed_on,
    open_every_day,
    person,
    riga,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _book(item, who, day, start, end, **kwargs):
    request = bookings.Request(item, riga(day, start), riga(day, end), kwargs.pop("note", ""))
    return bookings.request_booking(
        request=request, person=who, now=kwargs.pop("now", NOW), **kwargs
    )


def _refusal(item, who, day, start, end, **kwargs) -> tuple[str, str]:
    with pytest.raises(bookings.BookingError) as caught:
        _book(item, who, day, start, end, **kwargs)
    return caught.value.code, caught.value.messages[0]


def test_a_free_time_is_confirmed_at_once_with_a_mail():
    item = bookable(buffer_minutes=15)
    anna = person(email="anna@example.lv")

    booking = _book(item, anna, "2026-03-24", "10.00", "12.00", note="Koka zīmes talkai")

    booking.refresh_from_db()
    assert (booking.status, booking.unit, booking.note) == ("confirmed", 1, "Koka zīmes talkai")
    assert (booking.starts_at, booking.ends_at, booking.blocked_until) == (
        datetime(2026, 3, 24, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 24, 10, 0, tzinfo=UTC),
        datetime(2026, 3, 24, 10, 15, tzinfo=UTC),
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@example.lv"], "Rezervācija apstiprināta: Lāzergravētājs")
    ]
    assert "Kas: Lāzergravētājs\n" in mail.outbox[0].body
    assert "Kam izmantosiet: Koka zīmes talkai\n" in mail.outbox[0].body


def test_identical_units_are_booked_one_each_then_the_time_is_taken():
    item = bookable(name="Dators", quantity=2)
    people = [person() for _ in range(3)]

    units = [_book(item, who, "2026-03-24", "10.00", "11.00").unit for who in people[:2]]
    refusal = _refusal(item, people[2], "2026-03-24", "10.30", "11.30")

    assert units == [1, 2]
    assert refusal == ("taken", "Šis laiks jau ir aizņemts. Izvēlieties citu laiku.")
    assert Booking.objects.count() == 2


def test_the_buffer_after_a_booking_cannot_be_booked():
    item = bookable(name="Keramikas krāsns", buffer_minutes=30)
    _book(item, person(), "2026-03-24", "10.00", "11.00")
    other = person()

    refusal = _refusal(item, other, "2026-03-24", "11.00", "12.00")
    after_buffer = _book(item, other, "2026-03-24", "11.30", "12.00")

    assert refusal[0] == "taken"
    assert (after_buffer.status, after_buffer.unit) == ("confirmed", 1)


def test_a_cancelled_or_declined_booking_frees_its_time():
    item = bookable()
    first = _book(item, anna := person(), "2026-03-24", "10.00", "11.00")
    bookings.cancel_own_booking(booking=first, person=anna, now=NOW)

    again = _book(item, person(), "2026-03-24", "10.00", "11.00")

    assert (again.status, again.unit) == ("confirmed", 1)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (("2026-03-24", "12.00", "10.00"), ("ends_before_start", "Beigām jābūt vēlāk par sākumu.")),
        (("2026-03-24", "10.00", "10.00"), ("ends_before_start", "Beigām jābūt vēlāk par sākumu.")),
        (("2026-03-20", "10.00", "11.00"), ("past", "Šis laiks jau ir pagājis.")),
        (
            ("2026-06-01", "10.00", "11.00"),
            ("too_far_ahead", "Rezervēt var ne vairāk kā 60 dienas uz priekšu."),
        ),
        (
            ("2026-03-24", "10.10", "11.00"),
            ("off_step", "Sākumam un beigām jābūt pa 30 minūtēm (piemēram, 10.00 vai 10.30)."),
        ),
        (
            ("2026-03-24", "13.00", "13.30"),
            ("too_short", "Īsākā rezervācija ir 60 minūtes."),
        ),
        (
            ("2026-03-24", "13.00", "17.00"),
            ("too_long", "Garākā rezervācija ir 180 minūtes."),
        ),
        (
            ("2026-03-29", "10.00", "11.00"),  # Sunday: closed
            ("closed", "Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
        ),
        (
            ("2026-03-24", "11.00", "13.30"),  # across the lunch break
            ("closed", "Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
        ),
        (
            ("2026-03-25", "10.00", "11.00"),  # a holiday
            ("closed", "Centrs šajā laikā nav atvērts: izvēlieties laiku darba laikā."),
        ),
        (
            ("2026-03-26", "10.00", "11.00"),
            ("maintenance", "Šajā laikā „Lāzergravētājs” ir slēgts apkopei: jāmaina lēca."),
        ),
    ],
)
def test_each_rule_refuses_with_its_message_and_saves_nothing(case, expected):
    item = bookable(min_minutes=60, max_minutes=180)
    closed_on(item.centre, "2026-03-25")
    Maintenance.objects.create(
        equipment=item,
        starts_at=riga("2026-03-26", "09.00"),
        ends_at=riga("2026-03-26", "12.00"),
        reason="jāmaina lēca",
    )

    assert _refusal(item, person(), *case) == expected
    assert (Booking.objects.count(), len(mail.outbox)) == (0, 0)


def test_a_note_over_300_characters_is_refused_not_cut():
    item = bookable()

    with pytest.raises(bookings.BookingError) as caught:
        _book(item, person(), "2026-03-24", "10.00", "11.00", note="ā" * 301)

    assert (caught.value.code, caught.value.messages) == (
        "note_too_long",
        ["Piezīme ir par garu: ne vairāk kā 300 zīmes."],
    )
    assert Booking.objects.count() == 0


def test_only_people_with_a_confirmed_address_may_book():
    item = bookable()
    unconfirmed = UserFactory()

    assert _refusal(item, unconfirmed, "2026-03-24", "10.00", "11.00") == (
        "email_unconfirmed",
        "Rezervēt var pēc e-pasta adreses apstiprināšanas.",
    )


def test_an_item_not_bookable_or_of_a_hidden_centre_cannot_be_booked():
    hidden = bookable()
    hidden.centre.is_published = False
    hidden.centre.save()
    not_bookable = bookable(bookable=False)
    expected = ("not_bookable", "Šo aprīkojumu vai telpu nevar rezervēt.")

    assert _refusal(hidden, person(), "2026-03-24", "10.00", "11.00") == expected
    assert _refusal(not_bookable, person(), "2026-03-24", "10.00", "11.00") == expected


def test_an_item_needing_instruction_is_booked_only_by_the_instructed():
    item = bookable(needs_instruction=True)
    anna, manager = person(), UserFactory()

    refusal = _refusal(item, anna, "2026-03-24", "10.00", "11.00")
    bookings.record_instruction(person=anna, equipment=item, actor=manager)
    booking = _book(item, anna, "2026-03-24", "10.00", "11.00")

    assert refusal == (
        "not_instructed",
        "„Lāzergravētājs” var rezervēt tikai pēc instruktāžas. Piesakieties instruktāžai centrā "
        "vai sazinieties ar centra vadītāju.",
    )
    assert booking.status == "confirmed"
    assert list(Instruction.objects.values_list("person", "equipment", "recorded_by")) == [
        (anna.pk, item.pk, manager.pk)
    ]


def test_the_weekly_limit_counts_the_persons_hours_of_the_item_that_week():
    item = bookable(weekly_hours_limit=4)
    anna = person()
    _book(item, anna, "2026-03-23", "13.00", "16.00")  # Monday, 3 hours

    refusal = _refusal(item, anna, "2026-03-24", "10.00", "12.00")
    within = _book(item, anna, "2026-03-24", "10.00", "11.00")
    next_week = _book(item, anna, "2026-03-30", "09.00", "12.00")
    someone_else = _book(item, person(), "2026-03-25", "09.00", "12.00")

    assert refusal == (
        "weekly_limit",
        "Vienam cilvēkam „Lāzergravētājs” var rezervēt ne vairāk kā 4 stundas nedēļā.",
    )
    assert [b.status for b in (within, next_week, someone_else)] == ["confirmed"] * 3


def test_a_request_waits_for_approval_then_is_approved_or_declined_with_a_reason():
    item = bookable(requires_approval=True)
    anna, ben, manager = (
        person(email="anna@example.lv"),
        person(email="ben@example.lv"),
        UserFactory(),
    )
    first = _book(item, anna, "2026-03-24", "10.00", "11.00")
    second = _book(item, ben, "2026-03-24", "11.00", "12.00")

    with pytest.raises(bookings.BookingError) as no_reason:
        bookings.decline_booking(booking=second, actor=manager, reason="  ")
    bookings.approve_booking(booking=first, actor=manager, now=NOW)
    bookings.decline_booking(
        booking=second, actor=manager, reason="Tajā dienā notiek remonts.", now=NOW
    )

    assert no_reason.value.messages == ["Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."]
    assert list(Booking.objects.values_list("status", "reason", "decided_by")) == [
        ("confirmed", "", manager.pk),
        ("declined", "Tajā dienā notiek remonts.", manager.pk),
    ]
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("anna@example.lv", "Rezervācijas pieprasījums saņemts: Lāzergravētājs"),
        ("ben@example.lv", "Rezervācijas pieprasījums saņemts: Lāzergravētājs"),
        ("anna@example.lv", "Centrs apstiprināja rezervāciju: Lāzergravētājs"),
        ("ben@example.lv", "Rezervācija noraidīta: Lāzergravētājs"),
    ]
    assert "Iemesls: Tajā dienā notiek remonts.\n" in mail.outbox[-1].body
    with pytest.raises(bookings.BookingError) as twice:
        bookings.approve_booking(booking=first, actor=manager, now=NOW)
    assert twice.value.messages == ["Šī rezervācija vairs negaida apstiprinājumu."]


def test_a_pending_request_holds_the_time_against_others():
    item = bookable(requires_approval=True)
    _book(item, person(), "2026-03-24", "10.00", "11.00")

    assert _refusal(item, person(), "2026-03-24", "10.00", "11.00")[0] == "taken"


def test_the_person_cancels_until_the_cut_off_and_never_someone_elses():
    item = bookable(cancel_cutoff_hours=24)
    anna = person()
    booking = _book(item, anna, "2026-03-25", "10.00", "11.00")

    with pytest.raises(bookings.BookingError) as not_own:
        bookings.cancel_own_booking(booking=booking, person=person(), now=NOW)
    with pytest.raises(bookings.BookingError) as too_late:
        bookings.cancel_own_booking(booking=booking, person=anna, now=riga("2026-03-24", "10.30"))
    bookings.cancel_own_booking(booking=booking, person=anna, now=riga("2026-03-24", "09.30"))

    assert not_own.value.messages == ["Šī nav jūsu rezervācija."]
    assert too_late.value.messages == [
        "Atcelšanas termiņš beidzās 2026. gada 24. martā plkst. 10.00. "
        "Lūdzu, sazinieties ar centru."
    ]
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", anna)


def test_the_centre_cancels_with_a_reason_that_is_mailed():
    item = bookable()
    booking = _book(item, person(email="anna@example.lv"), "2026-03-24", "10.00", "11.00")
    mail.outbox.clear()

    bookings.cancel_by_centre(booking=booking, actor=UserFactory(), reason="Centrs slēgts.")

    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("anna@example.lv", "Centrs atcēla rezervāciju: Lāzergravētājs")
    ]
    assert "Iemesls: Centrs slēgts.\n" in mail.outbox[0].body


def test_three_no_shows_in_a_season_make_the_next_requests_wait_for_approval():
    item = bookable()
    anna, manager = person(), UserFactory()
    past = [
        _book(item, anna, "2026-03-24", clock, end, now=riga("2026-03-23", "08.00"))
        for clock, end in (("09.00", "10.00"), ("10.00", "11.00"), ("11.00", "12.00"))
    ]
    after = riga("2026-03-24", "13.00")
    with pytest.raises(bookings.BookingError) as early:
        bookings.mark_no_show(booking=past[0], actor=manager, now=riga("2026-03-24", "08.00"))
    for booking in past[:2]:
        bookings.mark_no_show(booking=booking, actor=manager, now=after)
    two = _book(item, anna, "2026-03-25", "09.00", "10.00", now=after)
    bookings.mark_no_show(booking=past[2], actor=manager, now=after)
    three = _book(item, anna, "2026-03-26", "09.00", "10.00", now=after)

    assert early.value.messages == ["Neierašanos var atzīmēt, kad rezervētais laiks ir sācies."]
    assert (two.status, three.status) == ("confirmed", "pending")


def test_closing_an_item_for_maintenance_cancels_its_bookings_then_and_mails_why():
    item = bookable()
    inside = _book(item, person(email="anna@example.lv"), "2026-03-24", "10.00", "11.00")
    outside = _book(item, person(), "2026-03-24", "13.00", "14.00")
    mail.outbox.clear()

    maintenance, cancelled = bookings.close_for_maintenance(
        equipment=item,
        starts_at=riga("2026-03-24", "09.00"),
        ends_at=riga("2026-03-24", "12.00"),
        reason="jāmaina lēca",
        actor=UserFactory(),
    )

    assert cancelled == [inside]
    assert dict(Booking.objects.values_list("pk", "status")) == {
        inside.pk: "cancelled",
        outside.pk: "confirmed",
    }
    assert (
        Booking.objects.get(pk=inside.pk).reason
        == "„Lāzergravētājs” ir slēgts apkopei: jāmaina lēca"
    )
    assert [m.subject for m in mail.outbox] == ["Centrs atcēla rezervāciju: Lāzergravētājs"]
    assert maintenance.reason == "jāmaina lēca"


# --- The changes of clock (Europe/Riga: last Sunday of March and of October) ------------------


def test_a_booking_across_the_spring_change_lasts_its_real_hours():
    item = bookable(min_minutes=60, max_minutes=180)
    open_every_day(item.centre)

    # 01.00-05.00 on Sunday 29 March: the clocks skip 03.00-04.00, so it is 3 real hours.
    spring = _book(item, person(), "2026-03-29", "01.00", "05.00")
    # The same wall-clock times on Saturday are 4 hours: over the 3-hour limit.
    saturday = _refusal(item, person(), "2026-03-28", "01.00", "05.00")

    assert (spring.starts_at, spring.ends_at) == (
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
    )
    assert spring.ends_at - spring.starts_at == timedelta(hours=3)
    assert saturday == ("too_long", "Garākā rezervācija ir 180 minūtes.")


def test_a_booking_across_the_autumn_change_lasts_its_real_hours():
    item = bookable(min_minutes=60, max_minutes=180, horizon_days=366)
    open_every_day(item.centre)

    # 01.00-03.00 on Sunday 25 October: 03.00-04.00 happens twice, but 01.00-03.00 ends
    # before it: 2 hours. 01.00-04.00 is 4 real hours: over the limit.
    short = _book(item, person(), "2026-10-25", "01.00", "03.00")
    long = _refusal(item, person(), "2026-10-25", "01.00", "04.00")

    assert short.ends_at - short.starts_at == timedelta(hours=2)
    assert long == ("too_long", "Garākā rezervācija ir 180 minūtes.")


def test_weekly_repeats_keep_the_wall_clock_time_across_the_change():
    item = bookable()
    anna = person(email="anna@example.lv")
    request = bookings.Request(item, riga("2026-03-24", "10.00"), riga("2026-03-24", "12.00"))

    result = bookings.request_series(
        request=request, weeks=3, person=anna, book_available=False, now=NOW
    )

    assert result.refused == []
    assert [(b.starts_at, b.ends_at) for b in result.bookings] == [
        (datetime(2026, 3, 24, 8, 0, tzinfo=UTC), datetime(2026, 3, 24, 10, 0, tzinfo=UTC)),
        (datetime(2026, 3, 31, 7, 0, tzinfo=UTC), datetime(2026, 3, 31, 9, 0, tzinfo=UTC)),
        (datetime(2026, 4, 7, 7, 0, tzinfo=UTC), datetime(2026, 4, 7, 9, 0, tzinfo=UTC)),
    ]
    assert len({b.series for b in result.bookings}) == 1
    assert [m.subject for m in mail.outbox] == [
        "Atkārtotās rezervācijas apstiprinātas: Lāzergravētājs"
    ]


def test_a_repeat_with_taken_dates_books_none_or_the_rest_as_asked():
    item = bookable()
    _book(item, person(), "2026-03-31", "10.00", "11.00")
    anna = person()
    request = bookings.Request(item, riga("2026-03-24", "10.00"), riga("2026-03-24", "11.00"))
    refused = [(datetime(2026, 3, 31).date(), "Šis laiks jau ir aizņemts. Izvēlieties citu laiku.")]

    none = bookings.request_series(
        request=request, weeks=3, person=anna, book_available=False, now=NOW
    )
    count_after_none = Booking.objects.filter(person=anna).count()
    rest = bookings.request_series(
        request=request, weeks=3, person=anna, book_available=True, now=NOW
    )

    assert (none.bookings, none.refused, count_after_none) == ([], refused, 0)
    assert rest.refused == refused
    assert [b.starts_at.date().isoformat() for b in rest.bookings] == ["2026-03-24", "2026-04-07"]


@pytest.mark.parametrize("weeks", [1, 13])
def test_a_repeat_has_two_to_twelve_weeks(weeks):
    item = bookable()
    request = bookings.Request(item, riga("2026-03-24", "10.00"), riga("2026-03-24", "11.00"))

    with pytest.raises(bookings.BookingError) as caught:
        bookings.request_series(
            request=request, weeks=weeks, person=person(), book_available=True, now=NOW
        )

    assert caught.value.messages == ["Atkārtot var no 2 līdz 12 nedēļām."]
    assert Booking.objects.count() == 0
