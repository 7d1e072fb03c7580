"""The settings contract of DESIGN §6, checked in fresh processes with a controlled environment.

Settings are read once per process, so each case starts its own Python with exactly the
environment it describes instead of patching the already configured test process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Everything the settings module reads; the environment of the test run itself (a CI
# DATABASE_URL, a developer's DJANGO_DEBUG) must not leak into the case being described.
CONTROLLED_PREFIXES = ("DJANGO_", "EMAIL_")
CONTROLLED_NAMES = {"DATABASE_URL", "REDIS_URL", "DEFAULT_FROM_EMAIL", "WEB_THREADS"}

SECRET = "a-long-random-secret-key-for-these-settings-tests-only-0123456789"

PRINT_SETTINGS = """
import json
from django.conf import settings

database = settings.DATABASES["default"]
def named(value):
    # A function (the pool's connection check) by its dotted name; a path as text.
    if callable(value):
        return f"{value.__module__}.{value.__qualname__}"
    return str(value)

print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": database["ENGINE"],
    "NAME": str(database["NAME"]),
    "HOST": database.get("HOST"),
    "PORT": database.get("PORT"),
    "USER": database.get("USER"),
    "CONN_MAX_AGE": database.get("CONN_MAX_AGE"),
    "OPTIONS": database.get("OPTIONS", {}),
    "CACHE": settings.CACHES["default"],
    "EMAIL_BACKEND": settings.MAILERS["default"]["BACKEND"],
    "MAIL_OPTIONS": settings.MAILERS["default"]["OPTIONS"],
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECRET_KEY": settings.SECRET_KEY,
    "STORAGES": {name: settings.STORAGES[name] for name in ("default", "private")},
    "SERVE_MEDIA": settings.SERVE_MEDIA,
}, default=named))
"""


def _environment(**variables: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(CONTROLLED_PREFIXES) and name not in CONTROLLED_NAMES
    }
    env["DJANGO_SETTINGS_MODULE"] = "kopienas.settings"
    env.update(variables)
    return env


def _run(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(**variables: str) -> dict:
    result = _run(["-c", PRINT_SETTINGS], **variables)
    assert (result.returncode, result.stderr) == (0, "")
    return json.loads(result.stdout)


def test_missing_secret_key_with_debug_off_stops_with_one_line():
    result = _run(["manage.py", "check"])

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Konfigurācijas kļūda / configuration error: "
        "DJANGO_SECRET_KEY is not set (required when DJANGO_DEBUG is off)."
    ]
    assert "Traceback" not in result.stderr


def test_empty_secret_key_counts_as_missing():
    result = _run(["manage.py", "check"], DJANGO_SECRET_KEY="", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert len(result.stderr.splitlines()) == 1
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_on_without_secret_key_uses_the_development_key():
    values = _settings(DJANGO_DEBUG="1")

    assert values["DEBUG"] is True
    assert values["SECRET_KEY"] == "django-insecure-development-only-key-never-use-in-production"


def test_unknown_database_scheme_stops_with_one_clear_line():
    result = _run(["manage.py", "check"], DJANGO_SECRET_KEY=SECRET, DATABASE_URL="nonsense://x")

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Konfigurācijas kļūda / configuration error: "
        "DATABASE_URL cannot be parsed (UnknownSchemeError): 'nonsense://x'"
    ]


def test_unparsable_database_port_stops_with_one_clear_line():
    result = _run(
        ["manage.py", "check"],
        DJANGO_SECRET_KEY=SECRET,
        DATABASE_URL="postgres://host:notaport/db",
    )

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Konfigurācijas kļūda / configuration error: "
        "DATABASE_URL cannot be parsed (ParseError): 'postgres://host:notaport/db'"
    ]


def test_database_error_message_never_shows_the_password():
    result = _run(
        ["manage.py", "check"],
        DJANGO_SECRET_KEY=SECRET,
        DATABASE_URL="postgres://kopienas:hunter2@db.example.lv:notaport/kopienas",
    )

    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "Konfigurācijas kļūda / configuration error: DATABASE_URL cannot be parsed "
        "(ParseError): 'postgres://kopienas:***@db.example.lv:notaport/kopienas'"
    ]
    assert "hunter2" not in result.stderr


def test_without_database_url_the_repository_sqlite_file_is_used():
    values = _settings(DJANGO_SECRET_KEY=SECRET)

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(PROJECT_ROOT / "db.sqlite3")
    assert values["OPTIONS"] == {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def test_sqlite_database_url_names_the_file():
    values = _settings(DJANGO_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/kopienas-x.sqlite3")

    assert (values["ENGINE"], values["NAME"]) == (
        "django.db.backends.sqlite3",
        "/tmp/kopienas-x.sqlite3",
    )


def test_postgres_database_url_uses_the_psycopg_pool():
    values = _settings(
        DJANGO_SECRET_KEY=SECRET,
        DATABASE_URL="postgres://kopienas:parole@db.example.lv:5433/kopienas_prod",
    )

    assert {
        key: values[key]
        for key in ["ENGINE", "NAME", "USER", "HOST", "PORT", "CONN_MAX_AGE", "OPTIONS"]
    } == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "kopienas_prod",
        "USER": "kopienas",
        "HOST": "db.example.lv",
        "PORT": 5433,
        # Django refuses a persistent connection age together with a pool.
        "CONN_MAX_AGE": 0,
        # One connection per gunicorn thread (WEB_THREADS, 4 by default).
        # A request waits 5 s for a connection, then gets the 503 page; a connection is
        # checked as it leaves the pool (recovery after a restart); a server that does not
        # answer is given up on after 3 s.
        "OPTIONS": {
            "pool": {
                "min_size": 1,
                "max_size": 4,
                "timeout": 5,
                "check": "psycopg_pool.pool.ConnectionPool.check_connection",
            },
            "connect_timeout": 3,
        },
    }


POSTGRES = "postgres://postgres@127.0.0.1:5432/kopienas"


@pytest.mark.parametrize(
    ("variables", "max_size"),
    [
        ({"WEB_THREADS": "6"}, 6),
        ({"DJANGO_DB_POOL_MAX": "2"}, 2),
        # The operator's explicit pool size wins over the thread count.
        ({"WEB_THREADS": "8", "DJANGO_DB_POOL_MAX": "3"}, 3),
        ({"DJANGO_DB_POOL_MAX": " "}, 4),
    ],
)
def test_the_pool_size_follows_the_environment(variables, max_size):
    values = _settings(DJANGO_SECRET_KEY=SECRET, DATABASE_URL=POSTGRES, **variables)

    assert values["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": max_size,
        "timeout": 5,
        "check": "psycopg_pool.pool.ConnectionPool.check_connection",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_DB_POOL_MAX", "0"), ("DJANGO_DB_POOL_MAX", "many"), ("WEB_THREADS", "-2")],
)
def test_a_pool_size_below_one_stops_with_one_line(name, value):
    result = _run(
        ["-c", PRINT_SETTINGS], DJANGO_SECRET_KEY=SECRET, DATABASE_URL=POSTGRES, **{name: value}
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"Konfigurācijas kļūda / configuration error: {name} must be a whole number of at "
        f"least 1, not {value!r}.\n",
    )


def test_the_pool_size_is_not_read_for_sqlite():
    values = _settings(DJANGO_SECRET_KEY=SECRET, DJANGO_DB_POOL_MAX="0")

    assert "pool" not in values["OPTIONS"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "mysql://kopienas:hunter2@db.example.lv/kopienas",
            "mysql://kopienas:***@db.example.lv/kopienas",
        ),
        ("oracle://db.example.lv/kopienas", "oracle://db.example.lv/kopienas"),
        ("postgis://db.example.lv/kopienas", "postgis://db.example.lv/kopienas"),
        ("spatialite:////tmp/kopienas.sqlite3", "spatialite:////tmp/kopienas.sqlite3"),
    ],
)
def test_a_database_other_than_postgresql_or_sqlite_stops_with_one_line(url, shown):
    result = _run(["manage.py", "check"], DJANGO_SECRET_KEY=SECRET, DATABASE_URL=url)

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "Konfigurācijas kļūda / configuration error: DATABASE_URL must name PostgreSQL "
        f"(postgres://) or SQLite (sqlite:///): {shown!r}\n",
    )


def test_debug_on_is_development_mode():
    values = _settings(DJANGO_DEBUG="1")

    assert {
        key: values[key]
        for key in [
            "DEBUG",
            "EMAIL_BACKEND",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SESSION_COOKIE_SECURE",
        ]
    } == {
        "DEBUG": True,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
    }


def test_defaults_with_debug_off_are_production_safe():
    values = _settings(DJANGO_SECRET_KEY=SECRET)

    assert {
        key: values[key]
        for key in [
            "DEBUG",
            "EMAIL_BACKEND",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SECURE_PROXY_SSL_HEADER",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "CACHE",
            "SECRET_KEY",
        ]
    } == {
        "DEBUG": False,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "ALLOWED_HOSTS": ["localhost", "127.0.0.1"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        # Both are commitments an operator makes knowingly: off until switched on.
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        # Shared by every worker, unlike the per-process local-memory default.
        "CACHE": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kopienas_cache",
        },
        "SECRET_KEY": SECRET,
    }


def test_redis_url_switches_the_cache_to_redis():
    values = _settings(DJANGO_SECRET_KEY=SECRET, REDIS_URL="redis://cache.example.lv:6379/1")

    assert values["CACHE"] == {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://cache.example.lv:6379/1",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def test_the_redis_timeout_is_a_setting():
    values = _settings(
        DJANGO_SECRET_KEY=SECRET,
        REDIS_URL="redis://cache.example.lv:6379/1",
        DJANGO_REDIS_TIMEOUT="2",
    )

    assert values["CACHE"]["OPTIONS"] == {"socket_connect_timeout": 2.0, "socket_timeout": 2.0}


def test_uploads_are_in_folders_unless_an_s3_bucket_is_named():
    folders = _settings(DJANGO_SECRET_KEY=SECRET, DJANGO_SERVE_MEDIA="1")
    s3 = _settings(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_SERVE_MEDIA="1",
        DJANGO_S3_BUCKET="kopienas-augsupielades",
        DJANGO_S3_ENDPOINT_URL="https://s3.example.lv",
        DJANGO_S3_ACCESS_KEY_ID="AKIA-TESTS",
        DJANGO_S3_SECRET_ACCESS_KEY="tests-secret",
    )

    assert (folders["STORAGES"]["default"], folders["SERVE_MEDIA"]) == (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        True,
    )
    assert folders["STORAGES"]["private"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    shared = {
        "bucket_name": "kopienas-augsupielades",
        "endpoint_url": "https://s3.example.lv",
        "region_name": None,
        "access_key": "AKIA-TESTS",
        "secret_key": "tests-secret",
        "file_overwrite": False,
    }
    assert s3["STORAGES"] == {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **shared,
                "location": "media",
                "default_acl": "public-read",
                "querystring_auth": False,
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **shared,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
    }
    # The object store serves the public uploads itself.
    assert s3["SERVE_MEDIA"] is False


def test_allowed_hosts_and_email_backend_come_from_the_environment():
    values = _settings(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=" example.lv, www.example.lv ,",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )

    assert (values["ALLOWED_HOSTS"], values["EMAIL_BACKEND"]) == (
        ["example.lv", "www.example.lv"],
        "django.core.mail.backends.filebased.EmailBackend",
    )


def test_smtp_mail_options_come_from_the_environment():
    values = _settings(
        DJANGO_SECRET_KEY=SECRET,
        EMAIL_HOST="smtp.example.lv",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="kopienas",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
    )

    assert (values["EMAIL_BACKEND"], values["MAIL_OPTIONS"]) == (
        "django.core.mail.backends.smtp.EmailBackend",
        {
            "host": "smtp.example.lv",
            "port": 587,
            "username": "kopienas",
            "password": "s3cret",
            "use_tls": True,
            "timeout": 20,
        },
    )


def test_file_mail_backend_writes_where_told():
    values = _settings(
        DJANGO_DEBUG="1",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH="/tmp/kopienas-mail",
    )

    assert values["MAIL_OPTIONS"] == {"file_path": "/tmp/kopienas-mail"}


def test_a_non_numeric_mail_port_stops_with_one_line():
    result = _run(["-c", PRINT_SETTINGS], DJANGO_SECRET_KEY=SECRET, EMAIL_PORT="twenty-five")

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "Konfigurācijas kļūda / configuration error: EMAIL_PORT must be a port number, "
        "not 'twenty-five'.\n",
    )


def test_ssl_redirect_can_be_switched_off_for_a_plain_http_preview():
    values = _settings(DJANGO_SECRET_KEY=SECRET, DJANGO_SECURE_SSL_REDIRECT="0")

    assert values["SECURE_SSL_REDIRECT"] is False


def test_a_proxy_and_hsts_preload_are_opt_in():
    values = _settings(DJANGO_SECRET_KEY=SECRET, DJANGO_BEHIND_PROXY="1", DJANGO_HSTS_PRELOAD="1")

    assert {
        key: values[key]
        for key in [
            "SECURE_PROXY_SSL_HEADER",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
        ]
    } == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_debug_never_sends_hsts_even_when_preload_is_asked_for():
    values = _settings(DJANGO_DEBUG="1", DJANGO_HSTS_PRELOAD="1")

    assert (
        values["SECURE_HSTS_SECONDS"],
        values["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
        values["SECURE_HSTS_PRELOAD"],
    ) == (0, False, False)


def _deploy_check(**variables: str) -> subprocess.CompletedProcess:
    return _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="darbigaskopienas.lv",
        **variables,
    )


def test_the_deploy_check_asks_only_for_the_preload_opt_in_by_default():
    result = _deploy_check()

    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("?: (")] == [
        "?: (security.W021) You have not set the SECURE_HSTS_PRELOAD setting to True. "
        "Without this, your site cannot be submitted to the browser preload list."
    ]


def test_the_deploy_check_is_clean_with_the_production_opt_ins():
    result = _deploy_check(DJANGO_BEHIND_PROXY="1", DJANGO_HSTS_PRELOAD="1")

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )
