"""The one way the platform writes a mail: from a template pair, in the recipient's language,
into the outbox in the transaction of the change that causes it (`queue`); the worker sends it
after commit (`core.outbox`), trying again when the mail server refuses, so a mail that fails is
never an error page for a change that is saved, nor a reason to undo it.

A mail is two templates, `<name>_subject.txt` and `<name>_body.txt` (plain text, autoescape off
inside them). The subject is folded onto one line, so a line break in a title a person typed can
never break the mail's headers. A change that sets off many mails (a round's results) queues one
task that writes them (`outbox.later`), rather than rendering them all in the request.
"""

import base64
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import outbox
from .models import OutgoingMail


def absolute(path: str) -> str:
    """An address on this site as a link in a mail (DJANGO_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def compose(
    template: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
) -> EmailMessage:
    """The mail of `template` for one recipient, rendered in `language` (the site's default
    language when not given)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])


def queue(
    template: str,
    *,
    to: str,
    context: dict,
    cause: str,
    language: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Write the mail of `template` for `to` into the outbox, in the current transaction, and
    enqueue its delivery there too: it goes out once the change that caused it commits, and
    never if that change rolls back. `cause` names the change ("booking:12:approved"); the same
    (cause, recipient, template) again returns the row already written and sends nothing more.
    """
    existing = OutgoingMail.objects.filter(cause=cause, recipient=to, kind=template).first()
    if existing is not None:
        return existing
    language = language or settings.LANGUAGE_CODE
    message = compose(template, to=to, context=context, language=language)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.extra_headers.update(headers or {})
    return queue_message(message, cause=cause, kind=template, language=language)


def queue_message(
    message: EmailMessage, *, cause: str, kind: str, language: str, secret: bool = False
) -> OutgoingMail:
    """Write a mail rendered elsewhere (allauth's account mails, kopienas.accounts) into the
    outbox, as `queue` does: its plain-text body, its attachments, one row per recipient of
    (cause, recipient, kind). `secret` for a mail whose text is a key to an account (a reset
    link): never shown in the admin, erased once sent. Returns the first recipient's row."""
    stored = [
        {"name": name, "content": content, "mimetype": mimetype}
        if isinstance(content, str)
        else {
            "name": name,
            "content": base64.b64encode(content).decode("ascii"),
            "mimetype": mimetype,
            "base64": True,
        }
        for name, content, mimetype in message.attachments
    ]
    rows = []
    with transaction.atomic():
        for recipient in message.to:
            row, created = OutgoingMail.objects.get_or_create(
                cause=cause,
                recipient=recipient,
                kind=kind,
                defaults={
                    "language": language,
                    "secret": secret,
                    "subject": " ".join(str(message.subject).split()),
                    "body": message.body,
                    "attachments": stored,
                    # Headers a header injection could abuse never come from a person's input:
                    # they are the platform's own (List-Unsubscribe), one line each.
                    "headers": {
                        name: " ".join(str(value).split())
                        for name, value in message.extra_headers.items()
                        if name.lower() != "message-id"
                    },
                    "message_id": make_msgid(domain=_domain()),
                },
            )
            if created:
                outbox.wake(row.pk)
            rows.append(row)
    return rows[0]


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
