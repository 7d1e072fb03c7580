"""A community's leaders run its events from the public site (issue 17): create (with weekly or
monthly repeats), edit under an optimistic lock, copy, cancel, mark attendance and close; a
centre's manager does the same for events held at their centre. Everything goes through the
admin's services, so registration, the waiting list, calendars and mails follow one set of
rules."""

import io
import logging
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Membership
from core.formats import RIGA, riga
from core.images import process_photo
from core.models import OutgoingMail
from events import community_events, selectors, services
from events.community_events import Repeat, repeat_dates
from events.models import Event, EventGroupCount, Registration
from resource_centres.services import delete_photo_files
from tests.factories import (
    CommunityFactory,
    EventFactory,
    MembershipFactory,
    ModelElementFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
    UserFactory,
    verified_user,
    with_totp,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_tokens():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def community(db):
    return CommunityFactory(
        slug="preilu-kopiena",
        name="Preiļu kopiena",
        resource_centre=ResourceCentreFactory(slug="preilu-centrs", name="Preiļu centrs"),
    )


@pytest.fixture
def leader(community):
    user = verified_user(first_name="Līga", last_name="Vadone")
    MembershipFactory(user=user, community=community, leader=True)
    return user


def _day(offset: int) -> date:
    return riga(timezone.now()).date() + timedelta(days=offset)


def _form(**values) -> dict:
    data = {
        "title": "Kopienas talka",
        "kind": Event.Kind.COMMUNITY_EVENT,
        "format": Event.Format.IN_PERSON,
        "description": "Sakopjam parku kopā.",
        "starts_on": _day(10).isoformat(),
        "starts_time": "18:00",
        "ends_on": "",
        "ends_time": "20.00",
        "deadline_on": "",
        "centre": "",
        "address": "Parka iela 1, Preiļi",
        "online_url": "",
        "registration_mode": Event.RegistrationMode.PLATFORM,
        "capacity": "15",
        "external_registration_url": "",
        "image_alt": "",
        "is_published": "on",
        "repeat": Repeat.NONE,
        "repeat_until": "",
        "repeat_count": "",
        "token": str(uuid.uuid4()),
    }
    data.update(values)
    return data


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- Create -------------------------------------------------------------------------------------


def test_a_leader_creates_an_event_at_riga_time_with_a_unique_slug(client, community, leader):
    EventFactory(slug="kopienas-talka")
    groups = [TargetGroupFactory(title="Ģimenes ar bērniem")]
    client.force_login(leader)

    page = client.get("/kopienas/preilu-kopiena/pasakumi/jauns/")
    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(target_groups=[str(groups[0].pk)], deadline_on=_day(9).isoformat()),
    )

    event = Event.objects.get(community=community)
    assert page.status_code == 200
    assert page.context["form"]["centre"].value() == community.resource_centre_id
    assert (response.status_code, response["Location"]) == (302, "/pasakumi/kopienas-talka-2/")
    assert (
        event.title,
        riga(event.starts_at).replace(tzinfo=None),
        riga(event.ends_at).replace(tzinfo=None),
        riga(event.registration_deadline).replace(tzinfo=None),
        event.address,
        event.capacity,
        list(event.target_groups.values_list("title", flat=True)),
        event.seats_confirmed,
        event.sequence,
    ) == (
        "Kopienas talka",
        datetime.combine(_day(10), time(18)),
        datetime.combine(_day(10), time(20)),
        datetime.combine(_day(10), time(0)),
        "Parka iela 1, Preiļi",
        15,
        ["Ģimenes ar bērniem"],
        0,
        0,
    )


def test_the_new_event_takes_registrations_as_the_centres_events_do(client, community, leader):
    client.force_login(leader)
    client.post("/kopienas/preilu-kopiena/pasakumi/jauns/", _form(capacity="1"))
    event = Event.objects.get(community=community)

    first = services.register(event=event, user=UserFactory())
    second = services.register(event=event, user=UserFactory())

    assert (first.registration.status, second.registration.status) == (
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
    )


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(client, community, leader):
    client.force_login(leader)
    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(
            title="x" * 201,
            capacity="daudz",
            starts_time="25:00",
            address="",
            description="<script>alert(1)</script>",
            registration_mode="citur",
            starts_on="31.02.2031",
            repeat_count="divi",
            target_groups=["nav-skaitlis"],
        ),
    )

    doc = parse(response.content)
    assert response.status_code == 400
    assert _errors(response) == {
        "title": ["Ne vairāk kā 200 rakstzīmes (tagad 201)."],
        "capacity": ["Ievadiet veselu skaitli."],
        "starts_time": ["Ievadiet laiku, piemēram, 18.00."],
        "registration_mode": ["Izvēlieties derīgu vērtību. citur nav starp pieejamajām."],
        "address": ["Norādiet centru vai adresi."],
        "starts_on": ["Ievadiet datumu, piemēram, 2026-03-24."],
        "repeat_count": ["Ievadiet veselu skaitli."],
        "target_groups": ["Izvēlieties no saraksta."],
    }
    assert doc.select_one("textarea[name=description]").text == "<script>alert(1)</script>"
    assert doc.select_one("#kludas") is not None
    assert b"<script>alert(1)</script>" not in response.content
    assert Event.objects.count() == 0


