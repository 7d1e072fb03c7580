"""The site's URLs plus views that fail, to see the 500 page through the whole middleware stack."""

from django.urls import path

from kopienas.urls import handler404, handler500
from kopienas.urls import urlpatterns as site_urlpatterns
from resource_centres.models import ResourceCentre


def failing_view(request):
    raise RuntimeError("test: a view that fails")


def database_view(request):
    # Fails the way a page does when the database is down: on its first query.
    return ResourceCentre.objects.count()


# The site's own URLs stay: the error page's template reverses them.
urlpatterns = [
    path("kluda/", failing_view),
    path("datubaze/", database_view),
    *site_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
