"""The event pages: list and filters, one event, registration as a guest and as a member."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.factories import (
    CommunityFactory,
    EventFactory,
    ResourceCentreFactory,
    TargetGroupFactory,
    UserFactory,
    verified_user,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


def titles(response):
    return parse(response.content).texts("#pasakumu-saraksts .card-title")


def test_list_shows_upcoming_events_soonest_first_and_past_on_request(client):
    now = timezone.now()
    EventFactory(
        title="Parīt", starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=1)
    )
    EventFactory(
        title="Rīt", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)
    )
    EventFactory(
        title="Vakar",
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=1),
    )
    EventFactory(title="Nepublicēts", is_published=False)

    assert titles(client.get("/pasakumi/")) == ["Rīt", "Parīt"]
    assert titles(client.get("/pasakumi/?laiks=pagajusi")) == ["Vakar"]


def test_filters_by_centre_kind_group_dates_and_free_places(client):
    preili = ResourceCentreFactory(slug="preili-c", name="Preiļu centrs")
    group = TargetGroupFactory(slug="jauniesi")
    now = timezone.now()
    day = timezone.localtime(now + timedelta(days=10)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    at_preili = EventFactory(
        title="Preiļos", centre=preili, starts_at=day, ends_at=day + timedelta(hours=1)
    )
    at_preili.target_groups.add(group)
    EventFactory(title="Citur", kind=Event.Kind.TEACHERS_SEMINAR)
    full = EventFactory(title="Pilns", capacity=1)
    services.register(event=full, user=UserFactory())

    assert titles(client.get("/pasakumi/?centrs=preili-c")) == ["Preiļos"]
    assert titles(client.get("/pasakumi/?veids=teachers_seminar")) == ["Citur"]
    assert titles(client.get("/pasakumi/?grupa=jauniesi")) == ["Preiļos"]
    date = day.date().isoformat()
    assert titles(client.get(f"/pasakumi/?no={date}&lidz={date}")) == ["Preiļos"]
    assert "Pilns" in titles(client.get("/pasakumi/"))
    assert "Pilns" not in titles(client.get("/pasakumi/?brivas=on"))


def test_with_many_communities_the_community_filter_is_a_box_to_type_in(client):
    """A list of a thousand communities would outweigh the page; past core.forms.SELECT_LIMIT
    part of a name or a municipality is typed instead, and a community's slug still names it."""
    from core.forms import SELECT_LIMIT

    few = parse(client.get("/pasakumi/").content)
    CommunityFactory.create_batch(SELECT_LIMIT - 1)
    berzkalni = CommunityFactory(
        name="Bērzkalnu kopiena", slug="berzkalni", municipality="Ludzas novads"
    )
    ozolciems = CommunityFactory(name="Ozolciema kopiena", slug="ozolciems")
    EventFactory(title="Talka Bērzkalnos", community=berzkalni)
    EventFactory(title="Koncerts Ozolciemā", community=ozolciems)
    EventFactory(title="Bez kopienas")

    many = parse(client.get("/pasakumi/?kopiena=BERZKALNU").content)

    assert [e.tag for e in few.select("#id_kopiena")] == ["select"]
    assert [(e.tag, e.get("type"), e.get("value")) for e in many.select("#id_kopiena")] == [
        ("input", "search", "BERZKALNU")
    ]
    assert many.select_one("#id_kopiena_help").text == (
        "Nosaukuma vai novada daļa; garumzīmes nav jāraksta."
    )
    assert titles(client.get("/pasakumi/?kopiena=BERZKALNU")) == ["Talka Bērzkalnos"]
    assert titles(client.get("/pasakumi/?kopiena=ludzas")) == ["Talka Bērzkalnos"]
    assert titles(client.get("/pasakumi/?kopiena=ozolciems")) == ["Koncerts Ozolciemā"]
    assert titles(client.get("/pasakumi/?kopiena=nav+tadas")) == []
    long = client.get("/pasakumi/?kopiena=" + "x" * 101)
    assert parse(long.content).texts(".messages li") == [
        "Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."
    ]


def test_invalid_filters_are_ignored_with_a_notice(client):
    EventFactory(title="Pasākums", kind=Event.Kind.COMMUNITY_EVENT)

    response = client.get("/pasakumi/?centrs=nav-tada&veids=bad&no=vakar&lapa=x&veids=")

    doc = parse(response.content)
    assert response.status_code == 200
    assert titles(response) == ["Pasākums"]
    assert doc.texts(".messages li") == ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."]


