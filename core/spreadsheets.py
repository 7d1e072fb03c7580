"""Cells that are safe to open in a spreadsheet program: the one rule for every export.

A value a person typed (a name, a title, a comment) may start with "=" and would then run as a
formula when the file is opened ("CSV injection"), and may hold control characters that XML 1.0,
and so XLSX, cannot carry (openpyxl refuses the whole file). Every export, CSV or XLSX, passes
its text through `text_cell`.
"""

import re
from datetime import datetime
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell

from .formats import riga, spreadsheet_datetime

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold: C0 controls other than tab, line feed and carriage return. Tab and
# carriage return may still start a formula, which the quote below takes care of.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The BOM tells Excel the file is UTF-8, so "Bērziņa" is not shown as mojibake.
BOM = "\ufeff"


def text_cell(value: str) -> str:
    """Text without control characters, quoted when a spreadsheet would run it."""
    value = CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """A CSV cell: text made safe, a moment on Riga's clock, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return spreadsheet_datetime(value)
    if isinstance(value, str):
        return text_cell(value)
    return value


# Excel under Latvian regional settings splits a CSV at ";" and reads "," as the decimal mark: a
# comma-separated file opens as one column, and "80.00" as text or a date.
LATVIAN_CSV_DELIMITER = ";"


def latvian_csv_cell(value):
    """A CSV cell for Excel under Latvian regional settings: as csv_cell, with decimal commas
    ("1234,50"), never a thousands separator."""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return csv_cell(value)


def xlsx_text(sheet, value: str) -> WriteOnlyCell:
    """A text cell of a streamed sheet that stays text ("=HYPERLINK(…)" is shown, never run)."""
    cell = WriteOnlyCell(sheet, CONTROL_CHARACTERS.sub("", value))
    cell.data_type = "s"
    return cell


def xlsx_cell(sheet, value, number_format: str | None = None):
    """A cell of a streamed sheet: text as text, a moment as Riga's wall-clock time (Excel
    has no time zones), numbers with their format."""
    if isinstance(value, str):
        # openpyxl reads only a string that starts with "=" as a formula: only those need a
        # cell object, which costs far more than a plain value on a 100,000-cell sheet.
        return (
            xlsx_text(sheet, value) if value.startswith("=") else CONTROL_CHARACTERS.sub("", value)
        )
    if isinstance(value, datetime):
        value = riga(value).replace(tzinfo=None)
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell
