"""/readyz (kopienas/health.py): every part the site needs, by name, 200 when all answer and
503 naming the one that does not.

The failures are real: the database is a real connection of the same backend pointed at a
place where nothing answers (a closed port, a file that cannot be opened), the cache a Redis
address nobody listens on, or the database cache without its table.
"""

import copy
import logging
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import OutgoingMail

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
LOCAL_MEMORY_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ready"}
}


def _answer(response) -> tuple:
    return (
        response.status_code,
        response.headers["Content-Type"],
        response.headers["Cache-Control"],
        response.json(),
    )


def _health_messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "kopienas.health"]


@contextmanager
def _database_down(tmp_path):
    """While it lasts, the default database is a connection nobody answers."""
    original = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "postgresql":
        # Nothing listens on port 1; no pool, which would wait its timeout for a connection.
        settings_dict.update(HOST="127.0.0.1", PORT="1")
        settings_dict["OPTIONS"] = {"connect_timeout": 2}
    else:
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, DEFAULT_DB_ALIAS
    )
    connections[DEFAULT_DB_ALIAS] = unreachable
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        unreachable.close()


def test_ready_when_the_database_and_the_cache_answer(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")

    assert _answer(response) == (
        200,
        "application/json",
        NEVER_CACHE,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )
    # SELECT 1 under a statement timeout, then the cache's read (the default cache lives in the
    # database, so that read is a query of its own), then the oldest unsent mail.
    select = (
        "SET LOCAL statement_timeout = 2000; SELECT 1"
        if connection.vendor == "postgresql"
        else "SELECT 1"
    )
    assert [query["sql"].split(" FROM ")[0] for query in queries] == [
        select,
        'SELECT "cache_key", "value", "expires"',
        'SELECT MIN("core_outgoingmail"."created_at") AS "oldest"',
    ]


def test_one_query_when_the_cache_is_not_the_database(client, db, settings):
    settings.CACHES = LOCAL_MEMORY_CACHE

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        200,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )
    assert len(queries) == 2


def test_not_ready_while_the_database_does_not_answer_and_ready_again_after(
    client, db, settings, tmp_path, caplog
):
    settings.CACHES = LOCAL_MEMORY_CACHE

    with caplog.at_level(logging.ERROR, logger="kopienas.health"):
        with _database_down(tmp_path):
            down = client.get("/readyz")
        # Nothing is cached: the next probe asks again.
        up = client.get("/readyz")

    assert _answer(down) == (
        503,
        "application/json",
        NEVER_CACHE,
        {"database": "unavailable", "cache": "ok", "outbox": "unavailable", "notices": "off"},
    )
    assert (up.status_code, up.json()) == (
        200,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )
    assert _health_messages(caplog) == [
        "Readiness: database did not answer",
        "Readiness: outbox did not answer",
    ]


def test_the_database_cache_is_down_with_its_database(client, db, tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="kopienas.health"), _database_down(tmp_path):
        response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        503,
        {
            "database": "unavailable",
            "cache": "unavailable",
            "outbox": "unavailable",
            "notices": "off",
        },
    )
    assert _health_messages(caplog) == [
        "Readiness: database did not answer",
        "Readiness: cache did not answer",
        "Readiness: outbox did not answer",
    ]


def test_not_ready_when_redis_does_not_answer(client, db, settings, caplog):
    # Nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    with caplog.at_level(logging.ERROR, logger="kopienas.health"):
        response = client.get("/readyz")

    assert _answer(response) == (
        503,
        "application/json",
        NEVER_CACHE,
        {"database": "ok", "cache": "unavailable", "outbox": "ok", "notices": "off"},
    )
    assert _health_messages(caplog) == ["Readiness: cache did not answer"]
    [record] = [record for record in caplog.records if record.name == "kopienas.health"]
    assert type(record.exc_info[1]).__name__ == "ConnectionError"


def test_not_ready_when_the_cache_table_is_missing(client, transactional_db, settings):
    # `manage.py createcachetable` forgotten: the database answers, the cache does not.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kopienas_cache_never_created",
        }
    }

    response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        503,
        {"database": "ok", "cache": "unavailable", "outbox": "ok", "notices": "off"},
    )


@pytest.mark.postgres
def test_the_statement_timeout_ends_with_the_probe(client, transactional_db):
    """In autocommit, as in production, SET LOCAL holds for the probe's own statement only: the
    pooled connection goes back to the next request with the server's default."""
    client.get("/readyz")

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)


def test_readyz_answers_head_probes_and_refuses_writes(client, db):
    head = client.head("/readyz")
    post = client.post("/readyz")

    assert (head.status_code, head.content, head.headers["Content-Type"]) == (
        200,
        b"",
        "application/json",
    )
    assert (post.status_code, post.headers["Allow"], post.content) == (405, "GET, HEAD", b"")


def test_readyz_answers_plain_http_even_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        200,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )


def _mail(status, *, age: timedelta, number: int) -> OutgoingMail:
    mail = OutgoingMail.objects.create(
        cause=f"test:{number}",
        recipient=f"ilze{number}@example.lv",
        kind="events/mail/registered",
        language="lv",
        subject="Reģistrācija",
        body="Paldies!",
        message_id=f"<{number}@darbigaskopienas.lv>",
        status=status,
    )
    # created_at is written on insert (auto_now_add); move it back as if written earlier.
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - age)
    return mail


def test_the_outbox_is_ok_while_its_oldest_unsent_mail_is_recent(client, db, settings):
    settings.CACHES = LOCAL_MEMORY_CACHE
    settings.OUTBOX_LATE_AFTER = 15 * 60
    # Sent and failed mails are done with, however old: only unsent ones count.
    _mail(OutgoingMail.Status.SENT, age=timedelta(days=30), number=1)
    _mail(OutgoingMail.Status.FAILED, age=timedelta(days=2), number=2)
    _mail(OutgoingMail.Status.PENDING, age=timedelta(minutes=14), number=3)

    response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        200,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )


@pytest.mark.parametrize("status", [OutgoingMail.Status.PENDING, OutgoingMail.Status.SENDING])
def test_a_late_outbox_is_named_and_logged_while_the_process_stays_ready(
    client, db, settings, caplog, status
):
    """A worker that is not running leaves mail waiting: /readyz says so (an operator's alert
    reads the value), but the answer stays 200, as every app server would say the same and the
    pages are served as well as ever."""
    settings.CACHES = LOCAL_MEMORY_CACHE
    settings.OUTBOX_LATE_AFTER = 15 * 60
    _mail(OutgoingMail.Status.PENDING, age=timedelta(minutes=20), number=1)
    _mail(status, age=timedelta(minutes=42, seconds=30), number=2)
    late = (
        "late: the oldest unsent mail has waited 42 min (is `manage.py db_worker` running?"
        " see /admin/core/outgoingmail/)"
    )

    with caplog.at_level(logging.ERROR, logger="kopienas.health"):
        response = client.get("/readyz")

    assert _answer(response) == (
        200,
        "application/json",
        NEVER_CACHE,
        {"database": "ok", "cache": "ok", "outbox": late, "notices": "off"},
    )
    assert _health_messages(caplog) == [f"Readiness: outbox is behind: {late}"]
