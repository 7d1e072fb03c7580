"""Readiness: `/readyz` answers whether this process can serve requests now, part by part.

`/healthz` (views.py) is liveness: the process answers and reaches its database. `/readyz`
names each part it needs in a JSON object, 200 when every part answers and 503 otherwise,
so an operator sees which one failed. Nothing here is cached: each probe asks again.

A part is one entry in CHECKS: a name and a function that returns "ok" (or "off", a part this
deploy does without; or the cache's "degraded" value) or raises: NotReady with a short
description of what is wrong (503), Degraded (serving more slowly without the part) or Late
(work the part holds is behind), both shown as they are while the answer stays 200, or any
error from the part itself, which shows as "unavailable" and goes to the log with its
traceback (503).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import notices, outbox

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
# Serving, without a part that only makes it faster (the process stays ready: taking every app
# server out of the load balancer because Redis is down would stop the site for a cache).
DEGRADED = "degraded: Redis does not answer, the cache is bypassed"
# The same for the notices of renewed pages: each page cache hit asks the shared cache instead.
NOT_LISTENING = (
    "degraded: not listening for renewed pages, each cached page is checked in the shared cache"
)
# Notices are off (settings.GENERATION_NOTICES, or not PostgreSQL).
OFF = "off"
# A database that takes longer than this for SELECT 1 is not ready (PostgreSQL cancels it).
STATEMENT_TIMEOUT_MS = 2000
# Read, never written: a probe every few seconds must not add rows to the database cache.
CACHE_PROBE_KEY = "kopienas:readiness-probe"


class NotReady(Exception):
    """A part answered, but not as it should; the message says how (it is shown as is)."""


class Degraded(Exception):
    """A part does not answer, but the process serves as well without it, only more slowly:
    shown as is and logged as a warning, while the answer stays 200."""


class Late(Exception):
    """A part answered and the process can serve, but work it holds is behind: shown as is and
    logged as an error, while the answer stays 200."""


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: the timeout holds for this statement's implicit transaction only
            # (SET LOCAL), so the pooled connection goes back unchanged.
            cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}; SELECT 1")
            cursor.nextset()
        else:
            cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    # The shared cache holds the log-in rate limits: without it, log-ins fail. With the
    # database cache this is a query of its own (the table may be missing: createcachetable).
    # On Redis (core.cache.ResilientRedisCache) an outage is not an error but a slower site.
    cache.get(CACHE_PROBE_KEY)
    if getattr(cache, "unavailable", False):
        return DEGRADED
    return OK


def check_outbox() -> str:
    """The age of the oldest mail not yet sent (one query). A late outbox means the worker is
    not running or the mail server keeps refusing: an operator must look, but this process
    serves pages as well as ever, and every app server would answer the same, so it stays
    ready (a load balancer that took them all out would stop the site over a mail)."""
    oldest = outbox.oldest_waiting()
    if oldest is None:
        return OK
    waited = timezone.now() - oldest
    if waited.total_seconds() < settings.OUTBOX_LATE_AFTER:
        return OK
    raise Late(
        f"late: the oldest unsent mail has waited {int(waited.total_seconds() // 60)} min"
        " (is `manage.py db_worker` running? see /admin/core/outgoingmail/)"
    )


def check_notices() -> str:
    """Whether this process hears of the pages other processes renewed (core.notices). Without
    it a page cache hit asks the shared cache each time, as on SQLite: slower, never stale.
    Off where there is nothing to hear, or no page cache to use it."""
    listening = notices.listening() if settings.PAGE_CACHE else None
    if listening is None:
        return OFF
    if not listening:
        raise Degraded(NOT_LISTENING)
    return OK


# The parts, in the order they are asked.
CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", check_database),
    ("cache", check_cache),
    ("outbox", check_outbox),
    ("notices", check_notices),
]


def run_checks() -> tuple[bool, dict[str, str]]:
    answers: dict[str, str] = {}
    # Parts that answered wrong without making the process unready.
    serving: set[str] = set()
    for name, check in CHECKS:
        try:
            answers[name] = check()
        except NotReady as exc:
            logger.error("Readiness: %s is not ready: %s", name, exc)
            answers[name] = str(exc)
        except Degraded as exc:
            logger.warning("Readiness: %s: %s", name, exc)
            answers[name] = str(exc)
            serving.add(name)
        except Late as exc:
            logger.error("Readiness: %s is behind: %s", name, exc)
            answers[name] = str(exc)
            serving.add(name)
        except Exception:
            # Whatever the part raises (a database error, Redis refusing the connection).
            logger.exception("Readiness: %s did not answer", name)
            answers[name] = UNAVAILABLE
    ready = all(
        answer in (OK, DEGRADED, OFF) or name in serving for name, answer in answers.items()
    )
    return ready, answers


@never_cache
@require_safe  # probes often ask with HEAD
def readyz(request):
    ready, answers = run_checks()
    return JsonResponse(answers, status=200 if ready else 503)
