"""The shared cache on Redis, and what happens when Redis does not answer: the site keeps
serving (settings.CACHES uses this backend when REDIS_URL is set).

While Redis is unreachable every read is a miss and every write is dropped, after at most the
socket timeout: cached values are computed afresh on each request (slower, never wrong), and
the limits counted in the cache (allauth's log-in limits, the forms' double-submit tokens)
count nothing, so they do not hold until Redis is back (README, "Redis").

When Redis answers again, this process empties the cache before using it: writes lost during
the outage may include the renewal of a generation (core.generations), and a Redis that kept
its data through a network outage would otherwise serve a value computed before a change. The
outage is noticed per process; the first process to notice it clears the cache for all.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from . import notices

logger = logging.getLogger(__name__)

# Seconds to wait for Redis to accept a connection or to answer: a Redis that is down or cut off
# costs a request at most this much per cache call, not gunicorn's whole timeout.
SOCKET_TIMEOUT = 0.5


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        params["OPTIONS"] = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, params)
        # This process saw Redis fail and has not yet seen it answer since.
        self.unavailable = False

    def _call(self, operation, fallback, *args, **kwargs):
        try:
            result = operation(*args, **kwargs)
        except RedisError as error:
            if not self.unavailable:
                logger.warning(
                    "Redis does not answer (%s): the cache is bypassed until it does", error
                )
            self.unavailable = True
            return fallback
        if self.unavailable:
            self.unavailable = False
            self._recover()
            # The answer may come from before the outage's lost writes: ask again, afresh.
            return self._call(operation, fallback, *args, **kwargs)
        return result

    def _recover(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self.unavailable = True
            logger.warning("Redis answered but could not be emptied (%s)", error)
            return
        logger.warning("Redis answers again: the cache was emptied of what the outage outdated")
        # The processes that kept pages on the strength of notices (core.notices) drop them
        # too: a renewal this process lost in the outage was still announced to them.
        notices.announce_reset()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Stored as far as the caller can tell: a lock taken with add() does not block anyone
        # while Redis is down.
        return self._call(super().add, True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # As if the key had been missing and was counted from nothing.
        return self._call(super().incr, delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, None)
