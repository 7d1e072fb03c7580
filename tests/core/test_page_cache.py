"""The page cache (core.pagecache): public pages for visitors without a session come from the
shared cache, and a change of what they show (any write to the tables of the apps they name,
or the time passing a moment they named) shows on the very next request."""

import hashlib
import io
import re
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import pagecache
from core.formats import RIGA
from events import services
from events.models import Event
from grants.models import GrantRound
from resource_centres.booking_models import Booking
from tests.factories import EventFactory, UserFactory, verified_user
from tests.factories.grants import GrantRoundFactory
from tests.html import parse
from tests.resource_centres.booking_support import bookable, open_every_day, person

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_RENEW = True
    pagecache._bodies.clear()
    pagecache._kept.clear()


def state(response) -> tuple[int, str | None]:
    return response.status_code, response.headers.get(pagecache.HEADER)


def seats(response) -> str:
    return parse(response.content).select_one("p.seats").text


def titles(response) -> list[str]:
    return parse(response.content).texts("#pasakumu-saraksts .card-title")


def at(monkeypatch, moment):
    """The clock reads `moment` for the views, the selectors and the cache alike."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_second_visitor_gets_the_stored_page_in_one_cache_read(client):
    EventFactory(title="Talka pie ezera")
    first = client.get("/pasakumi/")

    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/pasakumi/")

    assert (state(first), state(second)) == ((200, "miss"), (200, "hit"))
    assert second.content == first.content
    assert titles(second) == ["Talka pie ezera"]
    # The database cache: the generations and the page in one read.
    assert len(queries) == 1


def test_another_process_reads_the_body_once_then_serves_its_own_copy(client):
    EventFactory(title="Talka pie ezera")
    first = client.get("/pasakumi/")
    # A process that has not served the page yet: only the shared cache holds its body.
    pagecache._bodies.clear()

    with CaptureQueriesContext(connection) as fetching:
        second = Client().get("/pasakumi/")
    with CaptureQueriesContext(connection) as holding:
        third = Client().get("/pasakumi/")

    assert [state(first), state(second), state(third)] == [
        (200, "miss"),
        (200, "hit"),
        (200, "hit"),
    ]
    assert (second.content, third.content) == (first.content, first.content)
    # The generations and the page's entry, then its body; afterwards the entry alone.
    assert (len(fetching), len(holding)) == (2, 1)


def test_a_body_the_shared_cache_dropped_is_rendered_again(client):
    EventFactory(title="Talka pie ezera")
    first = client.get("/pasakumi/")
    pagecache._bodies.clear()
    pagecache.cache.delete(pagecache.BODY_PREFIX + hashlib.sha256(first.content).hexdigest())

    second = Client().get("/pasakumi/")
    third = Client().get("/pasakumi/")

    assert [state(first), state(second), state(third)] == [
        (200, "miss"),
        (200, "miss"),
        (200, "hit"),
    ]
    assert titles(second) == titles(third) == ["Talka pie ezera"]


def test_a_process_keeps_the_bodies_it_served_last_within_its_limit(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10
    bodies = pagecache._Bodies()

    bodies.keep("a", b"aaaa")
    bodies.keep("b", b"bbbb")
    bodies.get("a")  # used again: "b" is now the oldest
    bodies.keep("c", b"cccc")
    bodies.keep("huge", b"x" * 11)

    assert [bodies.get(name) for name in ["a", "b", "c", "huge"]] == [
        b"aaaa",
        None,
        b"cccc",
        None,
    ]


def test_a_bulk_update_without_signals_shows_on_the_next_request(client):
    event = EventFactory(title="Talka pie ezera")
    client.get("/pasakumi/")

    Event.objects.filter(pk=event.pk).update(title="Talka pie upes")
    after = client.get("/pasakumi/")

    assert (state(after), titles(after)) == ((200, "miss"), ["Talka pie upes"])


def test_a_raw_sql_write_renews_the_pages_too(client):
    event = EventFactory(title="Talka pie ezera")
    client.get(event.get_absolute_url())

    with connection.cursor() as cursor:
        cursor.execute('UPDATE "events_event" SET "title" = %s WHERE "id" = %s', ["Sēta", event.pk])
    after = client.get(event.get_absolute_url())

    assert (state(after), parse(after.content).select_one("h1").text) == ((200, "miss"), "Sēta")


def test_a_seat_taken_shows_at_once_on_the_event_page(client):
    event = EventFactory(capacity=3)
    before = client.get(event.get_absolute_url())
    stored = Client().get(event.get_absolute_url())

    services.register(event=event, user=verified_user(), seats=2)
    after = Client().get(event.get_absolute_url())

    assert (state(before), seats(before)) == ((200, "miss"), "Brīvas 3 vietas no 3.")
    assert (state(stored), seats(stored)) == ((200, "hit"), "Brīvas 3 vietas no 3.")
    assert (state(after), seats(after)) == ((200, "miss"), "Brīva 1 vieta no 3.")


def test_a_write_to_an_app_the_page_does_not_show_keeps_it(client):
    event = EventFactory()
    client.get("/pasakumi/")

    GrantRoundFactory()
    after = client.get("/pasakumi/")
    round_list = client.get("/konkursi/")

    assert (state(after), titles(after)) == ((200, "hit"), [event.title])
    assert state(round_list) == (200, "miss")


def _morning():
    """10.00 in Riga today: far from midnight, when every stored page expires anyway (a test
    run at 23.45 would see the page expire at midnight, before the moment it checks)."""
    return timezone.now().astimezone(RIGA).replace(hour=10, minute=0, second=0, microsecond=0)


def test_an_event_that_ends_leaves_the_list_at_that_moment(client, monkeypatch):
    now = _morning()
    at(monkeypatch, now)
    soon = EventFactory(
        title="Drīz", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=30)
    )
    EventFactory(title="Vēlāk", starts_at=now + timedelta(days=3))
    at(monkeypatch, now)
    stored = client.get("/pasakumi/")

    at(monkeypatch, soon.ends_at - timedelta(seconds=1))
    before_the_end = client.get("/pasakumi/")
    at(monkeypatch, soon.ends_at + timedelta(seconds=1))
    after_the_end = client.get("/pasakumi/")

    assert (state(stored), titles(stored)) == ((200, "miss"), ["Drīz", "Vēlāk"])
    assert (state(before_the_end), titles(before_the_end)) == ((200, "hit"), ["Drīz", "Vēlāk"])
    assert (state(after_the_end), titles(after_the_end)) == ((200, "miss"), ["Vēlāk"])


def test_registration_closes_on_the_event_page_at_its_deadline(client, monkeypatch):
    now = timezone.now()
    event = EventFactory(registration_deadline=now + timedelta(hours=2))
    at(monkeypatch, now)
    client.get(event.get_absolute_url())

    at(monkeypatch, event.registration_deadline + timedelta(seconds=1))
    after = client.get(event.get_absolute_url())

    assert state(after) == (200, "miss")
    assert "Pieteikšanās termiņš ir beidzies." in parse(after.content).texts("main p")


def test_the_countdown_of_an_open_round_is_never_a_minute_old(client, monkeypatch):
    now = _morning()
    at(monkeypatch, now)
    grant_round = GrantRoundFactory(
        status=GrantRound.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=2, minutes=5, seconds=30),
    )
    url = f"/konkursi/{grant_round.slug}/"
    at(monkeypatch, now)
    first = client.get(url)
    at(monkeypatch, now + timedelta(seconds=20))
    same_minute = client.get(url)
    at(monkeypatch, now + timedelta(seconds=31))
    next_minute = client.get(url)

    def countdown(response):
        return parse(response.content).select_one(".countdown-value").text

    assert (state(first), countdown(first)) == ((200, "miss"), "2 d. 0 st. 5 min.")
    assert (state(same_minute), countdown(same_minute)) == ((200, "hit"), "2 d. 0 st. 5 min.")
    assert (state(next_minute), countdown(next_minute)) == ((200, "miss"), "2 d. 0 st. 4 min.")


def test_signed_in_people_neither_get_nor_leave_stored_pages(client):
    EventFactory()
    client.force_login(UserFactory())

    signed_in = [client.get("/pasakumi/"), client.get("/pasakumi/")]
    visitor = Client().get("/pasakumi/")

    assert [state(response) for response in signed_in] == [(200, None), (200, None)]
    assert state(visitor) == (200, "miss")


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(client):
    event = EventFactory(title="Talka")
    Client().get(event.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(event.get_absolute_url())
    token = TOKEN.search(page.content.decode())[1]
    posted = visitor.post(
        f"/pasakumi/{event.slug}/pieteikties/",
        {
            "csrfmiddlewaretoken": token,
            "name": "Jānis Ozols",
            "email": "janis@example.lv",
            "seats": "1",
            "needs": "",
        },
    )

    assert state(page) == (200, "hit")
    assert (pagecache.CSRF_PLACEHOLDER in page.content.decode(), "csrftoken" in page.cookies) == (
        False,
        True,
    )
    assert (posted.status_code, posted["Location"]) == (302, event.get_absolute_url())


def test_a_visitor_with_a_csrf_cookie_gets_a_token_of_that_cookie_on_a_hit(client):
    event = EventFactory(title="Talka")
    Client().get(event.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = "a" * 32

    page = visitor.get(event.get_absolute_url())

    token = TOKEN.search(page.content.decode())[1]
    assert (state(page), _unmask_cipher_token(token), page.cookies["csrftoken"].value) == (
        (200, "hit"),
        "a" * 32,
        "a" * 32,
    )


def test_a_token_for_a_visitor_without_a_cookie_is_django_s_masked_form_of_a_new_secret():
    first, second = RequestFactory().get("/"), RequestFactory().get("/")

    tokens = [pagecache._token(first), pagecache._token(second)]

    secrets = [first.META["CSRF_COOKIE"], second.META["CSRF_COOKIE"]]
    assert [_unmask_cipher_token(token) for token in tokens] == secrets
    assert [(len(token), set(token) <= set(CSRF_ALLOWED_CHARS)) for token in tokens] == [
        (64, True),
        (64, True),
    ]
    masks = [token[:32] for token in tokens]
    assert (len(set(secrets)), len(set(masks)), first.META["CSRF_COOKIE_NEEDS_UPDATE"]) == (
        2,
        2,
        True,
    )


def test_random_letters_drop_the_bytes_that_would_favour_some_letters(monkeypatch):
    """62 letters: a byte of 248 or more (past 4 × 62) would give the first eight letters a
    higher chance, so it is dropped and another read makes up the count."""
    reads = iter([bytes([248, 255, 0, 61, 62]), bytes([247, 1, 2, 3, 4])])
    monkeypatch.setattr(pagecache, "_urandom", lambda size: next(reads)[:size])

    assert pagecache._random_letters(4) == "a9a9"


def test_a_stored_page_carries_no_nonce_and_a_policy_without_one(client):
    client.get("/")

    hit = Client().get("/")

    assert state(hit) == (200, "hit")
    assert "nonce" not in hit.content.decode()
    assert "nonce" not in hit.headers["Content-Security-Policy"]
    assert "script-src 'self'" in hit.headers["Content-Security-Policy"]


def test_a_notice_the_address_itself_causes_is_part_of_its_page(client):
    """A hand-edited filter gets its notice on the same page (nothing waits in a cookie): the
    next visitor of that address reads the same, so the page is stored with it."""
    EventFactory()
    notice = client.get("/pasakumi/?centrs=nav-tada")
    again = Client().get("/pasakumi/?centrs=nav-tada")

    assert (state(notice), "messages" in notice.cookies) == ((200, "miss"), False)
    assert (state(again), parse(again.content).texts(".messages li")) == (
        (200, "hit"),
        ["Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."],
    )


def test_a_message_waiting_for_the_next_page_keeps_that_page_out_of_the_cache(client):
    """A guest's registration says its message on the page it redirects to: that page is this
    visitor's alone (their messages cookie), never stored nor served from the cache."""
    event = EventFactory()
    Client().get(event.get_absolute_url())

    client.post(
        f"/pasakumi/{event.slug}/pieteikties/",
        {"name": "Jānis Ozols", "email": "janis@example.lv", "seats": "1", "needs": ""},
    )
    page = client.get(event.get_absolute_url())

    assert state(page) == (200, None)
    assert parse(page.content).texts(".messages li") == [
        "Paldies! Uz norādīto e-pastu nosūtījām saiti. Vieta tiks rezervēta, kad to atvērsiet"
        " un apstiprināsiet."
    ]


