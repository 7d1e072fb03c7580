"""Walking queries side by side (core.streams.Grouped): each key gets its own rows, a key
without rows gets none, and rows of a key the walk never asks for are passed over."""

from core.streams import Grouped


def test_each_key_gets_its_rows_and_a_key_without_rows_gets_none():
    rows = Grouped(iter([(1, "a"), (1, "b"), (3, "c")]))

    assert [rows.take(key) for key in (1, 2, 3, 4)] == [[(1, "a"), (1, "b")], [], [(3, "c")], []]


def test_rows_of_a_key_the_walk_skips_are_passed_over():
    # Key 2 was in this query but no longer in the walking one (withdrawn meanwhile).
    rows = Grouped(iter([(1, "a"), (2, "b"), (2, "c"), (4, "d")]), key=lambda row: row[0])

    assert [rows.take(1), rows.take(3), rows.take(4)] == [[(1, "a")], [], [(4, "d")]]