def test_an_end_before_the_start_and_a_too_long_description_are_refused(client, community, leader):
    client.force_login(leader)
    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(ends_time="17:00", description="ā" * 5001),
    )
    assert _errors(response) == {
        "description": ["Ne vairāk kā 5000 rakstzīmes (tagad 5001)."],
        "ends_time": ["Beigām jābūt pēc sākuma."],
    }


def test_a_script_in_the_title_is_shown_as_text(client, community, leader):
    client.force_login(leader)
    client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/", _form(title="<script>alert(1)</script>")
    )
    event = Event.objects.get()
    page = client.get(event.get_absolute_url())
    assert event.title == "<script>alert(1)</script>"
    assert parse(page.content).select_one("h1").text == "<script>alert(1)</script>"
    assert b"<script>alert(1)</script>" not in page.content


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_goes_through_the_re_encoder_and_a_fake_one_is_refused(client, community, leader):
    client.force_login(leader)
    fake = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        {
            **_form(image_alt="Talka parkā"),
            "image": SimpleUploadedFile("talka.jpg", b"<?php echo 1; ?>", "image/jpeg"),
        },
    )
    real = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        {
            **_form(image_alt="Talka parkā"),
            "image": SimpleUploadedFile("Jāņa talka.jpg", _jpeg(), "image/jpeg"),
        },
    )

    event = Event.objects.get()
    assert fake.status_code == 400
    assert list(_errors(fake)) == ["image"]
    assert real.status_code == 302
    assert event.image.name.startswith("events/photos/")
    assert "Jāņa" not in event.image.name
    assert event.thumbnail.name.startswith("events/thumbs/")
    assert event.image.storage.exists(event.image.name) is True


def test_a_photo_needs_its_description(client, community, leader):
    client.force_login(leader)
    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        {**_form(), "image": SimpleUploadedFile("talka.jpg", _jpeg(), "image/jpeg")},
    )
    assert _errors(response) == {"image_alt": ["Aprakstiet attēlu: to nolasa ekrāna lasītāji."]}


def test_a_double_submit_creates_one_event(client, community, leader):
    client.force_login(leader)
    data = _form()
    first = client.post("/kopienas/preilu-kopiena/pasakumi/jauns/", data)
    second = client.post("/kopienas/preilu-kopiena/pasakumi/jauns/", data)

    assert Event.objects.count() == 1
    assert (first["Location"], second["Location"]) == (
        "/pasakumi/kopienas-talka/",
        "/pasakumi/kopienas-talka/",
    )


def test_a_form_without_its_token_is_refused_and_given_a_new_one(client, community, leader):
    client.force_login(leader)
    response = client.post("/kopienas/preilu-kopiena/pasakumi/jauns/", _form(token="vecs"))
    assert response.status_code == 400
    assert _errors(response) == {
        "__all__": ["Veidlapa bija novecojusi: pārbaudiet datus un nosūtiet vēlreiz."]
    }
    assert uuid.UUID(parse(response.content).select_one("input[name=token]").get("value"))
    assert Event.objects.count() == 0


# --- Repeats ------------------------------------------------------------------------------------


def test_weekly_repeats_keep_the_wall_clock_time_across_the_change_to_summer_time():
    dates, skipped = repeat_dates(first=date(2031, 3, 20), repeat=Repeat.WEEKLY, count=3)
    schedule = community_events.Schedule(
        starts_on=date(2031, 3, 20),
        starts_time=time(18),
        ends_on=date(2031, 3, 20),
        ends_time=time(20),
        repeat=Repeat.WEEKLY,
        repeat_count=3,
    )
    planned, _ = community_events.occurrences(schedule)

    assert (dates, skipped) == ([date(2031, 3, 20), date(2031, 3, 27), date(2031, 4, 3)], [])
    # Riga moves to summer time on 30 March 2031: the same 18.00, an hour earlier in UTC.
    assert [riga(each.starts_at).strftime("%Y-%m-%d %H:%M") for each in planned] == [
        "2031-03-20 18:00",
        "2031-03-27 18:00",
        "2031-04-03 18:00",
    ]
    assert [each.starts_at.astimezone(RIGA).utcoffset() for each in planned] == [
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=3),
    ]


def test_monthly_repeats_skip_months_without_the_day():
    dates, skipped = repeat_dates(
        first=date(2031, 1, 31), repeat=Repeat.MONTHLY, until=date(2031, 5, 31)
    )
    assert dates == [date(2031, 1, 31), date(2031, 3, 31), date(2031, 5, 31)]
    assert skipped == [date(2031, 2, 1), date(2031, 4, 1)]


