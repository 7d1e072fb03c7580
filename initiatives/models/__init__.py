"""The initiatives' models, one module per concern: `initiatives` (Initiative, its milestones,
history, the institutions it involved and its published reach) and `reports` (the final report
with its spending, reach, receipts and photos). Every name is re-exported here."""

from .initiatives import (
    Initiative,
    InitiativeHistory,
    InitiativeReach,
    Institution,
    Milestone,
)
from .reports import FinalReport, ReportPhoto, ReportReach, ReportReceipt, ReportSpending

__all__ = [
    "FinalReport",
    "Initiative",
    "InitiativeHistory",
    "InitiativeReach",
    "Institution",
    "Milestone",
    "ReportPhoto",
    "ReportReach",
    "ReportReceipt",
    "ReportSpending",
]
