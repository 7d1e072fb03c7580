"""What a coordinator reads when reviewing a report: the application's plan beside what the
team reported, line by line, read in a fixed number of queries however long the report is."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..models import FinalReport, Initiative

# The report's texts beside the application's: (label, application field, report field).
TEXT_PAIRS = [
    (_("Aktivitātes"), "activities", "activities_done"),
    (_("Mērķi un rezultāti"), "goals", "results"),
]


@dataclass
class TextPair:
    label: str
    planned: str
    actual: str


@dataclass
class ReachRow:
    group: object
    planned: bool
    count: int | None


@dataclass
class ElementRow:
    element: object
    planned: bool
    practised: bool


@dataclass
class Review:
    initiative: Initiative
    application: object
    report: FinalReport | None
    texts: list[TextPair] = field(default_factory=list)
    reach: list[ReachRow] = field(default_factory=list)
    elements: list[ElementRow] = field(default_factory=list)
    spending: list = field(default_factory=list)
    planned_total: Decimal | None = None
    spent_total: Decimal | None = None
    difference_total: Decimal | None = None
    own_planned: Decimal | None = None
    institutions: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
    photos: list = field(default_factory=list)

    @property
    def award(self) -> Decimal | None:
        return self.application.awarded_amount if self.application else None


def initiative_for_review(pk) -> Initiative | None:
    return (
        Initiative.objects.select_related("community", "application__round", "recorded_by")
        .prefetch_related(
            "application__target_groups",
            "application__model_elements",
            "application__budget_lines",
        )
        .filter(pk=pk)
        .first()
    )


def review_of(initiative: Initiative) -> Review:
    """The initiative's report beside its application (an own initiative has only the report)."""
    application = initiative.application
    report = (
        FinalReport.objects.filter(initiative=initiative)
        .prefetch_related(
            "spending",
            "reach__target_group",
            "model_elements",
            "institutions",
            "receipts",
            "photos",
        )
        .first()
    )
    review = Review(initiative=initiative, application=application, report=report)
    for label, planned, actual in TEXT_PAIRS:
        review.texts.append(
            TextPair(
                label=label,
                planned=getattr(application, planned) if application else "",
                actual=getattr(report, actual) if report else "",
            )
        )
    planned_groups = list(application.target_groups.all()) if application else []
    reached = {row.target_group_id: row for row in report.reach.all()} if report else {}
    groups = {group.pk: group for group in planned_groups}
    groups.update({pk: row.target_group for pk, row in reached.items()})
    planned_pks = {group.pk for group in planned_groups}
    for group in sorted(groups.values(), key=lambda group: (group.order, group.pk)):
        row = reached.get(group.pk)
        review.reach.append(
            ReachRow(group=group, planned=group.pk in planned_pks, count=row.count if row else None)
        )
    planned_elements = list(application.model_elements.all()) if application else []
    practised = list(report.model_elements.all()) if report else []
    elements = {element.pk: element for element in [*planned_elements, *practised]}
    planned_pks = {element.pk for element in planned_elements}
    practised_pks = {element.pk for element in practised}
    for element in sorted(elements.values(), key=lambda element: (element.order, element.pk)):
        review.elements.append(
            ElementRow(
                element=element,
                planned=element.pk in planned_pks,
                practised=element.pk in practised_pks,
            )
        )
    if application:
        review.own_planned = sum(
            (line.own_contribution for line in application.budget_lines.all()), Decimal(0)
        )
    if report:
        review.spending = list(report.spending.all())
        review.planned_total = sum((row.planned for row in review.spending), Decimal(0))
        spent = [row.spent for row in review.spending if row.spent is not None]
        review.spent_total = sum(spent, Decimal(0))
        review.difference_total = review.spent_total - review.planned_total
        review.institutions = list(report.institutions.all())
        review.receipts = list(report.receipts.all())
        review.photos = list(report.photos.all())
    return review
