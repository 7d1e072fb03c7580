"""Who may join a community, decide on requests, register for events and manage them: the
only place that says so."""

from core.roles import has_verified_email, is_coordinator

from .models import Community, Membership


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
