"""Writes and exports that span apps: a person's data and the deletion of their account."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from communities import membership
from communities import selectors as community_selectors
from communities import services as community_services
from communities.models import Profile
from core import outbox
from core.formats import iso
from events import following
from events import selectors as event_selectors
from events import services as event_services
from grants import selectors as grant_selectors
from grants import services as grant_services
from resource_centres import booking_selectors, booking_services


def personal_data(*, user) -> dict[str, Any]:
    """Everything the platform holds about a person, as "download my data" hands it over.

    Secrets are left out (the password hash, two-factor keys): they are not the person's data
    but the locks on it. Whether two-factor authentication is on is said.
    """
    profile = Profile.objects.filter(user=user).first()
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "two_factor_authentication": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
        },
        "profile": {"phone": profile.phone if profile else ""},
        "emails": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "memberships": community_selectors.membership_data(user=user),
        "membership_history": community_selectors.membership_history_data(user=user),
        "capacity_answers": community_selectors.capacity_answer_data(user=user),
        "applications": grant_selectors.personal_data(user=user),
        "event_registrations": event_selectors.registration_data(user=user),
        "following": following.follow_data(user=user),
        "assessments": grant_selectors.assessment_data(user=user),
        "bookings": booking_selectors.booking_data(person=user),
        "instructions": booking_selectors.instruction_data(person=user),
        "mails": outbox.mail_data(_addresses(user)),
        "exported_at": iso(timezone.now()),
    }


def _addresses(user) -> set[str]:
    """Every address of the person: the account's and each one they added."""
    return {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}


def delete_account(*, user) -> None:
    """Erase a person: their drafts, memberships, profile, addresses, keys and the account.

    Submitted applications stay for the round's records with the applicant removed
    (grants.services.forget_applicant); bookings stay for the centres' usage figures, upcoming
    ones cancelled and every one without the person (booking_services.forget_booker); the
    record of their instruction on an item goes with the account, and so do the mails written
    to their addresses (core.outbox.forget_recipient). One transaction: a failure
    leaves the account whole. Refused (ValidationError) while the person is a community's only
    leader.
    """
    with transaction.atomic():
        # A community's only leader names a successor first, as when leaving it.
        membership.refuse_to_leave_leaderless(user=user)
        # Each community they belonged to records the departure and tells its leaders.
        membership.depart_with_account(user=user)
        grant_services.forget_applicant(user=user)
        event_services.forget_registrations(user=user)
        booking_services.forget_booker(user=user)
        community_services.forget_member(user=user)
        outbox.forget_recipient(_addresses(user))
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.delete()
