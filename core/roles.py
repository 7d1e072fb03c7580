"""The staff roles: Django groups made by data migrations (DESIGN §4), named here once.

Whether a person holds a role is a fact about them, read here; what a role may see or do is
decided by each app's `permissions.py`.

Staff powers need the second factor everywhere, not only under /admin/ (DESIGN §8): a staff
member signed in without an authenticator app is treated as an ordinary person on the site's
own pages, and the admin sends them to set one up (kopienas.middleware).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

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


def has_second_factor(user) -> bool:
    """An authenticator app is set up (read once per request and kept on the user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_kopienas_second_factor", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._kopienas_second_factor = cached
    return cached


def acts_as_staff(user) -> bool:
    """Active staff signed in with the second factor set up: the only way to staff powers."""
    return user.is_authenticated and user.is_active and user.is_staff and has_second_factor(user)


def is_coordinator(user) -> bool:
    return acts_as_staff(user) and (user.is_superuser or in_group(user, COORDINATORS))
