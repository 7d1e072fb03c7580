"""Following a community or a centre and the weekly digest of their new and changed events
(events.following): the buttons, /mans/, the digest's contents and timing, never the same event
twice, the one-click unsubscribe, and the person's data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Profile
from events import following
from events.models import Digest, DigestedEvent, Event, Follow
from tests.factories import CommunityFactory, EventFactory, ResourceCentreFactory, verified_user
from tests.html import parse

pytestmark = pytest.mark.django_db

FOLLOWING_TEXT = "Jūs sekojat: jauni un mainīti pasākumi pienāk iknedēļas apkopojumā e-pastā."


@pytest.fixture
def community():
    return CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")


@pytest.fixture
def centre():
    return ResourceCentreFactory(slug="aglona", name="Aglonas resursu centrs")


@pytest.fixture
def person():
    return verified_user(
        username="janis", email="janis@example.lv", first_name="Jānis", last_name="Bērziņš"
    )


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def follow_text(response) -> list[str]:
    return parse(response.content).texts(".follow p")


def messages_of(response) -> list[str]:
    return parse(response.content).texts("ul.messages li")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send_digests, with the outbox delivering as the transaction commits."""

    def run(now) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return following.send_digests(now=now)

    return run


def later(days: float):
    return timezone.now() + timedelta(days=days)


# --- Following from the page -------------------------------------------------------------------


def test_a_signed_out_visitor_is_asked_to_log_in_to_follow(client, community):
    doc = parse(client.get("/kopienas/preili/").content)

    assert doc.texts(".follow p") == [
        "Lai sekotu jauniem pasākumiem un saņemtu tos e-pastā, pieslēdzieties."
    ]
    assert [a.attrs["href"] for a in doc.select(".follow a")] == [
        "/konts/login/?next=/kopienas/preili/"
    ]


def test_following_a_community_and_stopping(signed_in, person, community):
    before = follow_text(signed_in.get("/kopienas/preili/"))
    followed = signed_in.post("/kopienas/preili/sekot/", follow=True)
    again = signed_in.post("/kopienas/preili/sekot/", follow=True)

    assert before == [
        "Sekojiet, lai reizi nedēļā e-pastā saņemtu ziņu par jauniem un mainītiem pasākumiem."
    ]
    assert messages_of(followed) == [
        "Jūs sekojat: Preiļu darbīgā kopiena. Jauni un mainīti pasākumi pienāks iknedēļas "
        "apkopojumā e-pastā."
    ]
    assert follow_text(followed) == [FOLLOWING_TEXT]
    # A double submit: still one follow, nothing said twice.
    assert messages_of(again) == []
    assert list(Follow.objects.values_list("user__username", "community__slug")) == [
        ("janis", "preili")
    ]
    assert list(Digest.objects.values_list("user__username", "enabled")) == [("janis", True)]

    stopped = signed_in.post("/kopienas/preili/sekot/", {"darbiba": "nesekot"}, follow=True)

    assert messages_of(stopped) == ["Jūs vairs nesekojat: Preiļu darbīgā kopiena."]
    assert Follow.objects.count() == 0


def test_following_a_centre(signed_in, centre):
    response = signed_in.post("/centri/aglona/sekot/", {"darbiba": "<script>x</script>"})

    assert (response.status_code, response["Location"]) == (302, "/centri/aglona/")
    assert list(Follow.objects.values_list("centre__slug", "community")) == [("aglona", None)]


def test_a_get_changes_nothing_and_an_unknown_page_is_404(signed_in, community):
    response = signed_in.get("/kopienas/preili/sekot/")
    missing = signed_in.post("/kopienas/nav-tadas/sekot/")

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert missing.status_code == 404
    assert Follow.objects.count() == 0


def test_there_is_a_limit_to_how_much_one_follows(signed_in, person, monkeypatch, community):
    monkeypatch.setattr(following, "MAX_FOLLOWS", 1)
    Follow.objects.create(user=person, centre=ResourceCentreFactory())

    response = signed_in.post("/kopienas/preili/sekot/", follow=True)

    assert messages_of(response) == [
        "Jūs jau sekojat 1 kopienām un centriem: vispirms pārtrauciet sekot kādam no tiem."
    ]
    assert Follow.objects.filter(community=community).count() == 0