def test_languages_and_queries_are_pages_of_their_own(client):
    EventFactory()
    pages = [client.get(url) for url in ("/pasakumi/", "/en/pasakumi/", "/pasakumi/?lapa=1")]
    again = [Client().get(url) for url in ("/pasakumi/", "/en/pasakumi/", "/pasakumi/?lapa=1")]

    assert [state(response) for response in pages] == [(200, "miss")] * 3
    assert [state(response) for response in again] == [(200, "hit")] * 3
    assert [parse(response.content).select_one("h1").text for response in again] == [
        "Pasākumi un mācības",
        "Events and training",
        "Pasākumi un mācības",
    ]


def test_a_visitor_with_a_session_is_served_fresh(client):
    client.get("/pasakumi/")
    client.cookies["sessionid"] = "kas-tads"

    response = client.get("/pasakumi/")

    assert state(response) == (200, None)


def test_clear_page_cache_renews_every_page_after_a_write_the_site_cannot_see(client):
    client.get("/celazimes/")
    client.get("/pasakumi/")
    out = io.StringIO()

    call_command("clear_page_cache", stdout=out)
    pages = [Client().get("/celazimes/"), Client().get("/pasakumi/")]

    assert out.getvalue() == "page cache: 5 generations renewed\n"
    assert [state(page) for page in pages] == [(200, "miss"), (200, "miss")]


