"""Decisions and results: recording a decision, publishing a round's results and telling the
applicants whose decision changed since.

Locks: the application rows first (by pk), then the round row, as everywhere in grants.services.
Every award is checked against the round's budget with the round row locked, so two
coordinators saving at once cannot award more than the budget between them.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import mail, outbox
from core.formats import CENT, money

from .. import selectors
from ..models import Application, GrantRound, HistoryEntry
from .history import record_history
from .validation import NON_FIELD


class DecisionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _decision_state(application: Application) -> dict:
    return {
        "decision": application.decision,
        "awarded_amount": (
            str(application.awarded_amount) if application.awarded_amount is not None else None
        ),
        "decision_message": application.decision_message,
    }


def record_decision(
    *,
    application: Application,
    actor,
    decision: str,
    awarded_amount: Decimal | None,
    message: str,
) -> Application:
    """Record (or change, or clear with "") a decision. Internal until results are published;
    after publication the applicant is told only by an explicit re-notification."""
    message = (message or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in ("", *Application.Decision.values):
        errors["decision"] = [_("Izvēlieties lēmumu no saraksta.")]
    if decision != Application.Decision.SUPPORTED:
        awarded_amount = None
    elif awarded_amount is None:
        errors["awarded_amount"] = [_("Norādiet piešķirto summu.")]
    elif awarded_amount <= 0:
        errors["awarded_amount"] = [_("Piešķirtajai summai jābūt lielākai par 0 €.")]
    else:
        # In cents, as stored: 1000 and 1000.00 are one amount, so re-saving an unchanged
        # decision leaves no history entry and history shows what the database holds.
        awarded_amount = Decimal(awarded_amount).quantize(CENT)
    if len(message) > 4000:
        errors["decision_message"] = [_("Ziņa nedrīkst būt garāka par 4000 rakstzīmēm.")]
    if errors:
        raise DecisionInvalid(errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
        application.round = grant_round
        if grant_round.status not in GrantRound.DECIDING:
            raise DecisionInvalid(
                {NON_FIELD: [_("Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā.")]}
            )
        if application.status not in Application.COMPETING:
            raise DecisionInvalid({NON_FIELD: [_("Šis pieteikums konkursā nepiedalās.")]})
        if awarded_amount is not None:
            ceiling = selectors.award_ceiling(application=application, grant_round=grant_round)
            if awarded_amount > ceiling.requested:
                errors["awarded_amount"] = [
                    _("Piešķirtā summa nedrīkst pārsniegt prasīto (%(requested)s).")
                    % {"requested": money(ceiling.requested)}
                ]
            elif awarded_amount > ceiling.max_grant:
                errors["awarded_amount"] = [
                    _("Piešķirtā summa nedrīkst pārsniegt lielāko atbalstu (%(max)s).")
                    % {"max": money(ceiling.max_grant)}
                ]
            elif awarded_amount > ceiling.remaining:
                errors["awarded_amount"] = [
                    _("Konkursa budžetā atlikuši %(remaining)s: tik lielu summu piešķirt nevar.")
                    % {"remaining": money(max(ceiling.remaining, Decimal(0)))}
                ]
            if errors:
                raise DecisionInvalid(errors)
        before = _decision_state(application)
        application.decision = decision
        application.awarded_amount = awarded_amount
        application.decision_message = message
        after = _decision_state(application)
        if before != after:
            application.save(
                update_fields=["decision", "awarded_amount", "decision_message", "updated_at"]
            )
            record_history(
                HistoryEntry.Action.DECISION,
                actor=actor,
                application=application,
                before=before,
                after=after,
            )
    return application


class PublishRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def publish_results(*, grant_round: GrantRound, actor) -> int:
    """Publish a round's results: every applicant not yet told gets exactly one mail with the
    decision, and the results page opens. Returns how many were told; publishing again tells
    nobody twice."""
    with transaction.atomic():
        applications = list(
            selectors.competing_applications(grant_round=grant_round)
            .select_for_update()
            .order_by("pk")
        )
        grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if grant_round.status not in GrantRound.DECIDING:
            raise PublishRefused(
                _("Rezultātus var publicēt, kad konkurss ir lēmumu pieņemšanas posmā.")
            )
        _refuse_undecided(applications)
        now = timezone.now()
        first = grant_round.status != GrantRound.Status.RESULTS
        if first:
            grant_round.status = GrantRound.Status.RESULTS
            grant_round.results_published_at = now
            grant_round.save(update_fields=["status", "results_published_at", "updated_at"])
            record_history(
                HistoryEntry.Action.PUBLISHED,
                actor=actor,
                grant_round=grant_round,
                before={"status": GrantRound.Status.DECISIONS},
                after={"status": GrantRound.Status.RESULTS},
            )
        told = _notify(
            [a for a in applications if a.notified_at is None], actor=actor, now=now, changed=False
        )
    return told


def renotify(*, grant_round: GrantRound, actor) -> int:
    """Tell the applicants whose decision changed after they were told, and only them."""
    with transaction.atomic():
        pending = list(
            selectors.pending_notifications(grant_round=grant_round)
            .select_for_update()
            .order_by("pk")
        )
        grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if grant_round.status != GrantRound.Status.RESULTS:
            raise PublishRefused(_("Rezultāti vēl nav publicēti."))
        # A decision cleared after publication has nothing to tell: decide it first.
        _refuse_undecided(pending)
        return _notify(pending, actor=actor, now=timezone.now(), changed=True)


def _refuse_undecided(applications: list[Application]) -> None:
    undecided = [application for application in applications if not application.decision]
    if undecided:
        raise PublishRefused(
            ngettext(
                "%(count)s pieteikumam vēl nav lēmuma: %(references)s.",
                "%(count)s pieteikumiem vēl nav lēmuma: %(references)s.",
                len(undecided),
            )
            % {
                "count": len(undecided),
                "references": ", ".join(a.reference for a in undecided[:10])
                + ("…" if len(undecided) > 10 else ""),
            }
        )


def _notify(applications: list[Application], *, actor, now, changed: bool) -> int:
    for application in applications:
        before = {
            "decision": application.notified_decision,
            "awarded_amount": (
                str(application.notified_amount)
                if application.notified_amount is not None
                else None
            ),
            "decision_message": application.notified_message,
        }
        application.notified_decision = application.decision
        application.notified_amount = application.awarded_amount
        application.notified_message = application.decision_message
        application.notified_at = now
        application.status = Application.Status.DECIDED
        application.save(
            update_fields=[
                "notified_decision",
                "notified_amount",
                "notified_message",
                "notified_at",
                "status",
                "updated_at",
            ]
        )
        record_history(
            HistoryEntry.Action.NOTIFIED,
            actor=actor,
            application=application,
            before=before,
            after=_decision_state(application),
        )
        for follow in _decision_followers():
            follow(
                application=application,
                supported=application.notified_decision == Application.Decision.SUPPORTED,
            )
    if applications:
        # The mails are written by one task in the worker, not rendered in this request (a
        # round may have a thousand applicants); it is enqueued in this transaction, so the
        # decisions and the promise to tell them commit together.
        outbox.later(
            send_decisions,
            application_pks=[application.pk for application in applications],
            changed=changed,
            told_at=now.isoformat(),
        )
    return len(applications)


def _decision_followers() -> list:
    """What else happens when an applicant is told a decision: settings.GRANT_DECISION_FOLLOWERS
    names the functions (`initiatives` starts a supported idea's initiative). Named in the
    project's settings because apps to the right of grants may not be imported from here
    (DESIGN §3)."""
    return [import_string(path) for path in settings.GRANT_DECISION_FOLLOWERS]


@outbox.fan_out
def send_decisions(*, application_pks: list[int], changed: bool, told_at: str) -> int:
    """Queue the decision mail of each application told at `told_at` (one outbox row each,
    idempotent, so a fan-out that runs again writes nothing twice). An application told again
    since is left to that later telling's own fan-out (the demo data dates the telling back,
    hence "later", not "other"). Returns how many were queued."""
    told = datetime.fromisoformat(told_at)
    applications = (
        Application.objects.select_related("round", "community", "applicant")
        .filter(pk__in=application_pks, notified_at__isnull=False)
        .exclude(notified_at__gt=told)
        .order_by("pk")
    )
    queued = 0
    for application in applications:
        if application.applicant is None or not application.applicant.email:
            continue
        _mail_decision(
            application, changed=changed, cause=f"application:{application.pk}:decision:{told_at}"
        )
        queued += 1
    return queued


def _mail_decision(application: Application, *, changed: bool, cause: str) -> None:
    context = {
        "application": application,
        "changed": changed,
        "url": mail.absolute(application.get_absolute_url()),
        "results_url": mail.absolute(
            reverse("grants:round_results", kwargs={"slug": application.round.slug})
        ),
    }
    # The applicants' mail is Latvian: the round is run in Latvian (issue 4).
    mail.queue(
        "grants/mail/decision",
        to=application.applicant.email,
        context=context,
        language="lv",
        cause=cause,
    )
