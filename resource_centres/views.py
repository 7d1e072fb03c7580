from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core import geo, pagecache

from . import selectors
from .forms import CentreFilterForm

PAGE_SIZE = 50


@pagecache.public_page()
def centre_list(request):
    municipalities = selectors.municipalities()
    form = CentreFilterForm(request.GET or None, municipalities=municipalities)
    query = municipality = near = ""
    origin = location = None
    if form.is_bound:
        # cleaned_data keeps every field that validated: an outdated municipality in a link
        # must not also throw away the search words that came with it.
        valid = form.is_valid()
        query = form.cleaned_data.get("q", "").strip()
        municipality = form.cleaned_data.get("novads", "")
        near = form.cleaned_data.get("tuvu", "")
        location = geo.located(lat=form.cleaned_data.get("lat"), lon=form.cleaned_data.get("lon"))
        origin = location or geo.origin(municipality=near)
        if not valid:
            # A hand-edited or outdated link must still show centres, never an error page.
            messages.warning(request, _("Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."))
            for field in ("lat", "lon"):
                for error in form.errors.get(field, []):
                    messages.warning(request, error)
            form = CentreFilterForm(
                initial={"q": query, "novads": municipality, "tuvu": near},
                municipalities=municipalities,
            )
    page = Paginator(
        selectors.centre_list(query=query, municipality=municipality, origin=origin), PAGE_SIZE
    )
    page_obj = page.get_page(request.GET.get("lapa"))
    response = render(
        request,
        "resource_centres/resourcecentre_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "centres": page_obj.object_list,
            "query": query,
            "municipality": municipality,
            "filtered": bool(query or municipality or origin),
            "show_distance": origin is not None,
            "near_lat": location[0] if location else None,
            "near_lon": location[1] if location else None,
        },
    )
    if location:
        # A person's whereabouts, even rounded, are never kept in the shared page cache.
        add_never_cache_headers(response)
    return response
