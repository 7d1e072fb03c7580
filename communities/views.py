from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import pagecache

from . import membership as membership_services
from . import permissions, selectors, services
from .forms import (
    LeaveForm,
    MembershipDecisionForm,
    RemoveMemberForm,
    RoleChangeForm,
    add_service_errors,
)
from .models import Community, Membership

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20
GONE = _lazy("Šī persona vairs nav kopienas dalībnieks: noņemta vai pametusi kopienu.")


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
    members = list(selectors.active_members(community=community))
    leaders = [m for m in members if m.role == Membership.Role.LEADER]
    history = Paginator(selectors.membership_history(community=community), HISTORY_PAGE_SIZE)
    return render(
        request,
        "communities/members.html",
        {
            "community": community,
            "requests": selectors.membership_requests(community=community),
            "members": members,
            # The only leader's row asks for a successor before the role can change.
            "last_leader": leaders[0] if len(leaders) == 1 else None,
            "roles": Membership.Role.choices,
            "history": history.get_page(request.GET.get("lapa")),
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
            by=request.user,
        )
    except Membership.DoesNotExist:
        # Already decided (a double click, or another leader was quicker), withdrawn by its person
        # a moment ago, or never here.
        messages.info(request, _("Šis pieteikums jau ir izskatīts vai atsaukts."))
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


# --- Managing members (issue 17) -----------------------------------------------------------------


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _active_membership(community: Community, pk: int) -> Membership:
    try:
        return (
            Membership.objects.select_related("user")
            .filter(community=community, status=Membership.Status.ACTIVE)
            .get(pk=pk)
        )
    except Membership.DoesNotExist:
        raise Http404(_("Šāds kopienas dalībnieks nav atrasts.")) from None


def _others(community: Community, membership: Membership) -> list[Membership]:
    """Who could take over from `membership`: the community's other active members."""
    return list(selectors.active_members(community=community).exclude(pk=membership.pk))


@login_required
def member_role(request, slug, pk):
    community = _community_for_deciding(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = redirect("communities:members", slug=community.slug)
    membership = Membership.objects.filter(
        pk=pk, community=community, status=Membership.Status.ACTIVE
    ).first()
    if membership is None:
        messages.info(request, GONE)
        return back
    form = RoleChangeForm(request.POST, candidates=_others(community, membership))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        membership, changed = membership_services.change_role(
            membership_id=membership.pk,
            community=community,
            role=form.cleaned_data["role"],
            by=request.user,
            successor_id=form.cleaned_data["successor"],
        )
    except Membership.DoesNotExist:
        messages.info(request, GONE)
        return back
    except ValidationError as error:
        _error_messages(request, error)
        return back
    name = membership.user.get_full_name() or membership.user.email
    role = membership.get_role_display()
    if changed:
        messages.success(
            request,
            _("Loma mainīta: %(name)s – %(role)s. Persona saņems e-pastu.")
            % {"name": name, "role": role},
        )
    else:
        messages.info(
            request,
            _("Loma jau ir „%(role)s” (%(name)s): nekas nav mainīts.")
            % {"name": name, "role": role},
        )
    return back


@login_required
def member_remove(request, slug, pk):
    community = _community_for_deciding(request, slug)
    if request.method == "POST":
        membership = Membership.objects.filter(
            pk=pk, community=community, status=Membership.Status.ACTIVE
        ).first()
        if membership is None:
            # Removed a moment ago (a double submit, or another leader was quicker).
            messages.info(request, GONE)
            return redirect("communities:members", slug=community.slug)
    else:
        membership = _active_membership(community, pk)
    last_leader = membership_services.is_last_leader(membership)
    candidates = _others(community, membership) if last_leader else None
    status = 200
    if request.method == "POST":
        form = RemoveMemberForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                membership_services.remove_member(
                    membership_id=membership.pk,
                    community=community,
                    message=form.cleaned_data["message"],
                    by=request.user,
                    successor_id=form.cleaned_data.get("successor"),
                )
            except Membership.DoesNotExist:
                messages.info(request, GONE)
                return redirect("communities:members", slug=community.slug)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Dalībnieks noņemts no kopienas: %(name)s. Persona saņems e-pastu.")
                    % {"name": membership.user.get_full_name() or membership.user.email},
                )
                return redirect("communities:members", slug=community.slug)
        status = 400
    else:
        form = RemoveMemberForm(candidates=candidates)
    return render(
        request,
        "communities/member_remove.html",
        {"community": community, "membership": membership, "form": form},
        status=status,
    )


@login_required
def leave(request, slug):
    """An active member leaves the community; a person whose request is pending withdraws it."""
    community = _published_community(slug)
    membership = (
        Membership.objects.select_related("user")
        .filter(community=community, user=request.user)
        .first()
    )
    # The withdrawal's form says it is one: a request approved after its page was shown is no
    # reason to leave the community.
    withdrawing = request.method == "POST" and "withdraw" in request.POST
    if membership is None:
        if request.method == "POST":
            # Left or withdrawn a moment ago: the second click of a double submit.
            if withdrawing:
                messages.info(request, _("Jums šajā kopienā nav pieteikuma, kas gaida atbildi."))
            else:
                messages.info(request, _("Jūs neesat šīs kopienas dalībnieks."))
            return redirect(community)
        raise Http404(_("Jūs neesat šīs kopienas dalībnieks."))
    if membership.status == Membership.Status.REQUESTED:
        return _withdraw(request, community)
    if withdrawing:
        messages.info(
            request,
            _("Jūsu pieteikums jau ir apstiprināts: jūs esat šīs kopienas dalībnieks."),
        )
        return redirect(community)
    last_leader = membership_services.is_last_leader(membership)
    candidates = _others(community, membership) if last_leader else None
    status = 200
    if request.method == "POST":
        form = LeaveForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                membership_services.leave_community(
                    user=request.user,
                    community=community,
                    successor_id=form.cleaned_data.get("successor"),
                )
            except Membership.DoesNotExist:
                messages.info(request, _("Jūs neesat šīs kopienas dalībnieks."))
                return redirect(community)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Jūs pametāt kopienu „%(community)s”.") % {"community": community.name},
                )
                return redirect(community)
        status = 400
    else:
        form = LeaveForm(candidates=candidates)
    return render(
        request,
        "communities/leave.html",
        {
            "community": community,
            "membership": membership,
            "form": form,
            "last_leader": last_leader,
        },
        status=status,
    )


def _withdraw(request, community: Community):
    """The pending request's page: a question and a button, nothing to fill in."""
    if request.method != "POST":
        return render(
            request, "communities/leave.html", {"community": community, "withdrawing": True}
        )
    try:
        membership_services.withdraw_request(user=request.user, community=community)
    except Membership.DoesNotExist:
        # A leader decided it a moment before: the community page says how.
        messages.info(request, _("Jūsu pieteikums jau ir izskatīts."))
    else:
        messages.success(
            request,
            _("Jūsu pieteikums kopienā „%(community)s” atsaukts.") % {"community": community.name},
        )
    return redirect(community)
