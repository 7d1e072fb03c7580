"""Renewals announced over PostgreSQL's LISTEN/NOTIFY (core.notices), and the page cache's hits
that need no read of the shared cache while nothing was announced (core.pagecache, `_kept`).

Another process is a real one here: a second PostgreSQL connection, or `manage.py` run beside
the tests on the same database. The tests commit (transactional_db): a notice is delivered only
when its transaction commits."""

import os
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import generations, notices, pagecache
from events.models import Event
from kopienas import health
from tests import served
from tests.factories import EventFactory
from tests.html import parse

pytestmark = pytest.mark.postgres

EVENTS = pagecache.GENERATION + "events"
CENTRES = pagecache.GENERATION + "resource_centres"


@pytest.fixture(autouse=True)
def _notices_on(settings, transactional_db):
    settings.GENERATION_NOTICES = True
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_RENEW = True
    notices._listener.close()
    # Listening may be tried at once (a test before may have cut it off a moment ago).
    notices._listener._retry_at = 0.0
    pagecache._bodies.clear()
    pagecache._kept.clear()
    yield
    notices._listener.close()


@pytest.fixture
def other_process():
    """A connection of its own to the test database, as another process would have."""
    with psycopg.connect(served.database_url(), autocommit=True) as other:
        yield other


def heard_after(names, before, seconds: float = 5.0):
    """The stamp once it differs from `before`: a notice travels from the other backend to this
    one's socket asynchronously (within a millisecond on loopback). None if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = notices.stamp(names)
        if now != before:
            return now
        time.sleep(0.01)
    return None


def settled() -> None:
    """Every notice sent so far, this process's own included (it hears its own writes twice:
    at once, and when their notice comes back), has arrived: notices arrive in the order their
    transactions commit, so once a marker sent now is heard, all earlier ones were too."""
    before = notices.stamp(["test:marker"])
    with psycopg.connect(served.database_url(), autocommit=True) as other:
        other.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, "test:marker"])
    assert heard_after(["test:marker"], before) is not None


def state(response) -> tuple[int, str | None]:
    return response.status_code, response.headers.get(pagecache.HEADER)


def test_a_renewal_another_process_announces_changes_the_stamp_of_that_generation_alone(
    other_process,
):
    events, centres = notices.stamp([EVENTS]), notices.stamp([CENTRES])

    other_process.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, EVENTS])

    session, heard = events
    assert heard_after([EVENTS], events) == (session, heard + 1)
    assert notices.stamp([CENTRES]) == centres


def test_a_notice_is_heard_when_its_transaction_commits_and_never_after_a_rollback(
    other_process,
):
    before = notices.stamp([EVENTS, CENTRES])
    session, events, centres = before

    with pytest.raises(RuntimeError), other_process.transaction():
        other_process.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, EVENTS])
        raise RuntimeError("rolled back")
    # Notices arrive in the order their transactions commit: once this one is heard, a notice
    # of the rolled-back transaction would have been too.
    with other_process.transaction():
        other_process.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, CENTRES])

    assert heard_after([EVENTS, CENTRES], before) == (session, events, centres + 1)


def test_a_renewal_here_is_announced_to_other_processes_once_the_cache_holds_it(other_process):
    other_process.execute(f"LISTEN {notices.CHANNEL}")

    generations.bump(EVENTS, CENTRES)

    notice = next(other_process.notifies(timeout=5, stop_after=1))
    assert (notice.channel, notice.payload) == (
        notices.CHANNEL,
        f"{EVENTS},{CENTRES}",
    )


def test_a_notice_committed_before_the_stamp_is_always_in_it(other_process):
    # PostgreSQL tells a listener's server process of a commit before the commit returns, but
    # what it then sends the listener may still be on its way: the empty query before each
    # stamp waits for it. Without that round trip about one try in ten misses the notice here.
    missed = 0
    for _ in range(200):
        before = notices.stamp([EVENTS])
        other_process.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, EVENTS])
        after = notices.stamp([EVENTS])
        missed += after != (before[0], before[1] + 1)

    assert missed == 0


def test_a_renewal_inside_a_transaction_is_announced_at_its_commit_or_never(other_process):
    other_process.execute(f"LISTEN {notices.CHANNEL}")

    with pytest.raises(RuntimeError), transaction.atomic():
        generations.bump(EVENTS)
        raise RuntimeError("rolled back")
    with transaction.atomic():
        generations.bump(CENTRES)

    # The renewal at once and the one after the commit; nothing of the rolled-back one.
    heard = [notice.payload for notice in other_process.notifies(timeout=2, stop_after=2)]
    assert heard == [CENTRES, CENTRES]


def test_an_announcement_that_fails_fails_its_transaction_but_not_a_committed_change(caplog):
    # PostgreSQL refuses a notice of 8,000 bytes or more.
    too_long = "x" * 8000

    with pytest.raises(DatabaseError), transaction.atomic():
        notices.announce([too_long])
    notices.announce([too_long])

    assert [record.getMessage()[:30] for record in caplog.records] == [
        "Notices: the renewal of xxxxxx"
    ]


def test_an_emptied_cache_makes_every_process_drop_what_it_keeps(other_process):
    before = notices.stamp([EVENTS])

    other_process.execute("SELECT pg_notify(%s, %s)", [notices.CHANNEL, notices.EVERYTHING])
    after = notices.stamp([EVENTS])

    assert after[0] > before[0]
    assert after[1:] == before[1:]


# gunicorn forks its workers before they start threads; the test process has some already.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_listens_on_a_connection_of_its_own():
    parent = notices.stamp([EVENTS])
    listening = notices._listener._connection
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        try:
            stamp = notices.stamp([EVENTS])
            mine = notices._listener._connection is not listening
            os.write(writing, repr((stamp is not None, mine)).encode())
        finally:
            os._exit(0)
    os.close(writing)
    report = os.read(reading, 100).decode()
    os.waitpid(child, 0)
    os.close(reading)

    assert report == "(True, True)"
    # The parent's connection was neither used nor closed by the child.
    assert notices.stamp([EVENTS]) == parent
    assert notices._listener._connection is listening


def test_a_listener_cut_off_vouches_for_nothing_until_it_listens_again(other_process):
    before = notices.stamp([EVENTS])
    listener_pid = notices._listener._connection.info.backend_pid

    other_process.execute("SELECT pg_terminate_backend(%s)", [listener_pid])
    deadline = time.monotonic() + 5
    while (cut_off := notices.stamp([EVENTS])) is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    # The next attempt to listen again is a second later; here, at once.
    notices._listener._retry_at = 0.0
    again = notices.stamp([EVENTS])

    assert cut_off is None
    # Heard nothing, and yet a new stamp: a notice may have been missed in between.
    assert again is not None and again != before
    assert again[1:] == before[1:]


def test_while_one_thread_opens_the_connection_the_others_answer_without_waiting(monkeypatch):
    connect, entered, release, opened = psycopg.connect, threading.Event(), threading.Event(), []

    def slow_connect(*args, **kwargs):
        # A database that takes its time to answer (up to the connect timeout).
        entered.set()
        release.wait(5)
        return connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", slow_connect)
    opener = threading.Thread(target=lambda: opened.append(notices.stamp([EVENTS])))
    opener.start()
    entered.wait(5)
    meanwhile = notices.stamp([EVENTS])
    release.set()
    opener.join(5)

    assert meanwhile is None
    assert opened[0] is not None and opened[0] == notices.stamp([EVENTS])


def test_without_postgresql_notices_there_is_no_stamp(settings):
    settings.GENERATION_NOTICES = False

    assert notices.stamp([EVENTS]) is None


def test_readiness_says_whether_this_process_listens(other_process, caplog):
    """/readyz opens the listening connection as a page lookup would; a process that cannot
    listen stays ready (its hits ask the shared cache) and says so."""
    listening = Client().get("/readyz")
    listener_pid = notices._listener._connection.info.backend_pid
    other_process.execute("SELECT pg_terminate_backend(%s)", [listener_pid])
    deadline = time.monotonic() + 5
    while notices.stamp([EVENTS]) is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    # Cut off a moment ago: the next attempt to listen again is a while away.
    notices._listener._retry_at = time.monotonic() + 60
    cut_off = Client().get("/readyz")
    notices._listener._retry_at = 0.0
    again = Client().get("/readyz")

    parts = {"database": "ok", "cache": "ok", "outbox": "ok"}
    assert (listening.status_code, listening.json()) == (200, {**parts, "notices": "ok"})
    assert (cut_off.status_code, cut_off.json()) == (
        200,
        {**parts, "notices": health.NOT_LISTENING},
    )
    assert (again.status_code, again.json()) == (200, {**parts, "notices": "ok"})
    assert [r.getMessage() for r in caplog.records if r.name == "kopienas.health"] == [
        f"Readiness: notices: {health.NOT_LISTENING}"
    ]


def test_without_the_page_cache_readiness_calls_notices_off_and_does_not_listen(settings):
    settings.PAGE_CACHE = False

    answer = Client().get("/readyz")

    assert (answer.status_code, answer.json()["notices"], notices._listener._connection) == (
        200,
        "off",
        None,
    )


# --- The page cache served from this process's memory --------------------------------------------


def test_a_hit_this_process_can_vouch_for_reads_nothing():
    EventFactory(title="Talka pie ezera")
    settled()
    first = Client().get("/pasakumi/")

    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/pasakumi/")

    assert (state(first), state(second)) == ((200, "miss"), (200, "hit"))
    assert second.content == first.content
    # Neither the database cache's table nor anything else.
    assert [query["sql"] for query in queries] == []


def test_a_write_here_shows_on_the_next_request():
    event = EventFactory(title="Talka pie ezera")
    Client().get("/pasakumi/")
    Client().get("/pasakumi/")

    Event.objects.filter(pk=event.pk).update(title="Talka pie upes")
    after = Client().get("/pasakumi/")

    assert state(after) == (200, "miss")
    assert parse(after.content).texts("#pasakumu-saraksts .card-title") == ["Talka pie upes"]


def test_this_process_hears_its_own_renewal_at_once_not_when_its_notice_comes_back(monkeypatch):
    event = EventFactory(title="Talka pie ezera")
    Client().get("/pasakumi/")
    # Nothing reaches this process over the listening connection from here on.
    monkeypatch.setattr(notices._Listener, "_synchronise", lambda self: None)

    Event.objects.filter(pk=event.pk).update(title="Talka pie upes")
    after = Client().get("/pasakumi/")

    assert state(after) == (200, "miss")
    assert parse(after.content).texts("#pasakumu-saraksts .card-title") == ["Talka pie upes"]


def test_a_page_read_while_a_renewal_is_announced_is_not_kept_under_the_later_stamp(monkeypatch):
    EventFactory(title="Talka pie ezera")
    settled()
    read = generations.read

    def read_while_another_process_renews(names, *keys):
        # Another process renews the events' pages and announces it just as this request
        # reads the shared cache: what it read may be from before the change.
        found = read(names, *keys)
        notices._listener.heard([EVENTS])
        return found

    monkeypatch.setattr(generations, "read", read_while_another_process_renews)
    Client().get("/pasakumi/")
    monkeypatch.setattr(generations, "read", read)
    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/pasakumi/")

    assert state(second) == (200, "hit")
    # Not from memory: the shared cache was read again.
    assert len(queries) == 1


def test_a_change_another_process_makes_shows_here_by_its_notice_alone(tmp_path):
    EventFactory(title="Talka pie ezera")
    Client().get("/pasakumi/")
    kept = Client().get("/pasakumi/")
    before = notices.stamp([EVENTS])
    env = served.production_env(tmp_path, DATABASE_URL=served.database_url())

    # Another process renews every page (as after a row written with psql): it renews the
    # shared cache's generations and announces them; this process reads neither the cache nor
    # the database before the next visitor comes, only what its listening socket received.
    done = subprocess.run(
        [sys.executable, "manage.py", "clear_page_cache"],
        env=env,
        cwd=served.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    heard = heard_after([EVENTS], before)
    after = Client().get("/pasakumi/")

    assert done.stdout == "page cache: 5 generations renewed\n"
    assert state(kept) == (200, "hit")
    assert heard == (before[0], before[1] + 1)
    assert state(after) == (200, "miss")


def test_a_kept_page_is_checked_against_the_shared_cache_after_the_recheck_interval(settings):
    EventFactory(title="Talka pie ezera")
    Client().get("/pasakumi/")
    settings.PAGE_CACHE_RECHECK_SECONDS = 0

    with CaptureQueriesContext(connection) as queries:
        checked = Client().get("/pasakumi/")

    assert state(checked) == (200, "hit")
    # The generations and the page's entry, in one read of the database cache.
    assert len(queries) == 1
    assert "kopienas_cache" in queries[0]["sql"]


def test_without_a_listener_every_hit_asks_the_shared_cache(monkeypatch):
    EventFactory(title="Talka pie ezera")
    Client().get("/pasakumi/")
    monkeypatch.setattr(notices, "stamp", lambda names: None)

    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/pasakumi/")

    assert state(second) == (200, "hit")
    assert len(queries) == 1
