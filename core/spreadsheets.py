"""Cells that are safe to open in a spreadsheet program: the one rule for every export.

A value a person typed (a name, a title, a comment) may start with "=" and would then run as a
formula when the file is opened ("CSV injection"), and may hold control characters that XML 1.0,
and so XLSX, cannot carry (a spreadsheet program refuses the whole file). Every export, CSV or
XLSX, passes its text through `text_cell` (CSV) or `xml_text` (XLSX).

Every XLSX export is written with `StreamedWorkbook`, XlsxWriter in its constant_memory mode
under the same rules: each row goes to a temporary file as it is appended, so memory stays flat
whatever the number of rows. A large CSV export is streamed with `csv_pieces`.
"""

import contextlib
import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

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


def xml_text(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return CONTROL_CHARACTERS.sub("", value)


def text_cell(value: str) -> str:
    """Text without control characters, quoted when a spreadsheet would run it."""
    value = xml_text(value)
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


# A streamed CSV file leaves in pieces of about this many characters.
CSV_PIECE = 64 * 1024


class _Line:
    """A file for csv.writer that hands back each line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_pieces(
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    cell: Callable = csv_cell,
    delimiter: str = ",",
) -> Iterator[bytes]:
    """A CSV file (UTF-8 with a BOM, every value through `cell`) as pieces of about CSV_PIECE
    characters, each row made as `rows` is read: for a StreamingHttpResponse, whose first bytes
    leave before the last row is read, and whose memory stays flat whatever the number of rows."""
    writer = csv.writer(_Line(), delimiter=delimiter)
    piece = [BOM, writer.writerow([cell(value) for value in header])]
    size = 0
    for row in rows:
        line = writer.writerow([cell(value) for value in row])
        piece.append(line)
        size += len(line)
        if size >= CSV_PIECE:
            yield "".join(piece).encode("utf-8")
            piece, size = [], 0
    yield "".join(piece).encode("utf-8")


# --- A streamed XLSX file ----------------------------------------------------------------------
#
# openpyxl, even write-only, builds Python objects for every cell (a cell, its style, an XML
# element) at some 15 µs a cell: 2 s for the 130,000 cells of a 1,000-application round's
# assessment export. XlsxWriter in its constant_memory mode keeps one row in memory and writes
# it to a temporary file when the next one starts, at some 6 µs a cell (0.8 s for those cells).
# It writes every XLSX export of the platform (the tests read them with openpyxl). Cells are
# written by type (write_string, write_number, ...), never through write(), which would read
# "=..." as a formula, "http..." as a link and "12" as a number.

# Excel's limits: a row past them XlsxWriter would drop without a word.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# XlsxWriter's constant_memory mode takes a text that starts with "<r>" and ends with "</r>"
# for rich-text XML it made itself and writes it unescaped: a typed "<r></r></is></c><c><f>…"
# would become a formula. Such a text goes in as rich text of plain runs, which it escapes.
RICH_TEXT_START, RICH_TEXT_END = "<r>", "</r>"


class StreamedSheet:
    """One sheet of a StreamedWorkbook: a header, then rows, each written as it comes.

    A column's number format applies to its numbers and moments (a moment needs a date format
    to show as one); True and False are Excel's truth values; text is always text, however it
    starts ("=HYPERLINK(…)" is shown, never run), and without the control characters XML cannot
    hold. None and empty text leave the cell empty.
    """

    def __init__(self, worksheet, number_formats: list, bold, *, auto_filter: bool):
        self._worksheet = worksheet
        self._number_formats = number_formats
        self._bold = bold
        self._auto_filter = auto_filter
        self.rows = 0

    def header(self, titles: Sequence[str]) -> None:
        """A row of bold text."""
        self._row(titles, [None] * len(self._number_formats), self._bold)

    def append(self, values: Sequence) -> None:
        self._row(values, self._number_formats, None)

    def _row(self, values: Sequence, number_formats: Sequence, text_format) -> None:
        if self.rows >= MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS} rows")
        row = self.rows
        sheet = self._worksheet
        text = (text_format,) if text_format else ()
        for column, (value, number_format) in enumerate(zip(values, number_formats, strict=True)):
            if value is None:
                continue
            if isinstance(value, str):
                value = xml_text(value)
                if not value:
                    continue
                if value.startswith(RICH_TEXT_START) and value.endswith(RICH_TEXT_END):
                    runs = (value[:1], value[1:2], value[2:])
                    failed = sheet.write_rich_string(row, column, *runs, *text)
                else:
                    failed = sheet.write_string(row, column, value, *text)
            elif isinstance(value, bool):
                failed = sheet.write_boolean(row, column, value)
            elif isinstance(value, int | float | Decimal):
                failed = sheet.write_number(row, column, value, number_format)
            elif isinstance(value, date):
                if isinstance(value, datetime) and value.tzinfo is not None:
                    # Excel has no time zones: Riga's wall clock.
                    value = riga(value).replace(tzinfo=None)
                failed = sheet.write_datetime(row, column, value, number_format)
            else:
                raise TypeError(f"an XLSX cell cannot hold {type(value).__name__}")
            if failed:
                # -2: a text past Excel's 32,767 characters, which XlsxWriter would cut short.
                raise ValueError(f"cell ({row}, {column}) cannot hold {value!r:.40} ({failed})")
        self.rows += 1

    def _close(self) -> None:
        """A filter on every column once there is a row below the header."""
        if self._auto_filter and self.rows > 1:
            self._worksheet.autofilter(0, 0, self.rows - 1, len(self._number_formats) - 1)


class StreamedWorkbook:
    """An XLSX file written row by row (see StreamedSheet), for an export of any size.

        with StreamedWorkbook() as workbook:
            sheet = workbook.add_sheet("Vērtējumi", widths=[14, 40], number_formats=[None, "0"])
            sheet.header(["Numurs", "Punkti"])
            sheet.append(["DK-2026-001", 8])
            file = workbook.save()

    `save` returns the file (a temporary one, read from its start): the caller reads and closes
    it, as FileResponse does. Leaving the `with` block removes XlsxWriter's temporary files,
    whether the workbook was saved or not.
    """

    def __init__(self):
        # On use: every process imports this module, few write a workbook (its import: ~50 ms).
        import xlsxwriter

        self._directory = tempfile.TemporaryDirectory(prefix="xlsx-", ignore_cleanup_errors=True)
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (save hands it to the caller)
        self._workbook = xlsxwriter.Workbook(
            self._file,
            {
                "constant_memory": True,
                "tmpdir": self._directory.name,
                # Only write() reads these, and nothing here calls it: text stays text anyway.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._bold = self._workbook.add_format({"bold": True})
        self._number_formats: dict[str, object] = {}
        self.sheets: list[StreamedSheet] = []
        self._saved = False

    def __enter__(self) -> "StreamedWorkbook":
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._saved:
            # Left on an error: XlsxWriter closes its sheets' files only when it writes the
            # workbook, so it writes what it has into the file thrown away here. The error
            # that brought us here is the one that matters.
            with contextlib.suppress(Exception):
                self._workbook.close()
            self._file.close()
        self._directory.cleanup()

    def _number_format(self, code: str | None):
        """XlsxWriter's format for a number format, one per code."""
        if code is None:
            return None
        if code not in self._number_formats:
            self._number_formats[code] = self._workbook.add_format({"num_format": code})
        return self._number_formats[code]

    def add_sheet(
        self,
        title: str,
        *,
        widths: Sequence[float],
        number_formats: Sequence[str | None],
        freeze: str | None = "A2",
        auto_filter: bool = True,
    ) -> StreamedSheet:
        """A sheet whose columns have these widths (in characters, as Excel shows them) and
        number formats; its panes frozen above and left of `freeze`, and, with `auto_filter`,
        a filter on every column once it has a row below the header."""
        if not widths or len(widths) != len(number_formats) or len(widths) > MAX_COLUMNS:
            raise ValueError("a width and a number format for every column, and a column")
        worksheet = self._workbook.add_worksheet(title)
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        if freeze and freeze != "A1":
            worksheet.freeze_panes(freeze)
        sheet = StreamedSheet(
            worksheet,
            [self._number_format(code) for code in number_formats],
            self._bold,
            auto_filter=auto_filter,
        )
        self.sheets.append(sheet)
        return sheet

    def save(self) -> IO[bytes]:
        if not self.sheets:
            raise ValueError("a workbook needs a sheet")
        for sheet in self.sheets:
            sheet._close()
        self._workbook.close()
        self._saved = True
        self._file.seek(0)
        return self._file