def test_event_page_says_when_where_for_whom_and_how(client):
    centre = ResourceCentreFactory(name="Aglonas centrs", address="Somersetas iela 34, Aglona")
    community = CommunityFactory(name="Aglonas kopiena", slug="aglona-k")
    start = timezone.make_aware(timezone.datetime(2030, 11, 26, 17, 30))
    event = EventFactory(
        title="Kopienas sapulce",
        centre=centre,
        community=community,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
    )
    event.target_groups.add(TargetGroupFactory(title="Ģimenes ar bērniem"))
    services.register(event=event, user=UserFactory(), seats=3)

    response = client.get(event.get_absolute_url())

    doc = parse(response.content)
    assert response.status_code == 200
    assert doc.select_one("h1").text == "Kopienas sapulce"
    facts = dict(zip(doc.texts(".facts dt"), doc.texts(".facts dd"), strict=True))
    assert facts == {
        "Kad": "otrdiena, 2030. gada 26. novembris plkst. 17.30–19.30",
        "Kur": "Aglonas centrs, Somersetas iela 34, Aglona Skatīt kartē (OpenStreetMap)",
        "Kopiena": "Aglonas kopiena",
    }
    assert doc.select_one(".seats").text == "Brīvas 7 vietas no 10."
    assert doc.texts(".centre-main ul li") == ["Ģimenes ar bērniem"]
    data = json.loads(doc.select_one("script[type=application/ld+json]").text)
    assert (data["@type"], data["name"], data["startDate"], data["location"]["name"]) == (
        "Event",
        "Kopienas sapulce",
        "2030-11-26T15:30:00+00:00",
        "Aglonas centrs",
    )
    assert data["remainingAttendeeCapacity"] == 7
    names = [field.get("name") for field in doc.select("form.registration-form [name]")]
    assert names == ["csrfmiddlewaretoken", "name", "email", "seats", "needs", "photo_consent"]


def test_full_event_page_offers_the_waiting_list(client):
    event = EventFactory(capacity=1)
    services.register(event=event, user=UserFactory())
    doc = parse(client.get(event.get_absolute_url()).content)
    assert doc.select_one(".seats").text == "Brīvu vietu nav – var pieteikties gaidīšanas sarakstā."


def test_guest_registers_confirms_from_the_mail_and_can_cancel(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2, title="Talka")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/pasakumi/{event.slug}/pieteikties/",
            {"name": "Jānis Ozols", "email": "janis@example.lv", "seats": "2", "needs": ""},
        )
    assert (response.status_code, response["Location"]) == (302, event.get_absolute_url())
    link = re.search(r"http://127.0.0.1:8000(/pasakumi/apstiprinat/[^/]+/)", mail.outbox[0].body)[1]
    event.refresh_from_db()
    assert event.seats_confirmed == 0

    page = client.get(link)
    assert parse(page.content).select_one("h1").text == "Apstiprināt pieteikumu"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link, follow=True)

    doc = parse(confirmed.content)
    event.refresh_from_db()
    assert event.seats_confirmed == 2
    assert doc.select_one(".registration-status").text == "Apstiprināts"
    assert doc.texts(".messages li") == ["Paldies! Jūsu vieta ir rezervēta."]
    assert [m.subject for m in mail.outbox] == [
        "Apstipriniet pieteikumu: Talka",
        "Vieta rezervēta: Talka",
    ]

    manage = confirmed.redirect_chain[-1][0]
    asked = client.get(f"{manage}atteikties/")
    event.refresh_from_db()
    assert event.seats_confirmed == 2
    cancelled = client.post(f"{manage}atteikties/", follow=True)
    event.refresh_from_db()
    assert parse(asked.content).select_one("h1").text == "Atteikties no dalības"
    assert parse(cancelled.content).select_one(".registration-status").text == "Atcelts"
    assert event.seats_confirmed == 0


