"""Readiness: `/readyz` answers whether this process can serve requests now, part by part.

`/healthz` (views.py) is liveness: the process answers and reaches its database. `/readyz`
names each part it needs in a JSON object, 200 when every part answers and 503 otherwise,
so an operator sees which one failed. Nothing here is cached: each probe asks again.

A part is one entry in CHECKS: a name and a function that returns "ok" or raises (NotReady
with a short description of what is wrong, or any error from the part itself, which shows as
"unavailable" and goes to the log with its traceback).
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
# Serving, without a part that only makes it faster (the process stays ready: taking every app
# server out of the load balancer because Redis is down would stop the site for a cache).
DEGRADED = "degraded: Redis does not answer, the cache is bypassed"
# A database that takes longer than this for SELECT 1 is not ready (PostgreSQL cancels it).
STATEMENT_TIMEOUT_MS = 2000
# Read, never written: a probe every few seconds must not add rows to the database cache.
CACHE_PROBE_KEY = "kopienas:readiness-probe"


class NotReady(Exception):
    """A part answered, but not as it should; the message says how (it is shown as is)."""


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


# The parts, in the order they are asked.
#
# TODO(issue 14, the outbox): add ("outbox", check_outbox) here. check_outbox reads the age of
# the oldest pending mail (one query, on the outbox's index of pending rows) and returns "ok"
# while it is under a limit (a setting), else raises NotReady naming the age, e.g. "oldest
# pending mail 42 min old". The view needs no change; the README's list of parts gains a line.
CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", check_database),
    ("cache", check_cache),
]


def run_checks() -> tuple[bool, dict[str, str]]:
    answers: dict[str, str] = {}
    for name, check in CHECKS:
        try:
            answers[name] = check()
        except NotReady as exc:
            logger.error("Readiness: %s is not ready: %s", name, exc)
            answers[name] = str(exc)
        except Exception:
            # Whatever the part raises (a database error, Redis refusing the connection).
            logger.exception("Readiness: %s did not answer", name)
            answers[name] = UNAVAILABLE
    return all(answer in (OK, DEGRADED) for answer in answers.values()), answers


@never_cache
@require_safe  # probes often ask with HEAD
def readyz(request):
    ready, answers = run_checks()
    return JsonResponse(answers, status=200 if ready else 503)
