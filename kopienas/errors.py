"""Error pages in the site's design, rendered without touching the database."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception):
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception):
    # Also the admin's answer to PermissionDenied. The exception's text is not shown: it is
    # written for developers and may say more than the visitor should learn.
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # The 500 page must render even when the database is down: its template uses no queries.
    return render(request, "500.html", status=500)
