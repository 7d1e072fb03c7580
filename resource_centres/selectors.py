"""Reads of resource centres: visibility rules and the queries each page needs, in one place."""

from django.db.models import Prefetch, QuerySet

from .models import CentrePhoto, ResourceCentre
from .text import fold, sort_key


def published_centres() -> QuerySet[ResourceCentre]:
    return ResourceCentre.objects.filter(is_published=True)


def centre_list(*, query: str = "", municipality: str = "") -> QuerySet[ResourceCentre]:
    """Published centres for cards and the map, with the first photo of each."""
    centres = published_centres()
    if query:
        centres = centres.filter(search_text__contains=fold(query))
    if municipality:
        centres = centres.filter(municipality=municipality)
    return centres.prefetch_related(
        Prefetch("photos", queryset=CentrePhoto.objects.order_by("order", "pk"))
    ).order_by("sort_name", "name")


def municipalities() -> list[str]:
    names = published_centres().order_by().values_list("municipality", flat=True).distinct()
    return sorted(names, key=sort_key)


def centre_detail(*, slug: str) -> ResourceCentre:
    """One published centre with its photos, equipment and the published communities it serves."""
    # `communities` depends on this app, not the reverse: reach its model through the relation.
    community_model = ResourceCentre._meta.get_field("communities").related_model
    return (
        published_centres()
        .prefetch_related(
            "photos",
            "equipment",
            Prefetch("communities", queryset=community_model.objects.filter(is_published=True)),
        )
        .get(slug=slug)
    )
