"""PostgreSQL goes away while gunicorn serves (issue 14, "Faults"): every request answers at
once with the 503 page and /healthz says so, nothing hangs, and the site recovers by itself
when PostgreSQL is back, without restarting gunicorn.

gunicorn runs as in production (debug off, the connection pool of settings.py) against this
test's database through a loopback proxy (tests/cuttable_proxy.py) that the test cuts and
restores, the way a restart or a network outage looks to the app; the real server keeps
running for the other tests."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.cuttable_proxy import CuttableProxy
from tests.html import parse

pytestmark = pytest.mark.postgres

BASE_DIR = Path(__file__).resolve().parents[2]
# Longer than the pool's wait for a connection (2 s here) and the connect timeout (3 s): a
# request that takes longer than this hangs, and the test fails.
ANSWER_WITHIN = 15


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CI"):
            pytest.fail(f"The database outage test cannot run in CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_WITHIN) as answer:  # noqa: S310 (loopback)
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def served(postgresql, tmp_path):
    """gunicorn on a free port, its database behind the proxy: (base URL, proxy)."""
    settings = connection.settings_dict
    proxy = CuttableProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_DB_POOL_TIMEOUT": "2",
        "DJANGO_LOG_LEVEL": "CRITICAL",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (["collectstatic", "--no-input", "-v0"], ["createcachetable"]):
        subprocess.run([*manage, *command], env=env, check=True, cwd=BASE_DIR)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "kopienas.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--log-level",
            "critical",
        ],
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped with status {server.returncode}")
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not start within 30 s")
        yield base, proxy
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
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
