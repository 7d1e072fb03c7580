"""Renewed generations (core.generations) announced to every process over PostgreSQL's
LISTEN/NOTIFY, so that an app server can trust what it keeps in its own memory without reading
the shared cache on each request (core.pagecache serves its pages that way).

Every process that renews a generation announces it on one channel, after the shared cache
holds the new token (`announce`). Inside a transaction the announcement is part of it:
PostgreSQL delivers it when, and only if, the transaction commits, and the renewal that
follows the commit announces again. Each app server keeps one connection of its own that
listens (`_Listener`), opened on first use. Before it vouches for anything it sends an empty
query on that connection and reads what came back: PostgreSQL has told every listener of a
commit before the commit returns, and sends a listener what it was told before it answers its
next query, so a stamp taken after that round trip (some 20 µs on loopback) includes every
change committed before it began. Reading the socket alone would miss a notice still on its
way from the server.

A `stamp` says what this process has heard so far of some generations: it is equal to a later
stamp of the same generations only if no renewal of any of them was announced in between and
the listening connection stayed up all the while. A value kept with its stamp is current while
the stamp is. Without the connection (SQLite, PostgreSQL away, the listener cut off) there is no
stamp, and the caller reads the shared cache as it would without notices. A cut-off connection
is opened again at most once a second; what was kept before is never trusted again, since a
notice may have been missed meanwhile. `announce_reset` makes every process drop whatever it
keeps (the shared cache was emptied: core.cache).

Off where `settings.GENERATION_NOTICES` is False (the tests, but for those of the notices).
"""

import logging
import os
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

CHANNEL = "kopienas_generations"
# The notice that everything changed: every listener starts a new session.
EVERYTHING = "*"
# Seconds between attempts to open the listening connection again after it failed.
RETRY_SECONDS = 1.0
# The longest the listening connection may take to answer (connecting, LISTEN, the empty query
# before each stamp) before this process gives up listening and reads the shared cache instead.
ANSWER_SECONDS = 2


def _enabled(connection) -> bool:
    return settings.GENERATION_NOTICES and connection.vendor == "postgresql"


def announce(names) -> None:
    """Tell every listening process that `names` were renewed: through this process's own
    database connection, so that inside a transaction the notice is sent at its commit or not
    at all.

    Inside a transaction a failure is the transaction's: PostgreSQL has aborted it, and
    swallowing the error would turn its commit into a silent rollback. Outside one, the change
    is already committed and the shared cache holds the new tokens: the failure is logged, and
    a process that missed the notice reads them within PAGE_CACHE_RECHECK_SECONDS."""
    _listener.heard(names)
    connection = connections["default"]
    if not names or not _enabled(connection):
        return
    payload = ",".join(sorted(names))
    if connection.in_atomic_block:
        _notify(connection, payload)
        return
    try:
        _notify(connection, payload)
    except DatabaseError:
        logger.warning("Notices: the renewal of %s was not announced", payload)


def announce_reset() -> None:
    """Every process drops what it keeps on the strength of notices (the shared cache was
    emptied after an outage during which renewals may have been lost). At once, on a connection
    of its own: the caller may be inside a transaction that has yet to commit or roll back."""
    _listener.heard([EVERYTHING])
    connection = connections["default"]
    if not _enabled(connection):
        return
    try:
        import psycopg

        with psycopg.connect(**_Listener._params(connection)) as own:
            own.execute("SELECT pg_notify(%s, %s)", [CHANNEL, EVERYTHING])
    except Exception as error:  # the caller's cache call must not fail for it
        logger.warning("Notices: the emptied cache was not announced (%s)", error)


def _notify(connection, payload: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])


class _Listener:
    """This process's listening connection and what it has heard (module docstring)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
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
            # wait up to ANSWER_SECONDS for a database that does not answer.
            self._open(connections["default"])
        with self._lock:
            if not self._listening():
                return None
            return (self._session, *(self._heard[name] for name in names))

    def heard(self, names) -> None:
        """`names` were renewed (announced by another process, or by this one)."""
        with self._lock:
            self._count(names)

    def close(self) -> None:
        with self._lock:
            self._drop()

    def forked(self) -> None:
        """In a child process (os.fork): the parent's lock may be held and its connection is
        not this process's to use or close; start afresh."""
        self._lock = threading.Lock()
        self._connection = None
        self._opening = False
        self._retry_at = 0.0
        self._session += 1

    def _count(self, names) -> None:
        for name in names:
            if name == EVERYTHING:
                self._session += 1
            else:
                self._heard[name] += 1

    def _should_open(self) -> bool:
        """Whether this thread is the one to open a listening connection now."""
        if self._connection is not None or self._opening or time.monotonic() < self._retry_at:
            return False
        self._opening = True
        return True

    def _listening(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._synchronise()
        except Exception as error:  # any failure means: not listening
            logger.warning("Notices: the listening connection failed (%s)", error)
            self._drop()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        return True

    def _open(self, connection) -> None:
        listening = None
        try:
            import psycopg

            listening = psycopg.connect(**self._params(connection))
            listening.execute(f"LISTEN {CHANNEL}")
        except Exception as error:  # the site serves without notices
            logger.warning("Notices: cannot listen (%s)", error)
            if listening is not None:
                listening.close()
            listening = None
        finally:
            with self._lock:
                self._opening = False
                if listening is None:
                    self._retry_at = time.monotonic() + RETRY_SECONDS
                else:
                    # Whatever was heard before, a notice may have been missed: a new session.
                    self._connection = listening
                    self._session += 1

    @staticmethod
    def _params(connection) -> dict:
        params = {
            "connect_timeout": ANSWER_SECONDS,
            "application_name": "kopienas notices",
            # A server that stops answering is given up on: within ANSWER_SECONDS when the
            # connection has something to say (tcp_user_timeout, in milliseconds), within a
            # minute when it is idle (keepalives).
            "keepalives": 1,
            "keepalives_idle": 20,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": ANSWER_SECONDS * 1000,
            **connection.get_connection_params(),
            "autocommit": True,
        }
        params.pop("cursor_factory", None)
        timeout = f"-c statement_timeout={ANSWER_SECONDS * 1000}"
        params["options"] = f"{params.get('options', '')} {timeout}".strip()
        return params

    def _synchronise(self) -> None:
        """Everything PostgreSQL was told before now: one empty query, whose answer comes after
        every notice the server holds for this connection."""
        import psycopg
        from psycopg.pq import ConnStatus, ExecStatus

        pgconn = self._connection.pgconn
        result = pgconn.exec_(b"")
        if result.status != ExecStatus.EMPTY_QUERY or pgconn.status != ConnStatus.OK:
            raise psycopg.OperationalError(pgconn.get_error_message() or "no answer")
        while (notice := pgconn.notifies()) is not None:
            self._count(notice.extra.decode().split(","))

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception as error:  # it is being dropped because it failed
                logger.debug("Notices: closing the listening connection failed (%s)", error)
        self._connection = None
        self._session += 1


_listener = _Listener()
os.register_at_fork(after_in_child=_listener.forked)


def stamp(names) -> tuple | None:
    return _listener.stamp(names)


def listening() -> bool | None:
    """Whether this process hears renewals now (it opens its listening connection first if it
    has none yet, as a page lookup would); None where notices are off."""
    if not _enabled(connections["default"]):
        return None
    return _listener.stamp(()) is not None
