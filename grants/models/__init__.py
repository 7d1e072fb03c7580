"""The grant area's models, one module per concern: `rounds` (GrantRound, Criterion),
`applications` (Application with its budget lines, attachments and revisions), `assessment`
(Assessment, Score), `history` (HistoryEntry) and `amounts` (how euro amounts are kept). Every
name is re-exported here: code and migrations write grants.models.<name>."""

from .amounts import MONEY, ZERO
from .applications import (
    DRAFT_KEY_SHAPE,
    Application,
    ApplicationQuerySet,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    new_draft_key,
    private_storage,
)
from .assessment import Assessment, AssessmentInvitation, Score
from .history import HistoryEntry
from .rounds import Criterion, GrantRound

__all__ = [
    "DRAFT_KEY_SHAPE",
    "MONEY",
    "ZERO",
    "Application",
    "ApplicationQuerySet",
    "ApplicationRevision",
    "Assessment",
    "AssessmentInvitation",
    "Attachment",
    "BudgetLine",
    "Criterion",
    "GrantRound",
    "HistoryEntry",
    "Score",
    "new_draft_key",
    "private_storage",
]
