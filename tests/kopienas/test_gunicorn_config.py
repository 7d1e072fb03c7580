"""gunicorn.conf.py: the settings `make serve`, `make load` and a production server started in
the project folder run with, as gunicorn itself reads them (`--print-config`)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SHOWN = (
    "workers",
    "threads",
    "worker_connections",
    "max_requests",
    "max_requests_jitter",
    "preload_app",
)


def gunicorn_settings(**environment) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WEB_WORKERS", "WEB_THREADS")}
    printed = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "kopienas.wsgi"],
        env={**env, **environment},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    pairs = (line.split("=", 1) for line in printed.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs if name.strip() in SHOWN}


def test_by_default_two_workers_a_core_and_one_more_at_most_eight_each_with_four_threads():
    cores = len(os.sched_getaffinity(0))

    assert gunicorn_settings() == {
        "workers": str(min(2 * cores + 1, 8)),
        "threads": "4",
        "worker_connections": "8",
        "max_requests": "50000",
        "max_requests_jitter": "5000",
        "preload_app": "True",
    }


def test_a_worker_takes_at_most_twice_as_many_connections_as_it_has_threads():
    assert gunicorn_settings(WEB_WORKERS="3", WEB_THREADS="6") == {
        "workers": "3",
        "threads": "6",
        "worker_connections": "12",
        "max_requests": "50000",
        "max_requests_jitter": "5000",
        "preload_app": "True",
    }


def test_the_connection_limit_follows_threads_given_on_the_command_line():
    settings = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    config = Config()
    config.set("threads", 16)

    settings["on_starting"](SimpleNamespace(cfg=config))

    assert (config.threads, config.worker_connections) == (16, 32)


def test_a_number_of_workers_that_is_not_a_number_is_refused_with_a_clear_message():
    printed = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "kopienas.wsgi"],
        env={**os.environ, "WEB_WORKERS": "divi"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (printed.returncode != 0, printed.stderr.splitlines()[-1:]) == (
        True,
        ["WEB_WORKERS must be a whole number of at least 1, not 'divi'."],
    )


def test_importing_the_application_warms_it_up_without_a_database_connection_to_share(tmp_path):
    """preload_app: the master imports kopienas.wsgi and forks the workers, which would share
    (and garble) any connection the import opened. Against a database nobody answers, a query
    while importing would fail the import. What a first request would do is done (kopienas.warmup):
    every URLconf imported, the resolver filled for both languages, the page cache's key space
    computed."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "import kopienas.wsgi\n"
            "from django.db import connections\n"
            "from django.urls import get_resolver\n"
            "from core.pagecache import code_version\n"
            "print(sum(c.connection is not None for c in connections.all()))\n"
            "print('kopienas.urls' in sys.modules, 'allauth.mfa.urls' in sys.modules)\n"
            "print(sorted(get_resolver()._reverse_dict))\n"
            "print(code_version.cache_info().currsize)",
        ],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "kopienas.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nobody",
            # No collected static files needed (whitenoise would warn of a missing folder).
            "DJANGO_STATIC_ROOT": str(tmp_path),
        },
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (imported.returncode, imported.stdout.splitlines(), imported.stderr) == (
        0,
        ["0", "True True", "['en', 'lv']", "1"],
        "",
    )
