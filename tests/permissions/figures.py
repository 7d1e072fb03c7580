"""Permission-matrix rows of the impact figures (see tests/test_permission_matrix.py): the
figures page and its CSV are public; the labels are coordinators' work in the admin."""

from communities.models import ImpactFigure
from tests.permissions.roles import FORBIDDEN, OK, admin_only, everyone

FIGURES_ADMIN = "/admin/communities/impactfigure/"
FIGURE_CHANGE = "/admin/communities/impactfigure/{figure_pk}/change/"


def _coordinators(path):
    return admin_only(
        path, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=OK, superuser=OK
    )


MATRIX = {
    "figures": [
        ("/skaitli/", everyone(OK)),
        ("/en/skaitli/", everyone(OK)),
        ("/skaitli/?kopiena=preili", everyone(OK)),
        # An unknown or hostile choice shows the page with a note, never an error.
        ("/skaitli/?kopiena=nav-tadas", everyone(OK)),
        ("/skaitli/?kopiena=%3Cscript%3E", everyone(OK)),
    ],
    "figures_csv": [
        ("/skaitli/skaitli.csv", everyone(OK)),
        ("/en/skaitli/skaitli.csv", everyone(OK)),
    ],
}

ADMIN_MATRIX = {
    "admin:communities_impactfigure_changelist": [(FIGURES_ADMIN, _coordinators(FIGURES_ADMIN))],
    "admin:communities_impactfigure_change": [(FIGURE_CHANGE, _coordinators(FIGURE_CHANGE))],
}


def setup(people) -> dict[str, object]:
    return {"figure_pk": ImpactFigure.objects.get(key="participants").pk}
