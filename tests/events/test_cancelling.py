"""Cancelling a registration asks first; only a seat goes into one's calendar (issue #22).

A tap on "Atteikties" opens a page that asks; its form's POST cancels. Both work without
JavaScript, for a signed-in person (/pasakumi/atteikties/<pk>/) and for a guest through the
link in their mail (/pasakumi/pieteikums/<token>/atteikties/).
"""

import pytest

from core.formats import riga_period
from events import services
from events.models import Registration
from tests.factories import EventFactory, UserFactory, verified_user
from tests.html import parse

pytestmark = pytest.mark.django_db

CALENDAR = "Pievienot savam kalendāram (.ics)"


def page(response) -> dict:
    doc = parse(response.content)
    return {
        "h1": doc.select_one("h1").text,
        "question": doc.select_one(".prose > p").text,
        "facts": doc.texts(".facts dd"),
        "next": [field.get("value") for field in doc.select("main form input[name=next]")],
        "buttons": doc.texts("main form button"),
        "back": [link.get("href") for link in doc.select(".actions a")],
    }


def test_a_member_is_asked_before_the_registration_is_cancelled(client):
    user = verified_user()
    event = EventFactory(title="Talka", capacity=5)
    registration = services.register(event=event, user=user, seats=2).registration
    client.force_login(user)
    url = f"/pasakumi/atteikties/{registration.pk}/?next=/pasakumi/{event.slug}/"

    asked = client.get(url)
    registration.refresh_from_db()
    status_after_asking = registration.status
    cancelled = client.post(
        f"/pasakumi/atteikties/{registration.pk}/", {"next": f"/pasakumi/{event.slug}/"}
    )
    registration.refresh_from_db()
    event.refresh_from_db()

    assert asked.status_code == 200
    assert page(asked) == {
        "h1": "Atteikties no dalības",
        "question": "Vai tiešām atteikties no dalības šajā pasākumā? "
        "Jūsu rezervētās vietas varēs saņemt citi.",
        "facts": ["Talka", riga_period(event.starts_at, event.ends_at), "2"],
        "next": [f"/pasakumi/{event.slug}/"],
        "buttons": ["Jā, atteikties"],
        "back": [f"/pasakumi/{event.slug}/"],
    }
    assert status_after_asking == Registration.Status.CONFIRMED
    assert (cancelled.status_code, cancelled["Location"]) == (302, f"/pasakumi/{event.slug}/")
    assert (registration.status, event.seats_confirmed) == (Registration.Status.CANCELLED, 0)


def test_the_event_page_and_my_page_link_to_the_question_not_to_a_cancelling_form(client):
    user = verified_user()
    event = EventFactory()
    registration = services.register(event=event, user=user).registration
    client.force_login(user)

    event_page = parse(client.get(f"/pasakumi/{event.slug}/").content)
    my_page = parse(client.get("/mans/").content)

    expected = f"/pasakumi/atteikties/{registration.pk}/"
    assert [a.get("href") for a in event_page.select("#pieteikumam a.button")] == [
        f"{expected}?next=/pasakumi/{event.slug}/"
    ]
    assert [a.get("href") for a in my_page.select(".registrations a.button")] == [
        f"{expected}?next=/mans/"
    ]
    assert event_page.select(f"form[action={expected}]") == []
    assert my_page.select(f"form[action={expected}]") == []


def test_a_link_elsewhere_is_not_followed_back(client):
    user = verified_user()
    event = EventFactory()
    registration = services.register(event=event, user=user).registration
    client.force_login(user)

    asked = client.get(f"/pasakumi/atteikties/{registration.pk}/?next=https://example.com/")

    assert (page(asked)["next"], page(asked)["back"]) == ([], [f"/pasakumi/{event.slug}/"])


def test_nothing_to_ask_about_a_cancelled_registration_or_event(client):
    user = verified_user()
    event = EventFactory()
    registration = services.register(event=event, user=user).registration
    client.force_login(user)
    services.cancel_registration(registration=registration)
    other = EventFactory()
    on_cancelled_event = services.register(event=other, user=user).registration
    services.cancel_event(event=other, reason="Plūdi")

    answers = [
        client.get(f"/pasakumi/atteikties/{pk}/") for pk in (registration.pk, on_cancelled_event.pk)
    ]

    assert [(a.status_code, a["Location"]) for a in answers] == [
        (302, f"/pasakumi/{event.slug}/"),
        (302, f"/pasakumi/{other.slug}/"),
    ]


