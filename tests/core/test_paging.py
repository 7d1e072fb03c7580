"""core.paging: pages of a list read as page size + 1 rows, with no count, and page numbers
from the query string that cannot fail."""

import pytest
from django.contrib.auth.models import Group

from core.paging import MAX_PAGE, Page, page_number, page_of


def _state(page: Page) -> dict:
    return {
        "rows": list(page.object_list),
        "number": page.number,
        "has_previous": page.has_previous,
        "has_next": page.has_next,
        "has_other_pages": page.has_other_pages,
        "past_end": page.past_end,
    }


def test_an_empty_list_is_one_empty_page_with_no_others():
    assert _state(page_of([], None, 3)) == {
        "rows": [],
        "number": 1,
        "has_previous": False,
        "has_next": False,
        "has_other_pages": False,
        "past_end": False,
    }


def test_exactly_a_page_has_no_next_page():
    assert _state(page_of([1, 2, 3], "1", 3)) == {
        "rows": [1, 2, 3],
        "number": 1,
        "has_previous": False,
        "has_next": False,
        "has_other_pages": False,
        "past_end": False,
    }


def test_one_row_more_than_a_page_makes_a_second_page():
    first = page_of([1, 2, 3, 4], "1", 3)
    second = page_of([1, 2, 3, 4], "2", 3)

    assert (_state(first), first.next_page_number()) == (
        {
            "rows": [1, 2, 3],
            "number": 1,
            "has_previous": False,
            "has_next": True,
            "has_other_pages": True,
            "past_end": False,
        },
        2,
    )
    assert (_state(second), second.previous_page_number()) == (
        {
            "rows": [4],
            "number": 2,
            "has_previous": True,
            "has_next": False,
            "has_other_pages": True,
            "past_end": False,
        },
        1,
    )
    assert (list(second), len(second)) == ([4], 1)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("2.5", 1),
        ("0", 1),
        ("-1", 1),
        ("1", 1),
        (" 2 ", 2),
        ("99999", 99999),
        ("9" * 5000, 1),
    ],
)
def test_a_page_number_that_is_no_whole_number_from_one_up_is_the_first(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_bad_page_numbers_show_the_first_page(value):
    assert _state(page_of([1, 2, 3, 4], value, 3)) == {
        "rows": [1, 2, 3],
        "number": 1,
        "has_previous": False,
        "has_next": True,
        "has_other_pages": True,
        "past_end": False,
    }


@pytest.mark.parametrize("value", ["3", "99999", str(MAX_PAGE + 1), "9" * 30])
def test_a_page_past_the_end_is_empty_and_says_so(value):
    # With no count it cannot become the last page; the template links it to the first.
    page = page_of([1, 2, 3, 4], value, 3)

    assert _state(page) == {
        "rows": [],
        "number": int(value),
        "has_previous": False,
        "has_next": False,
        "has_other_pages": True,
        "past_end": True,
    }


@pytest.mark.django_db
def test_a_queryset_page_is_one_query_of_page_size_plus_one_rows(django_assert_num_queries):
    groups = Group.objects.order_by("name", "pk")
    names = list(groups.values_list("name", flat=True))
    assert len(names) >= 3

    with django_assert_num_queries(1) as queries:
        page = page_of(groups, "2", 1)

    assert ([group.name for group in page.object_list], page.has_next) == ([names[1]], True)
    assert queries.captured_queries[0]["sql"].endswith("LIMIT 2 OFFSET 1")


@pytest.mark.django_db
def test_a_page_number_past_any_list_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = page_of(Group.objects.order_by("pk"), str(MAX_PAGE + 1), 20)

    assert page.past_end
