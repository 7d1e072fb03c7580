"""Cells for Excel under Latvian regional settings (core.spreadsheets.latvian_csv_cell)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.spreadsheets import latvian_csv_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (Decimal("1234.50"), "1234,50"),
        (Decimal("-0.01"), "-0,01"),
        (Decimal("1E+3"), "1000"),
        (66.5, "66,5"),
        (3, 3),
        (None, ""),
        ("=SUM(A1)", "'=SUM(A1)"),
        (datetime(2026, 3, 2, 10, 30, tzinfo=UTC), "2026-03-02 12:30"),
    ],
)
def test_decimals_get_a_comma_and_everything_else_stays_as_csv_cell_has_it(value, cell):
    assert latvian_csv_cell(value) == cell
