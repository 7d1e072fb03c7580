"""Who may see or change what in the grant area: the only place that decides it (DESIGN §3).

A person's own applications are theirs in every status; staff who may view applications
(coordinators, superusers) see submitted ones, never a draft. Anyone else gets "not found",
so the existence of someone else's application is not confirmed.
"""

from datetime import datetime

from django.utils import timezone

from .models import Application, GrantRound


def is_public_round(grant_round: GrantRound) -> bool:
    return grant_round.status != GrantRound.Status.DRAFT


def accepts_applications(grant_round: GrantRound, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        grant_round.status == GrantRound.Status.OPEN
        and grant_round.opens_at <= now < grant_round.closes_at
    )


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.pk


def is_grant_staff(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("grants.view_application")


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


def decision_is_public(grant_round: GrantRound) -> bool:
    return grant_round.status == GrantRound.Status.RESULTS
