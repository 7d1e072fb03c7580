"""Writing to a community's leaders from its page (issue 17): the message goes by mail to each
active leader, in the leader's language, with the sender's address as Reply-To, so a leader
answers from their own mail program and their address is never shown on the site.

A form carries a one-time key made when the form was shown: sending the same form twice (a
double click, a reload) finds the mails already written for that key and sends nothing more.
Limits against misuse live in the view (per network address, per sender, per community) and in
`check_message` (a message is not a list of links).
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import mail

from .models import Community, Membership
from .selectors import language_of

# A message with more links than this is refused: people write to a leader in words.
MAX_LINKS = 2
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:lv|com|ru|net|org|info|biz|xyz)\b/\S*", re.IGNORECASE
)
# Anything but tab and line breaks below the space is dropped: it cannot be typed and has no
# business in a mail.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def new_form_key() -> str:
    return secrets.token_urlsafe(16)


def check_message(text: str) -> str:
    """The message as it will be mailed, or a ValidationError for the person."""
    text = CONTROL.sub("", text).strip()
    if len(LINK.findall(text)) > MAX_LINKS:
        raise ValidationError(
            _("Ziņā var būt ne vairāk kā %(count)s saites. Lūdzu, uzrakstiet to vārdiem.")
            % {"count": MAX_LINKS}
        )
    return text


def leaders_to_write_to(community: Community) -> list:
    """The community's active leaders who have an address to write to."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            community=community,
            role=Membership.Role.LEADER,
            status=Membership.Status.ACTIVE,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    ]


@transaction.atomic
def write_to_leaders(
    *, community: Community, name: str, email: str, message: str, form_key: str, sender=None
) -> int:
    """Queue the message to each leader; returns how many leaders it goes to (0 when the
    community has none, which the page says before anyone writes)."""
    message = check_message(message)
    leaders = leaders_to_write_to(community)
    for leader in leaders:
        mail.queue(
            "communities/mail/contact",
            to=leader.email,
            context={
                "community": community,
                "name": " ".join(name.split()),
                "email": email,
                "message": message,
                "signed_in": sender is not None,
                "leader": leader,
            },
            language=language_of(leader),
            cause=f"contact:{community.pk}:{form_key}",
            headers={"Reply-To": email},
        )
    return len(leaders)
