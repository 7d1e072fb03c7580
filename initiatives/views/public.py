"""Public pages of initiatives (issue 12): being written on branch `public`."""

from django.http import Http404


def initiative_list(request):
    raise Http404


def initiative_detail(request, slug):
    raise Http404


def photo(request, slug, pk, size):
    raise Http404
