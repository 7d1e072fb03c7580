"""Reads of resource centres: visibility rules and the queries each page needs, in one place."""

from datetime import date

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from core import geo
from core.text import fold, sort_key

from .hours import exception_window
from .models import CentrePhoto, OpeningException, ResourceCentre


def published_centres() -> QuerySet[ResourceCentre]:
    return ResourceCentre.objects.filter(is_published=True)


def centre_list(
    *, query: str = "", municipality: str = "", origin: tuple[float, float] | None = None
) -> QuerySet[ResourceCentre]:
    """Published centres for cards and the map; nearest first, each with `distance_km`, when
    an `origin` (latitude, longitude) is given.

    Each carries `cover_thumbnail`, the stored path of its first photo's thumbnail ("" or None
    when it has none): a card shows one picture, so fetching every photo would be waste.
    """
    centres = published_centres()
    # Every word, ignoring case and diacritics, as the site's search finds them.
    for word in fold(query).split():
        centres = centres.filter(search_text__contains=word)
    if municipality:
        centres = centres.filter(municipality=municipality)
    cover = (
        CentrePhoto.objects.filter(centre=OuterRef("pk"))
        .order_by("order", "pk")
        .values("thumbnail")[:1]
    )
    centres = centres.annotate(cover_thumbnail=Subquery(cover))
    if origin is not None:
        distance = geo.distance_km(*origin, lat_field="latitude", lon_field="longitude")
        return centres.annotate(distance_km=distance).order_by("distance_km", "sort_name", "name")
    return centres.order_by("sort_name", "name")


def municipalities() -> list[str]:
    names = published_centres().order_by().values_list("municipality", flat=True).distinct()
    return sorted(names, key=sort_key)


def centre_detail(*, slug: str, today: date) -> ResourceCentre:
    """One published centre with its photos, equipment, weekly hours and the opening exceptions
    that hours.describe() shows from `today` (hours.OpeningCalendar.of_prefetched reads them).

    What other apps say about the centre (its communities, later its events) is read by the
    site view that composes the page, as this app never imports from the apps built on it.
    """
    first_day, last_day = exception_window(today)
    exceptions = OpeningException.objects.filter(date__gte=first_day, date__lte=last_day)
    return (
        published_centres()
        .prefetch_related(
            "photos",
            "equipment",
            "weekly_hours",
            Prefetch("opening_exceptions", queryset=exceptions),
        )
        .get(slug=slug)
    )
