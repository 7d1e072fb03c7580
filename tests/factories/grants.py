"""factory_boy factories for the grant models, in correct Latvian (see tests/factories/__init__.py).

`GrantRoundFactory` makes an open round whose window holds "now"; `complete_application`
makes a draft that passes full validation, ready to submit.
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.db.models import Max
from django.utils import timezone

from communities.models import Membership
from grants.models import (
    Application,
    ApplicationRevision,
    Assessment,
    Attachment,
    BudgetLine,
    Criterion,
    GrantRound,
    Score,
)

from .accounts import UserFactory, verified_user
from .communities import CommunityFactory, MembershipFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


class GrantRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantRound
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"konkurss-{n}")
    title = factory.Sequence(lambda n: f"Mazo iniciatīvu konkurss nr. {n}")
    year = 2026
    summary = "Atbalsts kopienu iniciatīvām Latgalē."
    description = "Konkurss atbalsta vietējās iniciatīvas, kas iesaista mazāk aktīvos."
    rules = "Pieteikumus iesniedz tiešsaistē līdz termiņam."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    implementation_starts = date(2027, 1, 1)
    implementation_ends = date(2027, 6, 30)
    total_budget = Decimal("10000.00")
    max_grant = Decimal("1500.00")
    status = GrantRound.Status.OPEN
    reference_code = factory.Sequence(lambda n: f"DK-{2026 + n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(GrantRoundFactory)
    title = factory.Sequence(lambda n: f"Kritērijs nr. {n}")
    guidance = ""
    max_points = 10
    weight = Decimal("1.00")
    order = factory.Sequence(lambda n: n)


def activist(community=None, **kwargs):
    """A verified user with an active membership of `community` (a new one if not given)."""
    user = verified_user(**kwargs)
    MembershipFactory(
        user=user,
        community=community or CommunityFactory(),
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(GrantRoundFactory)
    applicant = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    title = "Kopienas dārzs pie skolas"
    status = Application.Status.DRAFT


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    item = factory.Sequence(lambda n: f"Stādi un sēklas nr. {n}")
    category = BudgetLine.Category.MATERIALS
    quantity = Decimal("10.00")
    unit_price = Decimal("12.50")
    own_contribution = Decimal("0.00")
    order = factory.Sequence(lambda n: n)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="pielikums.pdf", data=PDF_BYTES)
    original_name = "tāme.pdf"
    content_type = Attachment.Kind.PDF
    size = len(PDF_BYTES)


class ApplicationRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationRevision

    application = factory.SubFactory(ApplicationFactory)
    kind = ApplicationRevision.Kind.SUBMITTED
    version = 2
    snapshot = factory.LazyFunction(dict)


COMPLETE_FIELDS = {
    "title": "Kopienas dārzs pie skolas",
    "summary": "Iekārtosim dārzu, kurā strādās skolēni un seniori.",
    "needs": "Ciematā nav vietas, kur paaudzes satiekas.",
    "goals": "Satuvināt paaudzes un iesaistīt ģimenes ar bērniem.",
    "activities": "Talkas, stādīšana, rudens svētki.",
    "timeline": "Janvārī plānošana, pavasarī stādīšana, jūnijā svētki.",
    "partners": "Preiļu novada pašvaldība, Preiļu 1. pamatskola.",
    "expected_participants": 40,
    "starts_on": date(2027, 2, 1),
    "ends_on": date(2027, 6, 1),
}


def complete_application(**kwargs) -> Application:
    """A draft that passes full validation: every field and one budget line of 125,00 €."""
    application = ApplicationFactory(**{**COMPLETE_FIELDS, **kwargs})
    BudgetLineFactory(application=application)
    return application


# --- Assessment ------------------------------------------------------------------------------


def closed_round(*, status=GrantRound.Status.ASSESSMENT, criteria=(), assessors=(), **kwargs):
    """A round whose application window has passed, in `status` (assessment by default), with
    criteria given as (max_points, weight) pairs and the given assessors assigned."""
    now = timezone.now()
    grant_round = GrantRoundFactory(
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        status=status,
        **kwargs,
    )
    for order, (max_points, weight) in enumerate(criteria):
        CriterionFactory(
            round=grant_round,
            title=f"Kritērijs {order + 1}",
            max_points=max_points,
            weight=Decimal(weight),
            order=order,
        )
    grant_round.assessors.add(*assessors)
    return grant_round


def submitted_application(grant_round, *, number=None, requested=Decimal("1000.00"), **kwargs):
    """A submitted application with one budget line asking for `requested` euros."""
    if number is None:
        numbers = Application.objects.filter(round=grant_round, number__isnull=False)
        number = (numbers.aggregate(last=Max("number"))["last"] or 0) + 1
    application = ApplicationFactory(
        round=grant_round,
        status=Application.Status.SUBMITTED,
        number=number,
        reference=f"{grant_round.reference_code}-{number:03d}",
        submitted_at=grant_round.closes_at - timedelta(days=2),
        **{**COMPLETE_FIELDS, **kwargs},
    )
    BudgetLineFactory(
        application=application, quantity=Decimal(1), unit_price=requested, own_contribution=0
    )
    return application


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    application = factory.SubFactory(ApplicationFactory)
    assessor = factory.SubFactory(UserFactory)
    conflict = Assessment.Conflict.NONE


def submitted_assessment(application, assessor, points, *, comment="Pamatots vērtējums."):
    """An assessment submitted with `points` in criterion order, its total and the platform's
    conflict of interest stored as the service would store them on submission
    (grants.selectors.weighted_total, grants.selectors.auto_conflicts)."""
    from grants.selectors import auto_conflicts, weighted_total

    criteria = list(application.round.criteria.order_by("order", "pk"))
    found = auto_conflicts(grant_round=application.round, assessors=[assessor.pk])
    assessment = AssessmentFactory(
        application=application,
        assessor=assessor,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
        auto_conflict=found.get((assessor.pk, application.pk), ""),
    )
    for criterion, value in zip(criteria, points, strict=True):
        Score.objects.create(
            assessment=assessment, criterion=criterion, points=value, comment=comment
        )
    assessment.weighted_total = weighted_total(
        criteria=criteria, points={c.pk: v for c, v in zip(criteria, points, strict=True)}
    )
    assessment.save(update_fields=["weighted_total"])
    return assessment
