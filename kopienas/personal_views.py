"""The signed-in person's pages under /mans/: overview, profile, their data, deleting the account.

A site view (DESIGN §3): /mans/ shows what several apps hold about the person.
"""

import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from communities import selectors as community_selectors
from communities import services as community_services
from communities.models import Profile
from core.formats import riga_today
from core.roles import is_coordinator
from events import following
from events import selectors as event_selectors
from grants import selectors as grant_selectors
from initiatives import team_selectors as initiative_selectors
from resource_centres import booking_selectors
from resource_centres.models import ResourceCentre
from resource_centres.permissions import manageable_centres

from . import services
from .forms import AccountDeleteForm, ProfileForm

EXPORT_FILENAME = "darbigas-kopienas-dati.json"


# /mans/ lists this many of the soonest upcoming bookings and of the latest earlier ones; the
# rest are a link away (/mans/rezervacijas/gaidamas/, /mans/rezervacijas/).
UPCOMING_BOOKINGS_SHOWN = 10
EARLIER_BOOKINGS_SHOWN = 5
# And of the registrations for events not yet over and for past ones (/mans/pasakumi/).
UPCOMING_REGISTRATIONS_SHOWN = 10
EARLIER_REGISTRATIONS_SHOWN = 5


def _what_they_have(user) -> dict[str, object]:
    """In one query, which of /mans/'s lists hold anything for the person (each asked of the
    queryset its list is made from), their calendar feed's token and whether their second
    factor is on: a list with nothing in it then costs no query of its own, and the feed and
    the second factor cost none either."""
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            any_applications=Exists(grant_selectors.own_applications(user=user)),
            any_initiatives=Exists(initiative_selectors.initiatives_of(user=user)),
            any_memberships=Exists(community_selectors.memberships_of(user=user)),
            any_registrations=Exists(event_selectors.current_registrations(user=user)),
            any_bookings=Exists(booking_selectors.bookings_of(user)),
            any_follows=Exists(following.followed_by(user=user)),
            feed_token=Subquery(event_selectors.calendar_feed_token(user=user)[:1]),
            has_totp=Exists(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)),
        )
        .get()
    )


@never_cache
@login_required
def my_page(request):
    user = request.user
    has = _what_they_have(user)
    return render(
        request,
        "kopienas/my_page.html",
        {
            "applications": (
                grant_selectors.applications_of(user=user) if has["any_applications"] else ()
            ),
            "initiatives": (
                initiative_selectors.initiatives_of(user=user) if has["any_initiatives"] else ()
            ),
            "today": riga_today(),
            "memberships": (
                community_selectors.memberships_of(user=user) if has["any_memberships"] else ()
            ),
            "registrations": (
                event_selectors.own_registrations(
                    user=user,
                    upcoming=UPCOMING_REGISTRATIONS_SHOWN,
                    earlier=EARLIER_REGISTRATIONS_SHOWN,
                )
                if has["any_registrations"]
                else event_selectors.NO_REGISTRATIONS
            ),
            "bookings": (
                booking_selectors.own_bookings(
                    user, upcoming=UPCOMING_BOOKINGS_SHOWN, earlier=EARLIER_BOOKINGS_SHOWN
                )
                if has["any_bookings"]
                else booking_selectors.NO_BOOKINGS
            ),
            "feed_token": has["feed_token"],
            "follows": following.follows_of(user=user) if has["any_follows"] else (),
            # The link to "Pasākumi manā centrā" (no query for someone who is not staff).
            "runs_centre_events": is_coordinator(user)
            or manageable_centres(user, ResourceCentre.objects.all()).exists(),
            "has_totp": has["has_totp"],
        },
    )


@never_cache
@login_required
def my_profile(request):
    user = request.user
    profile = Profile.objects.filter(user=user).first()
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            community_services.save_profile(user=user, **form.cleaned_data)
            messages.success(request, _("Profils saglabāts."))
            return redirect("my_profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": profile.phone if profile else "",
            }
        )
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return render(request, "kopienas/my_profile.html", {"form": form, "emails": emails})


@never_cache
@login_required
def my_data(request):
    """GET explains what the file holds; GET with ?format=json downloads it."""
    if request.GET.get("format") != "json":
        return render(request, "kopienas/my_data.html")
    data = services.personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@never_cache
@login_required
def my_account_delete(request):
    user = request.user
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.delete_account(user=user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                logout(request)
                messages.success(request, _("Jūsu konts un personas dati ir dzēsti. Paldies!"))
                return redirect("home")
    else:
        form = AccountDeleteForm(user=user)
    return render(
        request,
        "kopienas/my_account_delete.html",
        {"form": form, "has_password": user.has_usable_password()},
    )
