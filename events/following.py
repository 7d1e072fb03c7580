"""Following a community or a centre, and the weekly digest of their new and changed events.

A person follows from the community's or the centre's page and sees what they follow on
/mans/. `send_digests` (the `send_event_digests` command, run daily) mails each person whose
last digest is at least a week old the upcoming events, published and not cancelled, of what
they follow that were added or changed since then (since they started following, for a newly
followed community or centre). Nothing to say, no mail. An event is mailed to a person once:
`DigestedEvent` is claimed in the transaction that writes the mail, under a unique
(person, event), so neither a second run nor a later change sends it again.

Every digest carries a one-click unsubscribe link (RFC 8058: the List-Unsubscribe and
List-Unsubscribe-Post headers name it too), signed with the person's id, which stops the digest
and keeps what they follow.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Community
from communities.selectors import language_of
from core import mail

from .models import Digest, DigestedEvent, Event, Follow

DIGEST_EVERY = timedelta(days=7)
# A digest lists at most this many events, soonest first; the rest wait for the next one.
DIGEST_MAX_EVENTS = 30
UNSUBSCRIBE_SALT = "events.digest.unsubscribe"
# How many things one person may follow: far above any real use, it bounds a digest's query.
MAX_FOLLOWS = 200


class FollowError(Exception):
    """A follow the rules refuse; the message is for the person."""


# --- Reading ---------------------------------------------------------------------------------


def followed_by(*, user) -> QuerySet[Follow]:
    """The person's follows, in no order."""
    return Follow.objects.filter(user=user)


def follows_of(*, user) -> list[Follow]:
    """What a person follows, communities then centres, by name (for /mans/); each follow's
    `user.event_digest` comes along, so whether the digest is on costs no second query."""
    follows = followed_by(user=user).select_related("community", "centre", "user__event_digest")
    return sorted(
        follows,
        key=lambda follow: (
            follow.community is None,
            (follow.community or follow.centre).name.casefold(),
        ),
    )


def is_following(*, user, community: Community | None = None, centre=None) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, community=community, centre=centre).exists()


def digest_enabled(*, user) -> bool:
    """Whether the person's digest goes out (on until they turn it off)."""
    enabled = Digest.objects.filter(user=user).values_list("enabled", flat=True).first()
    return True if enabled is None else enabled


def follow_data(*, user) -> dict:
    """What the person follows and their digest, for their data export."""
    return {
        "following": [
            {
                "community" if follow.community else "centre": (
                    follow.community or follow.centre
                ).name,
                "since": follow.created_at.isoformat(),
            }
            for follow in follows_of(user=user)
        ],
        "weekly_digest": digest_enabled(user=user),
        "events_mailed_in_digests": list(
            DigestedEvent.objects.filter(user=user)
            .order_by("sent_at", "pk")
            .values_list("event__title", flat=True)
        ),
    }


def due_events(*, user, now: datetime, since: datetime | None) -> list[Event]:
    """The events the person's next digest would list: of what they follow, ahead, published
    and not cancelled, added or changed since `since` or since the follow began (whichever is
    later), never mailed to them before; soonest first, at most DIGEST_MAX_EVENTS."""
    changed = Q()
    # From when on each followed community's and centre's events count as news.
    news_after: dict[tuple[str, int], datetime] = {}
    for follow in Follow.objects.filter(user=user):
        after = follow.created_at if since is None else max(since, follow.created_at)
        if follow.community_id:
            news_after[("community", follow.community_id)] = after
            changed |= Q(community_id=follow.community_id, updated_at__gt=after)
        else:
            news_after[("centre", follow.centre_id)] = after
            changed |= Q(centre_id=follow.centre_id, updated_at__gt=after)
    if not changed:
        return []
    events = list(
        Event.objects.filter(changed, is_published=True, cancelled_at__isnull=True)
        .filter(starts_at__gt=now)
        .exclude(digested__user=user)
        .select_related("centre", "community")
        .order_by("starts_at", "pk")[:DIGEST_MAX_EVENTS]
    )
    for event in events:
        afters = [
            news_after[key]
            for key in (("community", event.community_id), ("centre", event.centre_id))
            if key in news_after
        ]
        # Added since the person started following or got their last digest; else changed.
        event.is_new = event.created_at > min(afters)
    return events


