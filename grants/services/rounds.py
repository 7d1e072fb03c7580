"""A round's set-up: moving it from one status to the next, and copying it for next year.

The statuses, their named sets and the way through them are GrantRound's (CLOSED, DECIDING,
STATUS_CHANGES); this module is the one writer of a status change by hand. Results are
published by grants.services.decisions.publish_results, never here.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.selectors import language_of
from core import mail, outbox
from core.formats import riga

from .. import selectors
from ..models import Assessment, AssessmentInvitation, Criterion, GrantRound, HistoryEntry
from .history import record_history


class StatusChangeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def status_change_refusal(*, was: str, status: str) -> str | None:
    """Why a round may not be moved by hand from status `was` to `status`, in the interface
    language, or None when it may."""
    results = GrantRound.Status.RESULTS
    if status == results and was != results:
        return _("Rezultātus publicē reitinga lapā ar pogu „Publicēt rezultātus”.")
    if was == results and status != results:
        return _("Rezultāti jau ir publicēti: konkursa statusu vairs mainīt nevar.")
    allowed = GrantRound.STATUS_CHANGES[was]
    if status not in allowed:
        # Scores already stored were computed on the round's criteria as they stood when
        # assessment began: reopening the round would let them change under the scores.
        return _("Statusu „%(was)s” var mainīt tikai uz: %(allowed)s.") % {
            "was": GrantRound.Status(was).label,
            "allowed": ", ".join(
                f"„{GrantRound.Status(choice).label}”" for choice in allowed if choice != was
            ),
        }
    return None


def change_round_status(*, grant_round: GrantRound, status: str, actor) -> GrantRound:
    """Move a round to `status` by hand, as GrantRound.STATUS_CHANGES allows and not into
    assessment before its deadline, and record the change in the round's history. Raises
    StatusChangeRefused; the same status again changes nothing."""
    with transaction.atomic():
        locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        was = locked.status
        refusal = status_change_refusal(was=was, status=status)
        if refusal:
            raise StatusChangeRefused(refusal)
        if status == was:
            return locked
        locked.status = status
        try:
            locked.validate_status()
        except ValidationError as error:
            raise StatusChangeRefused(" ".join(error.messages)) from None
        locked.save(update_fields=["status", "updated_at"])
        if was == GrantRound.Status.ASSESSMENT:
            store_unopened_conflicts(grant_round=locked)
        if status == GrantRound.Status.ASSESSMENT:
            # By the worker after commit, so the assessors saved with the same admin form (its
            # many-to-many field is saved after the round) are told too.
            outbox.later(invite_assessors, round_pk=locked.pk)
        record_history(
            HistoryEntry.Action.STATUS,
            actor=actor,
            grant_round=locked,
            before={"status": was},
            after={"status": status},
        )
    return locked


def store_unopened_conflicts(*, grant_round: GrantRound) -> int:
    """When assessment ends: every conflict of interest the platform finds for an assessor who
    never opened the application is stored as that assessor's (empty) assessment, so the
    round's figures rest on stored rows only and a later membership changes none of them.
    Returns how many were stored."""
    found = selectors.auto_conflicts(grant_round=grant_round)
    opened = set(
        Assessment.objects.filter(application__round=grant_round).values_list(
            "assessor_id", "application_id"
        )
    )
    created = Assessment.objects.bulk_create(
        Assessment(application_id=application_pk, assessor_id=assessor_pk, auto_conflict=reason)
        for (assessor_pk, application_pk), reason in sorted(found.items())
        if (assessor_pk, application_pk) not in opened
    )
    return len(created)


@outbox.fan_out
def invite_assessors(*, round_pk: int) -> int:
    """Tell each assessor of a round in assessment that it is open for them: one mail per round
    and assessor (AssessmentInvitation), in the assessor's language, queued in the outbox with
    the invitation. Runs in the worker after the status change has committed, and never undoes
    it. Returns how many were told."""
    grant_round = GrantRound.objects.filter(pk=round_pk).first()
    if grant_round is None or grant_round.status != GrantRound.Status.ASSESSMENT:
        return 0
    told = set(grant_round.assessment_invitations.values_list("assessor_id", flat=True))
    context = {
        "round": grant_round,
        "url": mail.absolute(reverse("admin:grants_assessment_changelist")),
    }
    sent = 0
    for assessor in grant_round.assessors.filter(is_active=True).exclude(pk__in=told):
        if not assessor.email:
            continue
        with transaction.atomic():
            _invitation, created = AssessmentInvitation.objects.get_or_create(
                round=grant_round, assessor=assessor
            )
            if created:
                mail.queue(
                    "grants/mail/assessment_open",
                    to=assessor.email,
                    context={**context, "assessor": assessor},
                    language=language_of(assessor),
                    cause=f"round:{grant_round.pk}:assessment_open",
                )
                sent += 1
    return sent


def copy_round(*, grant_round: GrantRound, actor) -> GrantRound:
    """Next year's round from this one: same texts, criteria, budget and target groups, dates a
    year later, in preparation (draft), with no applications or assessors."""
    year = grant_round.year + 1

    def later(moment):
        if isinstance(moment, datetime):
            # A year later on Riga's clock: in UTC a deadline near a summer-time change would
            # move by an hour (23:59 becoming 00:59 of the next day).
            moment = riga(moment)
        try:
            return moment.replace(year=moment.year + 1)
        except ValueError:  # 29 February
            return moment.replace(year=moment.year + 1, day=28)

    def free(field_name: str, base: str, limit: int) -> str:
        candidate, n = base[:limit], 1
        while GrantRound.objects.filter(**{field_name: candidate}).exists():
            n += 1
            suffix = f"-{n}"
            candidate = base[: limit - len(suffix)] + suffix
        return candidate

    with transaction.atomic():
        copy = GrantRound.objects.create(
            slug=free("slug", slugify(f"{grant_round.title} {year}"), 80),
            title=_("%(title)s (kopija)") % {"title": grant_round.title},
            year=year,
            summary=grant_round.summary,
            description=grant_round.description,
            rules=grant_round.rules,
            opens_at=later(grant_round.opens_at),
            closes_at=later(grant_round.closes_at),
            implementation_starts=later(grant_round.implementation_starts),
            implementation_ends=later(grant_round.implementation_ends),
            total_budget=grant_round.total_budget,
            max_grant=grant_round.max_grant,
            disagreement_threshold=grant_round.disagreement_threshold,
            reference_code=free("reference_code", f"DK-{year}", 20),
        )
        copy.target_groups.set(grant_round.target_groups.all())
        Criterion.objects.bulk_create(
            Criterion(
                round=copy,
                title=criterion.title,
                guidance=criterion.guidance,
                max_points=criterion.max_points,
                weight=criterion.weight,
                order=criterion.order,
                comment_required=criterion.comment_required,
            )
            for criterion in grant_round.criteria.all()
        )
    return copy
