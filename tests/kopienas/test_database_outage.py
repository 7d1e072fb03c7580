"""PostgreSQL goes away while gunicorn serves (issue 14, "Faults"): every request answers at
once with the 503 page and /healthz says so, nothing hangs, and the site recovers by itself
when PostgreSQL is back, without restarting gunicorn.

gunicorn runs as in production (debug off, the connection pool of settings.py) against this
test's database through a loopback proxy (tests/cuttable_proxy.py) that the test cuts and
restores, the way a restart or a network outage looks to the app; the real server keeps
running for the other tests."""

import os
import time

import pytest
from django.db import connection

from tests import served as serving
from tests.cuttable_proxy import CuttableProxy
from tests.html import parse

pytestmark = pytest.mark.postgres
_get = serving.get


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The database outage test cannot run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def served(postgresql, tmp_path):
    """gunicorn on a free port, its database behind the proxy: (base URL, proxy)."""
    settings = connection.settings_dict
    proxy = CuttableProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    env = serving.production_env(
        DATABASE_URL=serving.database_url(proxy.port),
        # Each request waits 2 s for a connection before the 503 page.
        DJANGO_DB_POOL_TIMEOUT="2",
    )
    serving.prepare(env)
    port = serving.free_port()
    server = serving.start(env, port)
    try:
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        serving.stop(server)
        proxy.close()


def test_an_outage_is_a_503_page_at_once_and_the_site_recovers_by_itself(served):
    base, proxy = served
    before = _get(base + "/centri/")

    proxy.cut()
    during = [_get(base + "/centri/") for _ in range(3)]
    health = _get(base + "/healthz")
    proxy.restore()
    # The pool replaces the connections the outage broke; the first requests may still meet
    # one of them before it is checked out and found broken.
    after = [_get(base + "/centri/") for _ in range(3)]
    for _ in range(40):
        if after[-1][0] == 200:
            break
        time.sleep(0.25)
        after.append(_get(base + "/centri/"))

    assert before[0] == 200
    assert [(status, headers["Retry-After"]) for status, headers, _body in during] == [
        (503, "30")
    ] * 3
    assert all(
        "<h1>Vietne īslaicīgi nav pieejama</h1>" in body for _status, _headers, body in during
    )
    assert (health[0], health[2]) == (503, "database unavailable\n")
    assert after[-1][0] == 200
    # The same page as before the outage.
    assert parse(after[-1][2]).select_one("main h1").text == (
        parse(before[2]).select_one("main h1").text
    )
