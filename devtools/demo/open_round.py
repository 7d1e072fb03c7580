"""Next year's small-initiative round, open for applications, and the demo activist's draft."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from communities.models import Community, TargetGroup
from grants.models import Application, BudgetLine, Criterion, GrantRound

from .common import DEMO_MARK
from .people import DEMO_ASSESSORS

# The demo round's criteria: title, maximum points, weight.
DEMO_CRITERIA = [
    ("Kopienas vajadzību pamatojums", 10, Decimal("1.5")),
    ("Mazāk aktīvo iedzīvotāju iesaiste", 10, Decimal("2")),
    ("Sadarbība ar partneriem", 10, Decimal("1")),
    ("Ilgtspēja pēc projekta beigām", 10, Decimal("1")),
    ("Budžeta pamatotība", 10, Decimal("1")),
]


def make_open_round(users) -> GrantRound:
    """An open round to apply to, and the demo activist's draft in it; a round that exists
    already (by its address) is left as it is."""
    today = timezone.localdate()
    riga = timezone.get_current_timezone()
    year = today.year + 1
    grant_round, created = GrantRound.objects.get_or_create(
        slug=f"mazo-iniciativu-konkurss-{year}",
        defaults={
            "title": f"Mazo iniciatīvu konkurss {year}",
            "year": year,
            "summary": "Atbalsts kopienu iniciatīvām, kas iesaista mazāk aktīvos. " + DEMO_MARK,
            "description": (
                "Konkurss atbalsta Latgales kopienu mazās iniciatīvas: idejas, ko kopiena "
                "pati izdomā un īsteno kopā ar kaimiņiem, skolu, pašvaldību vai uzņēmējiem. "
                "Īpaši gaidītas iniciatīvas, kas iesaista jauniešus, vīriešus pēc 35 gadiem, "
                "mazākumtautības un ģimenes ar bērniem. " + DEMO_MARK
            ),
            "rules": (
                "Pieteikumu iesniedz kopienas aktīvists vai līderis kopienas vārdā.\n"
                "Prasītā summa nepārsniedz lielāko pieļaujamo atbalstu.\n"
                "Iniciatīvu īsteno konkursā noteiktajā laikā. " + DEMO_MARK
            ),
            "opens_at": datetime.combine(today - timedelta(days=10), time(9), riga),
            "closes_at": datetime.combine(today + timedelta(days=30), time(23, 59, 59), riga),
            "implementation_starts": date(year, 3, 1),
            "implementation_ends": date(year, 10, 31),
            "total_budget": Decimal("15000.00"),
            "max_grant": Decimal("1500.00"),
            "status": GrantRound.Status.OPEN,
            "reference_code": f"DK-{year}",
        },
    )
    if not created:
        return grant_round
    grant_round.target_groups.set(TargetGroup.objects.all())
    grant_round.assessors.set(users[email] for email in DEMO_ASSESSORS)
    Criterion.objects.bulk_create(
        Criterion(round=grant_round, title=title, max_points=points, weight=weight, order=n)
        for n, (title, points, weight) in enumerate(DEMO_CRITERIA)
    )
    preili = Community.objects.filter(slug="preili").first()
    if preili:
        draft = Application.objects.create(
            round=grant_round,
            applicant=users["aktiviste@example.lv"],
            community=preili,
            title="Kopienas dārzs pie bibliotēkas",
            summary="Iekopsim dārzu, kur satikties visām paaudzēm. " + DEMO_MARK,
        )
        BudgetLine.objects.create(
            application=draft,
            item="Stādi un sēklas",
            category=BudgetLine.Category.MATERIALS,
            quantity=Decimal(30),
            unit_price=Decimal("12.50"),
        )
    return grant_round