def test_a_series_creates_separate_events_each_cancellable_alone(client, community, leader):
    client.force_login(leader)
    first = _day(3)
    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(starts_on=first.isoformat(), repeat=Repeat.WEEKLY, repeat_count="4"),
    )
    events = list(Event.objects.order_by("starts_at"))
    services.cancel_event(event=events[1], reason="Lietus")

    assert response["Location"] == f"/pasakumi/kopienas-talka-{first.isoformat()}/"
    assert [riga(e.starts_at).date() for e in events] == [
        first + timedelta(weeks=n) for n in range(4)
    ]
    assert [e.slug for e in events] == [
        f"kopienas-talka-{(first + timedelta(weeks=n)).isoformat()}" for n in range(4)
    ]
    assert [e.is_cancelled for e in Event.objects.order_by("starts_at")] == [
        False,
        True,
        False,
        False,
    ]


def test_a_series_is_capped_at_52_dates(client, community, leader):
    client.force_login(leader)
    by_count = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(repeat=Repeat.WEEKLY, repeat_count="53"),
    )
    by_date = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(repeat=Repeat.WEEKLY, repeat_until=_day(10 + 7 * 52).isoformat()),
    )
    at_cap = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(repeat=Repeat.WEEKLY, repeat_until=_day(10 + 7 * 51).isoformat()),
    )

    message = (
        "Atkārtojumu sērijā var būt ne vairāk kā 52 datumi. "
        "Izvēlieties agrāku beigu datumu vai mazāku skaitu."
    )
    assert _errors(by_count) == {"repeat_count": [message]}
    assert _errors(by_date) == {"repeat_until": [message]}
    assert at_cap.status_code == 302
    assert Event.objects.count() == 52


def test_a_repeat_needs_an_end(client, community, leader):
    client.force_login(leader)
    response = client.post("/kopienas/preilu-kopiena/pasakumi/jauns/", _form(repeat=Repeat.MONTHLY))
    assert _errors(response) == {"repeat_until": ["Norādiet beigu datumu vai reižu skaitu."]}


# --- Edit, conflict, copy, cancel ---------------------------------------------------------------


