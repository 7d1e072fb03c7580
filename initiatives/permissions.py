"""Who may see or change what of an initiative: the only place that decides it (DESIGN §3)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Membership
from core.roles import acts_as_staff

from .models import Initiative

REVIEW_PERMISSIONS = ("initiatives.change_initiative", "initiatives.change_finalreport")


def is_public(initiative: Initiative) -> bool:
    return initiative.status == Initiative.Status.PUBLISHED and initiative.community.is_published


def is_team_member(user, initiative: Initiative) -> bool:
    """The applicant (or the leader who recorded it) and the community's active leaders."""
    if not user.is_authenticated:
        return False
    if initiative.application_id and initiative.application.applicant_id == user.pk:
        return True
    if initiative.recorded_by_id == user.pk:
        return True
    return Membership.objects.filter(
        user=user,
        community_id=initiative.community_id,
        role=Membership.Role.LEADER,
        status=Membership.Status.ACTIVE,
    ).exists()


def is_initiative_staff(user) -> bool:
    """Coordinators (with their second factor) see every initiative and its report."""
    return acts_as_staff(user) and user.has_perm("initiatives.view_finalreport")


def may_review(user) -> bool:
    """Coordinators (and superusers), with their second factor, review reports in the admin:
    return, accept, publish, extend a due date, cancel, export a round's reports."""
    return acts_as_staff(user) and user.has_perms(REVIEW_PERMISSIONS)


def require_review(user) -> None:
    if not may_review(user):
        raise PermissionDenied


def can_view(user, initiative: Initiative) -> bool:
    return is_public(initiative) or is_team_member(user, initiative) or is_initiative_staff(user)


def can_edit_report(user, initiative: Initiative) -> bool:
    return initiative.status in Initiative.REPORTING and is_team_member(user, initiative)


def can_record_for(user, community) -> bool:
    """A community's active leader records what the community did on its own."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user,
            community=community,
            role=Membership.Role.LEADER,
            status=Membership.Status.ACTIVE,
        ).exists()
    )


def access_initiative(user, slug: str) -> Initiative:
    """The initiative, or 404 for anyone who may not see it (never 403: its existence is
    nobody else's business until it is published)."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("community", "application__round"), slug=slug
    )
    if not can_view(user, initiative):
        raise Http404
    return initiative


def access_team_initiative(user, slug: str) -> Initiative:
    """The initiative for its own team (its report, files), or 404."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("community", "application__round"), slug=slug
    )
    if not (is_team_member(user, initiative) or is_initiative_staff(user)):
        raise Http404
    return initiative
