"""The fixed-window limits of core.ratelimit hold for their whole period on every cache backend
the platform runs on: the database cache (the default) and Redis (REDIS_URL)."""

import os
import time
from datetime import UTC

import pytest
from django.core.cache import cache
from django.db import connection

from core import ratelimit

HOUR = 3600
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The default cache on Redis. Without a Redis server the test is skipped on a developer's
    machine and fails in CI, where Redis runs (.ci/run starts it)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    cache.clear()
    yield cache
    cache.clear()


def _window_end(period: int) -> float:
    return (int(time.time() // period) + 1) * period


def _counted(scope: str, times: int, limit: int) -> list[bool]:
    return [
        ratelimit.allow(scope=scope, key="192.0.2.1", limit=limit, period=HOUR)
        for _ in range(times)
    ]


def _key(scope: str) -> str:
    return f"ratelimit:{scope}:192.0.2.1:{int(time.time() // HOUR)}"


@pytest.mark.django_db
def test_on_the_database_cache_the_count_lives_until_its_window_ends():
    answers = _counted("guest-ip", 4, limit=3)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM kopienas_cache WHERE cache_key = %s",
            [cache.make_and_validate_key(_key("guest-ip"))],
        )
        (expires,) = cursor.fetchone()
    if expires.tzinfo is None:
        # SQLite hands the raw column back naive, in UTC as the cache wrote it.
        expires = expires.replace(tzinfo=UTC)
    end = _window_end(HOUR)
    assert (answers, cache.get(_key("guest-ip")), end <= expires.timestamp() <= end + 2) == (
        [True, True, True, False],
        4,
        True,
    )


@pytest.mark.redis
def test_on_redis_the_count_lives_until_its_window_ends(redis_cache):
    answers = _counted("guest-ip", 4, limit=3)

    client = redis_cache._cache.get_client(write=False)
    seconds_left = client.ttl(redis_cache.make_and_validate_key(_key("guest-ip")))
    expected = _window_end(HOUR) - time.time()
    assert (
        answers,
        redis_cache.get(_key("guest-ip")),
        expected - 2 <= seconds_left <= expected + 2,
    ) == (
        [True, True, True, False],
        4,
        True,
    )


@pytest.mark.django_db
def test_a_limit_of_one_lets_one_through():
    assert _counted("guest-email", 2, limit=1) == [True, False]