def _edit_form(client, event) -> dict:
    """The edit page's own values, as the browser would send them back."""
    form = client.get(f"/pasakumi/{event.slug}/labot/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "isoformat") and not isinstance(value, time):
            data[name] = value.isoformat()
        elif isinstance(value, time):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = str(value)
    data.pop("image", None)
    return data


@pytest.fixture
def event(community):
    return EventFactory(
        title="Pavasara talka",
        slug="pavasara-talka",
        community=community,
        centre=community.resource_centre,
    )


def test_a_leader_edits_and_calendars_see_a_new_version(client, event, leader):
    client.force_login(leader)
    data = _edit_form(client, event)
    starts = riga(event.starts_at)

    response = client.post(
        f"/pasakumi/{event.slug}/labot/", {**data, "title": "Lielā talka", "starts_time": "16:00"}
    )
    event.refresh_from_db()

    assert (response.status_code, response["Location"]) == (302, "/pasakumi/pavasara-talka/")
    assert (event.title, riga(event.starts_at).time(), riga(event.starts_at).date()) == (
        "Lielā talka",
        time(16),
        starts.date(),
    )
    assert event.sequence == 1


def test_an_edit_over_someone_elses_change_is_refused_keeping_what_was_typed(client, event, leader):
    client.force_login(leader)
    data = _edit_form(client, event)
    # Meanwhile a centre manager changes the event in the admin.
    event.title = "Talka (mainīja centrs)"
    services.save_event(event=event, changed=["title"])

    response = client.post(
        f"/pasakumi/{event.slug}/labot/", {**data, "description": "Mans jaunais apraksts."}
    )
    event.refresh_from_db()

    assert response.status_code == 409
    assert _errors(response) == {
        "__all__": [
            "Šo pasākumu pa to laiku mainīja cits lietotājs. Jūsu labojumi nav saglabāti: "
            "pārbaudiet pašreizējos datus un labojiet vēlreiz."
        ]
    }
    assert parse(response.content).select_one("textarea[name=description]").text == (
        "Mans jaunais apraksts."
    )
    assert (event.title, event.description) == (
        "Talka (mainīja centrs)",
        "Mācāmies kopā plānot kopienas iniciatīvas.",
    )
    doc = parse(response.content)
    assert doc.texts("section.notice dl dt") == ["Nosaukums", "Apraksts"]
    assert doc.texts("section.notice dl dd") == [
        "Talka (mainīja centrs)",
        "Mācāmies kopā plānot kopienas iniciatīvas.",
    ]

    # Having looked, the leader sends again: now against the version saved meanwhile.
    resent = client.post(
        f"/pasakumi/{event.slug}/labot/",
        {
            **data,
            "description": "Mans jaunais apraksts.",
            "version": doc.select_one("input[name=version]").get("value"),
        },
    )
    event.refresh_from_db()
    assert resent.status_code == 302
    assert (event.title, event.description) == ("Pavasara talka", "Mans jaunais apraksts.")


def test_a_double_submitted_edit_is_saved_once_and_not_called_a_conflict(client, event, leader):
    client.force_login(leader)
    data = {**_edit_form(client, event), "title": "Lielā talka"}
    first = client.post(f"/pasakumi/{event.slug}/labot/", data)
    second = client.post(f"/pasakumi/{event.slug}/labot/", data)
    event.refresh_from_db()
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == "/pasakumi/pavasara-talka/"
    assert event.title == "Lielā talka"


def test_capacity_below_the_confirmed_seats_is_refused(client, event, leader):
    services.register(event=event, user=UserFactory(), seats=3)
    client.force_login(leader)
    response = client.post(
        f"/pasakumi/{event.slug}/labot/", {**_edit_form(client, event), "capacity": "2"}
    )
    assert _errors(response) == {
        "capacity": ["Jau apstiprināto vietu skaits ir 3; pasākuma vietu skaits nevar būt mazāks."]
    }


def test_a_copy_is_prefilled_without_dates_and_becomes_a_new_event(client, event, leader):
    group = TargetGroupFactory(title="Vīrieši 35+")
    event.target_groups.add(group)
    client.force_login(leader)

    page = client.get(f"/pasakumi/{event.slug}/kopet/")
    form = page.context["form"]
    response = client.post(
        f"/pasakumi/{event.slug}/kopet/",
        _form(
            title=form["title"].value(),
            description=form["description"].value(),
            centre=str(form["centre"].value()),
            address="",
            target_groups=[str(pk) for pk in form["target_groups"].value()],
            starts_on=_day(40).isoformat(),
        ),
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert (form["title"].value(), form["starts_on"].value(), form["version"].value()) == (
        "Pavasara talka",
        None,
        None,
    )
    assert response["Location"] == "/pasakumi/pavasara-talka-2/"
    assert (
        copy.title,
        copy.community,
        copy.centre,
        riga(copy.starts_at).date(),
        list(copy.target_groups.all()),
    ) == ("Pavasara talka", event.community, event.centre, _day(40), [group])


def test_cancelling_asks_for_a_reason_and_mails_as_the_admins_cancel(
    client, event, leader, django_capture_on_commit_callbacks
):
    services.register(event=event, user=verified_user(email="janis@example.lv"))
    services.register(event=event, user=verified_user(email="anna@example.lv"))
    other = EventFactory(title="Pavasara talka", slug="cita-talka")
    services.register(event=other, user=verified_user(email="janis2@example.lv"))
    services.register(event=other, user=verified_user(email="anna2@example.lv"))
    client.force_login(leader)

    asked = client.get(f"/pasakumi/{event.slug}/atcelt/")
    without_reason = client.post(f"/pasakumi/{event.slug}/atcelt/", {"reason": " "})
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(f"/pasakumi/{event.slug}/atcelt/", {"reason": "Plūdi"})
        again = client.post(f"/pasakumi/{event.slug}/atcelt/", {"reason": "Plūdi"})
        services.cancel_event(event=other, reason="Plūdi")
    event.refresh_from_db()

    def mails(recipients):
        return sorted(
            (m.kind, m.subject) for m in OutgoingMail.objects.filter(recipient__in=recipients)
        )

    assert parse(asked.content).select_one("h1").text == "Atcelt pasākumu"
    assert _errors(without_reason) == {"reason": ["Šis lauks ir obligāts."]}
    assert (cancelled.status_code, again.status_code) == (302, 302)
    assert (event.is_cancelled, event.cancellation_reason, event.sequence) == (True, "Plūdi", 1)
    assert mails(["janis@example.lv", "anna@example.lv"]) == mails(
        ["janis2@example.lv", "anna2@example.lv"]
    )
    assert sorted(m.subject for m in mail.outbox) == ["Pasākums atcelts: Pavasara talka"] * 4


# --- Who ----------------------------------------------------------------------------------------


def test_another_communitys_leader_gets_404_everywhere(client, event):
    stranger = verified_user()
    MembershipFactory(user=stranger, community=CommunityFactory(slug="cita"), leader=True)
    member = verified_user()
    MembershipFactory(
        user=member,
        community=event.community,
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    paths = [
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        f"/pasakumi/{event.slug}/labot/",
        f"/pasakumi/{event.slug}/kopet/",
        f"/pasakumi/{event.slug}/atcelt/",
        f"/pasakumi/{event.slug}/apmeklejums/",
    ]
    answers = {}
    for person in (stranger, member):
        client.force_login(person)
        answers[person.pk] = [client.get(path).status_code for path in paths]
        answers[person.pk] += [client.post(path, {"reason": "x"}).status_code for path in paths]
    event.refresh_from_db()
    assert answers == {stranger.pk: [404] * 10, member.pk: [404] * 10}
    assert event.is_cancelled is False


def test_signed_out_people_are_asked_to_log_in(client, event):
    response = client.get(f"/pasakumi/{event.slug}/labot/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/konts/login/?next=/pasakumi/{event.slug}/labot/",
    )


def _manager(centre):
    user = with_totp(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Centru vadītāji"))
    centre.managers.add(user)
    return user


def test_a_centre_manager_corrects_events_at_their_centre_only(client, event):
    manager = _manager(event.centre)
    elsewhere = EventFactory(slug="cita-vieta", community=event.community)
    client.force_login(manager)

    data = _edit_form(client, event)
    saved = client.post(f"/pasakumi/{event.slug}/labot/", {**data, "address": "Zāle 2"})
    other = client.get(f"/pasakumi/{elsewhere.slug}/labot/")
    create = client.get("/kopienas/preilu-kopiena/pasakumi/jauns/")
    event.refresh_from_db()

    assert (saved.status_code, other.status_code, create.status_code) == (302, 404, 404)
    assert event.address == "Zāle 2"


def test_the_links_show_only_to_those_allowed(client, event, leader):
    def links(user):
        client.logout()
        if user:
            client.force_login(user)
        event_page = parse(client.get(f"/pasakumi/{event.slug}/").content)
        community_page = parse(client.get("/kopienas/preilu-kopiena/").content)
        return (
            event_page.texts(".event-actions a"),
            [a.text for a in community_page.select("a") if a.text == "Jauns pasākums"],
        )

    assert links(leader) == (["Labot", "Kopēt", "Atcelt", "Apmeklējums"], ["Jauns pasākums"])
    assert links(verified_user()) == ([], [])
    assert links(None) == ([], [])


# --- Attendance and closing ---------------------------------------------------------------------


def _into_the_past(event) -> None:
    start = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()


def test_attendance_and_closing_only_after_the_end_and_only_once(client, event, leader):
    group = TargetGroupFactory(title="Jaunieši")
    event.target_groups.add(group)
    came = services.register(event=event, user=verified_user(first_name="Jānis")).registration
    away = services.register(event=event, user=verified_user(first_name="Anna")).registration
    client.force_login(leader)
    url = f"/pasakumi/{event.slug}/apmeklejums/"
    closing = {
        "darbiba": "noslegt",
        "attendees_count": "12",
        "organisations_count": "3",
        f"group-{group.pk}": "5",
        "report": "Sakopām parku.",
    }

    early = client.get(url)
    early_post = client.post(url, closing)
    _into_the_past(event)
    marked = client.post(
        url,
        {"darbiba": "apmeklejums", "attended": [str(came.pk), "x", "²", "9" * 40, "-1"]},
    )
    too_many = client.post(url, {**closing, f"group-{group.pk}": "13"})
    closed = client.post(url, closing)
    again = client.post(url, {**closing, "attendees_count": "99"})
    event.refresh_from_db()

    assert parse(early.content).select_one(".notice").text.strip() == (
        "Pasākumu var noslēgt tikai pēc tā beigām."
    )
    assert (early_post.status_code, early_post["Location"]) == (302, url)
    assert marked.status_code == 302
    assert list(
        Registration.objects.filter(pk__in=[came.pk, away.pk])
        .order_by("pk")
        .values_list("attended", flat=True)
    ) == [True, False]
    assert dict(too_many.context["form"].errors) == {
        f"group-{group.pk}": ["Nevar būt vairāk nekā visu dalībnieku skaits."]
    }
    assert (closed.status_code, closed["Location"]) == (302, f"/pasakumi/{event.slug}/")
    assert (event.attendees_count, event.organisations_count, event.report) == (
        12,
        3,
        "Sakopām parku.",
    )
    assert event.closed_at is not None
    # Closed events are what the figures count.
    assert list(selectors.held_events()) == [event]
    assert list(EventGroupCount.objects.values_list("target_group__title", "count")) == [
        ("Jaunieši", 5)
    ]
    assert (again.status_code, again["Location"]) == (302, url)
    assert [str(m) for m in again.wsgi_request._messages][-1] == "Pasākums jau ir noslēgts."


def test_close_refused_by_the_service_before_the_end(event):
    with pytest.raises(Exception) as refused:
        community_events.close_community_event(
            event=event, attendees_count=1, organisations_count=1, group_counts={}, report=""
        )
    assert refused.value.messages == ["Pasākumu var noslēgt tikai pēc tā beigām."]


# --- Queries ------------------------------------------------------------------------------------


# Session, user, their groups and membership, then the page's own reads: the same for one row
# or many (registrations, target groups).
CEILINGS = {"labot": 11, "kopet": 9, "atcelt": 4, "apmeklejums": 7}


@pytest.mark.parametrize("rows", [1, 6])
def test_the_pages_cost_the_same_for_few_and_many_rows(
    client, community, leader, django_assert_num_queries, rows
):
    event = EventFactory(slug="talka", community=community, centre=community.resource_centre)
    _into_the_past(event)
    for number in range(rows):
        TargetGroupFactory()
        ModelElementFactory()
        Registration.objects.create(
            event=event,
            name=f"Dalībnieks {number}",
            email=f"d{number}@example.lv",
            status=Registration.Status.CONFIRMED,
            token=f"t{number}",
        )
    client.force_login(leader)

    for page, ceiling in CEILINGS.items():
        with django_assert_num_queries(ceiling):
            response = client.get(f"/pasakumi/talka/{page}/")
        assert response.status_code == 200, page
    with django_assert_num_queries(7):
        response = client.get("/kopienas/preilu-kopiena/pasakumi/jauns/")
    assert response.status_code == 200


def test_a_copy_and_a_series_own_their_photo_files(client, community, leader):
    client.force_login(leader)
    client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        {
            **_form(image_alt="Talka parkā", repeat=Repeat.WEEKLY, repeat_count="2"),
            "image": SimpleUploadedFile("talka.jpg", _jpeg(), "image/jpeg"),
        },
    )
    first, second = Event.objects.order_by("starts_at")
    copied = client.post(
        f"/pasakumi/{first.slug}/kopet/",
        _form(image_alt="Talka parkā", starts_on=_day(60).isoformat()),
    )
    copy = Event.objects.exclude(pk__in=[first.pk, second.pk]).get()

    names = [e.image.name for e in (first, second, copy)]
    assert copied.status_code == 302
    assert len(set(names)) == 3
    assert all(name.startswith("events/photos/") for name in names)
    assert (copy.image_alt, copy.image.storage.exists(copy.image.name)) == ("Talka parkā", True)
    assert copy.thumbnail.name.startswith("events/thumbs/")


def test_a_monthly_series_says_which_months_it_skipped(client, community, leader):
    first = _day(1)
    while first.day != 31:
        first += timedelta(days=1)
    dates, skipped = repeat_dates(first=first, repeat=Repeat.MONTHLY, count=3)
    client.force_login(leader)

    response = client.post(
        "/kopienas/preilu-kopiena/pasakumi/jauns/",
        _form(starts_on=first.isoformat(), repeat=Repeat.MONTHLY, repeat_count="3"),
    )

    assert response.status_code == 302
    assert [riga(e.starts_at).date() for e in Event.objects.order_by("starts_at")] == dates
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Izveidoti 3 pasākumi.",
        *(
            f"Mēnesī {month.strftime('%m.%Y.')} nav 31. datuma, "
            "tāpēc tajā pasākums netika izveidots."
            for month in skipped
        ),
    ]
    assert len(skipped) >= 1


def test_the_service_refuses_an_edit_made_from_an_old_version(event):
    shown = event.updated_at
    event.title = "Mainīts citur"
    services.save_event(event=event, changed=["title"])
    event.title = "Mans nosaukums"

    with pytest.raises(community_events.EventChanged):
        community_events.update_community_event(
            event=event, version=shown, target_groups=[], model_elements=[]
        )
    event.refresh_from_db()
    assert event.title == "Mainīts citur"


def test_a_cancelled_event_is_not_edited(client, event, leader):
    services.cancel_event(event=event, reason="Lietus")
    client.force_login(leader)
    response = client.get(f"/pasakumi/{event.slug}/labot/")
    assert (response.status_code, response["Location"]) == (302, f"/pasakumi/{event.slug}/")
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Atcelts pasākums vairs nav labojams."
    ]


def test_a_new_event_is_a_community_event_at_the_communitys_centre_by_default(
    client, community, leader
):
    client.force_login(leader)
    form = client.get("/kopienas/preilu-kopiena/pasakumi/jauns/").context["form"]
    assert (form["kind"].value(), form["centre"].value(), form["repeat"].value()) == (
        Event.Kind.COMMUNITY_EVENT,
        community.resource_centre_id,
        Repeat.NONE,
    )


def test_a_copy_keeps_the_sources_place_not_the_communitys_centre(client, community, leader):
    source = EventFactory(
        slug="parka-talka", community=community, centre=None, address="Parka iela 1"
    )
    client.force_login(leader)
    form = client.get(f"/pasakumi/{source.slug}/kopet/").context["form"]
    assert (form["centre"].value(), form["address"].value()) == (None, "Parka iela 1")


def test_a_centre_manager_edits_an_event_of_no_community(client, db):
    centre = ResourceCentreFactory(slug="centrs")
    event = EventFactory(slug="centra-seminars", title="Centra seminārs", centre=centre)
    client.force_login(_manager(centre))

    page = client.get(f"/pasakumi/{event.slug}/labot/")
    saved = client.post(
        f"/pasakumi/{event.slug}/labot/", {**_edit_form(client, event), "capacity": "30"}
    )
    event.refresh_from_db()

    assert parse(page.content).texts(".breadcrumbs a") == ["Centra seminārs"]
    assert (saved.status_code, event.capacity, event.community) == (302, 30, None)


# --- Valid HTML --------------------------------------------------------------------------------


@pytest.mark.vnu
def test_the_leaders_pages_are_valid_html_also_with_errors(
    client, community, leader, event, tmp_path
):
    from tests.vnu import nu_errors

    ended = EventFactory(
        title="Rudens talka",
        slug="rudens-talka",
        community=community,
        centre=community.resource_centre,
    )
    services.register(event=ended, user=verified_user(first_name="Jānis"))
    Event.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - timedelta(days=2, hours=2),
        ends_at=timezone.now() - timedelta(days=2),
    )
    client.force_login(leader)
    responses = {
        "create": client.get(f"/kopienas/{community.slug}/pasakumi/jauns/"),
        "create-errors": client.post(
            f"/kopienas/{community.slug}/pasakumi/jauns/", _form(title="", starts_time="25.99")
        ),
        "edit": client.get(f"/pasakumi/{event.slug}/labot/"),
        "copy": client.get(f"/pasakumi/{event.slug}/kopet/"),
        "cancel": client.get(f"/pasakumi/{event.slug}/atcelt/"),
        "event": client.get(f"/pasakumi/{event.slug}/"),
        "attendance": client.get(f"/pasakumi/{ended.slug}/apmeklejums/"),
    }
    pages = {name: response.content for name, response in responses.items()}

    # The pages themselves, not an error page in their place.
    assert {name: response.status_code for name, response in responses.items()} == {
        "create": 200,
        "create-errors": 400,
        "edit": 200,
        "copy": 200,
        "cancel": 200,
        "event": 200,
        "attendance": 200,
    }
    assert len(parse(pages["create-errors"]).texts("#kludas li")) == 2
    assert nu_errors(pages, tmp_path) == []


