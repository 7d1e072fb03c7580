"""The bookings' admin (resource_centres.booking_admin): who sees which centre's bookings, the
decisions through the services with their mails, the reason page, the day sheet, instructions,
maintenance closures and the usage figures with their CSV."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from communities.models import Community, Membership
from resource_centres.booking_models import Booking, Instruction, Maintenance
from tests.html import parse
from tests.resource_centres.admin_support import staff_in
from tests.resource_centres.booking_support import bookable, person, riga

BOOKINGS = "/admin/resource_centres/booking/"
DAY = BOOKINGS + "diena/"
USAGE = BOOKINGS + "lietojums/"
USAGE_CSV = BOOKINGS + "lietojums.csv"
INSTRUCTIONS = "/admin/resource_centres/instruction/"
MAINTENANCE = "/admin/resource_centres/maintenance/"


def book(item, who, day, start, end, *, status=Booking.Status.CONFIRMED, unit=1, **fields):
    starts, ends = riga(day, start), riga(day, end)
    return Booking.objects.create(
        equipment=item,
        person=who,
        unit=unit,
        starts_at=starts,
        ends_at=ends,
        blocked_until=ends + timedelta(minutes=item.buffer_minutes),
        status=status,
        **fields,
    )


@pytest.fixture
def saw(preili):
    return bookable(centre=preili, name="Galda zāģis", requires_approval=True, order=1)


@pytest.fixture
def kiln(aglona):
    return bookable(centre=aglona, name="Keramikas krāsns", buffer_minutes=60)


@pytest.fixture
def anna(db):
    return person(first_name="Anna", last_name="Kalniņa", email="anna@example.lv")


@pytest.fixture
def other_manager(aglona):
    user = staff_in("Centru vadītāji", "aglonas-vaditajs")
    aglona.managers.add(user)
    return user


def listed(response) -> list[str]:
    return [str(booking) for booking in response.context["cl"].result_list]


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who sees which bookings ------------------------------------------------------------------


def test_a_manager_sees_only_their_centres_bookings_and_a_coordinator_all(
    client, manager, coordinator, saw, kiln, anna
):
    own = book(saw, anna, "2030-05-14", "10.00", "12.00")
    other = book(kiln, anna, "2030-05-14", "10.00", "12.00")

    client.force_login(manager)
    as_manager = client.get(BOOKINGS)
    other_page = client.get(f"{BOOKINGS}{other.pk}/change/")
    own_page = client.get(f"{BOOKINGS}{own.pk}/change/")
    client.force_login(coordinator)
    as_coordinator = client.get(BOOKINGS)

    assert listed(as_manager) == ["Galda zāģis · 2030-05-14 07:00"]
    assert (other_page.status_code, other_page["Location"]) == (302, "/admin/")
    # The booking's form is read-only: times are never edited here.
    assert own_page.status_code == 200
    assert own_page.context["adminform"].form.fields == {}
    assert listed(as_coordinator) == [
        "Galda zāģis · 2030-05-14 07:00",
        "Keramikas krāsns · 2030-05-14 07:00",
    ]


def test_the_item_filter_offers_only_the_managers_own_items(client, manager, saw, kiln):
    client.force_login(manager)

    response = client.get(BOOKINGS)

    item_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "prieksmets"
    )
    assert item_filter.lookup_choices == [(str(saw.pk), "Galda zāģis")]


def test_the_list_shows_riga_times_in_latvian_and_finds_people_by_name(client, manager, saw, anna):
    book(saw, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    book(saw, person(first_name="Jānis", email="janis@example.lv"), "2030-05-15", "9.00", "10.00")
    client.force_login(manager)

    by_email = client.get(BOOKINGS, {"q": "janis@example"})

    assert listed(by_email) == ["Galda zāģis · 2030-05-15 06:00"]
    full = parse(client.get(BOOKINGS, {"q": "Kalniņa"}).content)
    assert [
        [row.select_one("th").text, *[cell.text for cell in row.select("td")][1:]]
        for row in full.select("#result_list tbody tr")
    ] == [
        [
            "otrdiena, 2030. gada 14. maijs plkst. 10.00–12.00",
            "Galda zāģis",
            "1",
            "Anna Kalniņa (anna@example.lv)",
            "Gaida apstiprinājumu",
            # The no-show column is the admin's yes/no icon.
            "",
        ]
    ]


def test_nobody_adds_or_deletes_bookings_in_the_admin(client, coordinator, saw, anna):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00")
    client.force_login(coordinator)

    answers = [
        client.get(f"{BOOKINGS}add/").status_code,
        client.get(f"{BOOKINGS}{booking.pk}/delete/").status_code,
        client.post(f"{BOOKINGS}{booking.pk}/change/", {"status": "cancelled"}).status_code,
    ]

    booking.refresh_from_db()
    # The form has no fields to post: saving it changes nothing.
    assert answers == [403, 403, 302]
    assert booking.status == Booking.Status.CONFIRMED


# --- Decisions -----------------------------------------------------------------------------------


def test_approving_confirms_a_pending_request_and_mails_the_person(
    client, manager, saw, anna, django_capture_on_commit_callbacks
):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BOOKINGS, {"action": "approve", "_selected_action": [booking.pk]})

    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("confirmed", manager)
    assert shown_messages(response) == ["Apstiprināta 1 rezervācija."]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@example.lv"], "Centrs apstiprināja rezervāciju: Galda zāģis")
    ]


def test_a_refused_decision_is_told_with_the_services_reason(client, manager, saw, anna):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00")
    client.force_login(manager)

    response = client.post(BOOKINGS, {"action": "approve", "_selected_action": [booking.pk]})

    assert shown_messages(response) == [
        "otrdiena, 2030. gada 14. maijs plkst. 10.00–12.00, Galda zāģis: "
        "Šī rezervācija vairs negaida apstiprinājumu."
    ]


def test_a_manager_cannot_decide_another_centres_booking(client, manager, kiln, anna):
    booking = book(kiln, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)

    client.post(BOOKINGS, {"action": "approve", "_selected_action": [booking.pk]})

    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


def test_declining_asks_for_the_reason_first(client, manager, saw, anna):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)

    page = client.post(BOOKINGS, {"action": "decline", "_selected_action": [booking.pk]})

    doc = parse(page.content)
    assert page.templates[0].name == "admin/resource_centres/booking/reason.html"
    assert [li.text for li in doc.select("form ul li")] == [
        "otrdiena, 2030. gada 14. maijs plkst. 10.00–12.00 · Galda zāģis · Anna Kalniņa"
    ]
    assert doc.select("form .errorlist") == []
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."),
        ("   ", "Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."),
        ("x" * 1001, "Iemesls ir pārāk garš: ne vairāk kā 1000 rakstzīmes."),
    ],
)
def test_the_reason_page_refuses_a_missing_or_long_reason_keeping_the_text(
    client, manager, saw, anna, reason, error
):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)

    page = client.post(
        BOOKINGS,
        {"action": "decline", "_selected_action": [booking.pk], "apply": "1", "reason": reason},
    )

    doc = parse(page.content)
    assert [li.text for li in doc.select(".errorlist li")] == [error]
    assert doc.select_one("textarea[name=reason]").text == reason.strip()
    booking.refresh_from_db()
    assert (booking.status, len(mail.outbox)) == ("pending", 0)


def test_declining_with_a_reason_mails_it_and_a_second_submit_changes_nothing(
    client, manager, saw, anna, django_capture_on_commit_callbacks
):
    booking = book(saw, anna, "2030-05-14", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)
    data = {
        "action": "decline",
        "_selected_action": [booking.pk],
        "apply": "1",
        "reason": "<script>alert(1)</script> Zāģis ir remontā.",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(BOOKINGS, data)
        second = client.post(BOOKINGS, data)

    booking.refresh_from_db()
    assert (booking.status, booking.reason) == (
        "declined",
        "<script>alert(1)</script> Zāģis ir remontā.",
    )
    assert shown_messages(first) == ["Noraidīta 1 rezervācija."]
    assert shown_messages(second) == [
        "Noraidīta 1 rezervācija.",
        "otrdiena, 2030. gada 14. maijs plkst. 10.00–12.00, Galda zāģis: "
        "Šī rezervācija vairs negaida apstiprinājumu.",
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@example.lv"], "Rezervācija noraidīta: Galda zāģis")
    ]
    assert "Iemesls: <script>alert(1)</script> Zāģis ir remontā.\n" in mail.outbox[0].body


def test_cancelling_with_a_reason_cancels_each_and_mails_each(
    client, manager, saw, anna, django_capture_on_commit_callbacks
):
    ben = person(first_name="Bens", email="ben@example.lv")
    first = book(saw, anna, "2030-05-14", "10.00", "12.00")
    second = book(saw, ben, "2030-05-15", "10.00", "12.00", status=Booking.Status.PENDING)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BOOKINGS,
            {
                "action": "cancel",
                "_selected_action": [first.pk, second.pk],
                "apply": "1",
                "reason": "Centrs slēgts.",
            },
        )

    assert list(Booking.objects.order_by("pk").values_list("status", "reason", "cancelled_by")) == [
        ("cancelled", "Centrs slēgts.", manager.pk),
        ("cancelled", "Centrs slēgts.", manager.pk),
    ]
    assert shown_messages(response) == ["Atceltas 2 rezervācijas."]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("anna@example.lv", "Centrs atcēla rezervāciju: Galda zāģis"),
        ("ben@example.lv", "Centrs atcēla rezervāciju: Galda zāģis"),
    ]


def test_no_shows_are_marked_and_unmarked_on_begun_confirmed_bookings(client, manager, saw, anna):
    past = book(saw, anna, "2026-01-13", "10.00", "12.00")
    future = book(saw, anna, "2030-05-14", "10.00", "12.00")
    client.force_login(manager)

    marked = client.post(
        BOOKINGS, {"action": "mark_no_show", "_selected_action": [past.pk, future.pk]}
    )
    past.refresh_from_db()
    was_marked = past.no_show
    client.post(BOOKINGS, {"action": "unmark_no_show", "_selected_action": [past.pk]})

    past.refresh_from_db()
    future.refresh_from_db()
    assert (was_marked, past.no_show, future.no_show) == (True, False, False)
    assert shown_messages(marked) == [
        "otrdiena, 2030. gada 14. maijs plkst. 10.00–12.00, Galda zāģis: "
        "Neierašanos var atzīmēt, kad rezervētais laiks ir sācies.",
        "Atzīmēta 1 rezervācija.",
    ]


# --- The day sheet -------------------------------------------------------------------------------


def test_the_day_sheet_lists_the_days_pending_and_confirmed_bookings_per_item(
    client, manager, preili, saw, anna
):
    room = bookable(centre=preili, name="Zāle", order=50)
    ben = person(first_name="Bens", last_name="Ozols", email="ben@example.lv")
    book(saw, ben, "2030-05-14", "13.00", "14.00", note="Plaukti")
    book(saw, anna, "2030-05-14", "9.00", "10.30", status=Booking.Status.PENDING)
    book(saw, anna, "2030-05-14", "11.00", "12.00", status=Booking.Status.CANCELLED)
    book(saw, anna, "2030-05-15", "9.00", "10.00")
    client.force_login(manager)

    response = client.get(DAY, {"datums": "2030-05-14", "centrs": preili.pk})

    doc = parse(response.content)
    sheet = doc.select_one(".day-sheet")
    assert sheet.select_one("h1").text == "Preiļu kopienas resursu centrs: 2030. gada 14. maijs"
    assert [h2.text for h2 in sheet.select("h2")] == ["Galda zāģis", "Zāle"]
    assert [[td.text for td in row.select("td")] for row in sheet.select("tbody tr")] == [
        ["09.00–10.30", "1", "Anna Kalniņa", "Gaida apstiprinājumu", "", ""],
        ["13.00–14.00", "1", "Bens Ozols", "Apstiprināta", "Plaukti", ""],
    ]
    assert [p.text for p in sheet.select("section p")] == ["Šajā dienā rezervāciju nav."]
    assert room.pk


def test_the_day_sheet_prints_without_the_admins_navigation(client, manager, preili):
    client.force_login(manager)

    doc = parse(client.get(DAY, {"datums": "2030-05-14", "centrs": preili.pk}).content)

    assert "/static/css/booking-day-sheet.css" in [
        link.get("href") for link in doc.select("link[rel=stylesheet]")
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"datums": "2030-05-14"},
        {"datums": "2030-05-14", "centrs": "abc"},
        {"datums": "2030-02-30", "centrs": "{preili}"},
        {"datums": "vakar", "centrs": "{preili}"},
        {"datums": "2030-05-14", "centrs": "{aglona}"},
        {"datums": "2030-05-14", "centrs": "99999999999999999999999"},
    ],
)
def test_the_day_sheet_of_another_centre_or_a_bad_query_is_not_found(
    client, manager, preili, aglona, query
):
    client.force_login(manager)
    values = {"preili": preili.pk, "aglona": aglona.pk}

    response = client.get(DAY, {key: value.format(**values) for key, value in query.items()})

    assert response.status_code == 404


def test_a_coordinator_opens_any_centres_day_sheet_and_an_assessor_none(
    client, coordinator, assessor, aglona, kiln, anna
):
    book(kiln, anna, "2030-05-14", "10.00", "12.00")
    client.force_login(coordinator)
    shown = parse(client.get(DAY, {"datums": "2030-05-14", "centrs": aglona.pk}).content)
    client.force_login(assessor)
    refused = client.get(DAY, {"datums": "2030-05-14", "centrs": aglona.pk})

    assert [[td.text for td in row.select("td")] for row in shown.select("tbody tr")] == [
        ["10.00–12.00", "1", "Anna Kalniņa", "Apstiprināta", "", ""]
    ]
    assert refused.status_code == 403


# --- Instructions --------------------------------------------------------------------------------


def test_a_manager_records_an_instruction_by_the_persons_email(client, manager, saw, anna):
    client.force_login(manager)

    response = client.post(
        f"{INSTRUCTIONS}add/",
        {"email": "ANNA@example.lv", "equipment": saw.pk, "instructed_on": "03.12.2026"},
    )

    assert (response.status_code, response["Location"]) == (302, INSTRUCTIONS)
    assert list(
        Instruction.objects.values_list("person", "equipment", "instructed_on", "recorded_by")
    ) == [(anna.pk, saw.pk, timezone.datetime(2026, 12, 3).date(), manager.pk)]


def test_the_instruction_form_refuses_unknown_people_other_centres_items_and_repeats(
    client, manager, saw, kiln, anna
):
    Instruction.objects.create(person=anna, equipment=saw, instructed_on="2026-11-02")
    client.force_login(manager)

    def errors(data):
        page = client.post(f"{INSTRUCTIONS}add/", data)
        form = page.context["adminform"].form
        return {name: list(messages) for name, messages in form.errors.items()}, form[
            "email"
        ].value()

    assert errors(
        {"email": "nav@example.lv", "equipment": saw.pk, "instructed_on": "03.12.2026"}
    ) == (
        {"email": ["Šajā vietnē nav konta ar šo e-pasta adresi. Cilvēkam vispirms jāreģistrējas."]},
        "nav@example.lv",
    )
    assert errors({"email": "anna@example.lv", "equipment": kiln.pk, "instructed_on": "x"})[0] == {
        "equipment": ["Izvēlieties derīgu vērtību. Šī vērtība nav starp pieejamajām."],
        "instructed_on": ["Jāievada derīgs datums."],
    }
    assert errors({"email": "anna@example.lv", "equipment": saw.pk, "instructed_on": "03.12.2026"})[
        0
    ] == {"email": ["Šim cilvēkam instruktāža par „Galda zāģis” jau ir atzīmēta."]}
    assert Instruction.objects.count() == 1


# --- Maintenance ---------------------------------------------------------------------------------


def test_closing_for_maintenance_cancels_the_bookings_then_and_says_how_many(
    client, manager, saw, anna, django_capture_on_commit_callbacks
):
    inside = book(saw, anna, "2030-05-14", "10.00", "12.00")
    pending = book(
        saw, person(email="ben@example.lv"), "2030-05-15", "9.00", "10.00", status="pending"
    )
    after = book(saw, anna, "2030-05-20", "10.00", "12.00")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{MAINTENANCE}add/",
            {
                "equipment": saw.pk,
                "starts_at_0": "14.05.2030",
                "starts_at_1": "00:00",
                "ends_at_0": "17.05.2030",
                "ends_at_1": "00:00",
                "reason": "Asmens maiņa",
            },
        )

    assert (response.status_code, response["Location"]) == (302, MAINTENANCE)
    assert shown_messages(response) == [
        "„Galda zāģis” slēgts apkopei. Atceltas 2 rezervācijas; cilvēki saņēma e-pastu ar iemeslu."
    ]
    assert [Booking.objects.get(pk=b.pk).status for b in (inside, pending, after)] == [
        "cancelled",
        "cancelled",
        "confirmed",
    ]
    assert list(Maintenance.objects.values_list("reason", "created_by")) == [
        ("Asmens maiņa", manager.pk)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.lv", "ben@example.lv"]


def test_the_maintenance_form_refuses_a_missing_reason_and_an_end_before_the_start(
    client, manager, saw
):
    client.force_login(manager)

    page = client.post(
        f"{MAINTENANCE}add/",
        {
            "equipment": saw.pk,
            "starts_at_0": "14.05.2030",
            "starts_at_1": "12:00",
            "ends_at_0": "14.05.2030",
            "ends_at_1": "10:00",
            "reason": "",
        },
    )

    form = page.context["adminform"].form
    assert {name: list(errors) for name, errors in form.errors.items()} == {
        "reason": ["Uzrakstiet iemeslu."],
        "ends_at": ["Beigām jābūt vēlāk par sākumu."],
    }
    assert Maintenance.objects.count() == 0


# --- Usage ---------------------------------------------------------------------------------------


@pytest.fixture
def usage_data(preili, saw, anna):
    """March 2026: Anna 2 h + 1.5 h and a no-show; Ben 30 min (across the change of clock);
    a cancelled and a pending booking that do not count. April: Anna 1 h."""
    ben = person(first_name="Bens", email="ben@example.lv")
    book(saw, anna, "2026-03-02", "10.00", "12.00")
    book(saw, anna, "2026-03-03", "10.00", "11.30")
    book(saw, anna, "2026-03-04", "10.00", "11.00", no_show=True)
    book(saw, ben, "2026-03-29", "02.30", "04.30")
    book(saw, ben, "2026-03-05", "10.00", "11.00", status=Booking.Status.CANCELLED)
    book(saw, ben, "2026-03-06", "10.00", "11.00", status=Booking.Status.PENDING)
    book(saw, anna, "2026-04-01", "10.00", "11.00")
    book(saw, anna, "2025-12-31", "10.00", "11.00")
    preilu = Community.objects.get(slug="preili")
    aglonas = Community.objects.get(slug="aglona")
    for user, community in ((anna, preilu), (anna, aglonas), (ben, preilu)):
        Membership.objects.create(user=user, community=community, status="active")
    Membership.objects.create(
        user=ben, community=Community.objects.get(slug="kraslava"), status="requested"
    )
    return ben


def test_usage_counts_hours_people_and_communities_per_item_and_month(
    client, manager, preili, usage_data
):
    client.force_login(manager)

    doc = parse(client.get(USAGE, {"centrs": preili.pk, "gads": "2026"}).content)

    assert [[td.text for td in row.select("td")] for row in doc.select("tbody tr")] == [
        # 2 + 1.5 h of Anna, and Ben's 02.30-04.30 on the night the clocks go forward: 1 h.
        ["Galda zāģis", "marts 2026", "4,50", "2", "2", "1"],
        ["Galda zāģis", "aprīlis 2026", "1,00", "1", "2", "0"],
    ]


def test_the_usage_csv_has_the_same_rows_with_safe_cells(client, manager, preili, saw, usage_data):
    saw.name = '=HYPERLINK("http://x")'
    saw.save()
    client.force_login(manager)

    response = client.get(USAGE_CSV, {"centrs": preili.pk, "gads": "2026"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lietojums-preili-2026.csv"'
    assert response.content.decode("utf-8").splitlines() == [
        "\ufeffAprīkojums vai telpa;Mēnesis;Rezervētās stundas;Cilvēki;Kopienas;"
        "Neieradās (rezervācijas)",
        '"\'=HYPERLINK(""http://x"")";2026-03;4,50;2;2;1',
        '"\'=HYPERLINK(""http://x"")";2026-04;1,00;1;2;0',
    ]


def test_usage_of_another_centre_is_not_found_for_a_manager(client, manager, aglona):
    client.force_login(manager)

    answers = [
        client.get(USAGE, {"centrs": aglona.pk, "gads": "2026"}).status_code,
        client.get(USAGE_CSV, {"centrs": aglona.pk, "gads": "2026"}).status_code,
        client.get(USAGE, {"centrs": aglona.pk, "gads": "divi"}).status_code,
    ]

    assert answers == [404, 404, 404]


# --- Equipment's booking rules -------------------------------------------------------------------


def test_an_items_page_groups_its_booking_rules(client, manager, saw):
    client.force_login(manager)

    page = client.get(f"/admin/resource_centres/equipment/{saw.pk}/change/")

    assert [(name, options["fields"]) for name, options in page.context["adminform"].fieldsets] == [
        (None, ["centre", "name", "kind", "description", "quantity", "order"]),
        (
            "Rezervēšana",
            [
                "bookable",
                "slot_minutes",
                "min_minutes",
                "max_minutes",
                "horizon_days",
                "buffer_minutes",
                "requires_approval",
                "needs_instruction",
                "weekly_hours_limit",
                "cancel_cutoff_hours",
            ],
        ),
    ]


def test_another_centres_item_is_not_the_managers(client, manager, kiln):
    client.force_login(manager)

    page = client.get(f"/admin/resource_centres/equipment/{kiln.pk}/change/")

    assert (page.status_code, page["Location"]) == (302, "/admin/")