def test_nobody_is_asked_about_someone_elses_registration(client):
    theirs = services.register(event=EventFactory(), user=UserFactory()).registration
    client.force_login(verified_user())

    assert client.get(f"/pasakumi/atteikties/{theirs.pk}/").status_code == 404


def test_a_guest_is_asked_before_the_registration_is_cancelled(client):
    event = EventFactory(title="Talka")
    registration = services.register(
        event=event, name="Jānis Ozols", email="janis@example.lv"
    ).registration
    services.confirm_guest(registration=registration)
    manage = f"/pasakumi/pieteikums/{registration.token}/"

    detail = parse(client.get(manage).content)
    asked = client.get(f"{manage}atteikties/")
    registration.refresh_from_db()
    status_after_asking = registration.status
    cancelled = client.post(f"{manage}atteikties/", follow=True)
    registration.refresh_from_db()

    assert [a.get("href") for a in detail.select("a.button")] == [f"{manage}atteikties/"]
    assert detail.select("main form") == []
    assert page(asked)["buttons"] == ["Jā, atteikties"]
    assert page(asked)["back"] == [manage]
    assert status_after_asking == Registration.Status.CONFIRMED
    assert registration.status == Registration.Status.CANCELLED
    assert cancelled.redirect_chain == [(manage, 302)]
    assert parse(cancelled.content).select_one(".registration-status").text == "Atcelts"
    assert parse(cancelled.content).texts(".messages li") == [
        "Pieteikums atcelts. Paldies, ka paziņojāt!"
    ]


def test_only_a_confirmed_seat_is_offered_for_the_calendar(client):
    event = EventFactory(capacity=1)
    statuses = {}
    for name in ("apstiprinats", "gaida", "atcelts", "neapstiprinats"):
        registration = services.register(
            event=event, name=name, email=f"{name}@example.lv"
        ).registration
        if name != "neapstiprinats":
            services.confirm_guest(registration=registration)
        if name == "atcelts":
            services.cancel_registration(registration=registration)
        statuses[registration.token] = name

    offered = {}
    for token, name in statuses.items():
        doc = parse(client.get(f"/pasakumi/pieteikums/{token}/").content)
        offered[name] = (doc.select_one(".registration-status").text, CALENDAR in doc.texts("a"))

    assert offered == {
        "apstiprinats": ("Apstiprināts", True),
        "gaida": ("Gaidīšanas sarakstā", False),
        "atcelts": ("Atcelts", False),
        "neapstiprinats": ("Gaida e-pasta apstiprinājumu", False),
    }


def test_a_cancelled_event_offers_no_calendar_and_no_waiting_list(client):
    user = verified_user()
    event = EventFactory(capacity=1)
    services.register(event=event, user=UserFactory())
    services.cancel_event(event=event, reason="Plūdi")
    client.force_login(user)

    doc = parse(client.get(f"/pasakumi/{event.slug}/").content)

    assert doc.texts("#pieteikumam p") == ["Pasākums ir atcelts."]
    assert doc.select(".seats") == []
    assert CALENDAR not in doc.texts("a")


def test_a_full_open_event_offers_the_waiting_list_and_a_waiting_member_no_calendar(client):
    user = verified_user()
    event = EventFactory(capacity=1)
    services.register(event=event, user=UserFactory())
    anonymous = parse(client.get(f"/pasakumi/{event.slug}/").content)
    services.register(event=event, user=user)
    client.force_login(user)

    waiting = parse(client.get(f"/pasakumi/{event.slug}/").content)

    assert anonymous.select_one(".seats").text == (
        "Brīvu vietu nav – var pieteikties gaidīšanas sarakstā."
    )
    assert CALENDAR in anonymous.texts("a")
    assert waiting.select_one(".registration-status").text == "Jūs esat gaidīšanas sarakstā."
    assert CALENDAR not in waiting.texts("a")
