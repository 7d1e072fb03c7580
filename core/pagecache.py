"""Public pages as a visitor without a session sees them, served from the shared cache and
never stale (README, "Page cache").

A view opts in with `@public_page(*apps)`, naming the apps whose data its page shows. Each
app has a generation (core.generations) that every write to one of its tables renews: the
database connection watches its own INSERT, UPDATE and DELETE statements (`watch_writes`), so
a row saved anywhere (a view, the admin, a service's bulk `update()`, a management command,
the outbox's worker) reaches the cache without anyone having to remember a signal. A page is
stored with the generations it was rendered under, read before the view ran, and served only
while they are all unchanged.

Time changes pages too (an event ends, a deadline passes, a centre opens): a view names the
next moment its page would read differently with `changes_at(request, moment)`, and a stored
page is served only until then (at the latest until midnight in Riga, when "today" moves).

What is never cached: anything but GET; a request with a session or with messages waiting;
a response that is not 200, that sets a cookie other than the CSRF one, or that says
`Cache-Control: private` or `no-store`. A form's CSRF token is the one part of a stored page
that belongs to one visitor: it is stored as a placeholder and filled with the visitor's own
token each time the page is served. Public pages carry no CSP nonce (their scripts are files
of this site, which `script-src 'self'` allows), so a stored page never holds one.

A stored page is two entries: a small one under the page's key (the generations, until when,
the headers) and the body under the digest of its bytes. A body's key names its content, so
the copy each process keeps of the bodies it served lately (`_bodies`, at most
PAGE_CACHE_LOCAL_BYTES) can never be out of date: a hit reads only the small entry and the
generations from the shared cache, in one round trip, however large the page.

On PostgreSQL a hit needs not even that round trip. Every renewal of a generation is announced
to every process (core.notices), and a process keeps the entries it stored or served (`_kept`)
with what it had heard of their apps when it read them: while it has heard of no renewal of
them since, and its listening connection stayed up, the entry is as current as the shared
cache's and is served from memory. Every PAGE_CACHE_RECHECK_SECONDS an entry is checked
against the shared cache again all the same, in case a notice was lost.
"""

import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from functools import cache as memoize
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from . import generations, notices
from .formats import RIGA

logger = logging.getLogger(__name__)

# The apps whose tables public pages show; a view names some of them.
PUBLIC_APPS = ("resource_centres", "communities", "events", "grants", "initiatives")
GENERATION = "pages:"
KEY_PREFIX = "page:"
BODY_PREFIX = "page-body:"
HEADER = "X-Page-Cache"
CSRF_PLACEHOLDER = "\x00csrf\x00"
# The letters of Django's CSRF secrets and masks, and the bytes that pick one evenly: a byte at
# or above the largest multiple of their number (248 for 62) would favour the first few.
CSRF_LETTERS = CSRF_ALLOWED_CHARS
_EVEN_BYTES = 256 - 256 % len(CSRF_LETTERS)
# The hidden input of Django's {% csrf_token %}: a masked token is 64 letters and digits.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
# The headers the view set that a stored page does not keep: the length is counted afresh,
# and the middleware outside this one (last in MIDDLEWARE) sets its own headers on every
# response, served or rendered.
DROPPED_HEADERS = {"content-length", "vary", HEADER.lower()}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)


def public_page(*app_labels: str):
    """Let the page of this view be served from the cache to visitors without a session, while
    nothing in `app_labels` (all public apps when none is named) has changed."""
    labels = app_labels or PUBLIC_APPS
    unknown = set(labels) - set(PUBLIC_APPS)
    if unknown:
        raise ValueError(f"Not a public app: {', '.join(sorted(unknown))}")

    def decorator(view):
        view.page_cache_apps = tuple(sorted(labels))
        return view

    return decorator