def test_a_new_release_or_deploy_setting_is_a_new_key_space(client, monkeypatch, settings):
    client.get("/celazimes/")
    pagecache.code_version.cache_clear()
    settings.PAGE_CACHE_VERSION = "2026-12-06"
    try:
        after = Client().get("/celazimes/")
        again = Client().get("/celazimes/")
    finally:
        pagecache.code_version.cache_clear()

    assert (state(after), state(again)) == ((200, "miss"), (200, "hit"))


def test_a_centre_page_says_taken_from_the_moment_a_booking_starts(client, monkeypatch):
    item = bookable(name="Šujmašīna", quantity=1)
    open_every_day(item.centre)
    now = _morning()
    Booking.objects.create(
        equipment=item,
        person=person(),
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        blocked_until=now + timedelta(hours=2),
        status=Booking.Status.CONFIRMED,
    )
    url = f"/centri/{item.centre.slug}/"

    def free(response) -> str:
        return parse(response.content).select_one(".now").text

    at(monkeypatch, now)
    first = client.get(url)
    at(monkeypatch, now + timedelta(minutes=59))
    before = client.get(url)
    at(monkeypatch, now + timedelta(hours=1, seconds=1))
    during = client.get(url)
    at(monkeypatch, now + timedelta(hours=2, seconds=1))
    after = client.get(url)

    assert (state(first), free(first)) == ((200, "miss"), "brīvs tagad")
    assert (state(before), free(before)) == ((200, "hit"), "brīvs tagad")
    assert (state(during), free(during)) == ((200, "miss"), "aizņemts tagad")
    assert (state(after), free(after)) == ((200, "miss"), "brīvs tagad")


