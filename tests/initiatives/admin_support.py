"""Initiatives for the coordinators' tests (admin, export, reminders), made through the
services: a funded one with a two-line budget, planned target groups and model elements, and
its report filled in with known values.

"Ezera krasta sakopšana" of the community "Ezerkrastu kopiena", round DK-2025: budget lines
"Stādi" 600,00 € of grant money (650,00 € with 50,00 € own contribution) and "Soliņi"
400,00 €, awarded 1 000,00 €, 30 participants expected; planned groups "Neredzamie jaunieši"
and "Vīrieši 35+", elements "Kopienas talka" and "Līderu skola". The report: "Stādi" 550,00 €
spent, "Soliņi" 430,00 € (980,00 € in all, 20,00 € less than planned); 45 participants, 10
volunteers; reach "Vīrieši 35+" 12 and "Ģimenes ar bērniem" 8; own contribution 60,00 €;
elements "Kopienas talka" and "Kopienas svētki"; institutions "Preiļu novada dome" and
"Ezerkrastu pamatskola".
"""

from decimal import Decimal

from django.utils import timezone

from grants.models import Application, GrantRound
from initiatives.models import Initiative
from initiatives.services import lifecycle, reports
from tests.factories import (
    CommunityFactory,
    ModelElementFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.factories.grants import BudgetLineFactory, closed_round, submitted_application


def review_url(initiative) -> str:
    return f"/admin/initiatives/initiative/{initiative.pk}/atskaite/"


def decision_url(initiative, part: str) -> str:
    return f"/admin/initiatives/initiative/{initiative.pk}/{part}/"


def grant_round(**kwargs):
    defaults = {"reference_code": "DK-2025", "year": 2025, "title": "Mazo iniciatīvu konkurss 2025"}
    return closed_round(status=GrantRound.Status.RESULTS, **{**defaults, **kwargs})


def groups_and_elements() -> dict:
    return {
        "youth": TargetGroupFactory(slug="jauniesi", title="Neredzamie jaunieši", order=1),
        "men": TargetGroupFactory(slug="virieši", title="Vīrieši 35+", order=2),
        "families": TargetGroupFactory(slug="gimenes", title="Ģimenes ar bērniem", order=3),
        "talka": ModelElementFactory(slug="talka", title="Kopienas talka", order=1),
        "school": ModelElementFactory(slug="skola", title="Līderu skola", order=2),
        "festival": ModelElementFactory(slug="svetki", title="Kopienas svētki", order=3),
    }


def funded(
    round_=None,
    *,
    title="Ezera krasta sakopšana",
    community=None,
    applicant=None,
    things=None,
    number=None,
) -> Initiative:
    """The funded initiative of the module docstring, status "supported", no report yet."""
    round_ = round_ or grant_round()
    things = things or groups_and_elements()
    community = community or CommunityFactory(name="Ezerkrastu kopiena")
    applicant = applicant or UserFactory(email=f"{title[:5].lower()}@example.lv")
    application = submitted_application(
        round_,
        number=number,
        requested=Decimal("600.00"),
        title=title,
        community=community,
        applicant=applicant,
        activities="Trīs talkas un stādīšana.",
        goals="Sakopts krasts un jauni koki.",
        expected_participants=30,
    )
    line = application.budget_lines.get()
    line.item, line.unit_price, line.own_contribution = "Stādi", Decimal("650.00"), Decimal("50.00")
    line.order = 0
    line.save()
    BudgetLineFactory(
        application=application,
        item="Soliņi",
        quantity=Decimal(1),
        unit_price=Decimal("400.00"),
        own_contribution=Decimal(0),
        order=1,
    )
    application.target_groups.set([things["youth"], things["men"]])
    application.model_elements.set([things["talka"], things["school"]])
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.DECIDED,
        decision=Application.Decision.SUPPORTED,
        notified_decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1000.00"),
        notified_at=timezone.now(),
    )
    application.refresh_from_db()
    return lifecycle.follow_decision(application=application, supported=True)


def write_report(initiative, *, things, actor=None, **fields):
    """The report of the module docstring, saved (not submitted)."""
    report = reports.start_report(initiative=initiative)
    spending = {row.item: row.pk for row in report.spending.all()}
    result = reports.save_report(
        report=report,
        actor=actor,
        version=None,
        changes=reports.ReportChanges(
            fields={
                "activities_done": "Divas talkas, iestādīti 20 koki.",
                "results": "Krasts sakopts.",
                "next_steps": "Rudenī vēl viena talka.",
                "story": "Visi kopā sakopām krastu.",
                "participants": 45,
                "volunteers": 10,
                "own_contribution": Decimal("60.00"),
                **fields,
            },
            spending={spending["Stādi"]: Decimal("550.00"), spending["Soliņi"]: Decimal("430.00")},
            reach={things["men"].pk: 12, things["families"].pk: 8},
            model_elements=[things["talka"].pk, things["festival"].pk],
            institutions=["Preiļu novada dome", "Ezerkrastu pamatskola"],
        ),
    )
    assert result.errors == {}, result.errors
    return result.report


def submitted(initiative, *, things, actor=None, **fields):
    report = write_report(initiative, things=things, actor=actor, **fields)
    reports.submit_report(report=report, actor=actor)
    initiative.refresh_from_db()
    return initiative
