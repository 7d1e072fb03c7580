"""Error pages in the site's design, rendered without touching the database."""

import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

# The database did not answer (down, restarting, no free connection in time): the visitor is
# told to come back shortly rather than that something broke.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


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
    # Django calls this inside its handler of the exception, whichever layer raised it (a view,
    # a middleware, a template).
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    # The 500 page must render even when the database is down: its template uses no queries.
    return render(request, "500.html", status=500)


def service_unavailable(request):
    """503 with Retry-After, rendered without the database: no signed-in person is looked up
    (the session lives in the database) and no messages are read."""
    response = render(request, "503.html", {"user": AnonymousUser(), "messages": ()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
