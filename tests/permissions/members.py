"""Permission-matrix rows of managing a community's members (issue 17); see
tests/test_permission_matrix.py.

Decisions worth knowing:
- Changing a role and removing a member are for the community's active leaders and coordinators
  (a superuser counts as one), as the members page is: anyone else signed in gets 403 (the
  community is public, so refusing says nothing secret). Preiļi's leader is no leader of Aglona.
- A member of another community under Preiļi's address is not there: 404, also to Preiļi's
  leader and to coordinators.
- Changing a role is POST only (405 to a GET by those allowed); removing shows a confirmation
  page first.
- Leaving is the member's own page: an active member of the community sees it (Preiļi's leader,
  its only one, is asked there for a successor); anyone else signed in gets 404, as they have no
  membership to leave. A person whose request is pending withdraws it at the same address (no
  role here has one: tests/communities/test_membership_management.py covers them, and that a
  request of another community gives 404 here).
- People signed out are sent to log in first; an unpublished community is 404.
"""

from communities.models import Membership
from tests.permissions.roles import FORBIDDEN, FOUND, NOT_ALLOWED, NOT_FOUND, OK, ROLES

PREILI_ROLE = "/kopienas/preili/dalibnieki/{preili_member}/loma/"
AGLONA_ROLE = "/kopienas/aglona/dalibnieki/{aglona_member}/loma/"
PREILI_REMOVE = "/kopienas/preili/dalibnieki/{preili_member}/nonemt/"
FOREIGN_REMOVE = "/kopienas/preili/dalibnieki/{aglona_member}/nonemt/"
AGLONA_REMOVE = "/kopienas/aglona/dalibnieki/{aglona_member}/nonemt/"
UNPUBLISHED_REMOVE = "/kopienas/kraslava/dalibnieki/{preili_member}/nonemt/"


def signed_in(path: str, default, **exceptions) -> dict:
    """Anonymous people are sent to log in (the path as the view quotes it)."""
    return {
        **dict.fromkeys(ROLES, default),
        "anonymous": (FOUND, f"/konts/login/?next={path}"),
        **exceptions,
    }


def deciders(path: str, allowed, **exceptions) -> dict:
    """Preiļi's leader and coordinators get `allowed`; anyone else signed in 403."""
    return signed_in(
        path,
        FORBIDDEN,
        **{"leader": allowed, "coordinator": allowed, "superuser": allowed, **exceptions},
    )


MATRIX: dict = {
    "communities:member_role": [
        (PREILI_ROLE, deciders(PREILI_ROLE, NOT_ALLOWED)),
        (AGLONA_ROLE, deciders(AGLONA_ROLE, NOT_ALLOWED, leader=FORBIDDEN)),
    ],
    "communities:member_remove": [
        (PREILI_REMOVE, deciders(PREILI_REMOVE, OK)),
        (FOREIGN_REMOVE, deciders(FOREIGN_REMOVE, NOT_FOUND)),
        (AGLONA_REMOVE, deciders(AGLONA_REMOVE, OK, leader=FORBIDDEN)),
        (UNPUBLISHED_REMOVE, signed_in(UNPUBLISHED_REMOVE, NOT_FOUND)),
    ],
    "communities:leave": [
        (
            "/kopienas/preili/pamest/",
            signed_in("/kopienas/preili/pamest/", NOT_FOUND, member=OK, leader=OK),
        ),
        (
            "/en/kopienas/preili/pamest/",
            {
                **dict.fromkeys(ROLES, NOT_FOUND),
                "anonymous": (FOUND, "/en/konts/login/?next=/en/kopienas/preili/pamest/"),
                "member": OK,
                "leader": OK,
            },
        ),
        (
            "/kopienas/aglona/pamest/",
            signed_in("/kopienas/aglona/pamest/", NOT_FOUND, other_activist=OK),
        ),
        ("/kopienas/kraslava/pamest/", signed_in("/kopienas/kraslava/pamest/", NOT_FOUND)),
    ],
}

HISTORY = "/admin/communities/membershipchange/"
ADMIN_MATRIX: dict = {
    "admin:communities_membershipchange_changelist": [
        (
            HISTORY,
            {
                **dict.fromkeys(
                    ["anonymous", "unverified", "user", "member", "other_activist", "leader"],
                    (FOUND, "/admin/login/?next=" + HISTORY),
                ),
                "centre_manager": FORBIDDEN,
                "assessor": FORBIDDEN,
                "coordinator": OK,
                "superuser": OK,
            },
        )
    ],
}


def setup(people) -> dict[str, object]:
    """The memberships of the Preiļi member and of the Aglona activist."""
    return {
        "preili_member": Membership.objects.get(user=people["member"]).pk,
        "aglona_member": Membership.objects.get(user=people["other_activist"]).pk,
    }