# --- Writing ---------------------------------------------------------------------------------


def _target(community, centre) -> dict:
    if (community is None) == (centre is None):
        raise ValueError("Follow exactly one community or one centre.")
    return {"community": community} if community is not None else {"centre": centre}


@transaction.atomic
def follow(*, user, community: Community | None = None, centre=None) -> bool:
    """Start following; True when the person did not follow it yet. A double submit finds the
    follow already there."""
    target = _target(community, centre)
    if Follow.objects.filter(user=user, **target).exists():
        return False
    if Follow.objects.filter(user=user).count() >= MAX_FOLLOWS:
        raise FollowError(
            translation.gettext(
                "Jūs jau sekojat %(count)s kopienām un centriem: vispirms pārtrauciet sekot "
                "kādam no tiem."
            )
            % {"count": MAX_FOLLOWS}
        )
    _, created = Follow.objects.get_or_create(user=user, **target)
    Digest.objects.get_or_create(user=user)
    return created


@transaction.atomic
def unfollow(*, user, community: Community | None = None, centre=None) -> bool:
    """Stop following; True when the person did follow it."""
    deleted, _ = Follow.objects.filter(user=user, **_target(community, centre)).delete()
    return bool(deleted)


@transaction.atomic
def set_digest(*, user, enabled: bool) -> None:
    Digest.objects.update_or_create(user=user, defaults={"enabled": enabled})


def unsubscribe_token(*, user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribing(*, token: str):
    """The person an unsubscribe link names, or None for a link that is not ours (or names an
    account that is gone)."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def unsubscribe(*, token: str):
    """Turn off the digest of the person the token names; returns them, or None (unsubscribing)."""
    user = unsubscribing(token=token)
    if user is not None:
        set_digest(user=user, enabled=False)
    return user


def _send_digest(*, user_id: int, now: datetime) -> bool:
    """One person's digest, in one transaction: the claim of its events and its mail commit
    together, so a run that dies between them loses neither, and two runs send one."""
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id, enabled=True)
            .first()
        )
        if digest is None or (digest.last_sent_at and digest.last_sent_at > now - DIGEST_EVERY):
            return False
        user = digest.user
        if not user.is_active or not user.email:
            return False
        events = due_events(user=user, now=now, since=digest.last_sent_at)
        if not events:
            return False
        DigestedEvent.objects.bulk_create(
            [DigestedEvent(user=user, event=event, sent_at=now) for event in events]
        )
        digest.last_sent_at = now
        digest.save(update_fields=["last_sent_at"])
        language = language_of(user)
        with translation.override(language):
            unsubscribe_url = mail.absolute(
                reverse("events:digest_unsubscribe", kwargs={"token": unsubscribe_token(user=user)})
            )
            items = [
                {
                    "event": event,
                    "event_url": mail.absolute(event.get_absolute_url()),
                    "is_new": event.is_new,
                }
                for event in events
            ]
            context = {
                "user": user,
                "items": items,
                "my_page_url": mail.absolute(reverse("my_page")),
                "unsubscribe_url": unsubscribe_url,
            }
        mail.queue(
            "events/mail/digest",
            to=user.email,
            context=context,
            language=language,
            cause=f"digest:{user.pk}:{now.isoformat()}",
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    return True


def send_digests(*, now: datetime | None = None) -> int:
    """Mail every digest that is due; returns how many went to the outbox."""
    now = now or timezone.now()
    due = (
        Digest.objects.filter(enabled=True, user__follows__isnull=False)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - DIGEST_EVERY))
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return sum(_send_digest(user_id=user_id, now=now) for user_id in list(due))
