"""Permission-matrix rows of the deciding part of grant-round assessment (issue 4); see
tests/test_permission_matrix.py.

A round in the decisions stage, "lemumi" (DK-2024), with the Preiļu leader's application, and a
round whose results are published, "rezultati-admin" (DK-2023). The ranking, decisions,
publishing, re-notification and the exports show every assessor's scores and change what
applicants are told: coordinators and superusers only. Assessors (who may view assessments, not
change applications) and centre managers are refused; everyone else goes to the admin login.
"""

from decimal import Decimal

from django.utils import timezone

from communities.models import Community
from grants.models import Application, GrantRound
from tests.factories.grants import closed_round, submitted_application
from tests.permissions.roles import FORBIDDEN, NOT_ALLOWED, OK, admin_only

MATRIX: dict = {}


def deciders(path: str, *, allowed=OK) -> dict:
    """Coordinators and superusers get `allowed`; assessors and centre managers 403."""
    return admin_only(
        path, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=allowed, superuser=allowed
    )


ROUND = "/admin/grants/grantround/{lemumi}/"
PUBLISHED_ROUND = "/admin/grants/grantround/{rezultati_admin}/"
RANKING = ROUND + "ranking/"
RANKING_BY_MEDIAN = PUBLISHED_ROUND + "ranking/?pec=mediana&nesaskanas=1"
DECISION = "/admin/grants/application/{lemumi_application}/lemums/"
PUBLISH = ROUND + "publicet/"
RENOTIFY = PUBLISHED_ROUND + "pazinot/"
EXPORT_CSV = ROUND + "eksports.csv"
EXPORT_XLSX = ROUND + "eksports.xlsx"
HISTORY = "/admin/grants/historyentry/"

ADMIN_MATRIX = {
    "admin:grants_grantround_ranking": [
        (RANKING, deciders(RANKING)),
        (RANKING_BY_MEDIAN, deciders(RANKING_BY_MEDIAN)),
    ],
    "admin:grants_application_decision": [(DECISION, deciders(DECISION))],
    # GET shows the confirmation; only its POST publishes.
    "admin:grants_grantround_publish": [(PUBLISH, deciders(PUBLISH))],
    # POST only: the ranking page lists who would be written to, next to its button.
    "admin:grants_grantround_renotify": [(RENOTIFY, deciders(RENOTIFY, allowed=NOT_ALLOWED))],
    "admin:grants_grantround_export_csv": [(EXPORT_CSV, deciders(EXPORT_CSV))],
    "admin:grants_grantround_export_xlsx": [(EXPORT_XLSX, deciders(EXPORT_XLSX))],
    "admin:grants_historyentry_changelist": [(HISTORY, deciders(HISTORY))],
}


def setup(people) -> dict[str, object]:
    """Make the objects the paths above name; return their "{placeholder}" values."""
    preili = Community.objects.get(slug="preili")
    deciding = closed_round(
        slug="lemumi",
        reference_code="DK-2024",
        year=2024,
        status=GrantRound.Status.DECISIONS,
        criteria=[(10, "1")],
    )
    application = submitted_application(
        deciding, applicant=people["leader"], community=preili, requested=Decimal("900.00")
    )
    published = closed_round(
        slug="rezultati-admin",
        reference_code="DK-2023",
        year=2023,
        status=GrantRound.Status.RESULTS,
        criteria=[(10, "1")],
    )
    told = submitted_application(published, applicant=people["leader"], community=preili)
    Application.objects.filter(pk=told.pk).update(
        status=Application.Status.DECIDED,
        decision=Application.Decision.NOT_SUPPORTED,
        notified_decision=Application.Decision.NOT_SUPPORTED,
        notified_at=timezone.now(),
    )
    return {
        "lemumi": deciding.pk,
        "rezultati_admin": published.pk,
        "lemumi_application": application.pk,
    }
