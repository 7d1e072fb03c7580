"""Public pages of initiatives: the list with its filters and map, one initiative's page, and
its photos (kept in the private storage, served here to whoever may see the initiative).

A published initiative's page shows only the copies made when it was published (story, results,
counts, reach, institutions, elements), never the report's live fields. Its team and the
coordinators may also open an initiative that is not published yet: under a "Vēl nav publicēta"
notice it previews the report as it stands, so they see what publishing would show. Everyone
else gets 404 (initiatives.permissions.access_initiative)."""

from django.contrib import messages
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import pagecache
from grants.permissions import decision_is_public

from .. import permissions, selectors
from ..filters import InitiativeFilter
from ..models import Initiative, ReportPhoto

PAGE_SIZE = 20
# A published photo never changes under its address (a new upload gets a new pk): a browser
# or proxy may keep it for a day.
PUBLIC_MAX_AGE = 24 * 60 * 60
PHOTO_SIZES = {"mazs": "thumbnail", "liels": "image"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


@pagecache.public_page()
@require_safe
def initiative_list(request):
    data = request.GET.copy()
    data.pop("lapa", None)
    filterset = InitiativeFilter(data or None, queryset=selectors.initiative_list())
    if filterset.is_bound and not filterset.is_valid():
        # As on /pasakumi/: a hand-edited or outdated link still lists initiatives, without the
        # filters that were not valid, and says so.
        messages.warning(request, _("Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."))
        valid = QueryDict(mutable=True)
        for key in data:
            if key not in filterset.errors:
                valid.setlist(key, data.getlist(key))
        filterset = InitiativeFilter(
            valid or None, queryset=selectors.initiative_list(), options=filterset.options
        )
    paginator = selectors.CountedPaginator(
        filterset.qs, PAGE_SIZE, filters=filterset.valid_filters()
    )
    page_obj = paginator.get_page(request.GET.get("lapa"))
    initiatives = list(page_obj.object_list)
    places, unmapped = selectors.map_places(initiatives)
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "initiatives": initiatives,
            "places": places,
            "unmapped": unmapped,
            "filtered": filterset.is_bound,
        },
    )


@pagecache.public_page()
@require_safe
def initiative_detail(request, slug):
    initiative = permissions.access_initiative(request.user, slug)
    page = selectors.initiative_page(initiative)
    grant_round = initiative.application.round if initiative.application_id else None
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "page": page,
            "grant_round": grant_round,
            "round_results_public": grant_round is not None and decision_is_public(grant_round),
            "json_ld": _json_ld(request, initiative, page) if initiative.is_published else None,
        },
    )


@require_safe
def photo(request, slug, pk, size):
    if size not in PHOTO_SIZES:
        raise Http404
    initiative = permissions.access_initiative(request.user, slug)
    try:
        row = selectors.photo_of(initiative=initiative, pk=pk)
    except ReportPhoto.DoesNotExist:
        raise Http404 from None
    image = getattr(row, PHOTO_SIZES[size]) or row.image
    extension = image.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(image.open("rb"), content_type=CONTENT_TYPES.get(extension))
    response["X-Content-Type-Options"] = "nosniff"
    if permissions.is_public(initiative):
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        # A preview for the team and coordinators: nobody else may ever be served it.
        response["Cache-Control"] = "private, no-store"
    return response


def _json_ld(request, initiative: Initiative, page: selectors.InitiativePage) -> dict:
    """schema.org for search engines (the json_ld tag renders it, never |safe)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": initiative.title,
        "description": initiative.summary,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "inLanguage": "lv",
        "parentOrganization": {
            "@type": "Organization",
            "name": initiative.community.name,
            "url": request.build_absolute_uri(initiative.community.get_absolute_url()),
        },
    }
    if initiative.published_at:
        data["datePublished"] = initiative.published_at.isoformat()
    if page.photos:
        data["image"] = request.build_absolute_uri(photo_url(initiative, page.photos[0], "liels"))
    return data


def photo_url(initiative: Initiative, row: ReportPhoto, size: str) -> str:
    return reverse(
        "initiatives:photo", kwargs={"slug": initiative.slug, "pk": row.pk, "size": size}
    )
