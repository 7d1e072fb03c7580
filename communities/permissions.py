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


# --- Capacity self-assessment (issue 16) -------------------------------------------------------


def _active_role(user, community: Community) -> str | None:
    """The person's role in the community when their membership is active."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, community=community, status=Membership.Status.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )


def can_see_capacity(user, community: Community) -> bool:
    """A community's self-assessment is its own: its active members and coordinators see it."""
    return is_coordinator(user) or _active_role(user, community) is not None


def can_answer_capacity(user, community: Community) -> bool:
    """The voices of a round: the community's active activists and leaders."""
    return _active_role(user, community) in (Membership.Role.ACTIVIST, Membership.Role.LEADER)


def can_lead_capacity(user, community: Community) -> bool:
    """Opening rounds, recording the consensus and keeping the plan: an active leader of this
    community, or a coordinator."""
    return is_coordinator(user) or _active_role(user, community) == Membership.Role.LEADER
