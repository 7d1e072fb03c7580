"""A URL configuration of the test of core.paths: the communities elsewhere."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, slug):
    return HttpResponse(slug)


urlpatterns = [
    path(
        "citur/",
        include(([path("<slug:slug>/", _page, name="detail")], "communities")),
    ),
]
