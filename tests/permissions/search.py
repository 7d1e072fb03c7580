"""Permission-matrix rows of the site's search (see tests/test_permission_matrix.py): a public
page, the same for every role, whatever is typed into it."""

from tests.permissions.roles import OK, everyone

MATRIX = {
    "search": [
        ("/meklet/", everyone(OK)),
        ("/en/meklet/", everyone(OK)),
        ("/meklet/?q=preili", everyone(OK)),
        ("/en/meklet/?q=preili", everyone(OK)),
        # Too short, too long, hostile or broken: the page with a message, never an error.
        ("/meklet/?q=a", everyone(OK)),
        ("/meklet/?q=" + "x" * 101, everyone(OK)),
        ("/meklet/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", everyone(OK)),
        ("/meklet/?q=a&q=preili", everyone(OK)),
    ],
}


def setup(people) -> dict[str, object]:
    return {}