# --- Removing the photo -------------------------------------------------------------------------


def _with_photo(event) -> tuple[str, str]:
    """Give `event` a photo as the edit form does; returns the names of its two files."""
    processed = process_photo(SimpleUploadedFile("talka.jpg", _jpeg(), "image/jpeg"))
    services.set_event_image(event=event, processed=processed)
    event.image_alt = "Talka parkā"
    event.save()
    return event.image.name, event.thumbnail.name


def _stored(event, *names) -> list[bool]:
    return [event.image.storage.exists(name) for name in names]


def test_the_removal_box_shows_only_on_the_edit_page_of_an_event_with_a_photo(
    client, event, leader
):
    other = EventFactory(slug="bez-attela", community=event.community, centre=event.centre)
    _with_photo(event)
    client.force_login(leader)

    def boxes(path):
        doc = parse(client.get(path).content)
        return [
            (box.get("id"), doc.select_one(f"label[for={box.get('id')}]").text)
            for box in doc.select("input[name=remove_image]")
        ]

    assert boxes(f"/pasakumi/{event.slug}/labot/") == [("id_remove_image", "Noņemt attēlu:")]
    assert boxes(f"/pasakumi/{other.slug}/labot/") == []
    # A copy takes the photo unless another is uploaded: there is nothing to remove there.
    assert boxes(f"/pasakumi/{event.slug}/kopet/") == []
    assert boxes("/kopienas/preilu-kopiena/pasakumi/jauns/") == []