def changes_at(request, moment: datetime | None) -> None:
    """The page of this request reads differently from `moment` on (an event ends, a deadline
    passes): a stored copy is not served after it. None or a past moment change nothing."""
    if moment is None:
        return
    current = getattr(request, "_page_changes_at", None)
    if current is None or moment < current:
        request._page_changes_at = moment


def may_store(request) -> bool:
    """Whether this request's page is about to be stored: a view asks before spending a query
    on `changes_at` (a signed-in person's page is never stored)."""
    return hasattr(request, "_page_cache")


def next_midnight(now: datetime) -> datetime:
    today = now.astimezone(RIGA).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=RIGA)


# --- Noticing writes ---------------------------------------------------------------------------


@memoize
def _app_of_table() -> dict[str, str]:
    tables = {}
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables[model._meta.db_table] = label
    return tables


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # Every process that writes renews, also one that serves no cached page itself (debug, a
    # command, the worker): other servers may. Off only where nothing is cached (tests).
    if settings.PAGE_CACHE_RENEW and sql[:1] in "IUDiud" and (match := WRITE.match(sql)):
        label = _app_of_table().get(match.group(1))
        if label is not None:
            generations.bump(GENERATION + label)
    return result


def watch_writes(sender=None, connection=None, **kwargs) -> None:
    """Every database connection renews the pages' generations of the tables it writes: each
    new one (connection_created) and those open when the app started (CoreConfig.ready).
    Added once per connection object (a pool hands back the same one)."""
    for each in [connection] if connection is not None else connections.all(initialized_only=True):
        if _watch not in each.execute_wrappers:
            each.execute_wrappers.append(_watch)


connection_created.connect(watch_writes, dispatch_uid="core.pagecache.watch_writes")


def changed(*app_labels: str) -> None:
    """Renew pages of `app_labels` by hand: for a change that is no write of a public table."""
    generations.bump(*(GENERATION + label for label in app_labels or PUBLIC_APPS))


# --- Serving -----------------------------------------------------------------------------------


