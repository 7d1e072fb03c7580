"""Permission-matrix rows of the team's pages of an initiative: its report, its progress, its
receipts, and recording a community's own initiative (see tests/test_permission_matrix.py).

The report and its files exist only for the initiative's team (the applicant and the
community's active leaders: "leader" leads Preiļi, whose initiative this is) and for
coordinators with their second factor, who read it; everyone else is told "not found", never
"forbidden": an unpublished initiative is nobody else's business.
"""

from decimal import Decimal

from communities.models import Community
from initiatives.services import reports
from tests.factories import funded_initiative
from tests.initiatives.report_support import pdf
from tests.permissions.roles import FOUND, NOT_FOUND, OK, everyone, login

REPORT = "/iniciativas/{report_initiative}/atskaite/"
PROGRESS = "/iniciativas/{report_initiative}/gaita/"
RECEIPT = "/iniciativas/{report_initiative}/atskaite/datnes/{receipt}/"
OTHER_RECEIPT = "/iniciativas/{other_initiative}/atskaite/datnes/{receipt}/"
RECORD = "/iniciativas/jauna/"


def team_only(path: str, *, log_in: tuple | None = None) -> dict:
    return {
        **everyone(NOT_FOUND),
        "anonymous": log_in or login(path),
        "leader": OK,
        "coordinator": OK,
        "superuser": OK,
    }


MATRIX = {
    "initiatives:report": [
        (REPORT, team_only(REPORT)),
        # The English interface logs in under /en/ too.
        (
            "/en" + REPORT,
            team_only(REPORT, log_in=(FOUND, "/en" + login("/en" + REPORT)[1])),
        ),
        (
            "/iniciativas/nav-tadas/atskaite/",
            {**everyone(NOT_FOUND), "anonymous": login("/iniciativas/nav-tadas/atskaite/")},
        ),
    ],
    "initiatives:progress": [(PROGRESS, team_only(PROGRESS))],
    "initiatives:receipt": [
        (RECEIPT, team_only(RECEIPT)),
        # Another initiative's address does not reach this one's file.
        (OTHER_RECEIPT, {**everyone(NOT_FOUND), "anonymous": login(OTHER_RECEIPT)}),
    ],
    # Everyone signed in gets a page: the form for a community's leader, for everyone else
    # who may record one and how.
    "initiatives:record": [(RECORD, {**everyone(OK), "anonymous": login(RECORD)})],
}


def setup(people) -> dict[str, object]:
    """A funded initiative of the Preiļi community with a receipt in its report, and one of
    another community that the same paths must not reach."""
    preili = Community.objects.get(slug="preili")
    initiative = funded_initiative(community=preili, title="Preiļu dārzs")
    other = funded_initiative(community=Community.objects.get(slug="aglona"), title="Aglonas talka")
    report = reports.start_report(initiative=initiative)
    reports.save_report(
        report=report,
        actor=people["leader"],
        version=report.version,
        changes=reports.ReportChanges(receipts=[pdf()]),
    )
    assert initiative.application.awarded_amount == Decimal("1000.00")
    return {
        "report_initiative": initiative.slug,
        "other_initiative": other.slug,
        "receipt": report.receipts.get().pk,
    }
