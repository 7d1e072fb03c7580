"""Writing to a community's leaders from its page (communities.contact): the mail goes to each
active leader with the sender's address to reply to, the leaders' addresses never reach the
page, and bad input, bulk links, repeats and floods are each refused with a clear message."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from communities import contact
from communities.models import Membership, Profile
from kopienas import contact_views
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, verified_user
from tests.html import parse

pytestmark = pytest.mark.django_db

MESSAGE = "Labdien! Vai sestdien varu atnākt uz talku ar saviem bērniem?"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def community():
    community = CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")
    for email, first, last, language in [
        ("liga@example.lv", "Līga", "Ozola", "lv"),
        ("peter@example.lv", "Peter", "Smith", "en"),
    ]:
        leader = UserFactory(email=email, username=email, first_name=first, last_name=last)
        Profile.objects.create(user=leader, language=language)
        MembershipFactory(user=leader, community=community, leader=True)
    # A member is no leader: they get nothing.
    MembershipFactory(user=UserFactory(email="biedrs@example.lv"), community=community)
    return community


def form_key(client, path="/kopienas/preili/rakstit/") -> str:
    doc = parse(client.get(path).content)
    return doc.select_one("input[name=form_key]").attrs["value"]


def send(client, django_capture_on_commit_callbacks, **data):
    fields = {"name": "Anna Bērziņa", "email": "anna@example.lv", "message": MESSAGE, **data}
    if "form_key" not in fields:
        fields["form_key"] = form_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/kopienas/preili/rakstit/", fields)


def errors(response) -> list[str]:
    return parse(response.content).texts(".error-summary li")


def test_the_page_links_to_the_form_and_never_shows_a_leaders_address(client, community):
    page = client.get("/kopienas/preili/").content.decode()
    form = client.get("/kopienas/preili/rakstit/").content.decode()

    assert [
        (a.text, a.attrs["href"])
        for a in parse(page).select(".facts a")
        if a.attrs["href"].endswith("/rakstit/")
    ] == [("Rakstīt kopienas līderiem", "/kopienas/preili/rakstit/")]
    for html in (page, form):
        assert "liga@example.lv" not in html
        assert "peter@example.lv" not in html


def test_a_visitor_writes_and_each_leader_gets_it_in_their_language(
    client, community, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks)

    assert (response.status_code, response["Location"]) == (302, "/kopienas/preili/")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("liga@example.lv", "Ziņa kopienai „Preiļu darbīgā kopiena” no Anna Bērziņa"),
        ("peter@example.lv", "Message to the community “Preiļu darbīgā kopiena” from Anna Bērziņa"),
    ]
    for message in mail.outbox:
        assert message.extra_headers["Reply-To"] == "anna@example.lv"
        assert MESSAGE in message.body
    latvian = next(m for m in mail.outbox if m.to == ["liga@example.lv"])
    assert "Rakstītājs nebija pieslēdzies vietnē: viņa e-pasta adrese nav pārbaudīta." in (
        latvian.body
    )
    assert parse(client.get("/kopienas/preili/").content).texts("ul.messages li") == [
        "Ziņa nosūtīta kopienas līderiem. Viņi atbildēs uz jūsu e-pasta adresi anna@example.lv."
    ]


def test_a_signed_in_person_writes_under_their_own_name_and_address(
    client, community, django_capture_on_commit_callbacks
):
    person = verified_user(
        email="janis@example.lv", username="janis", first_name="Jānis", last_name="Liepa"
    )
    client.force_login(person)
    doc = parse(client.get("/kopienas/preili/rakstit/").content)

    send(client, django_capture_on_commit_callbacks, name="Kāds cits", email="cits@example.lv")

    assert [field.attrs["name"] for field in doc.select("form.contact-form textarea")] == [
        "message"
    ]
    assert [field.attrs["type"] for field in doc.select("form.contact-form input")] == [
        "hidden",
        "hidden",
    ]
    assert {m.extra_headers["Reply-To"] for m in mail.outbox} == {"janis@example.lv"}
    assert {m.subject for m in mail.outbox if m.to == ["liga@example.lv"]} == {
        "Ziņa kopienai „Preiļu darbīgā kopiena” no Jānis Liepa"
    }


def test_the_same_form_sent_twice_is_one_message(
    client, community, django_capture_on_commit_callbacks
):
    key = form_key(client)

    first = send(client, django_capture_on_commit_callbacks, form_key=key)
    second = send(client, django_capture_on_commit_callbacks, form_key=key)

    assert (first.status_code, second.status_code) == (302, 302)
    assert len(mail.outbox) == 2  # one to each leader


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"name": "", "email": "", "message": ""},
            [
                "Jūsu vārds: Lūdzu, norādiet savu vārdu.",
                "Jūsu e-pasta adrese: Lūdzu, norādiet e-pasta adresi, uz kuru atbildēt.",
                "Ziņa: Lūdzu, uzrakstiet ziņu.",
            ],
        ),
        (
            {"email": "nav-adrese", "message": "Sveiki"},
            [
                "Jūsu e-pasta adrese: Ievadiet derīgu e-pasta adresi, piemēram, vards@example.lv.",
                "Ziņa: Ziņā jābūt vismaz 10 rakstzīmēm.",
            ],
        ),
        (
            {"name": "A" * 101, "message": "x" * 3001},
            [
                "Jūsu vārds: Ne vairāk kā 100 rakstzīmes (tagad 101).",
                "Ziņa: Ne vairāk kā 3000 rakstzīmes (tagad 3001).",
            ],
        ),
        (
            {"message": "Lētas lietas: https://a.example http://b.example www.c.example"},
            ["Ziņa: Ziņā var būt ne vairāk kā 2 saites. Lūdzu, uzrakstiet to vārdiem."],
        ),
        (
            {"email": "anna@example.lv\r\nBcc: visi@example.lv"},
            ["Jūsu e-pasta adrese: Ievadiet derīgu e-pasta adresi, piemēram, vards@example.lv."],
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept_in_the_form(
    client, community, django_capture_on_commit_callbacks, data, expected
):
    response = send(client, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 400
    assert errors(response) == expected
    assert mail.outbox == []
    # What was typed stays in the form.
    typed = data.get("message", MESSAGE)
    if typed:
        assert parse(response.content).select_one("textarea[name=message]").text.strip() == (
            typed.strip()
        )


def test_script_tags_arrive_as_plain_text_and_are_escaped_when_shown_again(
    client, community, django_capture_on_commit_callbacks
):
    script = "<script>alert('x')</script> Sveiki, vai varu palīdzēt talkā?"

    sent = send(client, django_capture_on_commit_callbacks, name="<b>Anna</b>", message=script)
    refused = send(
        client,
        django_capture_on_commit_callbacks,
        message="<script>x</script> https://a.example https://b.example https://c.example",
    )

    assert sent.status_code == 302
    assert "<script>alert('x')</script> Sveiki, vai varu palīdzēt talkā?" in mail.outbox[0].body
    assert refused.status_code == 400
    assert b"<script>x</script>" not in refused.content
    assert b"&lt;script&gt;x&lt;/script&gt;" in refused.content


def test_a_flood_from_one_place_is_stopped_and_says_so(
    client, community, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(contact_views, "LIMIT_PER_IP", (2, 3600))
    sent = [
        send(client, django_capture_on_commit_callbacks, email=f"anna{n}@example.lv").status_code
        for n in range(3)
    ]
    refused = send(client, django_capture_on_commit_callbacks, email="anna9@example.lv")

    assert sent == [302, 302, 429]
    assert refused.status_code == 429
    assert errors(refused) == [
        "Pēdējā laikā no šīs adreses vai šī tīkla nosūtīts pārāk daudz ziņu. Lūdzu, mēģiniet vēlāk."
    ]
    assert len(mail.outbox) == 4  # two messages, two leaders each


def test_a_community_without_leaders_says_so_and_takes_no_message(
    client, django_capture_on_commit_callbacks
):
    CommunityFactory(slug="preili", name="Preiļu darbīgā kopiena")

    page = client.get("/kopienas/preili/rakstit/")
    posted = send(client, django_capture_on_commit_callbacks, form_key="x")

    assert parse(page.content).texts("p.empty") == [
        "Kopienai vēl nav līdera, kam rakstīt. Jautājumus par kopienām var uzdot tuvākajam "
        "resursu centram."
    ]
    assert posted.status_code == 200
    assert mail.outbox == []
    assert Membership.objects.count() == 0


def test_control_characters_are_dropped_from_the_message():
    assert contact.check_message("Sveiki\x00 kopiena\x1b!\n") == "Sveiki kopiena!"
    assert re.fullmatch(r"[\w-]{20,}", contact.new_form_key())
