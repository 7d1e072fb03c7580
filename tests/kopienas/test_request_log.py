"""The request log (kopienas/request_log.py, RequestLogMiddleware): one line per request with its
id, method, path, status, time and user id; the id on every other line of the same request;
text by default and one JSON object per line with DJANGO_LOG_FORMAT=json.

The text lines are read from the console handler the settings configure (its stream swapped
for a buffer); the JSON lines from a fresh process started with the setting, as in production.
"""

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kopienas.request_log import JsonFormatter
from tests.factories import verified_user

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GENERATED_ID = re.compile(r"[0-9a-f]{32}")
# asctime ("2026-12-06 08:42:22,922"): two words before the level.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}")


@pytest.fixture
def console():
    """What the settings' console handler writes, with its own formatter and filter."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "kopienas.requests"]


def _fields(record: logging.LogRecord) -> tuple:
    return (
        record.levelname,
        record.request_id,
        record.method,
        record.path,
        record.status,
        record.user_id,
    )


def _text_lines(console) -> list[str]:
    """The console's lines, each record's first line without its timestamp (a traceback's
    lines follow their record's as they are)."""
    return [TIMESTAMP.sub("", line, count=1).lstrip() for line in console.getvalue().splitlines()]


def test_one_text_line_per_request_with_the_id_the_proxy_sent(client, db, caplog, console):
    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        response = client.get("/favicon.ico?q=Jānis+Bērziņš", HTTP_X_REQUEST_ID="lb-42.a_B")

    assert (response.status_code, response.headers["X-Request-ID"]) == (302, "lb-42.a_B")
    [record] = _request_records(caplog)
    # The query string (what people search for, a log-in's `next`) is not logged.
    assert _fields(record) == ("INFO", "lb-42.a_B", "GET", "/favicon.ico", 302, None)
    assert isinstance(record.duration_ms, float)
    assert _text_lines(console) == [
        f"INFO kopienas.requests [lb-42.a_B] GET /favicon.ico 302 {record.duration_ms:.1f}ms user=-"
    ]


def test_a_request_without_an_id_gets_a_new_one_each_time(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        first = client.get("/favicon.ico")
        second = client.get("/favicon.ico")

    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert [bool(GENERATED_ID.fullmatch(rid)) for rid in ids] == [True, True]
    assert ids[0] != ids[1]
    assert [record.request_id for record in _request_records(caplog)] == ids


@pytest.mark.parametrize(
    "header",
    [
        "abc\nINFO kopienas.requests [forged] GET / 200 0.1ms user=1",
        "abc\r\ndef",
        "a" * 201,
        "id with spaces",
        "id;drop",
        "ģimene",
        "",
    ],
)
def test_a_hostile_or_unusable_id_is_replaced(client, db, caplog, console, header):
    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        response = client.get("/favicon.ico", HTTP_X_REQUEST_ID=header)

    rid = response.headers["X-Request-ID"]
    assert bool(GENERATED_ID.fullmatch(rid)) is True
    [record] = _request_records(caplog)
    assert record.request_id == rid
    assert _text_lines(console) == [
        f"INFO kopienas.requests [{rid}] GET /favicon.ico 302 {record.duration_ms:.1f}ms user=-"
    ]


def test_an_id_of_200_characters_is_kept(client, db):
    header = "a1._-" * 40

    response = client.get("/favicon.ico", HTTP_X_REQUEST_ID=header)

    assert response.headers["X-Request-ID"] == header


def test_the_path_is_logged_encoded_so_it_cannot_break_the_line(client, db, caplog, console):
    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        response = client.get("/nav%0AINFO%20forged/", HTTP_X_REQUEST_ID="r1")

    assert response.status_code == 404
    [record] = _request_records(caplog)
    assert _fields(record) == ("INFO", "r1", "GET", "/nav%0AINFO%20forged/", 404, None)
    assert _text_lines(console) == [
        f"INFO kopienas.requests [r1] GET /nav%0AINFO%20forged/ 404 {record.duration_ms:.1f}ms "
        "user=-",
        # Django's own warning comes once the response has left the middleware: the same id.
        r"WARNING django.request [r1] Not Found: /nav\nINFO forged/",
    ]


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        # A guest's registration and a personal calendar: the token in the address is the key.
        ("/pasakumi/pieteikums/Zm9vYmFyYmF6cXV4MTIzNDU2/", "/pasakumi/pieteikums/*/"),
        ("/pasakumi/mans/Zm9vYmFyYmF6cXV4MTIzNDU2.ics", "/pasakumi/mans/*.ics"),
        ("/en/pasakumi/apstiprinat/Zm9vYmFyYmF6cXV4MTIzNDU2/", "/en/pasakumi/apstiprinat/*/"),
        # allauth's email confirmation and password reset keys.
        ("/konts/confirm-email/MQ:1vTz2k:abcdefghijklmnop/", "/konts/confirm-email/*/"),
        ("/konts/password/reset/key/3-cz9c2x-0123456789abcdef/", "/konts/password/reset/key/3-*/"),
    ],
)
def test_secret_tokens_in_the_path_are_not_logged(client, db, caplog, path, logged):
    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        client.get(path)

    assert [record.path for record in _request_records(caplog)] == [logged]


