"""Events: the list, one event, registration, confirmation and cancellation, calendar feeds."""

import hashlib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from communities.selectors import published_communities
from core import pagecache, ratelimit
from resource_centres import booking_selectors
from resource_centres.booking_calendars import booking_vevent
from resource_centres.models import ResourceCentre
from resource_centres.selectors import published_centres

from . import calendars, permissions, selectors, services
from .filters import EventFilter
from .forms import GuestRegistrationForm, RegistrationForm
from .models import CalendarFeed, Event, Registration

PAGE_SIZE = 20


class _CountedPaginator(Paginator):
    """A paginator whose total comes from `count` (selectors.list_count, kept in the shared
    cache): counting every matching event took a third of the list's time."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


# What an event card and page show: the event, its centre, its community with the model's
# elements and target groups, and the items it instructs on.
EVENT_PAGE_APPS = ("events", "resource_centres", "communities")


@pagecache.public_page(*EVENT_PAGE_APPS)
def event_list(request):
    past = request.GET.get("laiks") == "pagajusi"
    now = timezone.now()
    data = request.GET.copy()
    for key in ("lapa", "laiks"):
        data.pop(key, None)
    filterset = EventFilter(data or None, queryset=selectors.event_list(past=past, now=now))
    if filterset.is_bound and not filterset.is_valid():
        # A hand-edited or outdated link still lists events: the invalid filters are left out
        # (django-filter applies only the valid ones) and the form shows what was applied.
        messages.warning(request, _("Daži filtri nebija derīgi, tāpēc tie netika ņemti vērā."))
        for field in ("lat", "lon"):
            for error in filterset.errors.get(field, []):
                messages.warning(request, error)
        valid = QueryDict(mutable=True)
        for key in data:
            if key not in filterset.errors:
                valid.setlist(key, data.getlist(key))
        filterset = EventFilter(
            valid or None,
            queryset=selectors.event_list(past=past, now=now),
            options=filterset.options,
        )
    events = filterset.qs
    counted = {
        "past": past,
        "filtered": filterset.filter_queryset if filterset.is_bound else lambda qs: qs,
        "filters": filterset.valid_filters(),
        "now": now,
    }
    origin = filterset.origin
    if origin is not None:
        # Nearest first: the page is read centre by centre (selectors.NearestFirst).
        events = selectors.NearestFirst(
            events,
            origin=origin,
            counts=(
                partial(selectors.counts_by_centre, events)
                if filterset.counts_seats
                else partial(selectors.list_counts_by_centre, **counted)
            ),
        )
        count = events.count
    elif filterset.counts_seats:
        count = events.count
    else:
        count = partial(selectors.list_count, **counted)

    page_obj = _CountedPaginator(events, PAGE_SIZE, count=count).get_page(request.GET.get("lapa"))
    if pagecache.may_store(request):
        # The same filters on the upcoming events: time moves events between the lists.
        upcoming = EventFilter(
            filterset.data, queryset=selectors.event_list(now=now), options=filterset.options
        ).qs
        free_only = bool(filterset.data.get("brivas"))
        pagecache.changes_at(
            request, selectors.list_changes_at(upcoming, now=now, deadlines=free_only)
        )
    location = filterset.location
    response = render(
        request,
        "events/event_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "events": page_obj.object_list,
            "past": past,
            "filtered": filterset.is_bound,
            "show_distance": origin is not None,
            "near_lat": location[0] if location else None,
            "near_lon": location[1] if location else None,
        },
    )
    if location:
        # A person's whereabouts, even rounded, are never kept in the shared page cache.
        add_never_cache_headers(response)
    return response


def _event_or_404(slug: str) -> Event:
    try:
        return selectors.event_detail(slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("Šāds pasākums nav atrasts.")) from None


def _registration_form(request, event: Event, data=None):
    if permissions.can_register_as_account(request.user):
        return RegistrationForm(data, event=event)
    return GuestRegistrationForm(data, event=event)


def _detail(request, event: Event, *, form=None, status: int = 200):
    registration = selectors.registration_of(event=event, user=request.user)
    if registration is not None and registration.status == Registration.Status.CANCELLED:
        registration = None
    closed_reason = services.registration_open_error(event=event)
    if form is None and closed_reason is None and registration is None:
        form = _registration_form(request, event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "closed_reason": closed_reason,
            "form": form,
            "needs_verification": request.user.is_authenticated
            and not permissions.has_verified_email(request.user),
            "json_ld": _json_ld(request, event),
            # Asked only of people signed in: a visitor's page (the cached one) has no links.
            "may_run": request.user.is_authenticated
            and permissions.can_run_event(request.user, event),
        },
        status=status,
    )


@pagecache.public_page(*EVENT_PAGE_APPS)
def event_detail(request, slug):
    event = _event_or_404(slug)
    pagecache.changes_at(request, selectors.changes_at([event], now=timezone.now()))
    return _detail(request, event)


# A guest's registration mails a confirmation link to the address typed in: at most this many
# per visitor's network address and per email address within the period (seconds).
GUEST_LIMIT_PER_IP = (10, 60 * 60)
GUEST_LIMIT_PER_EMAIL = (5, 24 * 60 * 60)


def _guest_may_register(request, email: str) -> bool:
    per_ip, ip_period = GUEST_LIMIT_PER_IP
    per_email, email_period = GUEST_LIMIT_PER_EMAIL
    # Both are counted, so neither many addresses from one place nor one address from many
    # places gets through.
    by_ip = ratelimit.allow(
        scope="guest-ip", key=ratelimit.client_ip(request), limit=per_ip, period=ip_period
    )
    # Hashed: the cache keeps a count, not the address.
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_email = ratelimit.allow(
        scope="guest-email", key=email_key, limit=per_email, period=email_period
    )
    return by_ip and by_email


@require_POST
def register(request, slug):
    event = _event_or_404(slug)
    form = _registration_form(request, event, request.POST)
    if not form.is_valid():
        return _detail(request, event, form=form, status=400)
    as_account = permissions.can_register_as_account(request.user)
    if not as_account and not _guest_may_register(request, form.cleaned_data["email"]):
        form.add_error(
            None,
            _(
                "No šīs adreses vai šī tīkla pēdējā laikā saņemts pārāk daudz pieteikumu. "
                "Lūdzu, mēģiniet vēlāk vai izveidojiet kontu."
            ),
        )
        return _detail(request, event, form=form, status=429)
    try:
        result = services.register(
            event=event,
            user=request.user if as_account else None,
            name=form.cleaned_data.get("name", ""),
            email=form.cleaned_data.get("email", ""),
            seats=form.cleaned_data["seats"],
            needs=form.cleaned_data["needs"],
            photo_consent=form.cleaned_data["photo_consent"],
            institution=form.cleaned_data.get("institution", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _detail(request, event, form=form, status=400)
    registration = result.registration
    if not as_account:
        # The same words whether or not the address was new: the page never tells a stranger
        # who has registered for what.
        messages.success(
            request,
            _(
                "Paldies! Uz norādīto e-pastu nosūtījām saiti. Vieta tiks rezervēta, "
                "kad to atvērsiet un apstiprināsiet."
            ),
        )
    elif registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("Vieta rezervēta. Apstiprinājumu nosūtījām uz jūsu e-pastu."))
    else:
        messages.info(
            request,
            _(
                "Brīvu vietu nav, tāpēc esat gaidīšanas sarakstā. Ja vieta atbrīvosies, "
                "saņemsiet e-pastu."
            ),
        )
    return redirect(event)


def confirm(request, token):
    """The link in a guest's mail. GET only shows a button: mail scanners open links too."""
    registration = _registration_by_token(token)
    if request.method == "POST":
        try:
            registration = services.confirm_guest(registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("Paldies! Jūsu vieta ir rezervēta."))
            elif registration.status == Registration.Status.WAITLISTED:
                messages.info(
                    request,
                    _(
                        "Paldies! Brīvu vietu vairs nav, tāpēc esat gaidīšanas sarakstā. Ja "
                        "vieta atbrīvosies, saņemsiet e-pastu."
                    ),
                )
        return redirect("events:registration", token=registration.token)
    if registration.status != Registration.Status.PENDING:
        return redirect("events:registration", token=registration.token)
    return render(request, "events/registration_confirm.html", {"registration": registration})


