"""Writes of the communities app."""

import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from core import mail
from core.seeding import SeedResult, apply_seed
from resource_centres.models import Equipment, ResourceCentre

from . import capacity, selectors
from . import membership as membership_changes
from .models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    MembershipChange,
    ModelElement,
    Profile,
    TargetGroup,
    Testimonial,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def load_latgale(*, data: dict[str, Any]) -> dict[str, SeedResult]:
    """Load the initiative's real facts; a second run changes nothing, edits are kept.

    Each entry is tracked by its seed key (see `core.seeding`): a row a coordinator
    edited is kept as edited, one they deleted stays deleted, and renaming a row or changing its
    slug never makes a second one.
    """
    results: dict[str, SeedResult] = {}

    def tally(name: str, result: SeedResult) -> None:
        results.setdefault(name, SeedResult()).add(result)

    communities: dict[str, Community] = {}
    new_communities: set[str] = set()
    for row in data["communities"]:
        community, result = apply_seed(
            Community,
            key=row["slug"],
            values={
                "slug": row["slug"],
                "name": row["name"],
                "municipality": row["municipality"],
            },
            natural_key={"slug": row["slug"]},
        )
        if community is not None:
            communities[row["slug"]] = community
        if result.created:
            new_communities.add(row["slug"])
        tally("communities", result)

    for row in data["resource_centres"]:
        centre, result = apply_seed(
            ResourceCentre,
            key=row["slug"],
            values={
                "slug": row["slug"],
                "name": row["name"],
                "host": row["host"],
                "settlement": row["settlement"],
                "municipality": row["municipality"],
                "address": row["address"] or "",
                "latitude": _decimal(row["lat"]),
                "longitude": _decimal(row["lon"]),
                "coords_approximate": bool(row["coords_approx"]),
                "setting": row["setting"],
                "description": row["description"],
            },
            natural_key={"slug": row["slug"]},
        )
        tally("resource_centres", result)
        if centre is None:
            # The centre's equipment went with it when it was deleted, so it stays deleted too;
            # an equipment item is never made on its own without its centre.
            skipped = SeedResult(kept_deleted=result.kept_deleted, kept_edited=result.kept_edited)
            for _item in row.get("equipment", []):
                tally("equipment", skipped)
            continue
        for order, item in enumerate(row.get("equipment", [])):
            _, result = apply_seed(
                Equipment,
                key=item["key"],
                values={
                    "centre_id": centre.pk,
                    "name": item["name"],
                    "kind": item["kind"],
                    "order": order,
                },
                natural_key={"centre": centre, "name": item["name"]},
            )
            tally("equipment", result)
        # The link is made only with a new community: afterwards it is the coordinators' to change,
        # including to no centre at all.
        community_slug = row.get("community") or ""
        community = communities.get(community_slug)
        if community_slug in new_communities and community.resource_centre_id is None:
            community.resource_centre = centre
            community.save(update_fields=["resource_centre"])

    simple = [
        ("model_elements", ModelElement, "slug", ["slug", "title", "summary"]),
        ("target_groups", TargetGroup, "slug", ["slug", "title", "note"]),
        ("capacity_dimensions", CapacityDimension, "slug", ["slug", "title"]),
        ("glossary", GlossaryTerm, "slug", ["slug", "term", "author", "text"]),
        ("stats", ImpactFigure, "key", ["key", "label"]),
    ]
    for name, model, natural_key, field_names in simple:
        for order, row in enumerate(data[name]):
            values = {field: row[field] if row[field] is not None else "" for field in field_names}
            values["order"] = order
            _, result = apply_seed(
                model,
                key=row[natural_key],
                values=values,
                natural_key={natural_key: row[natural_key]},
            )
            tally(name, result)
    # Version 1 of the self-assessment instrument, once, from the dimensions just loaded.
    capacity.ensure_first_instrument()

    for order, row in enumerate(data["testimonials"]):
        # A quote has no natural key to adopt a hand-made row by: it is found by its seed key only.
        _, result = apply_seed(
            Testimonial,
            key=row["key"],
            values={
                "person": row["person"],
                "role": row["role"] or "",
                "text": row["text"],
                "order": order,
            },
            create_only={"community": communities.get(row.get("community") or "")},
        )
        tally("testimonials", result)
    return results


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"))


