""" "Pasākumi manā centrā" (issue 17): a centre's manager sees the events held at their centres,
upcoming ones first and then the ended ones still waiting for attendance and closing, with the
links to run each; a coordinator sees every centre's and may pick one. Anyone else gets 404."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events import community_events
from events.models import Event
from tests.factories import (
    CommunityFactory,
    EventFactory,
    MembershipFactory,
    ResourceCentreFactory,
    UserFactory,
    verified_user,
    with_totp,
)
from tests.html import parse

pytestmark = pytest.mark.django_db

URL = "/pasakumi/mana-centra/"


def _manager(*centres):
    user = with_totp(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Centru vadītāji"))
    for centre in centres:
        centre.managers.add(user)
    return user


def _coordinator():
    user = with_totp(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Koordinatori"))
    return user


def _at(day: date, hour: int, **values) -> Event:
    from core.formats import RIGA

    starts = datetime.combine(day, time(hour), tzinfo=RIGA)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **values)


@pytest.fixture
def preili(db):
    return ResourceCentreFactory(slug="preili", name="Preiļu centrs")


@pytest.fixture
def community(preili):
    return CommunityFactory(slug="preilu-kopiena", name="Preiļu kopiena", resource_centre=preili)


def _cards(doc, section: str) -> list[dict]:
    return [
        {
            "title": card.select_one(".card-title").text,
            "href": (card.select(".card-title a") or [None])[0]
            and card.select_one(".card-title a").get("href"),
            "meta": card.select(".card-meta")[0].text,
            "community": card.select_one(".card-host").text,
            "seats": card.select_one(".centre-event-seats").text,
            "tags": " ".join(card.texts(".event-tags")),
            "actions": [(a.text, a.get("href")) for a in card.select(".centre-event-actions a")],
        }
        for card in doc.select(f"{section} .card")
    ]


def test_a_manager_sees_their_centres_events_upcoming_then_those_to_close(
    client, preili, community
):
    manager = _manager(preili)
    later = _at(
        date(2030, 3, 12),
        18,
        slug="velak",
        title="Vēlākā talka",
        centre=preili,
        community=community,
    )
    sooner = _at(date(2030, 3, 5), 10, slug="agrak", title="Agrākā darbnīca", centre=preili)
    sooner.seats_confirmed = 7
    sooner.save(update_fields=["seats_confirmed"])
    cancelled = _at(
        date(2030, 3, 8),
        18,
        slug="atcelta",
        title="Atceltā talka",
        centre=preili,
        community=community,
        cancelled_at=timezone.now(),
    )
    hidden = _at(
        date(2030, 3, 9), 18, slug="slepta", title="Slēptā", centre=preili, is_published=False
    )
    ended = _at(
        date(2025, 3, 5),
        18,
        slug="beigusies",
        title="Beigusies talka",
        centre=preili,
        community=community,
    )
    # Not listed: closed, cancelled after the end, at another centre, with no centre at all.
    _at(date(2025, 3, 6), 18, slug="nosleegta", centre=preili, closed_at=timezone.now())
    _at(date(2025, 3, 7), 18, slug="atcelta-sen", centre=preili, cancelled_at=timezone.now())
    _at(date(2030, 3, 5), 18, slug="cits-centrs")
    _at(date(2030, 3, 5), 18, slug="tiessaiste", centre=None, format=Event.Format.ONLINE)
    client.force_login(manager)

    response = client.get(URL)
    doc = parse(response.content)

    assert doc.select_one("main h1").text == "Pasākumi manā centrā"
    assert doc.select_one(".centre-events .lead").text == "Preiļu centrs"
    assert doc.select(".centre-events select") == []
    assert doc.texts(".centre-events h2") == [
        "Gaidāmie pasākumi",
        "Beigušies, jāatzīmē apmeklējums un jānoslēdz",
    ]
    assert _cards(doc, ".centre-events-upcoming") == [
        {
            "title": "Agrākā darbnīca",
            "href": "/pasakumi/agrak/",
            "meta": "2030. gada 5. marts plkst. 10.00 · Preiļu centrs",
            "community": "Kopiena: —",
            "seats": "Pieteikušies: 7 no 20",
            "tags": "",
            "actions": [
                ("Labot: Agrākā darbnīca", "/pasakumi/agrak/labot/"),
                ("Atcelt: Agrākā darbnīca", "/pasakumi/agrak/atcelt/"),
            ],
        },
        {
            "title": "Atceltā talka",
            "href": "/pasakumi/atcelta/",
            "meta": "2030. gada 8. marts plkst. 18.00 · Preiļu centrs",
            "community": "Kopiena: Preiļu kopiena",
            "seats": "Pieteikušies: 0 no 20",
            "tags": "Atcelts",
            "actions": [("Kopēt: Atceltā talka", "/pasakumi/atcelta/kopet/")],
        },
        {
            "title": "Slēptā",
            "href": "/pasakumi/slepta/labot/",
            "meta": "2030. gada 9. marts plkst. 18.00 · Preiļu centrs",
            "community": "Kopiena: —",
            "seats": "Pieteikušies: 0 no 20",
            "tags": "Nav publicēts",
            "actions": [
                ("Labot: Slēptā", "/pasakumi/slepta/labot/"),
                ("Atcelt: Slēptā", "/pasakumi/slepta/atcelt/"),
            ],
        },
        {
            "title": "Vēlākā talka",
            "href": "/pasakumi/velak/",
            "meta": "2030. gada 12. marts plkst. 18.00 · Preiļu centrs",
            "community": "Kopiena: Preiļu kopiena",
            "seats": "Pieteikušies: 0 no 20",
            "tags": "",
            "actions": [
                ("Labot: Vēlākā talka", "/pasakumi/velak/labot/"),
                ("Kopēt: Vēlākā talka", "/pasakumi/velak/kopet/"),
                ("Atcelt: Vēlākā talka", "/pasakumi/velak/atcelt/"),
            ],
        },
    ]
    assert _cards(doc, ".centre-events-to-close") == [
        {
            "title": "Beigusies talka",
            "href": "/pasakumi/beigusies/",
            "meta": "2025. gada 5. marts plkst. 18.00 · Preiļu centrs",
            "community": "Kopiena: Preiļu kopiena",
            "seats": "Pieteikušies: 0 no 20",
            "tags": "",
            "actions": [
                ("Labot: Beigusies talka", "/pasakumi/beigusies/labot/"),
                ("Kopēt: Beigusies talka", "/pasakumi/beigusies/kopet/"),
                (
                    "Apmeklējums un noslēgšana: Beigusies talka",
                    "/pasakumi/beigusies/apmeklejums/",
                ),
            ],
        }
    ]
    # Every link leads to a page this manager may open.
    for card in _cards(doc, ".card"):
        for _text, href in card["actions"]:
            assert client.get(href).status_code == 200, href
    assert {later.pk, sooner.pk, cancelled.pk, hidden.pk, ended.pk} == set(
        Event.objects.filter(
            slug__in=["velak", "agrak", "atcelta", "slepta", "beigusies"]
        ).values_list("pk", flat=True)
    )


def test_empty_sections_say_so(client, preili):
    client.force_login(_manager(preili))

    doc = parse(client.get(URL).content)

    assert doc.texts(".centre-events .empty") == [
        "Gaidāmu pasākumu nav.",
        "Visi beigušies pasākumi ir noslēgti.",
    ]
    assert doc.select(".centre-events .card") == []


def test_a_manager_of_two_centres_and_a_coordinator_may_pick_a_centre(client, preili):
    aglona = ResourceCentreFactory(slug="aglona", name="Aglonas centrs")
    zilupe = ResourceCentreFactory(slug="zilupe", name="Zilupes centrs")
    _at(date(2030, 3, 5), 18, slug="preilos", title="Preiļos", centre=preili)
    _at(date(2030, 3, 6), 18, slug="aglona-1", title="Aglonā", centre=aglona)
    _at(date(2030, 3, 7), 18, slug="zilupe-1", title="Zilupē", centre=zilupe)

    def page(user, query=""):
        client.force_login(user)
        doc = parse(client.get(URL + query).content)
        return (
            [(o.get("value"), o.text, "selected" in o.attrs) for o in doc.select("#centrs option")],
            doc.texts(".centre-events-upcoming .card-title"),
        )

    manager = _manager(preili, aglona)
    assert page(manager) == (
        [
            ("", "Visi centri", False),
            ("aglona", "Aglonas centrs", False),
            ("preili", "Preiļu centrs", False),
        ],
        ["Preiļos", "Aglonā"],
    )
    assert page(manager, "?centrs=aglona")[1] == ["Aglonā"]
    # Another's centre, or no such centre: the manager's own centres, all of them.
    assert page(manager, "?centrs=zilupe")[1] == ["Preiļos", "Aglonā"]
    assert page(manager, "?centrs=<script>")[1] == ["Preiļos", "Aglonā"]

    coordinator = _coordinator()
    assert page(coordinator) == (
        [
            ("", "Visi centri", False),
            ("aglona", "Aglonas centrs", False),
            ("preili", "Preiļu centrs", False),
            ("zilupe", "Zilupes centrs", False),
        ],
        ["Preiļos", "Aglonā", "Zilupē"],
    )
    assert page(coordinator, "?centrs=zilupe") == (
        [
            ("", "Visi centri", False),
            ("aglona", "Aglonas centrs", False),
            ("preili", "Preiļu centrs", False),
            ("zilupe", "Zilupes centrs", True),
        ],
        ["Zilupē"],
    )


def test_people_managing_no_centre_get_404_and_signed_out_people_log_in(client, preili, community):
    leader = verified_user()
    MembershipFactory(user=leader, community=community, leader=True)
    # A manager without the second factor has no staff powers yet.
    no_totp = UserFactory(is_staff=True)
    no_totp.groups.add(Group.objects.get(name="Centru vadītāji"))
    preili.managers.add(no_totp)

    signed_out = client.get(URL)
    statuses = []
    for user in (verified_user(), leader, no_totp, _manager()):
        client.force_login(user)
        statuses.append(client.get(URL).status_code)

    assert (signed_out.status_code, signed_out["Location"]) == (
        302,
        "/konts/login/?next=/pasakumi/mana-centra/",
    )
    assert statuses == [404, 404, 404, 404]


def test_twenty_a_page_with_the_sites_pagination(client, preili):
    for number in range(21):
        _at(date(2030, 3, 1) + timedelta(days=number), 18, slug=f"n-{number}", centre=preili)
    for number in range(21):
        _at(date(2025, 3, 1) + timedelta(days=number), 18, slug=f"p-{number}", centre=preili)
    client.force_login(_manager(preili))

    first = parse(client.get(URL).content)
    second = parse(client.get(URL + "?lapa=2&beigusies=2").content)
    wrong = parse(client.get(URL + "?lapa=abc&beigusies=99").content)

    assert (
        len(first.select(".centre-events-upcoming .card")),
        len(first.select(".centre-events-to-close .card")),
    ) == (20, 20)
    assert [(nav.get("aria-label"), nav.text) for nav in first.select("nav.pagination")] == [
        ("Gaidāmo pasākumu lapas", "1. lapa no 2 Nākamā lapa"),
        ("Beigušos pasākumu lapas", "1. lapa no 2 Nākamā lapa"),
    ]
    assert [a.get("href") for a in first.select("nav.pagination a")] == [
        "?lapa=2",
        "?beigusies=2",
    ]
    assert [a.get("href") for a in second.select(".centre-events-upcoming .card-title a")] == [
        "/pasakumi/n-20/"
    ]
    assert [a.get("href") for a in second.select("nav.pagination a")] == [
        "?beigusies=2&lapa=1",
        "?lapa=2&beigusies=1",
    ]
    assert second.select_one(".centre-events-to-close .card-title a").get("href") == (
        "/pasakumi/p-0/"
    )
    # A page number that is no number is the first page; one past the end, the last.
    assert (
        len(wrong.select(".centre-events-upcoming .card")),
        len(wrong.select(".centre-events-to-close .card")),
    ) == (20, 1)


@pytest.mark.parametrize("rows", [1, 15])
def test_the_page_costs_the_same_for_few_and_many_rows(
    client, preili, community, django_assert_num_queries, rows
):
    for number in range(rows):
        _at(
            date(2030, 3, 1) + timedelta(days=number),
            18,
            slug=f"n-{number}",
            centre=preili,
            community=community,
        )
        _at(
            date(2025, 3, 1) + timedelta(days=number),
            18,
            slug=f"p-{number}",
            centre=preili,
            community=CommunityFactory(),
        )
    client.force_login(_manager(preili))

    # Session, user, second factor, groups; the centres; a count and a page of each list.
    with django_assert_num_queries(9):
        response = client.get(URL)

    doc = parse(response.content)
    assert (
        len(doc.select(".centre-events-upcoming .card")),
        len(doc.select(".centre-events-to-close .card")),
    ) == (rows, rows)


def test_my_page_links_to_it_for_managers_and_coordinators_only(client, preili, community):
    leader = verified_user()
    MembershipFactory(user=leader, community=community, leader=True)

    def links(user):
        client.force_login(user)
        doc = parse(client.get("/mans/").content)
        return [a.get("href") for a in doc.select("a") if a.get("href") == URL]

    assert links(_manager(preili)) == [URL]
    assert links(_coordinator()) == [URL]
    assert links(leader) == []
    assert links(verified_user()) == []
    assert links(_manager()) == []


def test_no_event_takes_the_pages_address_as_its_slug(community):
    assert community_events._free_slugs("Mana centra", [date(2030, 3, 5)]) == ["mana-centra-2"]
