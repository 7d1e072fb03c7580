"""Two app servers behind one PostgreSQL and one Redis behave as one site (issue 14): a log-in
on one continues on the other, failed log-ins count across both, a change shows through both
on the very next request (the cached figures), and a file one stores the other serves.

Two gunicorn processes as in production on two loopback ports, asked with one site's Host as a
load balancer in front of them would (allauth counts failed log-ins per site name and address);
nothing either needs lives in its own memory."""

import os
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from tests import served as serving
from tests.factories import verified_user
from tests.html import parse
from tests.kopienas.figures_support import held_event

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
# A database of its own: the other Redis tests empty theirs.
SHARED_REDIS = f"{REDIS_URL}/13"
# Seconds a Redis call may take here (DJANGO_REDIS_TIMEOUT): see the fixture.
LOADED = 5.0
PASSWORD = "Ābele-kopienai-2026"


def person(email: str, **fields):
    """A confirmed account whose password the servers can check: hashed the production way
    (the tests' own settings hash quickly with a hasher the servers do not have)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = verified_user(email=email, **fields)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def two_servers(transactional_db, tmp_path, settings):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The two-server test cannot run in CI: {reason}")
        pytest.skip(reason)
    import redis

    try:
        redis.Redis.from_url(SHARED_REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {SHARED_REDIS} does not answer: {error}")
        pytest.skip(f"Redis at {SHARED_REDIS} does not answer")
    media = tmp_path / "media"
    # This process writes as a third server would: the same cache, the same uploads, and its
    # writes renew the servers' cached pages and announce it to them (core.notices).
    settings.PAGE_CACHE_RENEW = True
    settings.GENERATION_NOTICES = True
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": SHARED_REDIS,
            "OPTIONS": {"socket_connect_timeout": LOADED, "socket_timeout": LOADED},
        }
    }
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    cache.clear()
    env = serving.production_env(
        DATABASE_URL=serving.database_url(),
        REDIS_URL=SHARED_REDIS,
        # A busy CI machine can stall a call past the production half second: that would be an
        # outage to the servers (counts dropped, the cache emptied), which is not this test's.
        DJANGO_REDIS_TIMEOUT=str(LOADED),
        DJANGO_MEDIA_ROOT=str(media),
        DJANGO_SERVE_MEDIA="1",
    )
    serving.prepare(env)
    ports = [serving.free_port(), serving.free_port()]
    servers = []
    try:
        for port in ports:
            servers.append(serving.start(env, port))
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            serving.stop(server)
        cache.clear()


def _browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _log_in(browser, base: str, email: str, password: str) -> tuple[int, str]:
    _status, _headers, page = serving.get(base + "/konts/login/", browser)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    status, _headers, page = serving.get(base + "/konts/login/", browser, data)
    return status, page


def test_a_log_in_on_one_server_continues_on_the_other(two_servers):
    one, other = two_servers
    person("anna@example.lv", first_name="Anna", last_name="Bērziņa")
    browser = _browser()

    status, _page = _log_in(browser, one, "anna@example.lv", PASSWORD)
    mine = serving.get(other + "/mans/", browser)

    assert status == 200  # followed the redirect to /mans/ on the first server
    assert mine[0] == 200
    assert parse(mine[2]).select_one("main p.lead").text == "Sveiki, Anna Bērziņa!"


def test_failed_log_ins_count_across_both_servers(two_servers):
    one, other = two_servers
    person("anna@example.lv")
    # allauth allows 5 failed log-ins per account in 5 minutes: 3 here and 2 there use them up.
    answers = [
        parse(_log_in(_browser(), base, "anna@example.lv", "nepareiza-parole")[1]).texts(
            "#kludas li"
        )
        for base in (one, other, one, other, one, other)
    ]

    wrong = ["Nepareiza e-pasta adrese vai parole."]
    refused = ["Pārāk daudz neveiksmīgu pieslēgšanās mēģinājumu. Mēģiniet vēlreiz vēlāk."]
    assert answers == [wrong] * 5 + [refused]


def test_a_change_shows_through_both_on_the_next_request(two_servers):
    one, other = two_servers

    def participants(base):
        doc = parse(serving.get(base + "/")[2])
        return doc.select_one("[data-figure=participants]").text

    before = [participants(one), participants(other)]  # both now cached in Redis
    held_event(attendees=1234)  # closed here, as a third server (the admin) would
    after = [participants(one), participants(other)]

    assert (before, after) == (["0", "0"], ["1 234", "1 234"])


def test_a_file_stored_by_one_is_served_by_both(two_servers):
    one, other = two_servers
    name = storages["default"].save("centri/foto.txt", ContentFile(b"Aglonas centrs"))

    answers = [serving.get(f"{base}/media/{name}") for base in (one, other)]

    assert [(status, body) for status, _headers, body in answers] == [
        (200, "Aglonas centrs"),
        (200, "Aglonas centrs"),
    ]
