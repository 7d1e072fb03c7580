"""How django-allauth fits the platform: the account adapter (the sign-up form is in forms.py).

Django's sites framework is not installed, so allauth would name the request's host in every
mail ("Hello from 127.0.0.1:8000!"). The adapter hands its mail templates the platform's name
instead. Mails are rendered in the active language: Latvian at the root, English under /en/,
and go through the outbox like every other mail (core.mail.queue_message): the request writes
a row, the worker sends it, so a slow or refusing mail server never holds up a log-in page.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from communities import services as community_services
from core import formats, mail

REAUTHENTICATION_TIMEOUT = account_settings.REAUTHENTICATION_TIMEOUT


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's mail templates read from a Site: a name and a domain."""

    name: str
    domain: str


def platform_site(request) -> PlatformSite:
    return PlatformSite(
        name=gettext("Darbīgās kopienas"), domain=request.get_host() if request else ""
    )


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        # The platform's name in the mail's language ("Active Communities" under /en/).
        return f"{gettext('Darbīgās kopienas')}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        request = context.request
        context_data = {"current_site": platform_site(request), **context_data}
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context_data}
        )
        # Each of allauth's mails is one of its own (a second reset request is a second mail),
        # and each may carry a key to the account (a reset link, a confirmation code).
        mail.queue_message(
            message,
            cause=f"account:{uuid.uuid4().hex}",
            kind=template_prefix,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            secret=True,
        )

    def login(self, request, user) -> None:
        super().login(request, user)
        # Mails set off by other people (a leader's decision) follow this language.
        community_services.remember_language(user=user, language=formats.language())

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff are sent to set up an authenticator on their first visit to the admin, right
        after logging in: asking for the password they just typed would only confuse them.
        Setting up the first authenticator and seeing its recovery codes, within the
        reauthentication window of the log-in, needs no second password; every other
        two-factor change (turning it off later, new codes) still asks for it."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        return not first_set_up_after_log_in(request)


def first_set_up_after_log_in(request) -> bool:
    """Logged in within the reauthentication window, with no authenticator older than that."""
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    logged_in_at = records[-1]["at"]
    if time.time() - logged_in_at >= REAUTHENTICATION_TIMEOUT:
        return False
    older = Authenticator.objects.filter(
        user=user, created_at__lt=datetime.fromtimestamp(logged_in_at, tz=UTC)
    )
    return not older.exists()


def user_display(user) -> str:
    """How allauth names a person in pages and mails: their name, else their email address."""
    return user.get_full_name() or user.email
