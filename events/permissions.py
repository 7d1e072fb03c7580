"""Who may register for events, cancel a registration and manage an event: the only place
that says so."""

from communities.permissions import can_decide_memberships, is_leader_of
from core.roles import acts_as_staff, has_verified_email, is_coordinator
from resource_centres.permissions import can_manage_centre

from .models import Event, Registration


def can_register_as_account(user) -> bool:
    return user.is_authenticated and user.is_active and has_verified_email(user)


def can_cancel(user, registration: Registration) -> bool:
    return user.is_authenticated and registration.user_id == user.pk


def can_manage_event(user, event: Event) -> bool:
    """Coordinators manage every event; a centre manager the events of their own centre."""
    if is_coordinator(user):
        return True
    return event.centre_id is not None and can_manage_centre(user, event.centre)


def manageable_events(user, events):
    """The events this person may see and change in the admin."""
    if is_coordinator(user):
        return events
    if not acts_as_staff(user):
        return events.none()
    return events.filter(centre__managers=user)


# --- Community events run from the public site (issue 17) ---------------------------------------


def can_create_community_event(user, community) -> bool:
    """An active leader of the community, or a coordinator (who may do what the admin does):
    the people who decide its memberships, by the one rule that says who they are."""
    return can_decide_memberships(user, community)


def can_run_event(user, event: Event) -> bool:
    """Edit, copy, cancel, mark attendance and close on the site: an active leader of the
    event's community, a manager of the centre it is held at, or a coordinator (the admin's
    rule, can_manage_event, plus the community's leaders)."""
    if not user.is_authenticated:
        return False
    if can_manage_event(user, event):
        return True
    return event.community_id is not None and is_leader_of(user, event.community)
