"""Following a community or a centre (its page's button, /mans/), and leaving the weekly digest
from the link in it (events.following)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from communities.models import Community
from communities.selectors import published_communities
from resource_centres.models import ResourceCentre
from resource_centres.selectors import published_centres

from . import following


def _back(request, default):
    """Back to /mans/ when the button was there, else to the community's or centre's page."""
    return redirect("my_page") if request.POST.get("atpakal") == "mans" else redirect(default)


def _toggle(request, *, community=None, centre=None):
    thing = community or centre
    if request.method != "POST":
        # Someone sent here by the log-in page lands on the page, where the button is.
        return redirect(thing)
    if request.POST.get("darbiba") == "nesekot":
        if following.unfollow(user=request.user, community=community, centre=centre):
            messages.success(request, _("Jūs vairs nesekojat: %(name)s.") % {"name": thing.name})
        return _back(request, thing)
    try:
        created = following.follow(user=request.user, community=community, centre=centre)
    except following.FollowError as error:
        messages.error(request, str(error))
        return _back(request, thing)
    if created:
        messages.success(
            request,
            _(
                "Jūs sekojat: %(name)s. Jauni un mainīti pasākumi pienāks iknedēļas "
                "apkopojumā e-pastā."
            )
            % {"name": thing.name},
        )
    return _back(request, thing)


@login_required
@require_http_methods(["GET", "POST"])
def follow_community(request, slug):
    try:
        community = published_communities().get(slug=slug)
    except Community.DoesNotExist:
        raise Http404(_("Šāda kopiena nav atrasta.")) from None
    return _toggle(request, community=community)


@login_required
@require_http_methods(["GET", "POST"])
def follow_centre(request, slug):
    try:
        centre = published_centres().get(slug=slug)
    except ResourceCentre.DoesNotExist:
        raise Http404(_("Šāds resursu centrs nav atrasts.")) from None
    return _toggle(request, centre=centre)


@login_required
@require_POST
def digest_setting(request):
    """/mans/: the weekly digest on or off."""
    enabled = request.POST.get("apkopojums") == "ja"
    following.set_digest(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Iknedēļas apkopojums ieslēgts."))
    else:
        messages.success(request, _("Iknedēļas apkopojums izslēgts."))
    return redirect("my_page")


# A mail program's one-click unsubscribe (RFC 8058) posts without the site's CSRF token: the
# signed token in the address is what authorises it, and all it can do is stop the digest.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST unsubscribes."""
    if request.method == "GET":
        # The page names no account: whoever holds the link only learns that it works.
        if following.unsubscribing(token=token) is None:
            raise Http404(_("Šī saite nav derīga."))
        return render(request, "events/digest_unsubscribe.html", {"done": False})
    if following.unsubscribe(token=token) is None:
        raise Http404(_("Šī saite nav derīga."))
    return render(request, "events/digest_unsubscribe.html", {"done": True})
