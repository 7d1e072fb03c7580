"""Fixtures of the capacity self-assessment tests (tests/communities/test_capacity*.py); a
module that defines a fixture of the same name (test_membership's community) keeps its own."""

from tests.communities.capacity_support import (  # noqa: F401 (fixtures)
    activist,
    community,
    dimensions,
    leader,
    member,
    round_,
)