def test_a_leader_removes_the_photo_and_its_files_go_after_the_commit(
    client, event, leader, django_capture_on_commit_callbacks
):
    names = _with_photo(event)
    client.force_login(leader)
    data = _edit_form(client, event)

    with django_capture_on_commit_callbacks(execute=True):
        # The description typed, or cleared: neither stops the removal.
        response = client.post(
            f"/pasakumi/{event.slug}/labot/", {**data, "remove_image": "on", "image_alt": ""}
        )
    event.refresh_from_db()

    assert (response.status_code, response["Location"]) == (302, "/pasakumi/pavasara-talka/")
    assert (event.image.name, event.thumbnail.name, event.image_alt) == ("", "", "")
    assert _stored(event, *names) == [False, False]
    assert [str(m) for m in response.wsgi_request._messages] == ["Pasākums saglabāts."]
    assert parse(client.get("/pasakumi/pavasara-talka/").content).select("main img") == []


def test_a_new_photo_and_its_removal_together_are_refused_and_nothing_is_lost(
    client, event, leader, django_capture_on_commit_callbacks
):
    names = _with_photo(event)
    client.force_login(leader)
    data = _edit_form(client, event)

    with django_capture_on_commit_callbacks(execute=True):
        both = client.post(
            f"/pasakumi/{event.slug}/labot/",
            {
                **data,
                "title": "Lielā talka",
                "remove_image": "on",
                "image": SimpleUploadedFile("cita.jpg", _jpeg(), "image/jpeg"),
            },
        )
        fake = client.post(
            f"/pasakumi/{event.slug}/labot/",
            {
                **data,
                "remove_image": "on",
                "image": SimpleUploadedFile("cita.jpg", b"<script>alert(1)</script>", "image/jpeg"),
            },
        )
    event.refresh_from_db()
    doc = parse(both.content)

    assert (both.status_code, fake.status_code) == (400, 400)
    both_message = "Izvēlieties vienu: augšupielādējiet jaunu attēlu vai noņemiet esošo, ne abus."
    assert _errors(both) == {"remove_image": [both_message]}
    assert list(_errors(fake)) == ["image", "remove_image"]
    assert _errors(fake)["remove_image"] == [both_message]
    # What was typed stays on the page, the box still ticked; the saved event is untouched.
    assert doc.select_one("#id_title").get("value") == "Lielā talka"
    assert "checked" in doc.select_one("#id_remove_image").attrs
    assert doc.texts("#kludas li") == [f"Noņemt attēlu: {both_message}"]
    assert (event.title, event.image.name, event.thumbnail.name, event.image_alt) == (
        "Pavasara talka",
        *names,
        "Talka parkā",
    )
    assert _stored(event, *names) == [True, True]


