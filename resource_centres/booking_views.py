"""The public booking pages: an item's week of free and taken times with the request form, and
the person's own bookings (under /mans/). Without JavaScript: a free cell is a link that fills
the form in; every change is a POST followed by a redirect."""

import uuid
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core import formats
from core.roles import has_verified_email

from . import booking_selectors as selectors
from . import booking_services as services
from .booking_forms import BookingRequestForm
from .booking_models import Booking
from .booking_services import BookingError, Request
from .models import Equipment

WEEK_PARAM, DAY_PARAM, START_PARAM = "nedela", "diena", "sakums"
# How long a form's token remembers the booking it made (a second submit of the same form
# leads to that booking instead of making another).
TOKEN_SECONDS = 24 * 60 * 60
IN_FLIGHT = "in-flight"
# /mans/rezervacijas/ and /mans/rezervacijas/gaidamas/: bookings per page.
MY_BOOKINGS_PAGE_SIZE = 20
# A slot beyond the item's horizon: shown, not offered.
LATER = "later"


def _item_or_404(slug: str, item_pk: int) -> Equipment:
    try:
        return selectors.bookable_item(centre_slug=slug, pk=item_pk)
    except Equipment.DoesNotExist:
        raise Http404(_("Šāds aprīkojums vai telpa nav atrasta.")) from None


def _week_of(request, equipment: Equipment, today: date) -> date:
    """The Monday asked for with ?nedela=, from this week to the last the item can be booked
    in; anything else (a typo, a week long past) is this week, with a note."""
    this_monday = selectors.monday_of(today)
    raw = request.GET.get(WEEK_PARAM)
    if raw is None:
        return this_monday
    try:
        monday = selectors.monday_of(date.fromisoformat(raw.strip()))
    except ValueError:
        monday = None
    last = selectors.monday_of(today + timedelta(days=equipment.horizon_days))
    if monday is None or not this_monday <= monday <= last:
        messages.warning(request, _("Šādu nedēļu nevar parādīt, tāpēc rādām šo nedēļu."))
        return this_monday
    return monday


def _chosen(request, equipment: Equipment) -> dict:
    """The form's first values from a chosen free cell (?diena=…&sakums=…); nothing when the
    link was edited into something else."""
    try:
        day = date.fromisoformat(request.GET.get(DAY_PARAM, ""))
        starts = time.fromisoformat(request.GET.get(START_PARAM, ""))
    except ValueError:
        return {}
    moment = datetime.combine(date(2000, 1, 1), starts) + timedelta(minutes=equipment.min_minutes)
    ends = moment.time() if moment.date() == date(2000, 1, 1) else None
    return {"day": day, "starts": starts, "ends": ends}


def _cell(slot, day: date, clock: time, *, equipment: Equipment, monday: date, limit) -> dict:
    """What one cell of the table says (in words, never by colour alone) and where it leads."""
    if slot is None:
        return {"state": "closed", "text": _("Slēgts")}
    state = slot.state
    if state == selectors.FREE and slot.starts_at > limit:
        state = LATER
    if state == selectors.FREE:
        query = f"?{WEEK_PARAM}={monday.isoformat()}&{DAY_PARAM}={day.isoformat()}"
        query += f"&{START_PARAM}={clock.strftime('%H:%M')}#pieteikums"
        text = (
            _("Brīvs")
            if equipment.quantity == 1
            else ngettext(
                "Brīvs %(free)s no %(units)s", "Brīvi %(free)s no %(units)s", slot.free_units
            )
            % {"free": slot.free_units, "units": equipment.quantity}
        )
        return {
            "state": state,
            "text": text,
            "url": query,
            "label": f"{dateformat.format(day, 'l')} {formats.time_of_day(clock)}",
        }
    texts = {
        selectors.TAKEN: _("Aizņemts"),
        selectors.PAST: _("Pagājis"),
        selectors.MAINTENANCE: _("Apkope"),
        selectors.CLOSED: _("Slēgts"),
        LATER: _("Vēl nevar rezervēt"),
    }
    return {"state": state, "text": texts[state]}


def _week_table(equipment: Equipment, monday: date, now: datetime) -> dict:
    week = selectors.item_week(equipment, monday, now=now)
    limit = now + timedelta(days=equipment.horizon_days)
    rows = [
        (
            formats.time_of_day(clock),
            [
                _cell(slot, day, clock, equipment=equipment, monday=monday, limit=limit)
                for day, slot in zip(week.days, slots, strict=True)
            ],
        )
        for clock, slots in week.rows()
    ]
    today = formats.riga(now).date()
    this_monday = selectors.monday_of(today)
    last = selectors.monday_of(today + timedelta(days=equipment.horizon_days))
    previous = monday - timedelta(days=7)
    following = monday + timedelta(days=7)
    return {
        "week": week,
        "days": [(dateformat.format(day, "l"), formats.day_and_month(day)) for day in week.days],
        "rows": rows,
        "first_day": week.days[0],
        "last_day": week.days[-1],
        "previous_week": previous.isoformat() if previous >= this_monday else "",
        "next_week": following.isoformat() if following <= last else "",
    }


def _who(user, equipment: Equipment) -> str:
    """What the form part of the page offers this person."""
    if not user.is_authenticated:
        return "anonymous"
    if not has_verified_email(user):
        return "unverified"
    if equipment.needs_instruction and not services.is_instructed(user, equipment):
        return "uninstructed"
    return "may_book"


