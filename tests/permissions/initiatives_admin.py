"""Permission-matrix rows of the initiatives' admin (issue 12, coordinators' side); see
tests/test_permission_matrix.py.

A submitted report of the Preiļu leader's supported application in round "atskaites"
(DK-2019). The initiatives' list, change and review pages, the decisions and the round's export
are coordinators' (and superusers'): assessors and centre managers are refused, everyone else
goes to the admin login. The decisions are POST only: a GET answers 405 to those who may post.
"""

from decimal import Decimal

from communities.models import Community
from grants.models import GrantRound
from initiatives.models import Initiative
from initiatives.services import reports
from tests.factories import fill_report
from tests.factories.grants import closed_round
from tests.factories.initiatives import funded_initiative
from tests.permissions.roles import FORBIDDEN, NOT_ALLOWED, OK, admin_only

MATRIX: dict = {}

LIST = "/admin/initiatives/initiative/"
OVERDUE = LIST + "?nokavets=1"
BY_ROUND = LIST + "?konkurss={atskaites_round}"
CHANGE = LIST + "{atskaites_initiative}/change/"
HISTORY = LIST + "{atskaites_initiative}/history/"
REVIEW = LIST + "{atskaites_initiative}/atskaite/"
EXPORT = LIST + "eksports/{atskaites_round}/atskaites.xlsx"
INSTITUTIONS = "/admin/initiatives/institution/"


def coordinators(path: str, *, allowed=OK) -> dict:
    """Coordinators and superusers get `allowed`; assessors and centre managers 403."""
    return admin_only(
        path, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=allowed, superuser=allowed
    )


def _decision(part: str, name: str) -> tuple[str, list]:
    path = LIST + "{atskaites_initiative}/" + part + "/"
    return f"admin:initiatives_initiative_{name}", [(path, coordinators(path, allowed=NOT_ALLOWED))]


ADMIN_MATRIX = {
    "admin:initiatives_initiative_changelist": [
        (path, coordinators(path)) for path in (LIST, OVERDUE, BY_ROUND)
    ],
    "admin:initiatives_initiative_change": [(CHANGE, coordinators(CHANGE))],
    "admin:initiatives_initiative_history": [(HISTORY, coordinators(HISTORY))],
    # Added only through the services (a leader records, a decision starts): nobody adds here.
    "admin:initiatives_initiative_add": [
        (
            LIST + "add/",
            coordinators(LIST + "add/", allowed=FORBIDDEN),
        )
    ],
    "admin:initiatives_initiative_review": [(REVIEW, coordinators(REVIEW))],
    "admin:initiatives_initiative_export": [(EXPORT, coordinators(EXPORT))],
    "admin:initiatives_institution_changelist": [(INSTITUTIONS, coordinators(INSTITUTIONS))],
    **dict(
        _decision(part, name)
        for part, name in (
            ("atgriezt", "return"),
            ("pienemt", "accept"),
            ("publicet", "publish"),
            ("termins", "extend"),
            ("atcelt", "cancel"),
            ("posms", "milestone"),
        )
    ),
}


def setup(people) -> dict[str, object]:
    """Make the objects the paths above name; return their "{placeholder}" values."""
    grant_round = closed_round(
        slug="atskaites", reference_code="DK-2019", year=2019, status=GrantRound.Status.RESULTS
    )
    initiative = funded_initiative(
        grant_round=grant_round,
        applicant=people["leader"],
        community=Community.objects.get(slug="preili"),
        awarded=Decimal("900.00"),
        requested=Decimal("900.00"),
    )
    report = fill_report(initiative, actor=people["leader"])
    reports.submit_report(report=report, actor=people["leader"])
    assert Initiative.objects.get(pk=initiative.pk).status == Initiative.Status.SUBMITTED
    return {"atskaites_round": grant_round.pk, "atskaites_initiative": initiative.pk}
