"""Site-wide request rules: one log line per request, no NUL characters, and staff use the
admin only with two-factor authentication (DESIGN §8).

A staff member signed in without an active authenticator app who opens the admin is sent to
allauth's set-up page, with the admin page as `next`. Everyone else can turn it on from /mans/.
"""

import logging
import re
import time
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import escape_uri_path
from django.utils.functional import empty
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.roles import has_second_factor

from . import request_log

AFTER_SECOND_FACTOR = "kopienas_after_second_factor"


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_setup(request):
            messages.warning(
                request,
                _(
                    "Pārvaldībai drīkst piekļūt tikai ar divpakāpju autentifikāciju. "
                    "Lūdzu, vispirms ieslēdziet to ar autentifikācijas lietotni."
                ),
            )
            setup = reverse("mfa_activate_totp")
            # allauth's set-up ends on the recovery codes, which offer the way back from here.
            request.session[AFTER_SECOND_FACTOR] = request.get_full_path()
            return HttpResponseRedirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_setup(request) -> bool:
        if not request.path_info.startswith(reverse("admin:index")):
            return False
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            # Everyone else meets the admin's own log-in, which goes through allauth.
            return False
        return not has_second_factor(user)


class RejectNulMiddleware:
    """A NUL character means nothing in an address, and PostgreSQL cannot even compare text
    with one: a path that holds one is not found, a query that holds one is a bad request,
    before any view or the admin's filters read them (DESIGN §8: no 500 for any value)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the query")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Whatever a signed-in person is shown is theirs: their name in the navigation, their
    applications, their registrations; and so is a page behind a secret token (a guest's
    registration, a personal calendar, a confirmation or password-reset link). No browser or
    proxy may keep them (`Cache-Control: private, no-store`, DESIGN §8). The one rule for all."""

    TOKEN_PAGES = frozenset(
        {
            "events:confirm",
            "events:registration",
            "events:personal_feed",
            "account_confirm_email",
            "account_reset_password_from_key",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if signed_in or (match is not None and match.view_name in self.TOKEN_PAGES):
            add_never_cache_headers(response)
        return response


requests_logger = logging.getLogger("kopienas.requests")
# Methods are HTTP tokens; a development server passes on whatever a client sends.
_METHOD = re.compile(r"[A-Z]{1,20}")


class RequestLogMiddleware:
    """One line per request on `kopienas.requests`: request id, method, path, status, time in
    milliseconds and the user's id ("-" when signed out). First in MIDDLEWARE, so it sees every
    response, the redirects of the middleware below it and the 500 page of a view that raised
    (Django turns the exception into that response inside each layer).

    The query string is left out: it holds what people type into searches and the `next` of a
    log-in. URL arguments named `token` or `key` are secrets (a registration's or calendar's
    link, an email confirmation, a password reset) and show as `*`. The user comes from
    `request.user` only when something already loaded it: the log line never adds a query, and
    never fails while the database is down. The time is until the response is handed to the
    server; a streamed download's body is sent after that.
    """

    SECRET_ARGUMENTS = ("token", "key")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_log.sane_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        # Until the server closes the response (request_log.forget_request_id): Django's own
        # line for a 4xx or 5xx response is written after the middleware, and a streamed body
        # is read after it too.
        request_log.request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = rid
        method = request.method if _METHOD.fullmatch(request.method or "") else "-"
        path = self._path(request)
        user_id = self._user_id(request)
        requests_logger.info(
            "%s %s %s %.1fms user=%s",
            method,
            path,
            response.status_code,
            duration_ms,
            "-" if user_id is None else user_id,
            extra={
                "method": method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response

    @classmethod
    def _path(cls, request) -> str:
        path = request.path
        match = getattr(request, "resolver_match", None)
        if match is not None:
            for name in cls.SECRET_ARGUMENTS:
                value = match.kwargs.get(name)
                if value:
                    path = path.replace(str(value), "*")
        # Percent-encoded as on the wire: a decoded newline or escape cannot forge a line.
        return escape_uri_path(path)

    @staticmethod
    def _user_id(request) -> int | None:
        user = getattr(request, "user", None)
        if user is None or getattr(user, "_wrapped", None) is empty:
            return None
        return user.pk if user.is_authenticated else None
