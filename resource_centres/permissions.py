"""Who may see or change what. Role names are the Django groups made by a data migration."""

from django.db.models import Q, QuerySet

COORDINATORS = "Koordinatori"
ASSESSORS = "Vērtētāji"
CENTRE_MANAGERS = "Centru vadītāji"
ROLE_GROUPS = (COORDINATORS, ASSESSORS, CENTRE_MANAGERS)


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Group names are cached on the user object for the request.
    cached = getattr(user, "_kopienas_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._kopienas_group_names = cached
    return name in cached


def is_coordinator(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or _in_group(user, COORDINATORS))
    )


def manageable_centres(user, centres: QuerySet) -> QuerySet:
    """The centres this person may edit in the admin: all for coordinators, else their own."""
    if is_coordinator(user):
        return centres
    if not user.is_authenticated or not user.is_staff:
        return centres.none()
    return centres.filter(managers=user)


def can_manage_centre(user, centre) -> bool:
    if is_coordinator(user):
        return True
    return user.is_authenticated and user.is_staff and centre.managers.filter(pk=user.pk).exists()


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
