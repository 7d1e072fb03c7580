"""Reads of communities and the initiative's model."""

from functools import cache
from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import (
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    ModelElement,
    TargetGroup,
    Testimonial,
)
from .services import read_latgale_data


def published_communities() -> QuerySet[Community]:
    return Community.objects.filter(is_published=True)


def _leaders() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
        ).select_related("user"),
        to_attr="leaders",
    )


def community_list() -> QuerySet[Community]:
    return published_communities().select_related("resource_centre").prefetch_related(_leaders())


def community_detail(*, slug: str) -> Community:
    return (
        published_communities()
        .select_related("resource_centre")
        .prefetch_related(_leaders(), "testimonials")
        .get(slug=slug)
    )


def model_elements() -> QuerySet[ModelElement]:
    return ModelElement.objects.all()


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.all()


def glossary() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.all()


def impact_figures() -> QuerySet[ImpactFigure]:
    return ImpactFigure.objects.all()


def testimonials() -> QuerySet[Testimonial]:
    return Testimonial.objects.filter(is_published=True).select_related("community")


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
