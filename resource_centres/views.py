from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import pagecache

from . import selectors
from .forms import CentreFilterForm

PAGE_SIZE = 50


@pagecache.public_page()
def centre_list(request):
    municipalities = selectors.municipalities()
    form = CentreFilterForm(request.GET or None, municipalities=municipalities)
    query = municipality = ""
    if form.is_bound:
        # cleaned_data keeps every field that validated: an outdated municipality in a link
        # must not also throw away the search words that came with it.
        valid = form.is_valid()
        query = form.cleaned_data.get("q", "").strip()
        municipality = form.cleaned_data.get("novads", "")
        if not valid:
            # A hand-edited or outdated link must still show centres, never an error page.
            messages.warning(request, _("Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."))
            form = CentreFilterForm(
                initial={"q": query, "novads": municipality}, municipalities=municipalities
            )
    page = Paginator(selectors.centre_list(query=query, municipality=municipality), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("lapa"))
    return render(
        request,
        "resource_centres/resourcecentre_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "centres": page_obj.object_list,
            "query": query,
            "municipality": municipality,
            "filtered": bool(query or municipality),
        },
    )