def test_invalid_registration_keeps_what_was_typed(client):
    event = EventFactory()
    response = client.post(
        f"/pasakumi/{event.slug}/pieteikties/",
        {"name": "Jānis Ozols", "email": "nav-epasts", "seats": "9", "needs": "Ratiņkrēsls"},
    )
    doc = parse(response.content)
    assert response.status_code == 400
    assert doc.select_one("input[name=name]").get("value") == "Jānis Ozols"
    assert doc.select_one("textarea[name=needs]").text == "Ratiņkrēsls"
    assert Registration.objects.count() == 0


def test_verified_member_registers_in_one_step_and_cancels(client):
    user = verified_user()
    event = EventFactory(capacity=3)
    client.force_login(user)

    response = client.post(f"/pasakumi/{event.slug}/pieteikties/", {"seats": "1"}, follow=True)
    client.post(f"/pasakumi/{event.slug}/pieteikties/", {"seats": "1"})

    doc = parse(response.content)
    registration = Registration.objects.get()
    assert doc.select_one(".registration-status").text == "Jums ir rezervēta 1 vieta."
    assert registration.status == Registration.Status.CONFIRMED

    client.post(f"/pasakumi/atteikties/{registration.pk}/", {"next": event.get_absolute_url()})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_nobody_cancels_someone_elses_registration(client):
    event = EventFactory()
    theirs = services.register(event=event, user=UserFactory()).registration
    client.force_login(verified_user())
    response = client.post(f"/pasakumi/atteikties/{theirs.pk}/")
    theirs.refresh_from_db()
    assert (response.status_code, theirs.status) == (404, Registration.Status.CONFIRMED)


def test_centre_and_community_pages_list_their_next_events(client):
    centre = ResourceCentreFactory(slug="dagda")
    community = CommunityFactory(slug="dagdas-k", resource_centre=centre)
    EventFactory(title="Dagdas mācības", centre=centre, community=community)
    EventFactory(title="Citur")

    centre_doc = parse(client.get("/centri/dagda/").content)
    community_doc = parse(client.get("/kopienas/dagdas-k/").content)

    assert centre_doc.texts(".next-events .card-title") == ["Dagdas mācības"]
    assert community_doc.texts(".next-events .card-title") == ["Dagdas mācības"]


def test_guests_are_limited_per_address_and_per_network(client, django_capture_on_commit_callbacks):
    events = [EventFactory(capacity=50) for _ in range(12)]

    def register(event, email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/pasakumi/{event.slug}/pieteikties/",
                {"name": "Jānis Ozols", "email": email, "seats": "1", "needs": ""},
            )

    # One address: five confirmation mails a day, whatever the events.
    same_address = [register(event, "janis@example.lv").status_code for event in events[:6]]
    assert same_address == [302, 302, 302, 302, 302, 429]
    refused = parse(register(events[6], "janis@example.lv").content)
    assert refused.texts(".notice .errorlist li") == [
        "No šīs adreses vai šī tīkla pēdējā laikā saņemts pārāk daudz pieteikumu. "
        "Lūdzu, mēģiniet vēlāk vai izveidojiet kontu."
    ]
    assert len(mail.outbox) == 5

    # One network: ten guest registrations an hour; seven were counted above.
    others = [
        register(event, f"cits{n}@example.lv").status_code for n, event in enumerate(events[7:])
    ]
    assert others == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 8


def test_a_line_break_in_the_title_keeps_the_mail_on_one_subject_line(
    client, django_capture_on_commit_callbacks
):
    user = verified_user(email="ilze@example.lv")
    event = EventFactory(title="Seminārs\r\npedagogiem\nLatgalē", capacity=3)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pasakumi/{event.slug}/pieteikties/", {"seats": "1"})

    assert (response.status_code, [m.subject for m in mail.outbox]) == (
        302,
        ["Vieta rezervēta: Seminārs pedagogiem Latgalē"],
    )


def test_a_mail_that_fails_after_commit_keeps_the_seat_and_the_page(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail import EmailMessage

    def refuse(message, *args, **kwargs):
        raise OSError("421 the mail server is down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    user = verified_user()
    event = EventFactory(capacity=3)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pasakumi/{event.slug}/pieteikties/", {"seats": "2"}, follow=True)

    event.refresh_from_db()
    assert (
        response.status_code,
        parse(response.content).select_one(".registration-status").text,
        list(Registration.objects.values_list("user_id", "seats", "status")),
        event.seats_confirmed,
    ) == (200, "Jums ir rezervētas 2 vietas.", [(user.pk, 2, "confirmed")], 2)
