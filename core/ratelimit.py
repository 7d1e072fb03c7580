"""A fixed-window counter in the shared cache, for forms that send mail to addresses a stranger
types in (a guest's event registration): without a limit, anyone could make the site mail any
address over and over. The counts live in the default cache, which every worker shares, like
allauth's own limits (kopienas/settings.py)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The visitor's address; behind a proxy, the one the first trusted proxy saw (the same
    rule allauth's limits follow, ALLAUTH_TRUSTED_PROXY_COUNT)."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one attempt for `key` in the current window of `period` seconds; False once more
    than `limit` attempts were counted in it.

    The window's entry lives until the window ends, on every cache backend: the database cache's
    `incr` writes the entry again with the cache's default timeout (five minutes), so the entry's
    time is set again after each count, or an hour's limit would quietly last five minutes.
    """
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # Past the window's end by a second, so the entry never expires inside its own window.
    lasts = int((window + 1) * period - now) + 1
    if cache.add(cache_key, 1, timeout=lasts):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The window's entry expired between add() and incr(): this is its first attempt.
        cache.set(cache_key, 1, timeout=lasts)
        count = 1
    else:
        cache.touch(cache_key, timeout=lasts)
    return count <= limit
