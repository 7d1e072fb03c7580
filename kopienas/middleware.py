"""Site-wide request rules: no NUL characters, and staff use the admin only with two-factor
authentication (DESIGN §8).

A staff member signed in without an active authenticator app who opens the admin is sent to
allauth's set-up page, with the admin page as `next`. Everyone else can turn it on from /mans/.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.roles import has_second_factor

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
