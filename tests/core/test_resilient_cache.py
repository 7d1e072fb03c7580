"""Redis goes away while the site serves (core.cache.ResilientRedisCache): pages keep being
served from the database, nothing cached is ever served stale after Redis comes back, and
readiness says "degraded" without taking the app server out of the load balancer.

Redis is cut off through a loopback proxy (tests/cuttable_proxy.py), the way a network outage
or a restart looks to the app, while the real server keeps running for the other tests."""

import logging
import os
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from core import generations, notices
from tests.cuttable_proxy import CuttableProxy

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def proxy():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    parts = urlsplit(REDIS_URL)
    proxy = CuttableProxy(parts.hostname, parts.port or 6379)
    yield proxy
    proxy.close()


@pytest.fixture
def resilient(settings, proxy):
    # Database 14: emptying it on recovery must not touch the rate-limit tests' database 15.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/14",
        }
    }
    cache.clear()
    yield cache
    if proxy.is_cut:
        proxy.restore()
    cache.clear()


def test_reads_miss_and_writes_are_dropped_while_redis_is_cut_off(resilient, proxy, caplog):
    resilient.set("kept", "before")
    proxy.cut()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        answers = [
            resilient.get("kept", "miss"),
            resilient.get_many(["kept"]),
            resilient.set("new", "during"),
            resilient.add("lock", 1),
            resilient.has_key("kept"),
            resilient.incr("counter", 5),
            resilient.set_many({"a": 1, "b": 2}),
            resilient.delete("kept"),
        ]

    # A lock taken with add() blocks nobody; a count starts from nothing.
    assert answers == ["miss", {}, None, True, False, 5, ["a", "b"], False]
    assert resilient.unavailable is True
    # One warning for the outage, not one per call.
    assert [r.getMessage()[:17] for r in caplog.records if r.name == "core.cache"] == [
        "Redis does not an"
    ]


def test_after_the_outage_the_cache_is_emptied_so_nothing_stale_is_served(resilient, proxy, caplog):
    """A value cached before a change must not be served after it, even when the change's
    renewal of the generation was lost in the outage and Redis kept its data."""
    computed = []

    def figures():
        computed.append(len(computed) + 1)
        return computed[-1]

    assert generations.cached("test-figures", ("total",), figures) == 1
    assert generations.cached("test-figures", ("total",), figures) == 1  # from the cache
    proxy.cut()
    generations.bump("test-figures")  # the change: its renewal is lost
    assert generations.cached("test-figures", ("total",), figures) == 2  # computed, not cached
    proxy.restore()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        after = generations.cached("test-figures", ("total",), figures)

    assert (after, computed) == (3, [1, 2, 3])
    assert resilient.unavailable is False
    assert generations.cached("test-figures", ("total",), figures) == 3  # cached again
    # (A pooled connection the outage broke may fail once more before a new one answers.)
    assert [r.getMessage() for r in caplog.records if r.name == "core.cache"][-1] == (
        "Redis answers again: the cache was emptied of what the outage outdated"
    )


@pytest.mark.django_db
def test_pages_are_served_and_readiness_says_degraded_while_redis_is_cut_off(
    client, resilient, proxy, latgale
):
    before = client.get("/centri/")
    proxy.cut()

    during = client.get("/centri/")
    ready = client.get("/readyz")
    proxy.restore()
    after = client.get("/readyz")

    assert [before.status_code, during.status_code] == [200, 200]
    assert during.content.count(b'class="centre-card') == before.content.count(
        b'class="centre-card'
    )
    assert (ready.status_code, ready.json()) == (
        200,
        {
            "database": "ok",
            "cache": "degraded: Redis does not answer, the cache is bypassed",
            "outbox": "ok",
            "notices": "off",
        },
    )
    assert (after.status_code, after.json()) == (
        200,
        {"database": "ok", "cache": "ok", "outbox": "ok", "notices": "off"},
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_the_outage_every_process_drops_the_pages_it_kept_on_notices(
    resilient, proxy, settings
):
    """Another process kept pages in its memory on the strength of notices (core.notices); a
    renewal this process lost in the outage was announced to it all the same, and it may have
    read the old generation back from Redis: the emptied cache is announced too."""
    settings.GENERATION_NOTICES = True
    notices._listener.close()
    try:
        before = notices.stamp(["pages:events"])
        proxy.cut()
        generations.cached("test-figures", ("total",), lambda: 1)
        proxy.restore()
        generations.cached("test-figures", ("total",), lambda: 1)
        after = notices.stamp(["pages:events"])
    finally:
        notices._listener.close()

    assert resilient.unavailable is False
    assert before is not None and after is not None
    assert after[0] > before[0]
    assert after[1:] == before[1:]
