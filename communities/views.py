from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import pagecache

from . import permissions, selectors, services
from .forms import MembershipDecisionForm
from .models import Community, Membership

PAGE_SIZE = 50


@pagecache.public_page()
def community_list(request):
    page_obj = Paginator(selectors.community_list(), PAGE_SIZE).get_page(request.GET.get("lapa"))
    return render(
        request,
        "communities/community_list.html",
        {"page_obj": page_obj, "communities": page_obj.object_list},
    )


def _published_community(slug: str) -> Community:
    try:
        return selectors.published_communities().get(slug=slug)
    except Community.DoesNotExist:
        raise Http404(_("Šāda kopiena nav atrasta.")) from None


@login_required
def join(request, slug):
    community = _published_community(slug)
    if request.method != "POST":
        # Someone sent here by the log-in page lands on the community, where the button is.
        return redirect(community)
    if not permissions.can_ask_to_join(request.user):
        messages.error(
            request, _("Lai pieteiktos kopienā, vispirms apstipriniet savu e-pasta adresi.")
        )
        return redirect(community)
    _membership, created = services.request_membership(user=request.user, community=community)
    if created:
        messages.success(
            request,
            _("Pieteikums nosūtīts. Kopienas līderis to izskatīs, un jūs saņemsiet e-pastu."),
        )
    return redirect(community)


def _community_for_deciding(request, slug: str) -> Community:
    community = _published_community(slug)
    if not permissions.can_decide_memberships(request.user, community):
        raise PermissionDenied
    return community


@login_required
def members(request, slug):
    community = _community_for_deciding(request, slug)
    return render(
        request,
        "communities/members.html",
        {
            "community": community,
            "requests": selectors.membership_requests(community=community),
            "members": selectors.active_members(community=community),
            "roles": Membership.Role.choices,
        },
    )


@login_required
def membership_decide(request, slug, pk):
    community = _community_for_deciding(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("communities:members", slug=community.slug)
    try:
        membership = services.decide_membership(
            membership_id=pk,
            community=community,
            approve=form.approves,
            role=form.cleaned_data["role"] or Membership.Role.MEMBER,
        )
    except Membership.DoesNotExist:
        # Already decided (a double click, or another leader was quicker) or never here.
        messages.info(request, _("Šis pieteikums jau ir izskatīts."))
        return redirect("communities:members", slug=community.slug)
    if membership is None:
        messages.success(request, _("Pieteikums noraidīts. Persona saņems e-pastu."))
    else:
        messages.success(
            request,
            _("Pieteikums apstiprināts: %(name)s (%(role)s).")
            % {
                "name": membership.user.get_full_name() or membership.user.email,
                "role": membership.get_role_display(),
            },
        )
    return redirect("communities:members", slug=community.slug)
