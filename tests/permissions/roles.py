"""The people of the permission matrix and the shapes of their answers, shared by every area.

"user" is a verified resident with no community; "unverified" has not confirmed their email;
"member" and "leader" belong to the Preiļi community, "other_activist" to the Aglona one. Staff
have two-factor authentication on (tests/test_permission_matrix.py makes them).
"""

from http import HTTPStatus
from urllib.parse import quote, urlencode

ROLES = [
    "anonymous",
    "unverified",
    "user",
    "member",
    "other_activist",
    "leader",
    "centre_manager",
    "assessor",
    "coordinator",
    "superuser",
]
NON_STAFF = ["anonymous", "unverified", "user", "member", "other_activist", "leader"]
STAFF = ["centre_manager", "assessor", "coordinator", "superuser"]
SIGNED_IN = [role for role in ROLES if role != "anonymous"]

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND
NOT_FOUND = HTTPStatus.NOT_FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def login(path: str) -> tuple:
    """Sent to the site's log-in, coming back to `path` afterwards."""
    return (FOUND, "/konts/login/?" + urlencode({"next": path}, safe="/{}", quote_via=quote))


def admin_only(path: str, **staff) -> dict:
    """Anonymous people and signed-in non-staff are sent to the admin login; staff as given."""
    # Quoted as Django quotes `next`; "{preili}"-style placeholders are filled in by the test.
    admin_login = (FOUND, "/admin/login/?" + urlencode({"next": path}, safe="/{}", quote_via=quote))
    return {**dict.fromkeys(NON_STAFF, admin_login), **staff}
