"""Permission-matrix rows of the capacity self-assessment (issue 16); see
tests/test_permission_matrix.py.

A community's self-assessment is its own: its active members (any role) and coordinators (a
superuser counts as one) see the rounds, a round and the results; anyone else signed in gets
404, as for a page that is not there (the Aglona activist, residents, centre managers and
assessors alike). Opening a round, the consensus and the plan are for the community's leader
and coordinators: a member of the community without that role gets 403. Setting a plan item's
status is POST only (405 to a GET by those allowed). An unpublished community is 404 for
everyone signed in. People signed out are asked to log in first.
"""

from datetime import timedelta

from communities.capacity import current_instrument
from communities.models import ActionItem, AssessmentRound, CapacityDimension, Community
from core.formats import riga_today
from tests.permissions.roles import (
    FORBIDDEN,
    FOUND,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ROLES,
    admin_only,
)

BASE = "/kopienas/preili/ricibspeja/"
ROUND = BASE + "{cap_round}/"


def signed_in(path: str, default, **exceptions) -> dict:
    """Anonymous people are sent to log in (in the language of the page they asked for)."""
    login = "/en/konts/login/" if path.startswith("/en/") else "/konts/login/"
    return {
        **dict.fromkeys(ROLES, default),
        "anonymous": (FOUND, f"{login}?next={path}"),
        **exceptions,
    }


def members_see(path: str) -> dict:
    """The Preiļi member and leader and coordinators 200; other signed-in people 404."""
    return signed_in(path, NOT_FOUND, member=OK, leader=OK, coordinator=OK, superuser=OK)


def leaders_only(path: str, allowed=OK) -> dict:
    """The Preiļi leader and coordinators get `allowed`; the plain member 403; others 404."""
    return signed_in(
        path, NOT_FOUND, member=FORBIDDEN, leader=allowed, coordinator=allowed, superuser=allowed
    )


ITEM = ROUND + "plans/{cap_item}/"
MATRIX = {
    "communities:capacity": [
        (BASE, members_see(BASE)),
        ("/en" + BASE, members_see("/en" + BASE)),
        (
            "/kopienas/aglona/ricibspeja/",
            signed_in(
                "/kopienas/aglona/ricibspeja/",
                NOT_FOUND,
                other_activist=OK,
                coordinator=OK,
                superuser=OK,
            ),
        ),
        (
            "/kopienas/kraslava/ricibspeja/",
            signed_in("/kopienas/kraslava/ricibspeja/", NOT_FOUND),
        ),
    ],
    "communities:capacity_open": [(BASE + "jauna/", leaders_only(BASE + "jauna/"))],
    "communities:capacity_results": [
        (BASE + "rezultati/", members_see(BASE + "rezultati/")),
        ("/en" + BASE + "rezultati/", members_see("/en" + BASE + "rezultati/")),
    ],
    "communities:capacity_results_csv": [
        (BASE + "rezultati.csv", members_see(BASE + "rezultati.csv"))
    ],
    "communities:capacity_round": [
        (ROUND, members_see(ROUND)),
        # Another community's round under Preiļi's address is not there.
        (
            BASE + "{cap_other_round}/",
            signed_in(BASE + "{cap_other_round}/", NOT_FOUND),
        ),
    ],
    "communities:capacity_consensus": [
        (ROUND + "vienosanas/", leaders_only(ROUND + "vienosanas/"))
    ],
    "communities:capacity_plan": [(ROUND + "plans/", leaders_only(ROUND + "plans/"))],
    "communities:capacity_item_status": [(ITEM, leaders_only(ITEM, allowed=NOT_ALLOWED))],
}

INSTRUMENT = "/admin/communities/capacityinstrument/"
ANSWERS = "/admin/communities/capacityanswer/"
OVERVIEW = "/admin/communities/assessmentround/kopsavilkums/"


def _coordinators(path: str) -> dict:
    return admin_only(
        path, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=OK, superuser=OK
    )


ADMIN_MATRIX = {
    "admin:communities_capacityinstrument_changelist": [(INSTRUMENT, _coordinators(INSTRUMENT))],
    "admin:communities_capacityanswer_changelist": [(ANSWERS, _coordinators(ANSWERS))],
    "admin:communities_assessmentround_overview": [(OVERVIEW, _coordinators(OVERVIEW))],
}


def setup(people) -> dict[str, object]:
    """A round open today in Preiļi with one plan item, and one in Aglona."""
    today = riga_today()

    def round_in(slug: str) -> AssessmentRound:
        return AssessmentRound.objects.create(
            community=Community.objects.get(slug=slug),
            instrument=current_instrument(),
            kind=AssessmentRound.Kind.BASELINE,
            title="Sākotnējais novērtējums",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=10),
        )

    preili = round_in("preili")
    item = ActionItem.objects.create(
        round=preili, dimension=CapacityDimension.objects.first(), text="Talka"
    )
    return {
        "cap_round": preili.pk,
        "cap_item": item.pk,
        "cap_other_round": round_in("aglona").pk,
    }
