"""Every write to grant rounds and applications (DESIGN §3): keyword-only functions that
validate, save inside a transaction and queue their side effects for after the commit.

Split by concern: `applications` (drafts, submission, changes, withdrawal), `validation` (the
full check and the deadlines), `attachments` (uploads and their files), `assessment`,
`decisions` (decisions, publication, re-notification), `rounds` (set-up and status) and
`history` (revisions and the round's history). The public names are re-exported here, so
callers write `services.save_draft(...)` whatever module holds it.
"""

from .applications import (
    AlreadySubmitted,
    DraftKeyTaken,
    LineChange,
    SaveResult,
    SubmissionInvalid,
    VersionConflict,
    forget_applicant,
    save_draft,
    submit_application,
    update_submitted,
    withdraw_application,
)
from .assessment import (
    AssessmentInvalid,
    AssessmentRefused,
    StaleAssessment,
    declare_conflict,
    open_assessment,
    save_scores,
)
from .decisions import (
    DecisionInvalid,
    PublishRefused,
    publish_results,
    record_decision,
    renotify,
)
from .history import snapshot
from .rounds import (
    StatusChangeRefused,
    change_round_status,
    copy_round,
    status_change_refusal,
    store_unopened_conflicts,
)
from .validation import LINES, NON_FIELD, DeadlinePassed, submission_errors

__all__ = [
    "LINES",
    "NON_FIELD",
    "AlreadySubmitted",
    "AssessmentInvalid",
    "AssessmentRefused",
    "DeadlinePassed",
    "DecisionInvalid",
    "DraftKeyTaken",
    "LineChange",
    "PublishRefused",
    "SaveResult",
    "StaleAssessment",
    "StatusChangeRefused",
    "SubmissionInvalid",
    "VersionConflict",
    "change_round_status",
    "copy_round",
    "declare_conflict",
    "forget_applicant",
    "open_assessment",
    "publish_results",
    "record_decision",
    "renotify",
    "save_draft",
    "save_scores",
    "snapshot",
    "status_change_refusal",
    "store_unopened_conflicts",
    "submission_errors",
    "submit_application",
    "update_submitted",
    "withdraw_application",
]
