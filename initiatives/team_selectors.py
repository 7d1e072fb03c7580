"""Reads for the team's pages of an initiative (its report, its progress, the person's list on
/mans/): each a fixed number of queries however many rows there are."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from communities.models import Community, Membership, TargetGroup
from communities.selectors import model_elements, target_groups

from .models import FinalReport, Initiative, Milestone


@dataclass
class ReportPage:
    """A report with everything its page shows, read once."""

    report: FinalReport
    spending: list = field(default_factory=list)
    reach: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    elements: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    all_elements: QuerySet | None = None
    all_groups: list = field(default_factory=list)

    @property
    def planned_total(self) -> Decimal:
        return sum((row.planned for row in self.spending), Decimal(0))

    @property
    def spent_total(self) -> Decimal:
        return sum((row.spent for row in self.spending if row.spent is not None), Decimal(0))

    @property
    def difference_total(self) -> Decimal:
        return self.spent_total - self.planned_total

    @property
    def reach_rows(self) -> list[tuple[TargetGroup, int | None]]:
        """Every target group in its order (the less active first), with the count reported."""
        counts = {row.target_group_id: row.count for row in self.reach}
        return [(group, counts.get(group.pk)) for group in self.all_groups]


def report_page(report: FinalReport) -> ReportPage:
    return ReportPage(
        report=report,
        spending=list(report.spending.all()),
        reach=list(report.reach.all()),
        institutions=list(report.institutions.all()),
        elements=list(report.model_elements.all()),
        receipts=list(report.receipts.all()),
        photos=list(report.photos.all()),
        all_elements=model_elements(),
        all_groups=list(target_groups()),
    )


@dataclass
class Plan:
    """What the application planned, shown beside what was done."""

    activities: str = ""
    goals: str = ""
    expected_participants: int | None = None
    target_groups: list = field(default_factory=list)
    awarded: Decimal | None = None
    own_planned: Decimal = Decimal(0)
    reference: str = ""


def plan_of(initiative: Initiative) -> Plan | None:
    if not initiative.application_id:
        return None
    application = initiative.application
    return Plan(
        activities=application.activities,
        goals=application.goals,
        expected_participants=application.expected_participants,
        target_groups=list(application.target_groups.all()),
        awarded=application.awarded_amount,
        own_planned=sum(
            (line.own_contribution for line in application.budget_lines.all()), Decimal(0)
        ),
        reference=application.reference or "",
    )


def milestones_of(initiative: Initiative) -> list[Milestone]:
    return list(initiative.milestones.all())


def communities_led_by(*, user) -> QuerySet[Community]:
    """The communities a person leads: those they may record an initiative for."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        memberships__user=user,
        memberships__role=Membership.Role.LEADER,
        memberships__status=Membership.Status.ACTIVE,
    ).order_by("sort_name", "pk")


def initiatives_of(*, user) -> QuerySet[Initiative]:
    """The initiatives whose team the person is on (DESIGN: the applicant, the leader who
    recorded it, the community's active leaders), for /mans/, newest first."""
    led = Membership.objects.filter(
        user=user, role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
    ).values("community_id")
    # Each way onto the team through its own index, joined by UNION: as one WHERE with OR,
    # the database read every initiative and application (13 ms on the national-scale data).
    mine = (
        Initiative.objects.filter(application__applicant=user)
        .values("pk")
        .union(
            Initiative.objects.filter(recorded_by=user).values("pk"),
            Initiative.objects.filter(community__in=led).values("pk"),
        )
    )
    return (
        Initiative.objects.filter(pk__in=mine)
        .exclude(status=Initiative.Status.CANCELLED)
        .select_related("community")
        .order_by("-year", "title", "pk")
    )


def just_recorded(
    *, user, community, title: str, year: int, within_minutes: int = 10, **_ignored
) -> Initiative | None:
    """The initiative this person recorded a moment ago with the same community, title and
    year: what a double click or a resent form of the record page finds instead of a twin."""
    since = timezone.now() - datetime.timedelta(minutes=within_minutes)
    return (
        Initiative.objects.filter(
            recorded_by=user, community=community, title=title, year=year, created_at__gte=since
        )
        .order_by("-pk")
        .first()
    )


__all__ = [
    "Plan",
    "ReportPage",
    "communities_led_by",
    "initiatives_of",
    "just_recorded",
    "milestones_of",
    "plan_of",
    "report_page",
]