def test_my_page_lists_what_i_follow_and_switches_the_digest(signed_in, person, community, centre):
    following.follow(user=person, centre=centre)
    following.follow(user=person, community=community)

    with CaptureQueriesContext(connection) as queries:
        page = signed_in.get("/mans/")
    doc = parse(page.content)

    assert doc.texts(".my-follows li a") == [
        "Preiļu darbīgā kopiena",
        "Aglonas resursu centrs",
    ]
    assert doc.texts(".digest-form p") == [
        "Iknedēļas apkopojums par jauniem un mainītiem pasākumiem: ieslēgts."
    ]
    # The session, the user, which of /mans/'s lists hold anything, the follows with the digest.
    assert len(queries) == 4

    off = signed_in.post("/mans/apkopojums/", {"apkopojums": "ne"}, follow=True)
    assert messages_of(off) == ["Iknedēļas apkopojums izslēgts."]
    assert parse(off.content).texts(".digest-form p") == [
        "Iknedēļas apkopojums par jauniem un mainītiem pasākumiem: izslēgts."
    ]
    assert following.digest_enabled(user=person) is False

    # Stopping from /mans/ comes back to /mans/.
    stop = signed_in.post("/centri/aglona/sekot/", {"darbiba": "nesekot", "atpakal": "mans"})
    assert (stop.status_code, stop["Location"]) == (302, "/mans/")
    assert parse(signed_in.get("/mans/").content).texts(".my-follows li a") == [
        "Preiļu darbīgā kopiena"
    ]


def test_my_page_without_follows_says_where_to_start(signed_in):
    doc = parse(signed_in.get("/mans/").content)

    assert doc.texts("section[aria-labelledby=sekoju] p.empty") == [
        "Jūs vēl nesekojat nevienai kopienai vai centram. Sekot var kopienas vai centra lapā, "
        "sadaļā “Tuvākie pasākumi”."
    ]


# --- The digest --------------------------------------------------------------------------------


def test_the_digest_lists_new_events_of_what_one_follows_once(person, community, centre, send):
    following.follow(user=person, community=community)
    following.follow(user=person, centre=centre)
    old = EventFactory(title="Sena talka", community=community)
    Event.objects.filter(pk=old.pk).update(
        created_at=later(-30), updated_at=later(-30)
    )  # before following
    new = EventFactory(title="Talka pie ezera", community=community)
    at_centre = EventFactory(title="Seminārs Aglonā", centre=centre)
    EventFactory(title="Citur", community=CommunityFactory())
    EventFactory(title="Atcelts", community=community, cancelled_at=timezone.now())
    EventFactory(title="Nepublicēts", community=community, is_published=False)

    sent = send(later(0.01))

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["janis@example.lv"]
    assert message.subject == ("Jūsu sekotajās kopienās un centros: 2 jauni vai mainīti pasākumi")
    token = following.unsubscribe_token(user=person)
    unsubscribe = f"http://127.0.0.1:8000/pasakumi/apkopojums/atteikties/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.body
    assert "[jauns] Talka pie ezera" in body
    assert "[jauns] Seminārs Aglonā" in body
    assert f"http://127.0.0.1:8000{new.get_absolute_url()}" in body
    assert unsubscribe in body
    for title in ["Sena talka", "Citur", "Atcelts", "Nepublicēts"]:
        assert title not in body
    assert sorted(DigestedEvent.objects.values_list("event__title", flat=True)) == [
        "Seminārs Aglonā",
        "Talka pie ezera",
    ]
    assert at_centre.pk in set(DigestedEvent.objects.values_list("event", flat=True))

    # Run again the same day, or a week later with only a change to what was mailed: nothing.
    assert send(later(0.02)) == 0
    new.title = "Talka pie ezera (jauns laiks)"
    new.save()
    assert send(later(8)) == 0
    assert len(mail.outbox) == 1