# --- Profiles and memberships ------------------------------------------------------------------


NAME_FIELDS = {"first_name", "last_name"}


def save_profile(*, user, first_name: str, last_name: str, phone: str) -> Profile:
    """A person's name (kept on the user) and their profile, saved together."""
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.full_clean(
            exclude=[f.name for f in user._meta.fields if f.name not in NAME_FIELDS],
            validate_unique=False,
            validate_constraints=False,
        )
        user.save(update_fields=["first_name", "last_name"])
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.phone = phone.strip()
        profile.full_clean()
        profile.save()
    return profile


def request_membership(*, user, community: Community) -> tuple[Membership, bool]:
    """Ask to join a community; asking again (a double click, a resent form) changes nothing.

    Returns the membership and whether this call made it. The community's leaders hear of a new
    request once the request is stored.
    """
    with transaction.atomic():
        # get_or_create retries the read when a concurrent request wins the unique constraint.
        membership, created = Membership.objects.get_or_create(user=user, community=community)
        if created:
            _notify_leaders_of_request(membership_id=membership.pk)
    return membership, created


def remember_language(*, user, language: str) -> None:
    """Keep the interface language a person signed in with, for the mails others set off."""
    if language not in dict(settings.LANGUAGES):
        return
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def forget_member(*, user) -> None:
    """For account deletion: the person's memberships, requests and profile go; the lines of
    the communities' history about them stay without their name."""
    MembershipChange.objects.filter(person=user).update(person=None, person_name="")
    Membership.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()


def decide_membership(
    *,
    membership_id: int,
    community: Community,
    approve: bool,
    role: str = Membership.Role.MEMBER,
    by=None,
) -> Membership | None:
    """Approve (with a role) or decline a request to join `community`.

    A declined request is deleted, so the person may ask again later. Returns the approved
    membership, or None when declined. A request already decided (the leader's double click, or
    two leaders at once) raises Membership.DoesNotExist; the row is locked while deciding.
    An approval is a line of the community's membership history, made by `by`.
    """
    if approve and role not in Membership.Role.values:
        raise ValidationError({"role": "unknown role"})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "community")
            .get(pk=membership_id, community=community, status=Membership.Status.REQUESTED)
        )
        user_id = membership.user_id
        if approve:
            membership.role = role
            membership.status = Membership.Status.ACTIVE
            membership.full_clean()
            membership.save(update_fields=["role", "status"])
            membership_changes.record(
                community=community,
                person=membership.user,
                kind=MembershipChange.Kind.JOINED,
                by=by,
                new_role=role,
            )
        else:
            membership.delete()
        _notify_person_of_decision(
            membership_id=membership_id,
            user_id=user_id,
            community_id=community.pk,
            approved=approve,
            role=role,
        )
    return membership if approve else None


def _notify_leaders_of_request(*, membership_id: int) -> None:
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None:
        return
    community = membership.community
    leaders = membership_changes.leader_addresses(community)
    if not leaders:
        logger.info("No leader to tell of a request to join %s", community.slug)
        return
    context = {
        "community": community,
        "person": membership.user,
        "members_url": mail.absolute(
            reverse("communities:members", kwargs={"slug": community.slug})
        ),
    }
    # One mail each, in each leader's own language: leaders do not learn one another's
    # addresses from a shared "To:".
    for address, language in leaders:
        mail.queue(
            "communities/mail/membership_requested",
            to=address,
            context=context,
            language=language,
            cause=f"membership:{membership.pk}:requested",
        )


def _notify_person_of_decision(
    *, membership_id: int, user_id: int, community_id: int, approved: bool, role: str
):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first()
    if user is None or community is None or not user.email:
        return
    context = {
        "community": community,
        "person": user,
        "approved": approved,
        "role": Membership.Role(role).label if approved else "",
        "community_url": mail.absolute(community.get_absolute_url()),
    }
    mail.queue(
        "communities/mail/membership_decided",
        to=user.email,
        context=context,
        language=selectors.language_of(user),
        # A declined request is deleted and may be made again: the next one has its own id.
        cause=f"membership:{membership_id}:decided",
    )
