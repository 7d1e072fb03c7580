"""Renewed generations (core.generations) announced to every process over PostgreSQL's
LISTEN/NOTIFY, so that an app server can trust what it keeps in its own memory without asking
the shared cache on each request (core.pagecache serves its pages that way).

Every process that renews a generation announces it on one channel, after the shared cache
holds the new token (`announce`). Inside a transaction the announcement is part of it:
PostgreSQL delivers it when, and only if, the transaction commits, and the renewal that
follows the commit announces again. Each app server keeps one connection of its own that
listens (`_Listener`), opened on first use, and reads what has arrived before it answers a
request (a non-blocking read of its socket; no round trip).

A `stamp` says what this process has heard so far of some generations: it is equal to a later
stamp of the same generations only if no renewal of any of them was announced in between and
the listening connection stayed up all the while. A value kept with its stamp is current while
the stamp is. Without the connection (SQLite, PostgreSQL away, the listener cut off) there is no
stamp, and the caller asks the shared cache as it would without notices. A cut-off connection
is opened again at most once a second; what was kept before is never trusted again, since a
notice may have been missed meanwhile.

Off where `settings.GENERATION_NOTICES` is False (the tests, but for those of the notices).
"""

import contextlib
import logging
import os
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

CHANNEL = "kopienas_generations"
# Seconds between attempts to open the listening connection again after it failed.
RETRY_SECONDS = 1.0


def _enabled(connection) -> bool:
    return settings.GENERATION_NOTICES and connection.vendor == "postgresql"


def announce(names) -> None:
    """Tell every listening process that `names` were renewed: through this process's own
    database connection, so that inside a transaction the notice is sent at its commit or not
    at all. Never fails the caller: the shared cache already holds the new tokens, and a
    process that missed the notice learns them within PAGE_CACHE_RECHECK_SECONDS."""
    _listener.heard(names)
    connection = connections["default"]
    if not names or not _enabled(connection):
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, ",".join(sorted(names))])
    except DatabaseError:
        logger.warning("Notices: the renewal of %s was not announced", ", ".join(names))


class _Listener:
    """This process's listening connection and what it has heard (module docstring)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        # Renewed with each connection: a stamp of an earlier one never equals a later one.
        self._session = 0
        self._heard: defaultdict[str, int] = defaultdict(int)
        self._retry_at = 0.0
        # A thread is opening the connection (outside the lock).
        self._opening = False

    def stamp(self, names) -> tuple | None:
        """What this process has heard of `names` so far; None when it cannot hear."""
        if not _enabled(connections["default"]):
            return None
        with self._lock:
            opening = self._should_open()
        if opening:
            # Outside the lock: the other threads answer without notices meanwhile rather than
            # wait up to the connect timeout for a database that does not answer.
            self._open(connections["default"])
        with self._lock:
            if not self._listening():
                return None
            return (self._session, *(self._heard[name] for name in names))

    def heard(self, names) -> None:
        """`names` were renewed (announced by another process, or by this one)."""
        with self._lock:
            for name in names:
                self._heard[name] += 1

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _should_open(self) -> bool:
        """Whether this thread is the one to open a listening connection now."""
        if self._connection is not None and self._pid != os.getpid():
            # A forked child must not use, nor close, its parent's connection.
            self._connection = None
            self._session += 1
        if self._connection is not None or self._opening or time.monotonic() < self._retry_at:
            return False
        self._opening = True
        return True

    def _listening(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._read()
        except Exception as error:  # any failure means: not listening
            logger.warning("Notices: the listening connection failed (%s)", error)
            self._drop()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        return True

    def _open(self, connection) -> None:
        import psycopg

        try:
            listening = psycopg.connect(**self._params(connection))
            listening.execute(f"LISTEN {CHANNEL}")
        except Exception as error:  # the site serves without notices
            logger.warning("Notices: cannot listen (%s)", error)
            listening = None
        with self._lock:
            self._opening = False
            if listening is None:
                self._retry_at = time.monotonic() + RETRY_SECONDS
                return
            # Whatever was heard before, a notice may have been missed since: a new session.
            self._connection = listening
            self._pid = os.getpid()
            self._session += 1

    @staticmethod
    def _params(connection) -> dict:
        params = {
            "connect_timeout": 2,
            "application_name": "kopienas notices",
            # A server that vanished without closing the connection is noticed within a
            # minute; PAGE_CACHE_RECHECK_SECONDS bounds what is served meanwhile.
            "keepalives": 1,
            "keepalives_idle": 20,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            **connection.get_connection_params(),
            "autocommit": True,
        }
        params.pop("cursor_factory", None)
        return params

    def _read(self) -> None:
        """Whatever notices have arrived, without waiting for more."""
        import psycopg

        pgconn = self._connection.pgconn
        pgconn.consume_input()
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            raise psycopg.OperationalError("the connection is closed")
        while (notice := pgconn.notifies()) is not None:
            for name in notice.extra.decode().split(","):
                self._heard[name] += 1

    def _drop(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            # It is being dropped because it failed: closing may fail too.
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None
        self._session += 1


_listener = _Listener()


def stamp(names) -> tuple | None:
    return _listener.stamp(names)