@require_GET
def registration(request, token):
    """A registration as its mail's holder sees it, with a way to cancel it."""
    registration = _registration_by_token(token)
    return render(
        request,
        "events/registration_detail.html",
        {
            "registration": registration,
            "event": registration.event,
            "may_cancel": _may_cancel(registration),
        },
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """Cancelling a guest's registration: the page asks, its form's POST cancels."""
    registration = _registration_by_token(token)
    page = reverse("events:registration", kwargs={"token": registration.token})
    if request.method == "POST":
        _cancel(request, registration)
        return redirect(page)
    if not _may_cancel(registration):
        return redirect(page)
    return _cancel_page(request, registration, back=page, next_url="")


def _registration_by_token(token: str) -> Registration:
    try:
        return selectors.registration_by_token(token=token)
    except Registration.DoesNotExist:
        raise Http404(_("Šāds pieteikums nav atrasts.")) from None


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """Cancelling one's own registration: the page asks (a tap on "Atteikties" is not yet a
    decision), its form's POST cancels. Both work without JavaScript."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if not permissions.can_cancel(request.user, registration):
        # Someone else's registration does not exist as far as this person can tell.
        raise Http404(_("Šāds pieteikums nav atrasts."))
    if request.method == "POST":
        _cancel(request, registration)
        return redirect(request.POST.get("next") if _safe_next(request) else "my_page")
    next_url = request.GET.get("next", "")
    if not _is_safe(request, next_url):
        next_url = ""
    back = next_url or registration.event.get_absolute_url()
    if not _may_cancel(registration):
        return redirect(back)
    return _cancel_page(request, registration, back=back, next_url=next_url)


def _may_cancel(registration: Registration) -> bool:
    """What the pages offer: once the event has started, or was called off, the registration
    stays as the record of who was expected."""
    event = registration.event
    return (
        registration.status != Registration.Status.CANCELLED
        and not event.is_cancelled
        and not event.has_started
    )


def _cancel_page(request, registration: Registration, *, back: str, next_url: str):
    return render(
        request,
        "events/registration_cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "back_url": back,
            "next_url": next_url,
        },
    )


def _cancel(request, registration: Registration) -> None:
    if registration.status == Registration.Status.CANCELLED:
        return
    try:
        services.cancel_registration(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pieteikums atcelts. Paldies, ka paziņojāt!"))


def _safe_next(request) -> bool:
    return _is_safe(request, request.POST.get("next", ""))


def _is_safe(request, target: str) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_POST
def calendar_feed_token(request):
    """Renew the secret address of one's calendar (the old one stops working) or revoke it."""
    if request.POST.get("action") == "revoke":
        services.revoke_calendar_feed(user=request.user)
        messages.success(request, _("Personīgā kalendāra adrese atsaukta."))
    else:
        services.renew_calendar_feed(user=request.user)
        messages.success(
            request, _("Izveidota jauna personīgā kalendāra adrese; vecā vairs nedarbojas.")
        )
    return redirect(request.POST.get("next") if _safe_next(request) else "my_page")


# --- Calendar feeds ---------------------------------------------------------------------------


def _ics(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# A shared feed is built once per version of its events and then served from the cache:
# calendar apps poll it, and icalendar takes most of a second to write a thousand events.
FEED_CACHE_SECONDS = 60 * 60


def _shared_feed(*, scope: str, name: str, filename: str, centre=None, community=None):
    version = selectors.feed_version(centre=centre, community=community)
    key = (
        "pasakumi-feed:"
        + hashlib.sha256(
            "\n".join([scope, version, name, get_language(), settings.SITE_URL]).encode()
        ).hexdigest()
    )
    content = cache.get(key)
    if content is None:
        events = selectors.feed_events(centre=centre, community=community)
        content = calendars.calendar(events, name=name)
        cache.set(key, content, FEED_CACHE_SECONDS)
    return _ics(content, filename=filename)


@require_GET
def feed(request):
    return _shared_feed(scope="all", name=_("Darbīgās kopienas: pasākumi"), filename="pasakumi.ics")


@require_GET
def event_feed(request, slug):
    event = _event_or_404(slug)
    return _ics(calendars.calendar([event], name=event.title), filename=f"{event.slug}.ics")


@require_GET
def centre_feed(request, slug):
    centre = get_object_or_404(published_centres().only("pk", "name", "slug"), slug=slug)
    return _shared_feed(
        scope=f"centre:{centre.pk}",
        name=centre.name,
        filename=f"{centre.slug}.ics",
        centre=centre,
    )


@require_GET
def community_feed(request, slug):
    community = get_object_or_404(published_communities().only("pk", "name", "slug"), slug=slug)
    return _shared_feed(
        scope=f"community:{community.pk}",
        name=community.name,
        filename=f"{community.slug}.ics",
        community=community,
    )


@require_GET
def personal_feed(request, token):
    try:
        feed = selectors.calendar_feed(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    # The person's bookings of the centres' equipment and rooms too, over the same window.
    bookings = booking_selectors.feed_bookings(
        person=feed.user,
        since=timezone.now() - timedelta(days=selectors.FEED_PAST_DAYS),
        limit=selectors.FEED_LIMIT,
    )
    return _ics(
        calendars.calendar(
            selectors.personal_feed_events(feed=feed),
            name=_("Mani pasākumi: Darbīgās kopienas"),
            also=[booking_vevent(booking) for booking in bookings],
        ),
        filename="mani-pasakumi.ics",
    )


# --- schema.org -------------------------------------------------------------------------------

ATTENDANCE_MODES = {
    Event.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _json_ld(request, event: Event) -> dict:
    """schema.org Event for search engines (rendered with the json_ld tag, never |safe)."""
    place: dict = {"@type": "Place"}
    if event.centre_id:
        centre: ResourceCentre = event.centre
        place.update(
            {
                "name": centre.name,
                "address": event.address or centre.address or centre.settlement,
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": float(centre.latitude),
                    "longitude": float(centre.longitude),
                },
            }
        )
    elif event.address:
        place.update({"name": event.address, "address": event.address})
    locations = []
    if event.format != Event.Format.ONLINE:
        locations.append(place)
    if event.format != Event.Format.IN_PERSON:
        virtual = {"@type": "VirtualLocation"}
        if event.online_url:
            virtual["url"] = event.online_url
        locations.append(virtual)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES[event.format],
        "location": locations[0] if len(locations) == 1 else locations,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "organizer": {
            "@type": "Organization",
            "name": "Izglītības iniciatīvu centrs",
            "url": "https://www.iic.lv/",
        },
        "inLanguage": "lv",
    }
    if event.registration_mode == Event.RegistrationMode.PLATFORM:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = event.free_seats
    if event.image:
        data["image"] = request.build_absolute_uri(event.image.url)
    return data


# /mans/pasakumi/: registrations per page.
MY_REGISTRATIONS_PAGE_SIZE = 20


@never_cache
@login_required
@require_safe
def my_registrations(request):
    """All of one's registrations that still matter for events not yet over, soonest first, or
    with ?laiks=pagajusi for past ones, latest first; a page at a time (/mans/ shows a few of
    each)."""
    past = request.GET.get("laiks") == "pagajusi"
    registrations = (
        selectors.earlier_registrations(user=request.user)
        if past
        else selectors.upcoming_registrations(user=request.user)
    )
    page_obj = Paginator(registrations, MY_REGISTRATIONS_PAGE_SIZE).get_page(
        request.GET.get("lapa")
    )
    return render(request, "events/my_registrations.html", {"page_obj": page_obj, "past": past})
