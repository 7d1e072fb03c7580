from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .models import Community

PAGE_SIZE = 50


def community_list(request):
    page_obj = Paginator(selectors.community_list(), PAGE_SIZE).get_page(request.GET.get("lapa"))
    return render(
        request,
        "communities/community_list.html",
        {"page_obj": page_obj, "communities": page_obj.object_list},
    )


def community_detail(request, slug):
    try:
        community = selectors.community_detail(slug=slug)
    except Community.DoesNotExist:
        raise Http404(_("Šāda kopiena nav atrasta.")) from None
    return render(
        request,
        "communities/community_detail.html",
        {"community": community, "events": selectors.next_events(community=community)},
    )


# Work in progress (issue 3): joining a community and approving members.
def _todo(request, **kwargs):
    raise Http404


join = members = membership_decide = _todo