def test_the_sitemap_is_served_with_the_headers_its_view_set(client):
    first = client.get("/sitemap.xml")

    hit = Client().get("/sitemap.xml")

    assert (state(first), state(hit)) == ((200, "miss"), (200, "hit"))
    assert (hit.content, hit["Content-Type"], hit["X-Robots-Tag"]) == (
        first.content,
        first["Content-Type"],
        first["X-Robots-Tag"],
    )


def test_a_cache_that_refuses_the_page_costs_a_render_not_an_error(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError("the cache is full")

    monkeypatch.setattr(pagecache.cache, "set", refuse)
    with caplog.at_level("ERROR", logger="core.pagecache"):
        response = client.get("/celazimes/")

    assert (response.status_code, response.headers.get(pagecache.HEADER)) == (200, None)
    assert [record.getMessage() for record in caplog.records] == [
        "Page cache: /celazimes/ not stored"
    ]


def test_a_process_keeps_the_bodies_it_served_lately_up_to_its_byte_limit(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10
    bodies = pagecache._Bodies()
    bodies.keep("a", b"aaaa")
    bodies.keep("b", b"bbbb")
    bodies.get("a")
    bodies.keep("a", b"aaaa")  # already kept: counted once
    bodies.keep("c", b"cccc")  # over 10 bytes: the least recently used (b) goes
    bodies.keep("large", b"x" * 11)  # larger than the whole limit: never kept

    assert [bodies.get(name) for name in ("a", "b", "c", "large")] == [
        b"aaaa",
        None,
        b"cccc",
        None,
    ]


def test_a_process_keeps_page_entries_while_their_stamp_holds_up_to_its_count(monkeypatch):
    monkeypatch.setattr(pagecache._Kept, "PAGES", 2)
    kept = pagecache._Kept()
    now = time.monotonic()
    kept.keep("one", (1, 5), {"page": 1}, now)
    kept.keep("two", (1, 5), {"page": 2}, now)
    kept.get("one", (1, 5))
    kept.keep("three", (1, 5), {"page": 3}, now)  # the third: the least recently used goes
    kept.keep("one", (1, 6), {"page": 11}, now)  # kept again under a later stamp

    assert [
        kept.get("two", (1, 5)),
        kept.get("three", (1, 5)),
        kept.get("three", (1, 6)),  # a renewal since: dropped
        kept.get("three", (1, 5)),
        kept.get("one", (1, 6)),
    ] == [None, {"page": 3}, None, None, {"page": 11}]
