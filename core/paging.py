"""Pages of a long list without counting it.

Django's Paginator counts the whole list (COUNT(*)) to number its pages and to turn a page past
the end into the last one. On a list of tens of thousands of rows that count is most of the
page's cost: "Pasākumi manā centrā" for a coordinator over every centre (issue 17) spent about
100 of its 117 ms counting ~16,000 upcoming and ~34,000 ended events, two rows of twenty at a
time. `page_of` reads one row more than the page holds instead: that row says whether there is
a next page, and the database stops there.

What is given up is the number of pages ("1. lapa no 1700") and jumping to the last one; the
pagination include (templates/includes/pagination.html) then writes "N. lapa" with the previous
and next links. A page number that is no number, or below 1, is the first page (as
Paginator.get_page does); one past the end cannot become the last page without a count, so it
is an empty page that says it is past the end (`past_end`) and links back to the first.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# Larger page numbers are past the end of any list the site shows (twenty million rows at
# twenty a page) and are not read at all: their OFFSET would be a slow walk over the whole
# list, and past the range of the database's integers a 500.
MAX_PAGE = 1_000_000


def page_number(value: Any) -> int:
    """The page a query string's value asks for: 1 unless it is a whole number of at least 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


@dataclass(frozen=True)
class Page:
    """One page of a list whose length is not known: the rows, the page's number and whether
    another page follows. It answers what templates/includes/pagination.html asks of Django's
    Page, except the number of pages (`paginator` is None)."""

    object_list: list
    number: int
    has_next: bool
    paginator = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def past_end(self) -> bool:
        """A page after the last one (the list is shorter than its number says)."""
        return self.number > 1 and not self.object_list

    @property
    def has_previous(self) -> bool:
        # Past the end the way back is to the first page, not to the one before (as empty).
        return self.number > 1 and not self.past_end

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next or self.past_end

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_of(queryset: QuerySet, number: Any, per_page: int) -> Page:
    """Page `number` (a query string's value, as given) of `queryset` in its own order, read as
    one query of at most `per_page` + 1 rows and no count."""
    number = page_number(number)
    if number > MAX_PAGE:
        return Page(object_list=[], number=number, has_next=False)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
