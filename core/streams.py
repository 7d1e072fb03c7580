"""Walking several queries side by side, a chunk of rows at a time.

An export of any size cannot hold a round's rows in dictionaries: it reads the applications in
one order, and every other query (their assessments, their scores, their figures) in the same
order, taking from each the rows of the application at hand. Memory then holds one
application's rows, however many there are.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any


class Grouped:
    """The rows of a query sorted by a key, handed out one key at a time to a walk over the
    same keys in the same (ascending) order.

    A key the rows do not have gets none; rows whose key the walk never asks for are passed
    over (the walking query, read a moment apart, no longer found their record: an application
    withdrawn meanwhile), so each query may see a record the other does not.
    """

    def __init__(self, rows: Iterable, key: Callable[[Any], Any] = itemgetter(0)):
        self._groups: Iterator = itertools.groupby(rows, key=key)
        self._next = next(self._groups, None)

    def take(self, key) -> list:
        """The rows with this key: none when the query has none for it."""
        while self._next is not None and self._next[0] < key:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != key:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows
