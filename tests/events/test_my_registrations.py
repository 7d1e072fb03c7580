"""The person's registrations: a few of each kind on /mans/, all of them on /mans/pasakumi/
(events not yet over, soonest first) and /mans/pasakumi/?laiks=pagajusi (past ones, latest
first), a page at a time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.formats import riga_datetime
from events import services
from events.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def _registered(user, days: list[float], title: str = "Talka") -> list[Registration]:
    """A confirmed registration of `user` for an event `days` from now (negative: past), for
    each; made directly, as the service takes none for an event that has begun."""
    now = timezone.now()
    return [
        RegistrationFactory(
            user=user,
            event=EventFactory(
                title=f"{title} {number}",
                starts_at=now + timedelta(days=day),
                ends_at=now + timedelta(days=day, hours=2),
            ),
        )
        for number, day in enumerate(days, start=1)
    ]


def _line(registration: Registration, *, cancel: bool) -> str:
    event = registration.event
    text = f"{event.title}, {riga_datetime(event.starts_at)} – Apstiprināts"
    return f"{text} Atteikties: {event.title}" if cancel else text


def test_my_page_shows_the_ten_soonest_ahead_and_five_latest_behind_with_links(client):
    anna = UserFactory()
    ahead = _registered(anna, [day + 1 for day in range(11)], title="Gaidāmais")
    behind = _registered(anna, [-day - 1 for day in range(6)], title="Agrākais")
    client.force_login(anna)

    section = parse(client.get("/mans/").content).select_one("section.my-registrations")

    assert section.select("ul.registrations")[0].texts("li") == [
        _line(registration, cancel=True) for registration in ahead[:10]
    ]
    assert section.texts("h3") == ["Agrākie pasākumi", "Mans kalendārs"]
    assert section.texts("ul.registrations-earlier > li") == [
        _line(registration, cancel=False) for registration in behind[:5]
    ]
    assert [(a.get("href"), a.text) for a in section.select("p.more a")] == [
        ("/mans/pasakumi/", "Visi mani gaidāmie pasākumi"),
        ("/mans/pasakumi/?laiks=pagajusi", "Visi mani agrākie pasākumi"),
    ]


def test_my_page_with_only_past_registrations_says_none_is_ahead(client):
    anna = UserFactory()
    past = _registered(anna, [-3])
    client.force_login(anna)

    section = parse(client.get("/mans/").content).select_one("section.my-registrations")

    assert section.texts("p.empty") == ["Jums nav gaidāmu pasākumu. Apskatiet gaidāmos pasākumus."]
    assert section.texts("ul.registrations-earlier > li") == [_line(past[0], cancel=False)]
    assert section.select("p.more") == []


def test_all_registrations_ahead_a_page_at_a_time_soonest_first_own_only(client):
    anna = UserFactory()
    ahead = _registered(anna, [day / 2 + 0.5 for day in range(23)])
    cancelled = services.register(event=EventFactory(), user=anna, seats=1).registration
    services.cancel_registration(registration=cancelled)
    _registered(anna, [-1])  # past: on the other list
    _registered(UserFactory(), [2])  # someone else's
    client.force_login(anna)

    first = parse(client.get("/mans/pasakumi/").content)
    second = parse(client.get("/mans/pasakumi/?lapa=2").content)
    unreadable = parse(client.get("/mans/pasakumi/?laiks=nezinams&lapa=abc").content)

    assert first.select_one("main h1").text == "Mani gaidāmie pasākumi"
    assert first.texts("main p")[1] == "Kopā 23 pasākumi, tuvākie vispirms."
    assert first.texts("ul.registrations > li") == [
        _line(registration, cancel=True) for registration in ahead[:20]
    ]
    assert second.texts("ul.registrations > li") == [
        _line(registration, cancel=True) for registration in ahead[20:]
    ]
    assert first.texts("nav.pagination span") == ["1. lapa no 2"]
    # Cancelling comes back to this list, to the same page of it.
    assert first.select("ul.registrations a.button")[0].get("href") == (
        f"/pasakumi/atteikties/{ahead[0].pk}/?next=/mans/pasakumi/"
    )
    assert second.select("ul.registrations a.button")[0].get("href") == (
        f"/pasakumi/atteikties/{ahead[20].pk}/?next=/mans/pasakumi/%3Flapa%3D2"
    )
    # A value that is not one shows the first page of the upcoming ones.
    assert unreadable.texts("ul.registrations > li") == first.texts("ul.registrations > li")
    assert [(a.get("href"), a.text) for a in first.select("p.more a")] == [
        ("/mans/pasakumi/?laiks=pagajusi", "Mani agrākie pasākumi")
    ]


def test_all_past_registrations_latest_first(client):
    anna = UserFactory()
    behind = _registered(anna, [-1, -2, -30])
    _registered(anna, [1])  # ahead: on the other list
    client.force_login(anna)

    doc = parse(client.get("/mans/pasakumi/?laiks=pagajusi").content)

    assert doc.select_one("main h1").text == "Mani agrākie pasākumi"
    assert doc.texts("main p")[1] == "Kopā 3 pasākumi, jaunākie vispirms."
    assert doc.texts("ul.registrations > li") == [
        _line(registration, cancel=False) for registration in behind
    ]
    assert [(a.get("href"), a.text) for a in doc.select("p.more a")] == [
        ("/mans/pasakumi/", "Mani gaidāmie pasākumi")
    ]


def test_no_registrations_says_where_to_find_events(client):
    client.force_login(UserFactory())

    ahead = parse(client.get("/mans/pasakumi/").content)
    behind = parse(client.get("/mans/pasakumi/?laiks=pagajusi").content)

    assert ahead.texts("main p.empty") == [
        "Jums nav gaidāmu pasākumu. Apskatiet gaidāmos pasākumus."
    ]
    assert behind.texts("main p.empty") == [
        "Agrāku pasākumu, kuriem bijāt pieteicies, nav. Apskatiet gaidāmos pasākumus."
    ]
    assert ahead.select("ul.registrations") == behind.select("ul.registrations") == []


def test_the_registrations_page_in_english(client):
    anna = UserFactory()
    _registered(anna, [1])
    client.force_login(anna)

    doc = parse(client.get("/en/mans/pasakumi/?laiks=pagajusi").content)
    ahead = parse(client.get("/en/mans/pasakumi/").content)

    assert doc.select_one("main h1").text == "My past events"
    assert (ahead.select_one("main h1").text, ahead.texts("main p")[1]) == (
        "My upcoming events",
        "1 event in all, soonest first.",
    )


def test_the_registrations_page_query_count_does_not_grow(client, django_assert_num_queries):
    anna = UserFactory()
    client.force_login(anna)
    # The session, the user, the count, the page of registrations with their events.
    for count in (1, 60):
        made = Registration.objects.count()
        _registered(anna, [day + 1 for day in range(made, count)])
        with django_assert_num_queries(4):
            response = client.get("/mans/pasakumi/?lapa=2")
    assert len(parse(response.content).select("ul.registrations > li")) == 20
    assert Event.objects.count() == 60