@memoize
def code_version() -> str:
    """What the pages are rendered with besides the data: templates, translations and code. A
    deploy that changes any of them starts with an empty page cache (a new key space)."""
    digest = hashlib.sha256(settings.PAGE_CACHE_VERSION.encode())
    # The deploy's settings that pages may show (a contact address, the site's URL); the
    # secret key is no part of any page.
    for name, value in sorted(os.environ.items()):
        if name.startswith("DJANGO_") and name != "DJANGO_SECRET_KEY":
            digest.update(f"{name}={value}\n".encode())
    base = Path(settings.BASE_DIR)
    folders = [
        folder
        for folder in sorted(base.iterdir())
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in _NOT_CODE
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_NOT_CODE = {
    "tests",
    "test-artifacts",
    "node_modules",
    "staticfiles",
    "media",
    "private-media",
    "bench-data",
    "sent-mail",
    "requirements",
}
# Templates, translations, code and the static files pages link to (their hashed names).
_CODE_SUFFIXES = {".html", ".txt", ".py", ".mo", ".css", ".js", ".svg", ".json"}


def _eligible(request) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    # The scheme and host too: a page may name its own address (links in structured data).
    raw = f"{translation.get_language()}|{request.scheme}://{request.get_host()}{request.path}|{query}"
    return KEY_PREFIX + code_version() + ":" + hashlib.sha256(raw.encode()).hexdigest()


def _personal(request, response) -> bool:
    """The response says something to this visitor alone, or the middleware outside this one
    is about to give them a cookie: a message queued, a session started."""
    storage = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return bool(
        (storage is not None and getattr(storage, "_queued_messages", None))
        or (session is not None and session.modified)
        or any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
    )


class _Recent:
    """A map kept in this process's memory, at most `_limit()` in weight (each value weighs
    `_weight(value)`), the least recently used dropped first; safe to share between threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: OrderedDict[str, object] = OrderedDict()
        self._size = 0

    def _limit(self) -> int:
        raise NotImplementedError

    def _weight(self, value) -> int:
        return 1

    def _take(self, key: str, check=None, *args):
        """The value under `key`, or None; a value `check(value, *args)` rejects is dropped."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                return None
            if check is not None and not check(value, *args):
                self._size -= self._weight(self._items.pop(key))
                return None
            self._items.move_to_end(key)
            return value

    def _put(self, key: str, value, replace: bool) -> None:
        limit, weight = self._limit(), self._weight(value)
        if weight > limit:
            return
        with self._lock:
            if key in self._items:
                if not replace:
                    return
                self._size -= self._weight(self._items.pop(key))
            self._items[key] = value
            self._size += weight
            while self._size > limit:
                _, dropped = self._items.popitem(last=False)
                self._size -= self._weight(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class _Bodies(_Recent):
    """The bodies this process served lately, by digest, at most
    `settings.PAGE_CACHE_LOCAL_BYTES` of them. A copy of what the shared cache holds, under a
    key that names its content: no other process needs it and it is never stale."""

    def _limit(self) -> int:
        return settings.PAGE_CACHE_LOCAL_BYTES

    def _weight(self, body: bytes) -> int:
        return len(body)

    def get(self, digest: str) -> bytes | None:
        return self._take(digest)

    def keep(self, digest: str, body: bytes) -> None:
        self._put(digest, body, replace=False)


_bodies = _Bodies()


class _Kept(_Recent):
    """The stored pages' entries this process stored or served lately, each with the stamp
    (core.notices) it was current under and when the shared cache last confirmed it: while the
    stamp of its apps is unchanged, no renewal of them has been announced since, and the entry
    is served without asking the shared cache (for PAGE_CACHE_RECHECK_SECONDS at a time). At
    most PAGES entries."""

    PAGES = 4096

    def _limit(self) -> int:
        return self.PAGES

    @staticmethod
    def _current(kept, stamp: tuple) -> bool:
        kept_stamp, _, confirmed = kept
        return (
            kept_stamp == stamp
            and time.monotonic() - confirmed < settings.PAGE_CACHE_RECHECK_SECONDS
        )

    def get(self, key: str, stamp: tuple) -> dict | None:
        kept = self._take(key, self._current, stamp)
        return None if kept is None else kept[1]

    def keep(self, key: str, stamp: tuple, stored: dict, confirmed: float) -> None:
        self._put(key, (stamp, stored, confirmed), replace=True)


_kept = _Kept()


def _body(stored) -> bytes | None:
    """The stored page's body: this process's copy, else the shared cache's (then kept here);
    None when the cache has dropped it (the page is rendered again)."""
    digest = stored["body"]
    body = _bodies.get(digest)
    if body is None:
        body = cache.get(BODY_PREFIX + digest)
        if body is not None:
            _bodies.keep(digest, body)
    return body


# The system's random source (os.urandom), named here so that a test can replace it for this
# module alone.
_urandom = os.urandom


def _random_letters(count: int) -> str:
    """`count` letters of CSRF_LETTERS drawn uniformly from the system's random source in one
    read: a byte below _EVEN_BYTES (248, 4 × 62) picks a letter by its remainder, the rest are
    dropped."""
    letters = []
    while len(letters) < count:
        letters.extend(
            CSRF_LETTERS[byte % len(CSRF_LETTERS)]
            for byte in _urandom(count + count // 4)
            if byte < _EVEN_BYTES
        )
    return "".join(letters[:count])


def _token(request) -> str:
    """The masked CSRF token for the form of a page being served, as Django's get_token makes
    it. A visitor without a CSRF cookie (most hits) needs a new secret and a mask, 64 letters
    that get_token draws with one system call each, a third of such a hit's time; here they
    come from one read. The secret goes where Django's own would (request.META, flagged for
    the CSRF middleware to set its cookie on the way out); the token is the mask followed by
    the secret shifted letter by letter by the mask, which the middleware unmasks on POST.
    A visitor with a cookie keeps it: get_token masks their secret."""
    if "CSRF_COOKIE" in request.META:
        return get_token(request)
    drawn = _random_letters(2 * CSRF_SECRET_LENGTH)
    secret, mask = drawn[:CSRF_SECRET_LENGTH], drawn[CSRF_SECRET_LENGTH:]
    request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    index = CSRF_LETTERS.index
    size = len(CSRF_LETTERS)
    return mask + "".join(
        CSRF_LETTERS[(index(a) + index(b)) % size] for a, b in zip(secret, mask, strict=True)
    )


class PublicPageCacheMiddleware:
    """Serves and stores the pages of views marked with `public_page` (module docstring). Sits
    after the CSRF middleware, so a served page's fresh token gets its cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = getattr(request, "_page_cache", None)
        if pending is not None:
            try:
                self._store(request, response, *pending)
            except Exception:
                # The page is rendered and right: a cache that cannot take it costs the next
                # visitor a render, never this one an error page.
                logger.exception("Page cache: %s not stored", request.path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        labels = getattr(view_func, "page_cache_apps", None)
        if not labels or not _eligible(request):
            return None
        key = _key(request)
        names = [GENERATION + label for label in labels]
        # What this process has heard of the page's apps, before anything is read: a renewal
        # announced from here on makes whatever is read now unfit to keep (core.notices).
        stamp = notices.stamp(names)
        now = timezone.now()
        if stamp is not None:
            stored = _kept.get(key, stamp)
            if stored is not None and now < stored["until"]:
                body = _bodies.get(stored["body"])
                if body is not None:
                    return self._serve(request, stored, body)
        confirmed = time.monotonic()
        tokens, found = generations.read(names, key)
        stored = found.get(key)
        if stored is not None and stored["tokens"] == tokens and now < stored["until"]:
            body = _body(stored)
            if body is not None:
                if stamp is not None:
                    _kept.keep(key, stamp, stored, confirmed)
                return self._serve(request, stored, body)
        # Read before the view runs: a write while it renders renews a generation, and the page
        # stored under the old one is never served.
        request._page_cache = (key, tokens, now, stamp, confirmed)
        return None

    def _serve(self, request, stored, content: bytes) -> HttpResponse:
        if stored["csrf"]:
            # Each visitor's own token (and cookie, set by the CSRF middleware on the way out).
            content = content.replace(CSRF_PLACEHOLDER.encode(), _token(request).encode())
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response.headers[name] = value
        if stored["csrf"]:
            patch_vary_headers(response, ["Cookie"])
        response.headers[HEADER] = "hit"
        return response

    def _store(self, request, response, key, tokens, started, stamp, confirmed) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or _personal(request, response)
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        until = next_midnight(started)
        changes = getattr(request, "_page_changes_at", None)
        if changes is not None:
            until = min(until, changes)
        seconds = (until - timezone.now()).total_seconds()
        if seconds <= 1:
            return
        content = response.content
        content, tokens_replaced = CSRF_INPUT.subn(
            rb"\1" + CSRF_PLACEHOLDER.encode() + rb"\3", content
        )
        digest = hashlib.sha256(content).hexdigest()
        # The body first: a page entry is never found without its body, but when the cache
        # drops a body the page is simply rendered again.
        cache.set(BODY_PREFIX + digest, content, timeout=generations.KEEP_SECONDS)
        stored = {
            "tokens": tokens,
            "until": until,
            "body": digest,
            "csrf": bool(tokens_replaced),
            "headers": {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in DROPPED_HEADERS
            },
        }
        cache.set(key, stored, timeout=min(int(seconds), generations.KEEP_SECONDS))
        _bodies.keep(digest, content)
        if stamp is not None:
            _kept.keep(key, stamp, stored, confirmed)
        response.headers[HEADER] = "miss"