def test_a_changed_event_is_news_and_a_week_passes_between_digests(person, community, send):
    following.follow(user=person, community=community)
    Follow.objects.update(created_at=later(-20))
    Digest.objects.update(last_sent_at=later(-3))
    earlier = EventFactory(title="Talka pie ezera", community=community)
    Event.objects.filter(pk=earlier.pk).update(created_at=later(-10), updated_at=later(-1))

    assert send(timezone.now()) == 0  # the last digest is 3 days old
    assert send(later(4.5)) == 1
    assert "[mainīts] Talka pie ezera" in mail.outbox[0].body
    assert mail.outbox[0].subject == (
        "Jūsu sekotajās kopienās un centros: 1 jauns vai mainīts pasākums"
    )


def test_no_news_no_mail_and_past_events_are_no_news(person, community, send):
    following.follow(user=person, community=community)
    past = EventFactory(title="Pagājusi talka", community=community)
    Event.objects.filter(pk=past.pk).update(
        starts_at=later(-2), ends_at=later(-2) + timedelta(hours=2)
    )

    assert send(later(0.01)) == 0
    assert mail.outbox == []


def test_the_digest_is_written_in_the_persons_language(person, community, send):
    Profile.objects.create(user=person, language="en")
    following.follow(user=person, community=community)
    EventFactory(title="Talka pie ezera", community=community)

    send(later(0.01))

    message = mail.outbox[0]
    assert message.subject == "In the communities and centres you follow: 1 new or changed event"
    assert "[new] Talka pie ezera" in message.body
    token = following.unsubscribe_token(user=person)
    assert f"http://127.0.0.1:8000/en/pasakumi/apkopojums/atteikties/{token}/" in message.body


def test_unsubscribing_asks_first_then_stops_the_digest_in_one_click(person, community, send):
    following.follow(user=person, community=community)
    token = following.unsubscribe_token(user=person)
    address = f"/pasakumi/apkopojums/atteikties/{token}/"
    # A mail program posts without the site's CSRF token (RFC 8058).
    mail_program = Client(enforce_csrf_checks=True)

    asked = mail_program.get(address)
    assert following.digest_enabled(user=person) is True
    done = mail_program.post(address, {"List-Unsubscribe": "One-Click"})

    assert parse(asked.content).texts("main form button") == ["Jā, vairs nesūtīt"]
    assert parse(done.content).texts("p.notice") == [
        "Gatavs: iknedēļas apkopojumu vairs nesūtīsim. Kopienas un centri, kuriem sekojat, "
        "paliek jūsu lapā, un apkopojumu tur var atkal ieslēgt."
    ]
    assert following.digest_enabled(user=person) is False
    assert list(Follow.objects.values_list("community__slug", flat=True)) == ["preili"]
    EventFactory(title="Talka pie ezera", community=community)
    assert send(later(0.01)) == 0


def test_a_forged_or_altered_unsubscribe_link_is_404(person):
    token = following.unsubscribe_token(user=person)

    responses = [
        Client().get("/pasakumi/apkopojums/atteikties/nav-tada/"),
        Client().post(f"/pasakumi/apkopojums/atteikties/{token[:-2]}xx/"),
    ]

    assert [response.status_code for response in responses] == [404, 404]
    assert following.digest_enabled(user=person) is True


def test_what_one_follows_is_part_of_ones_data_and_goes_with_the_account(
    signed_in, person, community, send
):
    following.follow(user=person, community=community)
    event = EventFactory(title="Talka pie ezera", community=community)
    send(later(0.01))

    data = following.follow_data(user=person)

    assert data == {
        "following": [
            {
                "community": "Preiļu darbīgā kopiena",
                "since": Follow.objects.get().created_at.isoformat(),
            }
        ],
        "weekly_digest": True,
        "events_mailed_in_digests": ["Talka pie ezera"],
    }
    assert signed_in.get("/mans/dati/?format=json").json()["following"] == data
    person.delete()
    assert (Follow.objects.count(), Digest.objects.count(), DigestedEvent.objects.count()) == (
        0,
        0,
        0,
    )
    assert Event.objects.filter(pk=event.pk).exists()
