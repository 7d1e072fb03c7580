"""Error pages in the site's design, rendered without touching the database."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # The 500 page must render even when the database is down: its template uses no queries.
    return render(request, "500.html", status=500)
