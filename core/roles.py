"""The staff roles: Django groups made by data migrations (DESIGN §4), named here once.

Whether a person holds a role is a fact about them, read here; what a role may see or do is
decided by each app's `permissions.py`.
"""

COORDINATORS = "Koordinatori"
ASSESSORS = "Vērtētāji"
CENTRE_MANAGERS = "Centru vadītāji"
ROLE_GROUPS = (COORDINATORS, ASSESSORS, CENTRE_MANAGERS)


def group_names(user) -> set[str]:
    """The names of the person's groups, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kopienas_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._kopienas_group_names = cached
    return cached


def in_group(user, name: str) -> bool:
    return name in group_names(user)


def is_coordinator(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or in_group(user, COORDINATORS))
    )
