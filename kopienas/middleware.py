"""Staff use the admin only with two-factor authentication (DESIGN §8, issue 3).

A staff member signed in without an active authenticator app who opens the admin is sent to
allauth's set-up page, with the admin page as `next`. Everyone else can turn it on from /mans/.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


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
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
