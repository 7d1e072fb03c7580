"""Permission-matrix rows of the assessing part of grant-round assessment (issue 4); see
tests/test_permission_matrix.py."""

MATRIX: dict = {}
ADMIN_MATRIX: dict = {}


def setup(people) -> dict[str, object]:
    return {}
