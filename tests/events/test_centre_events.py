""" "Pasākumi manā centrā" (issue 17): a centre's manager sees the events held at their centres,
upcoming ones first and then the ended ones still waiting for attendance and closing, with the
links to run each; a coordinator sees every centre's and may pick one. Anyone else gets 404."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events import community_events
from events.models import EVENT_MAX_DURATION, Event
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


def _pages(doc) -> list[tuple]:
    return [
        (
            nav.get("aria-label"),
            nav.text,
            [(a.text, a.get("href"), a.get("rel")) for a in nav.select("a")],
        )
        for nav in doc.select("nav.pagination")
    ]


def _hrefs(doc, section: str) -> list[str]:
    return [a.get("href") for a in doc.select(f"{section} .card-title a")]


def test_twenty_a_page_each_list_paged_on_its_own_without_a_count(client, preili):
    for number in range(41):
        _at(date(2030, 3, 1) + timedelta(days=number), 18, slug=f"n-{number}", centre=preili)
    for number in range(21):
        _at(date(2025, 3, 1) + timedelta(days=number), 18, slug=f"p-{number}", centre=preili)
    client.force_login(_manager(preili))

    first = parse(client.get(URL).content)
    second = parse(client.get(URL + "?lapa=2&beigusies=2").content)
    third = parse(client.get(URL + "?beigusies=2&lapa=3").content)

    assert (
        len(first.select(".centre-events-upcoming .card")),
        len(first.select(".centre-events-to-close .card")),
    ) == (20, 20)
    assert _hrefs(first, ".centre-events-upcoming")[0] == "/pasakumi/n-0/"
    assert _hrefs(first, ".centre-events-to-close")[0] == "/pasakumi/p-20/"
    assert _pages(first) == [
        ("Gaidāmo pasākumu lapas", "1. lapa Nākamā lapa", [("Nākamā lapa", "?lapa=2", "next")]),
        (
            "Beigušos pasākumu lapas",
            "1. lapa Nākamā lapa",
            [("Nākamā lapa", "?beigusies=2", "next")],
        ),
    ]
    # The second page of each: the other list keeps its page.
    assert _hrefs(second, ".centre-events-upcoming") == [
        f"/pasakumi/n-{number}/" for number in range(20, 40)
    ]
    assert _hrefs(second, ".centre-events-to-close") == ["/pasakumi/p-0/"]
    assert _pages(second) == [
        (
            "Gaidāmo pasākumu lapas",
            "Iepriekšējā lapa 2. lapa Nākamā lapa",
            [
                ("Iepriekšējā lapa", "?beigusies=2&lapa=1", "prev"),
                ("Nākamā lapa", "?beigusies=2&lapa=3", "next"),
            ],
        ),
        (
            "Beigušos pasākumu lapas",
            "Iepriekšējā lapa 2. lapa",
            [("Iepriekšējā lapa", "?lapa=2&beigusies=1", "prev")],
        ),
    ]
    assert _hrefs(third, ".centre-events-upcoming") == ["/pasakumi/n-40/"]
    assert _pages(third)[0] == (
        "Gaidāmo pasākumu lapas",
        "Iepriekšējā lapa 3. lapa",
        [("Iepriekšējā lapa", "?beigusies=2&lapa=2", "prev")],
    )


def test_a_chosen_centre_stays_chosen_from_page_to_page(client, preili):
    aglona = ResourceCentreFactory(slug="aglona", name="Aglonas centrs")
    for number in range(21):
        _at(date(2025, 3, 1) + timedelta(days=number), 18, slug=f"p-{number}", centre=preili)
        _at(date(2025, 4, 1) + timedelta(days=number), 18, slug=f"a-{number}", centre=aglona)
    client.force_login(_coordinator())

    first = parse(client.get(URL + "?centrs=preili").content)
    second = parse(client.get(URL + "?centrs=preili&beigusies=2").content)

    assert _pages(first) == [
        (
            "Beigušos pasākumu lapas",
            "1. lapa Nākamā lapa",
            [("Nākamā lapa", "?centrs=preili&beigusies=2", "next")],
        )
    ]
    assert _hrefs(second, ".centre-events-to-close") == ["/pasakumi/p-0/"]
    assert _pages(second) == [
        (
            "Beigušos pasākumu lapas",
            "Iepriekšējā lapa 2. lapa",
            [("Iepriekšējā lapa", "?centrs=preili&beigusies=1", "prev")],
        )
    ]


def test_a_wrong_page_number_is_the_first_page_and_one_past_the_end_says_so(client, preili):
    for number in range(21):
        _at(date(2030, 3, 1) + timedelta(days=number), 18, slug=f"n-{number}", centre=preili)
    for number in range(21):
        _at(date(2025, 3, 1) + timedelta(days=number), 18, slug=f"p-{number}", centre=preili)
    client.force_login(_manager(preili))

    responses = [
        client.get(URL + query)
        for query in ("?lapa=abc&beigusies=-1", "?lapa=0&beigusies=99999", "?lapa=3&beigusies=3")
    ]
    wrong, past, both_past = (parse(response.content) for response in responses)

    assert [response.status_code for response in responses] == [200, 200, 200]
    # No number, zero or below: the first page.
    assert (
        _hrefs(wrong, ".centre-events-upcoming")[0],
        _hrefs(wrong, ".centre-events-to-close")[0],
    ) == (
        "/pasakumi/n-0/",
        "/pasakumi/p-20/",
    )
    assert len(_hrefs(wrong, ".card")) == 40
    # Past the end: an empty page that says so and links back to the first.
    assert _hrefs(past, ".centre-events-to-close") == []
    assert past.texts(".centre-events .empty") == ["Šajā lapā pasākumu nav: saraksts ir īsāks."]
    assert _pages(past) == [
        (
            "Gaidāmo pasākumu lapas",
            "1. lapa Nākamā lapa",
            [("Nākamā lapa", "?beigusies=99999&lapa=2", "next")],
        ),
        (
            "Beigušos pasākumu lapas",
            "Uz pirmo lapu",
            [("Uz pirmo lapu", "?lapa=0&beigusies=1", None)],
        ),
    ]
    assert both_past.texts(".centre-events .empty") == [
        "Šajā lapā pasākumu nav: saraksts ir īsāks.",
        "Šajā lapā pasākumu nav: saraksts ir īsāks.",
    ]
    assert both_past.select(".centre-events .card") == []
    assert [link for _label, _text, links in _pages(both_past) for link in links] == [
        ("Uz pirmo lapu", "?beigusies=3&lapa=1", None),
        ("Uz pirmo lapu", "?lapa=3&beigusies=1", None),
    ]


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

    # Session, user, second factor, groups; the centres; a page of each list (and no count).
    with django_assert_num_queries(7):
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


def test_an_event_running_now_is_upcoming_until_it_ends(client, preili):
    # The lists read from now on the start time (events.selectors.centre_events): one that
    # started up to EVENT_MAX_DURATION ago and has not ended is still upcoming.
    now = timezone.now()
    EventFactory(
        slug="ilgais",
        title="Ilgā nometne",
        centre=preili,
        starts_at=now - EVENT_MAX_DURATION + timedelta(hours=1),
        ends_at=now + timedelta(minutes=30),
    )
    EventFactory(
        slug="tikko",
        title="Tikko beigusies",
        centre=preili,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(minutes=1),
    )
    EventFactory(slug="rit", title="Rītdienas", centre=preili, starts_at=now + timedelta(days=1))
    client.force_login(_manager(preili))

    doc = parse(client.get(URL).content)

    assert (
        doc.texts(".centre-events-upcoming .card-title"),
        doc.texts(".centre-events-to-close .card-title"),
    ) == (["Ilgā nometne", "Rītdienas"], ["Tikko beigusies"])


def test_under_english_the_cards_keep_their_latvian_words_marked(client, preili, community):
    # The page gives each card its translated labels and the content's lang attribute once.
    _at(date(2030, 3, 5), 18, slug="talka", title="Talka", centre=preili, community=community)
    client.force_login(_manager(preili))

    doc = parse(client.get("/en" + URL).content)
    card = doc.select_one(".centre-events-upcoming .card")

    assert [(a.text, a.get("href")) for a in card.select(".centre-event-actions a")] == [
        ("Edit: Talka", "/en/pasakumi/talka/labot/"),
        ("Copy: Talka", "/en/pasakumi/talka/kopet/"),
        ("Cancel: Talka", "/en/pasakumi/talka/atcelt/"),
    ]
    assert [(tag.tag, tag.text) for tag in card.select("[lang=lv]")] == [
        ("a", "Talka"),
        ("span", "Preiļu centrs"),
        ("span", "Preiļu kopiena"),
    ]
    assert card.select_one(".card-host").text == "Community: Preiļu kopiena"
