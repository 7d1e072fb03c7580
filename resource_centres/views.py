from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import CentreFilterForm
from .models import ResourceCentre

PAGE_SIZE = 50


def centre_list(request):
    municipalities = selectors.municipalities()
    form = CentreFilterForm(request.GET or None, municipalities=municipalities)
    query = municipality = ""
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            municipality = form.cleaned_data["novads"]
        else:
            # A hand-edited or outdated link must still show centres, never an error page.
            messages.warning(request, _("Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."))
            form = CentreFilterForm(municipalities=municipalities)
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


def centre_detail(request, slug):
    try:
        centre = selectors.centre_detail(slug=slug)
    except ResourceCentre.DoesNotExist:
        raise Http404(_("Šāds resursu centrs nav atrasts.")) from None
    return render(request, "resource_centres/resourcecentre_detail.html", {"centre": centre})
