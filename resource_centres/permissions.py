"""Who may see or change a resource centre (the role names live in core.roles)."""

from django.db.models import Q, QuerySet

from core.roles import CENTRE_MANAGERS, COORDINATORS, acts_as_staff, is_coordinator


def manageable_centres(user, centres: QuerySet) -> QuerySet:
    """The centres this person may edit in the admin: all for coordinators, else their own."""
    if is_coordinator(user):
        return centres
    if not acts_as_staff(user):
        return centres.none()
    return centres.filter(managers=user)


def can_manage_centre(user, centre) -> bool:
    if is_coordinator(user):
        return True
    return acts_as_staff(user) and centre.managers.filter(pk=user.pk).exists()


def eligible_centre_managers(users: QuerySet) -> QuerySet:
    """Those of `users` who can use the admin as a centre's manager.

    A manager must be able to sign in to the admin (active, staff) and hold the permissions of
    the "Centru vadītāji" group; a coordinator (or superuser) can already edit every centre.
    """
    return (
        users.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[CENTRE_MANAGERS, COORDINATORS]))
        .distinct()
    )
