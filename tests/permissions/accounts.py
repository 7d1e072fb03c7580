"""Permission-matrix rows of this area (see tests/test_permission_matrix.py)."""

MATRIX: dict = {}
ADMIN_MATRIX: dict = {}


def setup(people) -> dict[str, object]:
    """Make the objects the paths below name; return their "{placeholder}" values."""
    return {}
