"""Reads of communities and the initiative's model."""

from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Concat, Mod, RowNumber, Trim

from core.formats import iso
from resource_centres.models import ResourceCentre

from .latgale import read_latgale_data
from .models import (
    Community,
    GlossaryTerm,
    Membership,
    MembershipChange,
    ModelElement,
    Profile,
    TargetGroup,
    Testimonial,
)


def published_communities() -> QuerySet[Community]:
    return Community.objects.filter(is_published=True)


def _leaders() -> Prefetch:
    """Active leaders who gave a full name: the public pages name people, never their login.

    Usernames are email addresses, so a leader without a name is left out rather than shown by
    the one thing that must stay private.
    """
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
        )
        .alias(full_name=Trim(Concat("user__first_name", Value(" "), "user__last_name")))
        .exclude(full_name="")
        .select_related("user")
        # The names alone: every column of the person (password hash included) was read and
        # built for each leader of each community listed.
        .only("community", "user", "user__first_name", "user__last_name"),
        to_attr="leaders",
    )


def community_list() -> QuerySet[Community]:
    return published_communities().select_related("resource_centre").prefetch_related(_leaders())


def community_detail(*, slug: str) -> Community:
    """One published community with its leaders, testimonials and `member_count` (active
    members, leaders included)."""
    return (
        published_communities()
        .select_related("resource_centre")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
            )
        )
        .prefetch_related(
            _leaders(),
            Prefetch("testimonials", queryset=Testimonial.objects.filter(is_published=True)),
        )
        .get(slug=slug)
    )


def communities_of_centre(*, centre: ResourceCentre) -> QuerySet[Community]:
    """The published communities a resource centre serves."""
    return published_communities().filter(resource_centre=centre)


def model_elements() -> QuerySet[ModelElement]:
    return ModelElement.objects.all()


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.all()


def glossary() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.all()


def testimonials() -> QuerySet[Testimonial]:
    return Testimonial.objects.filter(is_published=True).select_related("community")


def testimonial_of_the_day(*, day: date) -> Testimonial | None:
    """A different published testimonial each day, in turn, the same for everyone that day.

    One query that returns one row: the database numbers the testimonials in their order and
    keeps the one whose position is the day's ordinal modulo their count.
    """
    return (
        testimonials()
        .annotate(
            position=Window(RowNumber(), order_by=[F("order").asc(), F("pk").asc()]) - 1,
            total=Window(Count("pk")),
        )
        .filter(position=Mod(Value(day.toordinal()), F("total")))
        .first()
    )


@cache
def initiative_texts() -> dict[str, Any]:
    """The initiative's own words that are not edited in the admin (read once per process)."""
    data = read_latgale_data()
    keys = [
        "initiative",
        "resource_centres_intro",
        "building_phases",
        "building_principles",
        "change_makers",
        "support_types",
        "success_factors",
        "active_community_can",
        "support_gained",
        "outcomes",
    ]
    return {key: data[key] for key in keys}


def membership_of(*, user, community: Community) -> Membership | None:
    """The person's request or membership in a community, if any (None when signed out)."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def membership_requests(*, community: Community) -> QuerySet[Membership]:
    """Requests waiting for a leader's answer, oldest first."""
    return (
        Membership.objects.filter(community=community, status=Membership.Status.REQUESTED)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def active_members(*, community: Community) -> QuerySet[Membership]:
    """The community's members: leaders first, then activists and members, by name."""
    return (
        Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
        .select_related("user")
        .alias(
            role_order=Case(
                When(role=Membership.Role.LEADER, then=Value(0)),
                When(role=Membership.Role.ACTIVIST, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("role_order", "user__last_name", "user__first_name", "pk")
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    """A person's memberships and open requests, for /mans/."""
    return (
        Membership.objects.filter(user=user)
        .select_related("community")
        .order_by("community__sort_name", "community__name")
    )


def membership_history(*, community: Community) -> QuerySet[MembershipChange]:
    """The community's membership history, latest first, for its leaders."""
    return MembershipChange.objects.filter(community=community).select_related("changed_by")


def membership_history_data(*, user) -> list[dict[str, Any]]:
    """The lines of the communities' membership history about the person, for their data
    export (who made a change is another person's data and is left out)."""
    return [
        {
            "community": change.community.name,
            "kind": change.kind,
            "old_role": change.old_role,
            "new_role": change.new_role,
            "message": change.message,
            "at": iso(change.created_at),
        }
        for change in MembershipChange.objects.filter(person=user)
        .select_related("community")
        .order_by("created_at", "pk")
    ]


def language_of(user) -> str:
    """The language to write to this person in: the one they last signed in with."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def membership_data(*, user) -> list[dict[str, Any]]:
    """The person's memberships, requests included, for their data export."""
    return [
        {
            "community": membership.community.name,
            "role": membership.role,
            "status": membership.status,
            "since": iso(membership.created_at),
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("community")
        .order_by("community__sort_name", "pk")
    ]


def capacity_answer_data(*, user) -> list[dict[str, Any]]:
    """The person's answers in their communities' capacity self-assessments, for their data
    export (when the account goes, the answers stay without a name)."""
    from .models import CapacityAnswer

    return [
        {
            "community": answer.round.community.name,
            "round": answer.round.title,
            "dimension": answer.dimension.title,
            "level": answer.level,
            "comment": answer.comment,
            "submitted": iso(answer.submitted_at) if answer.submitted_at else None,
        }
        for answer in CapacityAnswer.objects.filter(person=user)
        .select_related("round__community", "dimension")
        .order_by("round__opens_on", "round__pk", "dimension__order", "pk")
    ]
