"""The assessor's writes: opening an assessment, declaring a conflict of interest, saving and
submitting scores.

An assessor first declares whether they have a conflict of interest, then scores every
criterion and submits. The platform marks a conflict by itself (the assessor applied, or
belongs to the applicant's community); such an assessment is excluded from the figures and
cannot be scored. A submitted assessment is final: only then does its author see the others'.
Saves carry the version the form was opened with, so a stale form is refused, not applied.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, Assessment, Criterion, HistoryEntry, Score
from ..permissions import may_assess
from .history import record_history


class AssessmentRefused(Exception):
    """The assessment cannot be changed: not assigned, round not in assessment, a conflict, or
    already submitted. `message` says why, in the interface language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleAssessment(Exception):
    """The form was opened before the assessment's last save (another tab or a resent form)."""


class AssessmentInvalid(Exception):
    """Field errors, keyed `conflict`, `conflict_reason`, `points_<criterion pk>`,
    `comment_<criterion pk>` or NON_FIELD."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def open_assessment(*, application: Application, assessor) -> Assessment:
    """The assessor's assessment of an application, made on first opening. The platform's own
    conflict check is decided then (and again on each opening of a draft, and on submission):
    stored on the assessment, recorded in the history by nobody (the platform). A submitted
    assessment keeps what was decided: joining a community later never changes it, nor the
    figures published from it."""
    if not may_assess(user=assessor, grant_round=application.round):
        raise AssessmentRefused(_("Šo pieteikumu pašlaik nevar vērtēt."))
    if application.status not in Application.COMPETING:
        raise AssessmentRefused(_("Šis pieteikums konkursā nepiedalās."))
    reason = _platform_conflict(application, assessor)
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            application=application, assessor=assessor, defaults={"auto_conflict": reason}
        )
        if created and reason:
            record_history(
                HistoryEntry.Action.CONFLICT,
                actor=None,
                assessment=assessment,
                before={},
                after={"auto_conflict": reason},
            )
        elif reason and not assessment.auto_conflict:
            assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
            if assessment.status == Assessment.Status.DRAFT and not assessment.auto_conflict:
                _store_auto_conflict(assessment, reason)
    return assessment


def _platform_conflict(application: Application, assessor) -> str:
    return selectors.auto_conflicts(grant_round=application.round, assessors=[assessor.pk]).get(
        (assessor.pk, application.pk), ""
    )


def _store_auto_conflict(assessment: Assessment, reason: str) -> None:
    """A conflict found after opening is added to a draft; one found once is never cleared
    (leaving the community after opening the application does not make the assessor
    impartial). The caller holds the assessment's row lock."""
    assessment.auto_conflict = reason
    assessment.save(update_fields=["auto_conflict", "updated_at"])
    record_history(
        HistoryEntry.Action.CONFLICT,
        actor=None,
        assessment=assessment,
        before={"auto_conflict": ""},
        after={"auto_conflict": reason},
    )


def _locked_assessment(assessment: Assessment, *, actor, version: int | None) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("application__round")
        .get(pk=assessment.pk)
    )
    if assessment.assessor_id != actor.pk:
        raise AssessmentRefused(_("Šis nav jūsu vērtējums."))
    if not may_assess(user=actor, grant_round=assessment.application.round):
        raise AssessmentRefused(_("Konkursa vērtēšana ir slēgta."))
    if assessment.status == Assessment.Status.SUBMITTED:
        raise AssessmentRefused(_("Vērtējums jau ir iesniegts, un to vairs nevar mainīt."))
    if version is not None and version != assessment.version:
        raise StaleAssessment
    return assessment


def declare_conflict(
    *, assessment: Assessment, actor, conflict: str, reason: str, version: int | None
) -> Assessment:
    """Record the assessor's declaration. A declared conflict closes the assessment: it is
    excluded from the figures and cannot be scored."""
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if conflict not in (Assessment.Conflict.NONE, Assessment.Conflict.DECLARED):
        errors["conflict"] = [_("Norādiet, vai jums ir interešu konflikts.")]
    elif conflict == Assessment.Conflict.DECLARED and not reason:
        errors["conflict_reason"] = [_("Īsi aprakstiet interešu konfliktu.")]
    if len(reason) > 2000:
        errors["conflict_reason"] = [_("Apraksts nedrīkst būt garāks par 2000 rakstzīmēm.")]
    if errors:
        raise AssessmentInvalid(errors)
    with transaction.atomic():
        assessment = _locked_assessment(assessment, actor=actor, version=version)
        if assessment.conflict == Assessment.Conflict.DECLARED:
            # Final, like a submission: an assessor cannot step back in after seeing that
            # declaring would take them out.
            raise AssessmentRefused(
                _("Interešu konflikts jau ir deklarēts, tāpēc šo pieteikumu jūs nevērtējat.")
            )
        before = {"conflict": assessment.conflict, "reason": assessment.conflict_reason}
        assessment.conflict = conflict
        assessment.conflict_reason = reason if conflict == Assessment.Conflict.DECLARED else ""
        assessment.version += 1
        assessment.save()
        record_history(
            HistoryEntry.Action.CONFLICT,
            actor=actor,
            assessment=assessment,
            before=before,
            after={"conflict": assessment.conflict, "reason": assessment.conflict_reason},
        )
    return assessment


