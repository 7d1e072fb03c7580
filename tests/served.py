"""The site served as in production for the tests that need real processes (a database
outage, two app servers): gunicorn with debug off on a free loopback port, static files
collected into a temporary folder, stopped with its process group."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[1]
# Longer than the pool's wait for a connection and the connect timeout: a request that takes
# longer than this hangs, and the test fails.
ANSWER_WITHIN = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(port: int | None = None) -> str:
    """The test database's address, through `port` (a proxy) when given."""
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = "127.0.0.1" if port else settings["HOST"] or "127.0.0.1"
    port = port or settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


_static_root: Path | None = None


def static_root() -> Path:
    """Static files collected once per test process (collectstatic takes a while): every
    server of every test serves the same ones."""
    global _static_root
    if _static_root is None:
        folder = Path(tempfile.mkdtemp(prefix="kopienas-static-"))
        env = production_env(folder)
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True)
        _static_root = folder
    return _static_root


def production_env(static: Path | None = None, **variables: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(static or static_root()),
        "DJANGO_LOG_LEVEL": "CRITICAL",
        "REDIS_URL": "",
        **variables,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def prepare(env: dict[str, str]) -> None:
    """The database cache's table in the test database (production settings use it)."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=BASE_DIR)


def start(env: dict[str, str], port: int) -> subprocess.Popen:
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
    for _ in range(120):
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped with status {server.returncode}")
        try:
            if get(base + "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.25)
    stop(server)
    pytest.fail("gunicorn did not start within 30 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# What a load balancer in front of several app servers sends them all: one site's name.
SITE_HOST = {"Host": "127.0.0.1"}


def get(url: str, opener=None, data: bytes | None = None) -> tuple[int, dict, str]:
    """GET (or POST `data`) as through a load balancer: every server sees the same Host."""
    open_url = opener.open if opener else urllib.request.urlopen
    request = urllib.request.Request(url, data=data, headers=SITE_HOST)  # noqa: S310 (loopback)
    try:
        with open_url(request, timeout=ANSWER_WITHIN) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