def test_a_signed_in_person_is_logged_by_id_only(client, db, caplog, console):
    anna = verified_user(
        username="anna", email="anna@example.lv", first_name="Anna", last_name="Bērziņa"
    )
    client.force_login(anna)

    with caplog.at_level(logging.INFO, logger="kopienas.requests"):
        response = client.get("/mans/", HTTP_X_REQUEST_ID="r2")

    assert response.status_code == 200
    [record] = _request_records(caplog)
    assert _fields(record) == ("INFO", "r2", "GET", "/mans/", 200, anna.pk)
    assert _text_lines(console) == [
        f"INFO kopienas.requests [r2] GET /mans/ 200 {record.duration_ms:.1f}ms user={anna.pk}"
    ]


@pytest.mark.urls("tests.kopienas.urls_500")
def test_a_view_that_raises_is_logged_as_500_with_its_traceback_under_the_same_id(
    client, db, caplog, console
):
    client.raise_request_exception = False

    with caplog.at_level(logging.INFO):
        response = client.get("/kluda/", HTTP_X_REQUEST_ID="r500")
    logging.getLogger("kopienas.views").warning("after the response")

    assert (response.status_code, response.headers["X-Request-ID"]) == (500, "r500")
    [record] = _request_records(caplog)
    assert _fields(record) == ("INFO", "r500", "GET", "/kluda/", 500, None)
    lines = _text_lines(console)
    assert (lines[0], lines[-2], lines[-1]) == (
        "ERROR django.request [r500] Internal Server Error: /kluda/",
        f"INFO kopienas.requests [r500] GET /kluda/ 500 {record.duration_ms:.1f}ms user=-",
        # Once the response is sent, a line belongs to no request.
        "WARNING kopienas.views [-] after the response",
    )
    assert lines[1:-2][0] == "Traceback (most recent call last):"
    assert lines[1:-2][-1] == "RuntimeError: test: a view that fails"


def test_the_json_formatter_keeps_a_traceback_on_one_line():
    try:
        raise ValueError("slikta vērtība\nar otru rindu")
    except ValueError:
        record = logging.LogRecord(
            "kopienas.views", logging.ERROR, __file__, 1, "Kļūda %s", ("Nr. 1",), sys.exc_info()
        )
    record.request_id = "r3"
    record.created = 1_780_000_000.25

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    exception = entry.pop("exception")
    assert entry == {
        "time": "2026-05-28T20:26:40.250+00:00",
        "level": "ERROR",
        "logger": "kopienas.views",
        "message": "Kļūda Nr. 1",
        "request_id": "r3",
    }
    assert exception.splitlines()[0] == "Traceback (most recent call last):"
    assert exception.splitlines()[-2:] == ["ValueError: slikta vērtība", "ar otru rindu"]


# The request goes through the whole middleware stack of a fresh process; /favicon.ico needs no
# database, and a POST to it is refused by the view, which Django logs as a warning.
JSON_REQUEST = """
import django
django.setup()
from django.test import Client
response = Client().post("/favicon.ico?q=meklēt", HTTP_X_REQUEST_ID="probe-1")
print(response.status_code, response.headers["X-Request-ID"])
"""


def test_json_lines_when_the_setting_asks_for_them(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "kopienas.settings",
        "DJANGO_SECRET_KEY": "a-long-random-secret-key-for-the-json-log-test-only-0123456789",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DJANGO_LOG_FORMAT": "json",
    }

    result = subprocess.run(
        [sys.executable, "-c", JSON_REQUEST],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stdout) == (0, "405 probe-1\n")
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    times = [entry.pop("time") for entry in entries]
    assert [bool(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]{12}\+00:00", t)) for t in times] == [
        True,
        True,
    ]
    duration = entries[1].pop("duration_ms")
    assert isinstance(duration, float)
    assert entries == [
        {
            "level": "WARNING",
            "logger": "django.request",
            "message": "Method Not Allowed (POST): /favicon.ico",
            "request_id": "probe-1",
        },
        {
            "level": "INFO",
            "logger": "kopienas.requests",
            "message": f"POST /favicon.ico 405 {duration:.1f}ms user=-",
            "request_id": "probe-1",
            "method": "POST",
            "path": "/favicon.ico",
            "status": 405,
            "user_id": None,
        },
    ]


def test_an_unknown_log_format_stops_the_process_with_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kopienas.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_LOG_FORMAT": "xml",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stderr) == (
        1,
        "Konfigurācijas kļūda / configuration error: "
        "DJANGO_LOG_FORMAT must be text or json, not 'xml'.\n",
    )
