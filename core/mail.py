"""The one way the platform writes a mail: from a template pair, in the recipient's language,
sent after the change that causes it has been committed.

A mail is two templates, `<name>_subject.txt` and `<name>_body.txt` (plain text, autoescape off
inside them). The subject is folded onto one line, so a line break in a title a person typed can
never break the mail's headers. Senders run after commit (`after_commit`), and a mail that fails
is logged, never turned into an error page for a change that is already saved.
"""

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """An address on this site as a link in a mail (DJANGO_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def compose(
    template: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> EmailMessage:
    """The mail of `template` for one recipient, rendered in `language` (the site's default
    language when not given)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def send(
    template: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> None:
    """Render and send one mail now; raises when the mail server refuses it."""
    compose(template, to=to, context=context, language=language, attachments=attachments).send()


def after_commit(sender: Callable[..., None], /, **arguments) -> None:
    """Run `sender(**arguments)` once the current transaction commits (at once outside one).

    A sender that raises is logged and the request goes on: the change it reports is saved.
    """
    transaction.on_commit(partial(sender, **arguments), robust=True)