def test_the_service_refuses_a_new_photo_with_a_removal(event):
    _with_photo(event)
    processed = process_photo(SimpleUploadedFile("cita.jpg", _jpeg(), "image/jpeg"))

    with pytest.raises(ValidationError) as refused:
        community_events.update_community_event(
            event=event,
            version=event.updated_at,
            target_groups=[],
            model_elements=[],
            processed_photo=processed,
            remove_photo=True,
        )

    assert refused.value.message_dict == {
        "remove_image": [
            "Izvēlieties vienu: augšupielādējiet jaunu attēlu vai noņemiet esošo, ne abus."
        ]
    }


def test_a_file_that_cannot_be_deleted_does_not_undo_the_removal(
    client, event, leader, django_capture_on_commit_callbacks, caplog
):
    image_name, thumbnail_name = _with_photo(event)
    # A thumbnail the storage cannot delete: a directory with something in it in its place.
    path = Path(event.thumbnail.storage.path(thumbnail_name))
    path.unlink()
    path.mkdir()
    (path / "kas-cits").write_bytes(b"x")
    client.force_login(leader)
    data = _edit_form(client, event)

    with (
        caplog.at_level(logging.ERROR, logger="resource_centres.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/pasakumi/{event.slug}/labot/", {**data, "remove_image": "on"})
    event.refresh_from_db()

    assert (response.status_code, response["Location"]) == (302, "/pasakumi/pavasara-talka/")
    assert (event.image.name, event.thumbnail.name) == ("", "")
    assert _stored(event, image_name) == [False]
    assert [r.getMessage() for r in caplog.records if r.name == "resource_centres.services"] == [
        f"Could not delete the photo file {thumbnail_name}"
    ]


def test_a_removal_sent_twice_removes_once_and_leads_to_the_event(
    client, event, leader, django_capture_on_commit_callbacks
):
    names = _with_photo(event)
    client.force_login(leader)
    data = {**_edit_form(client, event), "remove_image": "on"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = client.post(f"/pasakumi/{event.slug}/labot/", data)
        second = client.post(f"/pasakumi/{event.slug}/labot/", data)
    event.refresh_from_db()

    assert (first.status_code, first["Location"]) == (302, "/pasakumi/pavasara-talka/")
    assert (second.status_code, second["Location"]) == (302, "/pasakumi/pavasara-talka/")
    assert [str(m) for m in second.wsgi_request._messages] == [
        "Pasākums saglabāts.",
        "Šī veidlapa jau ir nosūtīta.",
    ]
    assert (event.image.name, event.image_alt) == ("", "")
    assert _stored(event, *names) == [False, False]
    deletions = [c for c in callbacks if getattr(c, "func", None) is delete_photo_files]
    assert len(deletions) == 1


def test_a_removal_in_an_edit_the_service_refuses_keeps_the_photo(
    client, event, leader, django_capture_on_commit_callbacks
):
    names = _with_photo(event)
    services.register(event=event, user=verified_user())
    services.register(event=event, user=verified_user())
    client.force_login(leader)
    data = _edit_form(client, event)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/pasakumi/{event.slug}/labot/", {**data, "remove_image": "on", "capacity": "1"}
        )
    event.refresh_from_db()

    assert response.status_code == 400
    assert _errors(response) == {
        "capacity": ["Jau apstiprināto vietu skaits ir 2; pasākuma vietu skaits nevar būt mazāks."]
    }
    assert (event.image.name, event.thumbnail.name, event.image_alt) == (*names, "Talka parkā")
    assert _stored(event, *names) == [True, True]
    assert [c for c in callbacks if getattr(c, "func", None) is delete_photo_files] == []