# Points as a person types them: digits, at most a sign and a ".0" (a spinner's "7.0"). Anything
# else, exponents ("1e300000"), "NaN" and "inf" included, is refused from its shape alone,
# before any conversion: turning such a string into a number can take seconds of CPU, and
# save_scores would hold the assessment's row lock meanwhile.
POINTS_SHAPE = re.compile(r"\A[+-]?[0-9]+(?:\.0*)?\Z")
POINTS_MAX_LENGTH = 20


def _points_value(raw) -> int | str | None:
    """The points as typed: an int, None when empty, or the error message. An int may still be
    out of range (save_scores checks it against the criterion)."""
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    if len(text) > POINTS_MAX_LENGTH or not POINTS_SHAPE.match(text):
        return _("Ievadiet veselu skaitli.")
    return int(text.split(".", 1)[0])


def save_scores(
    *,
    assessment: Assessment,
    actor,
    values: dict[int, tuple[object, str]],
    version: int | None,
    submit: bool = False,
) -> Assessment:
    """Save points and comments ({criterion pk: (points as typed, comment)}); with `submit`,
    check that everything is there and submit, storing the weighted total.

    Out-of-range points are refused even in a draft (nothing is saved then); missing points and
    comments are refused only on submission. Raises AssessmentInvalid, StaleAssessment or
    AssessmentRefused."""
    # Typed points are checked before the row is locked: the lock is held only for the save.
    typed = {pk: (_points_value(points), comment) for pk, (points, comment) in values.items()}
    if submit:
        # The platform's conflict check is decided again on submission, and stored: a conflict
        # found now refuses the submission (below), one begun later changes nothing.
        application = Application.objects.select_related("round").get(pk=assessment.application_id)
        reason = _platform_conflict(application, actor)
        if reason:
            with transaction.atomic():
                locked = _locked_assessment(assessment, actor=actor, version=version)
                if not locked.auto_conflict:
                    _store_auto_conflict(locked, reason)
    with transaction.atomic():
        assessment = _locked_assessment(assessment, actor=actor, version=version)
        if assessment.auto_conflict:
            raise AssessmentRefused(
                _(
                    "Platforma konstatēja interešu konfliktu (%(reason)s), tāpēc šo pieteikumu "
                    "jūs nevērtējat."
                )
                % {"reason": assessment.get_auto_conflict_display()}
            )
        if assessment.conflict != Assessment.Conflict.NONE:
            raise AssessmentRefused(
                _("Vispirms norādiet, vai jums ir interešu konflikts.")
                if assessment.conflict == Assessment.Conflict.UNDECLARED
                else _("Jūs deklarējāt interešu konfliktu, tāpēc šo pieteikumu nevērtējat.")
            )
        criteria = list(Criterion.objects.filter(round=assessment.application.round_id))
        if submit and not criteria:
            raise AssessmentRefused(
                _("Konkursam nav vērtēšanas kritēriju: vērtējumu nevar iesniegt.")
            )
        existing = {score.criterion_id: score for score in assessment.scores.all()}
        errors: dict[str, list[str]] = {}
        cleaned: dict[int, tuple[int | None, str]] = {}
        for criterion in criteria:
            points, raw_comment = typed.get(criterion.pk, (None, ""))
            comment = (raw_comment or "").strip()
            if isinstance(points, str):
                errors[f"points_{criterion.pk}"] = [points]
            elif points is not None and not 0 <= points <= criterion.max_points:
                errors[f"points_{criterion.pk}"] = [
                    _("Punktiem jābūt no 0 līdz %(max)s.") % {"max": criterion.max_points}
                ]
            elif submit and points is None:
                errors[f"points_{criterion.pk}"] = [_("Novērtējiet šo kritēriju.")]
            if len(comment) > 4000:
                errors[f"comment_{criterion.pk}"] = [
                    _("Komentārs nedrīkst būt garāks par 4000 rakstzīmēm.")
                ]
            elif submit and criterion.comment_required and not comment:
                errors[f"comment_{criterion.pk}"] = [_("Pamatojiet vērtējumu komentārā.")]
            cleaned[criterion.pk] = (points if not isinstance(points, str) else None, comment)
        if errors:
            raise AssessmentInvalid(errors)
        before = {str(pk): [score.points, score.comment] for pk, score in sorted(existing.items())}
        for criterion in criteria:
            points, comment = cleaned[criterion.pk]
            score = existing.get(criterion.pk)
            if score is None:
                if points is None and not comment:
                    continue
                existing[criterion.pk] = Score.objects.create(
                    assessment=assessment, criterion=criterion, points=points, comment=comment
                )
            elif (score.points, score.comment) != (points, comment):
                score.points, score.comment = points, comment
                score.save(update_fields=["points", "comment"])
        after = {str(pk): [score.points, score.comment] for pk, score in sorted(existing.items())}
        assessment.version += 1
        if submit:
            assessment.status = Assessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
            assessment.weighted_total = selectors.weighted_total(
                criteria=criteria, points={pk: cleaned[pk][0] for pk in cleaned}
            )
        assessment.save()
        if before != after:
            record_history(
                HistoryEntry.Action.SCORES,
                actor=actor,
                assessment=assessment,
                before=before,
                after=after,
            )
        if submit:
            record_history(
                HistoryEntry.Action.SUBMITTED,
                actor=actor,
                assessment=assessment,
                before={"status": Assessment.Status.DRAFT},
                after={
                    "status": Assessment.Status.SUBMITTED,
                    "weighted_total": str(assessment.weighted_total),
                },
            )
    return assessment
