"""Who may join a community, decide on requests, register for events and manage them: the
only place that says so."""

from allauth.account.models import EmailAddress

from core.roles import is_coordinator

from .models import Community, Membership


def has_verified_email(user) -> bool:
    """A confirmed address: sign-up is mandatory-verified, but an account made in the admin
    (or one whose address changed) may still lack one."""
    if not user.is_authenticated:
        return False
    # Cached on the user object for the request: several checks on one page ask it.
    cached = getattr(user, "_kopienas_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()
        user._kopienas_verified = cached
    return cached


def can_ask_to_join(user) -> bool:
    return user.is_authenticated and user.is_active and has_verified_email(user)


def is_leader_of(user, community: Community) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user,
            community=community,
            role=Membership.Role.LEADER,
            status=Membership.Status.ACTIVE,
        ).exists()
    )


def can_decide_memberships(user, community: Community) -> bool:
    """An active leader of this very community, or a coordinator (who oversees them all)."""
    return is_coordinator(user) or is_leader_of(user, community)
