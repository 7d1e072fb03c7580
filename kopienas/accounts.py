"""How django-allauth fits the platform: the account adapter (the sign-up form is in forms.py).

Django's sites framework is not installed, so allauth would name the request's host in every
mail ("Hello from 127.0.0.1:8000!"). The adapter hands its mail templates the platform's name
instead. Mails are rendered in the active language: Latvian at the root, English under /en/.
"""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.utils.translation import gettext


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
        super().send_mail(template_prefix, email, context_data)


def user_display(user) -> str:
    """How allauth names a person in pages and mails: their name, else their email address."""
    return user.get_full_name() or user.email