def _page(
    request, equipment, form, *, now, monday=None, refused=None, offer_rest=False, status=200
):
    today = formats.riga(now).date()
    if monday is None:
        monday = _week_of(request, equipment, today)
    return render(
        request,
        "resource_centres/booking_week.html",
        {
            "equipment": equipment,
            "centre": equipment.centre,
            "form": form,
            "who": _who(request.user, equipment),
            "refused": refused or [],
            "offer_rest": offer_rest,
            **_week_table(equipment, monday, now),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def item_week(request, slug, item_pk):
    equipment = _item_or_404(slug, item_pk)
    now = timezone.now()
    if request.method == "POST":
        return _request(request, equipment, now)
    form = BookingRequestForm(initial={"token": uuid.uuid4(), **_chosen(request, equipment)})
    return _page(request, equipment, form, now=now)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _moment(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=formats.RIGA)


def _request(request, equipment: Equipment, now: datetime):
    """POST: one booking or a weekly repeat, through the services; then to the booking."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    data = request.POST.copy()
    # A form without its token (an old page, an edited one) gets a new one to send again with.
    stale = not _is_uuid(data.get("token", ""))
    if stale:
        data["token"] = str(uuid.uuid4())
    form = BookingRequestForm(data)
    if stale:
        form.add_error(None, _("Veidlapa bija novecojusi: pārbaudiet datus un nosūtiet vēlreiz."))
    if not form.is_valid():
        return _page(request, equipment, form, now=now, status=400)
    data = form.cleaned_data
    # The week of the date asked for, so a page with errors shows that week's table.
    today = formats.riga(now).date()
    monday = selectors.monday_of(data["day"])
    if not (
        selectors.monday_of(today)
        <= monday
        <= selectors.monday_of(today + timedelta(days=equipment.horizon_days))
    ):
        monday = None
    key = f"booking-form:{request.user.pk}:{data['token']}"
    if not cache.add(key, IN_FLIGHT, TOKEN_SECONDS):
        made = cache.get(key)
        if isinstance(made, int):
            messages.info(request, _("Šis pieprasījums jau ir nosūtīts."))
            return redirect("my_booking", made)
        form.add_error(None, _("Šis pieprasījums jau tiek apstrādāts. Lūdzu, uzgaidiet."))
        return _page(request, equipment, form, now=now, status=409)
    booking = None
    try:
        wanted = Request(
            equipment,
            _moment(data["day"], data["starts"]),
            _moment(data["day"], data["ends"]),
            data["note"],
        )
        language = formats.language()
        if data["repeat"]:
            book_available = request.POST.get("book_available") == "1"
            result = services.request_series(
                request=wanted,
                weeks=data["weeks"],
                person=request.user,
                book_available=book_available,
                language=language,
                now=now,
            )
            if not result.bookings:
                refused = [(formats.latvian_date(day), reason) for day, reason in result.refused]
                every_date = len(result.refused) == data["weeks"]
                if every_date:
                    form.add_error(None, _("Neviens no datumiem nav pieejams."))
                return _page(
                    request,
                    equipment,
                    form,
                    now=now,
                    monday=monday,
                    refused=refused,
                    offer_rest=not every_date and not book_available,
                    status=400 if every_date else 200,
                )
            booking = result.bookings[0]
            for day, reason in result.refused:
                messages.warning(
                    request,
                    _("Nav rezervēts %(day)s: %(reason)s")
                    % {"day": formats.latvian_date(day), "reason": reason},
                )
        else:
            booking = services.request_booking(
                request=wanted, person=request.user, language=language, now=now
            )
    except BookingError as error:
        form.add_error(None, error.messages[0])
        return _page(request, equipment, form, now=now, monday=monday, status=400)
    finally:
        if booking is None:
            cache.delete(key)
    cache.set(key, booking.pk, TOKEN_SECONDS)
    if booking.status == Booking.Status.CONFIRMED:
        messages.success(request, _("Rezervācija apstiprināta."))
    else:
        messages.success(request, _("Pieprasījums nosūtīts: centra vadītājs to apstiprinās."))
    return redirect("my_booking", booking.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_booking(request, pk):
    """One's own booking; its POST cancels it (until the item's cut-off)."""
    try:
        booking = selectors.own_booking(person=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404(_("Šāda rezervācija nav atrasta.")) from None
    now = timezone.now()
    if request.method == "POST":
        try:
            services.cancel_own_booking(booking=booking, person=request.user, now=now)
        except BookingError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Rezervācija atcelta."))
        return redirect("my_booking", booking.pk)
    deadline = services.cancel_deadline(booking)
    centre = booking.equipment.centre
    return render(
        request,
        "resource_centres/booking_detail.html",
        {
            "booking": booking,
            "equipment": booking.equipment,
            "centre": centre,
            "series": selectors.series_of(booking),
            "deadline": deadline,
            "may_cancel": booking.is_active and now <= deadline,
            "week_url": reverse(
                "resource_centres:item_week", args=[centre.slug, booking.equipment_id]
            ),
        },
    )


def _my_bookings_page(request, bookings, *, upcoming: bool):
    page_obj = Paginator(bookings, MY_BOOKINGS_PAGE_SIZE).get_page(request.GET.get("lapa"))
    return render(
        request,
        "resource_centres/my_bookings.html",
        {"page_obj": page_obj, "upcoming": upcoming},
    )


@never_cache
@login_required
@require_safe
def my_bookings(request):
    """All of one's ended, cancelled and declined bookings, latest first, a page at a time
    (/mans/ shows the latest few of these)."""
    return _my_bookings_page(request, selectors.earlier_bookings(request.user), upcoming=False)


@never_cache
@login_required
@require_safe
def my_upcoming_bookings(request):
    """All of one's upcoming bookings, soonest first, a page at a time (/mans/ shows the
    soonest few)."""
    return _my_bookings_page(request, selectors.upcoming_bookings(request.user), upcoming=True)
