"""The request log: one line per request on the `kopienas.requests` logger, and the request id
on every log line written while the request is handled (README, "Operations").

The id comes from the request's `X-Request-ID` header when it is a sane token (a proxy in front,
e.g. nginx's `$request_id`, sets one), otherwise it is made here; the response carries it back.
It lives in a context variable, so a record of any logger (`django.request`'s traceback of a
500, an app's own warning) gets it through `RequestIdFilter`, which the console handler has.

Settings choose the format: `DJANGO_LOG_FORMAT=json` writes each record as one JSON object per
line (`JsonFormatter`), `text` (the default) a plain line with the id in brackets.
"""

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver

NO_REQUEST = "-"
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)

# A client may send anything in the header: only a short token of these characters is taken
# over, so no newline, quote or terminal escape reaches a log line through it.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")

# Fields a record may carry (`extra=`) that the JSON lines show as their own keys.
_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


def sane_request_id(header: str | None) -> str | None:
    """The header's value when it is a usable id, else None (then a new one is made)."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return None


@receiver(request_finished, dispatch_uid="kopienas.request_log.forget_request_id")
def forget_request_id(**kwargs) -> None:
    """The server has sent the whole response: lines from here on belong to no request. (The
    next request on this thread sets its own id in RequestLogMiddleware.)"""
    request_id.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Gives every record the current request's id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the request's fields when
    the record has them, and the traceback as one string. json.dumps escapes newlines, so a
    traceback or a hostile value never splits a record over lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
