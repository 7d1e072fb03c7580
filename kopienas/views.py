"""Site-wide pages: home, the model, the glossary, pages composed from several apps, health and
robots."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from communities import permissions as community_permissions
from communities import selectors as community_selectors
from communities.models import Community
from core import pagecache
from core.formats import riga
from events import following
from events import permissions as event_permissions
from events import selectors as event_selectors
from initiatives import selectors as initiative_selectors
from resource_centres import booking_selectors
from resource_centres import selectors as centre_selectors
from resource_centres.hours import OpeningCalendar, describe, open_now
from resource_centres.models import ResourceCentre

from . import figures as impact

logger = logging.getLogger(__name__)

# The home page shows a fixed number of centres (all of Latgale's ten) and links to the full,
# paginated list: rendering every card of a national network would grow with each new centre.
HOME_CENTRES = 12


@pagecache.public_page()
def home(request):
    # One row past the limit tells whether to say that the list goes on, without a COUNT.
    centres = list(centre_selectors.centre_list()[: HOME_CENTRES + 1])
    # A different voice each day, the same for everyone on that day.
    testimonial = community_selectors.testimonial_of_the_day(day=timezone.localdate())
    return render(
        request,
        "kopienas/home.html",
        {
            "texts": community_selectors.initiative_texts(),
            "figures": impact.headline(),
            "elements": community_selectors.model_elements(),
            "testimonial": testimonial,
            "centres": centres[:HOME_CENTRES],
            "more_centres": len(centres) > HOME_CENTRES,
        },
    )


@pagecache.public_page()
def about(request):
    return render(
        request,
        "kopienas/about.html",
        {
            "texts": community_selectors.initiative_texts(),
            "elements": community_selectors.model_elements(),
            "target_groups": community_selectors.target_groups(),
        },
    )


@pagecache.public_page()
def privacy(request):
    return render(
        request, "kopienas/privacy.html", {"contact_email": settings.PRIVACY_CONTACT_EMAIL}
    )


@pagecache.public_page()
def glossary(request):
    return render(request, "kopienas/glossary.html", {"terms": community_selectors.glossary()})


@pagecache.public_page()
def centre_detail(request, slug):
    """One resource centre with what the apps built on `resource_centres` say about it."""
    now = timezone.now()
    today = riga(now).date()
    try:
        centre = centre_selectors.centre_detail(slug=slug, today=today)
    except ResourceCentre.DoesNotExist:
        raise Http404(_("Šāds resursu centrs nav atrasts.")) from None
    calendar = OpeningCalendar.of_prefetched(centre)
    hours = describe(calendar, today=today)
    is_open = open_now(calendar, now)
    # Free now: a unit no booking holds while the centre is open (one query, and none when the
    # centre has nothing to book).
    items = [item for item in centre.equipment.all() if item.bookable]
    free = booking_selectors.free_now(centre, now=now, items=items) if items else {}
    for item in items:
        item.now = ("free" if free.get(item.pk) else "taken") if is_open else "closed"
    events = event_selectors.next_events(centre=centre)
    if pagecache.may_store(request):
        # "Open now", "free now" and the next events read differently from these moments on.
        for opens, closes in calendar.intervals_on(today):
            for moment in (opens, closes):
                if moment > now:
                    pagecache.changes_at(request, moment)
        pagecache.changes_at(request, booking_selectors.free_changes_at(items, now=now))
        pagecache.changes_at(request, event_selectors.changes_at(events, now=now))
    return render(
        request,
        "resource_centres/resourcecentre_detail.html",
        {
            "centre": centre,
            "hours": hours,
            "communities": list(community_selectors.communities_of_centre(centre=centre)),
            "events": events,
            "following": following.is_following(user=request.user, centre=centre),
        },
    )


@pagecache.public_page()
def community_detail(request, slug):
    """One community with its next events, its latest published initiatives and the model
    elements it has practised by year; joining and deciding requests are communities'."""
    try:
        community = community_selectors.community_detail(slug=slug)
    except Community.DoesNotExist:
        raise Http404(_("Šāda kopiena nav atrasta.")) from None
    user = request.user
    membership = community_selectors.membership_of(user=user, community=community)
    # Leaders (and coordinators) decide requests and create events: one rule, asked once.
    leads = event_permissions.can_create_community_event(user, community)
    events = event_selectors.next_events(community=community)
    pagecache.changes_at(request, event_selectors.changes_at(events, now=timezone.now()))
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "membership": membership,
            # Only asked when it decides what the page offers: a member needs no join form.
            "may_join": membership is None and community_permissions.can_ask_to_join(user),
            "may_decide": leads,
            "may_create_event": leads,
            "events": events,
            "following": following.is_following(user=user, community=community),
            "past_events": event_selectors.past_events(community=community),
            "initiatives": initiative_selectors.latest_of_community(community=community),
            "elements": initiative_selectors.practised_elements(community=community),
        },
    )


@require_safe
def moved_admin_page(request, model: str, rest: str):
    """An admin page of an event or registration under its old app's path: the same page under
    the events app, with the same query."""
    target = f"{reverse('admin:index')}events/{model}/{quote(rest, safe='/')}"
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


@never_cache
@require_safe  # load balancers and uptime monitors often probe with HEAD
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico on every page that names no icon, the admin's included.
    # Temporary: the target is a hashed static name that changes with each deploy, and
    # browsers would keep following a cached permanent redirect to a file that is gone.
    return HttpResponseRedirect(static("img/favicon.svg"))


@require_GET
def robots_txt(request):
    private = ["/konts/", "/mans/", "/pieteikumi/"]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Personal pages exist in both interface languages.
        *(f"Disallow: {prefix}{path}" for prefix in ("", "/en") for path in private),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
