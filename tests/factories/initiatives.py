"""Initiatives for tests, made through the services wherever the services make them, so a
test's initiative is one the platform itself could have made.

`funded_initiative` starts one from a supported, published application (as grants' publication
does); `own_initiative` is one a community's leader records; `fill_report` writes a report that
passes the full check; `published_initiative` carries one all the way to publication.
"""

from decimal import Decimal

from django.utils import timezone

from communities.models import Membership
from grants.models import Application, GrantRound
from initiatives.models import Initiative
from initiatives.services import lifecycle, reports

from .accounts import verified_user
from .communities import CommunityFactory, MembershipFactory, ModelElementFactory
from .grants import closed_round, submitted_application

__all__ = [
    "fill_report",
    "funded_initiative",
    "leader_of",
    "own_initiative",
    "published_initiative",
]


def leader_of(community, **kwargs):
    """A verified user who is an active leader of `community`."""
    user = verified_user(**kwargs)
    MembershipFactory(
        user=user, community=community, role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
    )
    return user


def funded_initiative(
    *, awarded=Decimal("1000.00"), requested=Decimal("1000.00"), grant_round=None, **kwargs
) -> Initiative:
    """The initiative of a supported application whose decision has been published."""
    grant_round = grant_round or closed_round(status=GrantRound.Status.RESULTS)
    application = submitted_application(grant_round, requested=requested, **kwargs)
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.DECIDED,
        decision=Application.Decision.SUPPORTED,
        notified_decision=Application.Decision.SUPPORTED,
        awarded_amount=awarded,
        notified_at=timezone.now(),
    )
    application.refresh_from_db()
    return lifecycle.follow_decision(application=application, supported=True)


def own_initiative(*, community=None, leader=None, title="Talka pie ezera", year=None):
    """An initiative a community carried out on its own, recorded by its leader."""
    community = community or CommunityFactory()
    leader = leader or leader_of(community)
    return lifecycle.record_own_initiative(
        actor=leader,
        community=community,
        title=title,
        year=year or timezone.localdate().year,
        summary="Kopiena sakopa ezera krastu un uzstādīja soliņus.",
    )


def fill_report(initiative: Initiative, *, actor=None, participants=40, elements=None, **fields):
    """A report that passes the full check: every text, the counts, each budget line spent as
    planned, no own contribution, one model element."""
    report = reports.start_report(initiative=initiative)
    elements = elements or [ModelElementFactory()]
    result = reports.save_report(
        report=report,
        actor=actor,
        version=None,
        changes=reports.ReportChanges(
            fields={
                "activities_done": "Sarīkojām trīs talkas un vienu svētku pasākumu.",
                "results": "Sakopts krasts, uzstādīti četri soliņi.",
                "next_steps": "Rudenī stādīsim kokus.",
                "story": "Visa ciema stāsts par to, kā mēs sakopām ezera krastu.",
                "participants": participants,
                "volunteers": 12,
                "own_contribution": Decimal(0),
                **fields,
            },
            spending={row.pk: row.planned for row in report.spending.all()},
            model_elements=[element.pk for element in elements],
            institutions=["Preiļu novada dome", "Aglonas vidusskola"],
        ),
    )
    assert result.errors == {}, result.errors
    return result.report


def published_initiative(*, funded=True, actor=None, coordinator=None, **kwargs) -> Initiative:
    """An initiative carried all the way through: report written, submitted, accepted and
    published by the services."""
    initiative = funded_initiative(**kwargs) if funded else own_initiative(**kwargs)
    report = fill_report(initiative, actor=actor)
    reports.submit_report(report=report, actor=actor)
    reports.accept_report(initiative=initiative, actor=coordinator)
    reports.publish_initiative(initiative=initiative, actor=coordinator)
    initiative.refresh_from_db()
    return initiative
