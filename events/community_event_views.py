"""A community's events run from the public site (issue 17): its leaders create, edit, copy
and cancel them, mark attendance and close them; a centre's manager (and coordinators) do the
same for events held at their centre. Anyone else signed in gets 404, as for a page that is not
there; people signed out are asked to log in. Every change goes through
events.community_events and events.services, as the admin's do."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import router
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communities.models import Community, TargetGroup
from communities.selectors import published_communities
from core import formats
from core.images import process_photo
from core.paging import page_of
from core.roles import is_coordinator
from resource_centres.models import ResourceCentre
from resource_centres.permissions import manageable_centres
from resource_centres.services import discarding_photo_files_on_rollback

from . import community_events, permissions, selectors, services
from .forms import CancelEventForm, CloseEventForm, CommunityEventForm
from .models import Event

# How long a form's token remembers what it did (a second submit of the same form, from a double
# click or the back button, leads there instead of doing it again).
TOKEN_SECONDS = 24 * 60 * 60
IN_FLIGHT = "in-flight"


def _community_or_404(request, slug: str) -> Community:
    community = published_communities().select_related("resource_centre").filter(slug=slug).first()
    if community is None or not permissions.can_create_community_event(request.user, community):
        raise Http404(_("Šāda kopiena nav atrasta."))
    return community


def _event_or_404(request, slug: str) -> Event:
    """An event this person may run; published or not (its leaders may have hidden it)."""
    event = (
        Event.objects.select_related("centre", "community", "community__resource_centre")
        .filter(slug=slug)
        .first()
    )
    if event is None or not permissions.can_run_event(request.user, event):
        raise Http404(_("Šāds pasākums nav atrasts."))
    return event


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    else:
        for text in error.messages:
            form.add_error(None, text)


def _with_token(request) -> tuple[dict, bool]:
    """The POST with a usable token; a form without one (an old page) gets a new one."""
    data = request.POST.copy()
    try:
        uuid.UUID(data.get("token", ""))
    except ValueError:
        data["token"] = str(uuid.uuid4())
        return data, True
    return data, False


def _claim(request, form) -> tuple[str, object]:
    """Claim the form's token; returns (key, what an earlier submit of it did, or None)."""
    key = f"event-form:{request.user.pk}:{form.cleaned_data['token']}"
    if cache.add(key, IN_FLIGHT, TOKEN_SECONDS):
        return key, None
    return key, cache.get(key) or IN_FLIGHT


def _stale(form) -> None:
    form.add_error(None, _("Veidlapa bija novecojusi: pārbaudiet datus un nosūtiet vēlreiz."))


def _form_page(
    request, form, *, community, event=None, mode: str, status: int = 200, differences=()
):
    return render(
        request,
        "events/community_event_form.html",
        {
            "form": form,
            "community": community,
            "event": event,
            "mode": mode,
            "differences": differences,
        },
        status=status,
    )


# What the edit form changes, in the order the form shows it.
_COMPARED = [
    "title",
    "kind",
    "format",
    "description",
    "starts_at",
    "ends_at",
    "centre",
    "address",
    "online_url",
    "registration_mode",
    "capacity",
    "registration_deadline",
    "external_registration_url",
    "image_alt",
    "is_published",
]


