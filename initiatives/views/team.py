"""The team's pages of an initiative (issue 12): being written on branch `report`."""

from django.http import Http404


def report(request, slug):
    raise Http404


def receipt(request, slug, pk):
    raise Http404


def record(request):
    raise Http404
