"""Who may see or change what in the grant area: the only place that decides it (DESIGN §3).

A person's own applications are theirs in every status; staff who may view applications
(coordinators, superusers) see submitted ones, never a draft. Anyone else gets "not found",
so the existence of someone else's application is not confirmed. The views and the admin
fetch what someone may not see only through the `access_*` functions here, and narrow the
admin's lists through the `*_for_staff` ones.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.roles import acts_as_staff, is_coordinator

from . import selectors
from .models import Application, Assessment, GrantRound


def is_public_round(grant_round: GrantRound) -> bool:
    return grant_round.status != GrantRound.Status.DRAFT


def accepts_applications(grant_round: GrantRound, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        grant_round.status == GrantRound.Status.OPEN
        and grant_round.opens_at <= now < grant_round.closes_at
    )


def decision_is_public(grant_round: GrantRound) -> bool:
    return grant_round.status == GrantRound.Status.RESULTS


# --- Applications ----------------------------------------------------------------------------


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.pk


def is_grant_staff(user) -> bool:
    return acts_as_staff(user) and user.has_perm("grants.view_application")


def can_view_application(user, application: Application) -> bool:
    if is_applicant(user, application):
        return True
    return not application.is_draft and is_grant_staff(user)


def can_edit_application(user, application: Application, *, now: datetime | None = None) -> bool:
    """Drafts stay editable (a draft sent after the deadline is still saved); a submitted
    application only until the round closes."""
    if not is_applicant(user, application):
        return False
    return is_editable(application, now=now)


def is_editable(application: Application, *, now: datetime | None = None) -> bool:
    if application.status == Application.Status.DRAFT:
        return True
    return application.status == Application.Status.SUBMITTED and (
        (now or timezone.now()) < application.round.closes_at
    )


def can_withdraw_application(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status == Application.Status.SUBMITTED


def access_application(user, key: str) -> Application:
    """The application `user` may view by its key: their own, or a submitted one for staff who
    may view applications. Anyone else is told "not found"."""
    application = selectors.application_by_key(key=key)
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def access_own_application(user, key: str) -> Application:
    """The application by its key, to be changed or withdrawn by its applicant alone: to
    anyone else, staff included, it is "not found"."""
    application = selectors.application_by_key(key=key)
    if application is None or not is_applicant(user, application):
        raise Http404
    return application


def access_application_files(user, key: str) -> Application:
    """The application whose attachments `user` may download: its applicant, staff who may view
    applications, and the assessors assigned to its round. Anyone else is told "not found"."""
    application = selectors.application_by_key(key=key)
    if application is None or not (
        can_view_application(user, application) or can_view_as_assessor(user, application)
    ):
        raise Http404
    return application


def applications_for_staff(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The applications staff reach in the admin: drafts are their author's alone, hidden from
    every staff member, superusers too."""
    return applications.exclude(status=Application.Status.DRAFT)


# --- Assessment and decisions ----------------------------------------------------------------


DECIDING_PERMISSIONS = ("grants.change_application", "grants.view_assessment")


def may_decide(user) -> bool:
    """Coordinators (and superusers) rank, decide, publish and export; an assessor never does,
    even on their own round."""
    return acts_as_staff(user) and user.has_perms(DECIDING_PERMISSIONS)


def require_deciding(user) -> None:
    """PermissionDenied unless `user` may decide: the ranking, the exports, publishing and the
    decision page show every assessor's scores and change what applicants are told."""
    if not may_decide(user):
        raise PermissionDenied


def sees_all_assessments(user) -> bool:
    """Coordinators and superusers read every assessment in the admin; anyone else with the
    admin's assessment permissions (an assessor) reaches only their own, through the assessing
    pages."""
    return is_coordinator(user) and user.has_perm("grants.view_assessment")


def assessments_for_staff(user, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments `user` reaches in the admin: every one for coordinators, their own for
    an assessor."""
    if sees_all_assessments(user):
        return assessments
    return assessments.filter(assessor=user)


def may_assess(*, user, grant_round: GrantRound, now: datetime | None = None) -> bool:
    """Scores can be given while the round is in assessment, after its deadline, by its
    assigned assessors only."""
    now = now or timezone.now()
    return (
        grant_round.status == GrantRound.Status.ASSESSMENT
        and grant_round.closes_at <= now
        and grant_round.assessors.filter(pk=user.pk).exists()
    )


def can_view_as_assessor(user, application: Application, *, now: datetime | None = None) -> bool:
    """An assigned assessor reads a competing application of their round once the round has
    closed and is in assessment or later; never before the deadline, never a draft."""
    if not acts_as_staff(user):
        return False
    if application.status not in Application.COMPETING:
        return False
    return (
        selectors.assigned_rounds(user=user, now=now or timezone.now())
        .filter(pk=application.round_id)
        .exists()
    )


def access_application_as_assessor(user, pk: int) -> Application:
    """The application (with its round) an assessor opens to score: "not found" to anyone who
    may not read it as an assessor."""
    application = Application.objects.select_related("round").filter(pk=pk).first()
    if application is None or not can_view_as_assessor(user, application):
        raise Http404
    return application