def _shown(event: Event, name: str) -> str:
    model_field = Event._meta.get_field(name)
    value = getattr(event, name)
    if model_field.choices:
        return str(getattr(event, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("jā") if value else _("nē")
    if name in ("starts_at", "ends_at", "registration_deadline"):
        return formats.riga_datetime(value) if value else "–"
    return str(value) if value not in (None, "") else "–"


def _differences(current: Event, *, typed: Event) -> list[tuple[str, str]]:
    """(label, value now saved) of each field where what is saved differs from what was typed."""
    rows = []
    for name in _COMPARED:
        attname = Event._meta.get_field(name).attname
        if getattr(current, attname) != getattr(typed, attname):
            label = str(Event._meta.get_field(name).verbose_name)
            rows.append((label[:1].upper() + label[1:], _shown(current, name)))
    return rows


def _create(request, community: Community, *, source: Event | None = None):
    """The create and copy pages: one event, or a series of repeats."""
    mode = "copy" if source else "create"
    if request.method != "POST":
        initial = {"token": uuid.uuid4()}
        if source is not None:
            initial.update(CommunityEventForm.initial_from(source, with_dates=False))
            instance = _copy_of(source)
        else:
            # A new event is at the community's resource centre unless the leader says otherwise.
            initial["centre"] = community.resource_centre_id
            instance = Event(community=community)
        form = CommunityEventForm(
            instance=instance,
            initial=initial,
            community=community,
            repeats=True,
            carries_image=bool(source and source.image),
        )
        return _form_page(request, form, community=community, event=source, mode=mode)
    data, stale = _with_token(request)
    instance = _copy_of(source) if source is not None else Event(community=community)
    form = CommunityEventForm(
        data,
        request.FILES,
        instance=instance,
        community=community,
        repeats=True,
        carries_image=bool(source and source.image),
    )
    if stale:
        _stale(form)
    if not form.is_valid():
        return _form_page(request, form, community=community, event=source, mode=mode, status=400)
    key, earlier = _claim(request, form)
    if earlier is not None:
        return _earlier(request, form, earlier, community=community, event=source, mode=mode)
    created = []
    try:
        photo = form.processed_photo or _copied_photo(source)
        with discarding_photo_files_on_rollback(using=router.db_for_write(Event)):
            created = community_events.create_community_events(
                community=community,
                event=form.instance,
                schedule=form.schedule,
                target_groups=form.cleaned_data["target_groups"],
                model_elements=form.cleaned_data["model_elements"],
                processed_photo=photo,
            )
    except ValidationError as error:
        _add_service_errors(form, error)
        return _form_page(request, form, community=community, event=source, mode=mode, status=400)
    finally:
        if not created:
            cache.delete(key)
    cache.set(key, created[0].slug, TOKEN_SECONDS)
    _planned, skipped = community_events.occurrences(form.schedule)
    messages.success(
        request,
        ngettext("Izveidots %(count)s pasākums.", "Izveidoti %(count)s pasākumi.", len(created))
        % {"count": len(created)},
    )
    for month in skipped:
        messages.warning(
            request,
            _("Mēnesī %(month)s nav %(day)s. datuma, tāpēc tajā pasākums netika izveidots.")
            % {"month": month.strftime("%m.%Y."), "day": form.schedule.starts_on.day},
        )
    return redirect(_landing(created[0]))


def _copied_photo(source: Event | None):
    """The source's photo for its copy, through the one re-encoder as an upload would go, so
    the copy owns its own files; none when the source has none (or its file is gone)."""
    if source is None or not source.image:
        return None
    try:
        with source.image.open("rb"):
            return process_photo(source.image)
    except (OSError, ValidationError):
        return None


def _landing(event: Event) -> str:
    """The event's page; an unpublished event has none yet, so its edit page."""
    if event.is_published:
        return event.get_absolute_url()
    return reverse("events:edit", kwargs={"slug": event.slug})


def _copy_of(source: Event) -> Event:
    """A new event with the source's fields (the form fills its dates)."""
    return Event(
        title=source.title,
        kind=source.kind,
        format=source.format,
        description=source.description,
        centre=source.centre,
        address=source.address,
        online_url=source.online_url,
        community=source.community,
        capacity=source.capacity,
        registration_mode=source.registration_mode,
        external_registration_url=source.external_registration_url,
        is_published=source.is_published,
        image_alt=source.image_alt,
    )


def _earlier(request, form, earlier, *, community, event, mode):
    """A second submit of a form already sent: to what the first one made, or wait."""
    if earlier == IN_FLIGHT:
        form.add_error(None, _("Šī veidlapa jau tiek apstrādāta. Lūdzu, uzgaidiet."))
        return _form_page(request, form, community=community, event=event, mode=mode, status=409)
    messages.info(request, _("Šī veidlapa jau ir nosūtīta."))
    made = Event.objects.filter(slug=earlier).first()
    return redirect(_landing(made) if made else community.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request, slug):
    return _create(request, _community_or_404(request, slug))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_copy(request, slug):
    source = _event_or_404(request, slug)
    if source.community is None:
        raise Http404(_("Šāds pasākums nav atrasts."))
    return _create(request, source.community, source=source)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, slug):
    event = _event_or_404(request, slug)
    community = event.community
    if event.is_cancelled:
        messages.error(request, _("Atcelts pasākums vairs nav labojams."))
        return redirect(event.get_absolute_url())
    if request.method != "POST":
        initial = {"token": uuid.uuid4(), **CommunityEventForm.initial_from(event)}
        form = CommunityEventForm(instance=event, initial=initial, community=community)
        return _form_page(request, form, community=community, event=event, mode="edit")
    data, stale = _with_token(request)
    form = CommunityEventForm(
        data,
        request.FILES,
        instance=event,
        initial=CommunityEventForm.initial_from(event),
        community=community,
    )
    if stale:
        _stale(form)
    if not form.is_valid():
        return _form_page(request, form, community=community, event=event, mode="edit", status=400)
    key, earlier = _claim(request, form)
    if earlier is not None:
        return _earlier(request, form, earlier, community=community, event=event, mode="edit")
    saved = False
    try:
        with discarding_photo_files_on_rollback(using=router.db_for_write(Event)):
            community_events.update_community_event(
                event=form.instance,
                version=form.cleaned_data["version"],
                target_groups=form.cleaned_data["target_groups"],
                model_elements=form.cleaned_data["model_elements"],
                processed_photo=form.processed_photo,
                remove_photo=form.cleaned_data.get("remove_image", False),
            )
        saved = True
    except community_events.EventChanged as error:
        _add_service_errors(form, error)
        current = Event.objects.select_related("centre").get(pk=event.pk)
        # What is typed stays on the page; a second send, after looking at what is saved now,
        # is made against the version now saved.
        form.data = form.data.copy()
        form.data["version"] = current.updated_at.isoformat()
        return _form_page(
            request,
            form,
            community=community,
            event=event,
            mode="edit",
            status=409,
            differences=_differences(current, typed=form.instance),
        )
    except ValidationError as error:
        _add_service_errors(form, error)
        return _form_page(request, form, community=community, event=event, mode="edit", status=400)
    finally:
        if not saved:
            cache.delete(key)
    cache.set(key, event.slug, TOKEN_SECONDS)
    messages.success(request, _("Pasākums saglabāts."))
    return redirect(_landing(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_cancel(request, slug):
    event = _event_or_404(request, slug)
    if event.is_cancelled:
        messages.info(request, _("Pasākums jau ir atcelts."))
        return redirect(event.get_absolute_url())
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Cancelling twice (a double click) changes nothing and mails nobody again.
        services.cancel_event(event=event, reason=form.cleaned_data["reason"])
        messages.success(request, _("Pasākums atcelts; visi pieteikušies saņems e-pastu."))
        return redirect(event.get_absolute_url())
    return render(
        request,
        "events/community_event_cancel.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_attendance(request, slug):
    """After the end: who came (through mark_attendance), then the closing report."""
    event = _event_or_404(request, slug)
    refused = None
    if event.ends_at > timezone.now():
        refused = str(services.CLOSE_TOO_EARLY)
    elif event.closed_at is not None:
        refused = _("Pasākums jau ir noslēgts.")
    elif event.is_cancelled:
        refused = _("Pasākums ir atcelts.")
    # The groups the event was meant for; all of them when it named none.
    target_groups = list(event.target_groups.all()) or list(
        TargetGroup.objects.order_by("order", "pk")
    )
    registrations = list(selectors.event_registrations(event=event))
    close_form = CloseEventForm(target_groups=target_groups)
    status = 200
    if request.method == "POST":
        if refused:
            messages.error(request, refused)
            return redirect("events:attendance", slug=event.slug)
        action = request.POST.get("darbiba")
        try:
            if action == "apmeklejums":
                # Ids only: anything else (a superscript digit, a number past any key) is
                # no registration of this event.
                attended = [
                    int(value)
                    for value in request.POST.getlist("attended")
                    if value.isascii() and value.isdigit() and len(value) <= 18
                ]
                count = community_events.record_attendance(event=event, attended=attended)
                messages.success(
                    request,
                    _("Apmeklējums saglabāts: atzīmēti %(count)s.") % {"count": count},
                )
                return redirect("events:attendance", slug=event.slug)
            close_form = CloseEventForm(request.POST, target_groups=target_groups)
            if close_form.is_valid():
                community_events.close_community_event(
                    event=event,
                    attendees_count=close_form.cleaned_data["attendees_count"],
                    organisations_count=close_form.cleaned_data["organisations_count"],
                    group_counts=close_form.group_counts(),
                    report=close_form.cleaned_data["report"],
                )
                messages.success(request, _("Pasākums noslēgts; skaitļi nonāk kopsavilkumā."))
                return redirect(event.get_absolute_url())
            status = 400
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:attendance", slug=event.slug)
    elif close_form.fields["attendees_count"].initial is None:
        close_form.initial["attendees_count"] = (
            sum(r.seats for r in registrations if r.attended) or None
        )
    return render(
        request,
        "events/community_event_attendance.html",
        {
            "event": event,
            "refused": refused,
            "registrations": registrations,
            "form": close_form,
        },
        status=status,
    )


# --- The events at a manager's centres (issue 17) -------------------------------------------------

CENTRE_EVENTS_PAGE_SIZE = 20


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def centre_events(request):
    """The events held at the centres this person manages (every centre for a coordinator, who
    may narrow it to one): upcoming ones, then ended ones still to be closed. Every event listed
    is one they may run (events.permissions.can_run_event: a manager of its centre), so each row
    links to the actions its state allows. Someone who manages no centre gets 404."""
    centres = list(
        manageable_centres(request.user, ResourceCentre.objects.all())
        .order_by("name", "pk")
        .only("pk", "slug", "name")
    )
    if not centres and not is_coordinator(request.user):
        raise Http404(_("Jūs nevadāt nevienu centru."))
    chosen = next((c for c in centres if c.slug == request.GET.get("centrs")), None)
    # The centres already read, not their query again: given their ids, the database sees how
    # few events one manager's centre holds and reads those by the centre's index, where a
    # subquery made it walk every centre's events from now (15 ms for one centre's first page).
    upcoming, to_close = selectors.centre_events(centres=[chosen] if chosen else centres)
    return render(
        request,
        "events/centre_events.html",
        {
            "centres": centres,
            "chosen": chosen,
            # Paged without a count: for a coordinator the lists run to tens of thousands of
            # events, and counting them cost most of the page (core.paging).
            "upcoming": page_of(upcoming, request.GET.get("lapa"), CENTRE_EVENTS_PAGE_SIZE),
            "to_close": page_of(to_close, request.GET.get("beigusies"), CENTRE_EVENTS_PAGE_SIZE),
        },
    )
