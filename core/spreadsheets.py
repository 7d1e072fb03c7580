"""Cells that are safe to open in a spreadsheet program: the one rule for every export.

A value a person typed (a name, a title, a comment) may start with "=" and would then run as a
formula when the file is opened ("CSV injection"), and may hold control characters that XML 1.0,
and so XLSX, cannot carry (openpyxl refuses the whole file). Every export, CSV or XLSX, passes
its text through `text_cell` (CSV) or `xml_text` (XLSX).

An export of any size writes its XLSX with `StreamedWorkbook`: each row goes to a temporary
file as it is appended, so memory stays flat whatever the number of rows.
"""

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import (
    absolute_coordinate,
    coordinate_to_tuple,
    get_column_letter,
    quote_sheetname,
)

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


def xlsx_text(sheet, value: str) -> WriteOnlyCell:
    """A text cell of a streamed sheet that stays text ("=HYPERLINK(…)" is shown, never run)."""
    cell = WriteOnlyCell(sheet, xml_text(value))
    cell.data_type = "s"
    return cell


def xlsx_cell(sheet, value, number_format: str | None = None):
    """A cell of a streamed sheet: text as text, a moment as Riga's wall-clock time (Excel
    has no time zones), numbers with their format."""
    if isinstance(value, str):
        # openpyxl reads only a string that starts with "=" as a formula: only those need a
        # cell object, which costs far more than a plain value on a 100,000-cell sheet.
        return xlsx_text(sheet, value) if value.startswith("=") else xml_text(value)
    if isinstance(value, datetime):
        value = riga(value).replace(tzinfo=None)
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


# --- A streamed XLSX file ----------------------------------------------------------------------
#
# openpyxl, even write-only, builds Python objects for every cell (a cell, its style, an XML
# element) at some 15 µs a cell: 2 s for the 130,000 cells of a 1,000-application round's
# assessment export. The rows here go straight to XML text (about 1 µs a cell); openpyxl still
# reads and writes every other spreadsheet of the platform. The file holds what an export needs:
# text (always as text, never a formula), numbers, moments, number formats, a bold header, column
# widths, frozen panes and a filter.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Excel's own number formats by their fixed ids; any other gets an id from 164 up.
BUILTIN_NUMBER_FORMATS = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
FIRST_CUSTOM_FORMAT = 164
MAX_ROWS = 1_048_576
# A sheet goes from its temporary file into the package this many bytes at a time.
COPY_BUFFER = 64 * 1024
# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
EXCEL_EPOCH = datetime(1899, 12, 30)
SECONDS_PER_DAY = 86_400
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _number(value) -> str:
    """A number cell's value as XLSX writes it: Decimal as written, a moment as Excel's
    serial day number on Riga's wall clock (Excel has no time zones)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a number a spreadsheet can hold")
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number a spreadsheet can hold")
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = riga(value).replace(tzinfo=None)
        return repr((value - EXCEL_EPOCH).total_seconds() / SECONDS_PER_DAY)
    if isinstance(value, date):
        return str((value - EXCEL_EPOCH.date()).days)
    raise TypeError(f"an XLSX cell cannot hold {type(value).__name__}")


class StreamedSheet:
    """One sheet of a StreamedWorkbook: a header, then rows, each written as it comes.

    A column's number format applies to its numbers and moments (a moment needs a date format
    to show as one); True and False are Excel's truth values; text is always text, however it
    starts ("=HYPERLINK(…)" is shown, never run), and without the control characters XML cannot
    hold. None leaves the cell empty.
    """

    def __init__(
        self,
        workbook: "StreamedWorkbook",
        title: str,
        *,
        widths: Sequence[float],
        number_formats: Sequence[str | None],
        freeze: str | None,
        auto_filter: bool,
    ):
        if not widths or len(widths) != len(number_formats):
            raise ValueError("a width and a number format for every column, and a column")
        if not title or len(title) > 31 or SHEET_TITLE_FORBIDDEN.search(title):
            raise ValueError(f"{title!r} cannot name a sheet")
        self.title = title
        self.rows = 0
        self._auto_filter = auto_filter
        self._letters = [get_column_letter(index) for index in range(1, len(widths) + 1)]
        self._number_styles = [
            f' s="{workbook.style(number_format)}"' if number_format else ""
            for number_format in number_formats
        ]
        self._bold = f' s="{workbook.style(None, bold=True)}"'
        # Uncompressed XML on disk until the workbook is saved.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the workbook)
        self._write(
            XML_DECLARATION
            + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
            + self._views(freeze)
            + '<sheetFormatPr defaultRowHeight="15"/><cols>'
            + "".join(
                f'<col min="{index}" max="{index}" width="{width:g}" customWidth="1"/>'
                for index, width in enumerate(widths, start=1)
            )
            + "</cols><sheetData>"
        )

    @staticmethod
    def _views(freeze: str | None) -> str:
        if not freeze or freeze == "A1":
            return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        row, column = coordinate_to_tuple(freeze)
        x_split, y_split = column - 1, row - 1
        pane = "bottomRight" if x_split and y_split else "bottomLeft" if y_split else "topRight"
        splits = (f' xSplit="{x_split}"' if x_split else "") + (
            f' ySplit="{y_split}"' if y_split else ""
        )
        return (
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane{splits} topLeftCell="{freeze}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>'
            "</sheetView></sheetViews>"
        )

    def _write(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))

    def _row(self, cells: Iterable[str]) -> None:
        if self.rows >= MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS} rows")
        self.rows += 1
        self._write(f'<row r="{self.rows}">{"".join(cells)}</row>')

    def header(self, titles: Sequence[str]) -> None:
        """A row of bold text."""
        self._row(self._cells(titles, [self._bold] * len(self._letters), text_style=True))

    def append(self, values: Sequence) -> None:
        self._row(self._cells(values, self._number_styles, text_style=False))

    def _cells(self, values: Sequence, styles: Sequence[str], *, text_style: bool) -> list[str]:
        row = self.rows + 1
        cells = []
        for letter, style, value in zip(self._letters, styles, values, strict=True):
            if value is None:
                continue
            if isinstance(value, str):
                value = xml_text(value)
                if not value:
                    continue
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                cells.append(
                    f'<c r="{letter}{row}"{style if text_style else ""} t="inlineStr">'
                    f"<is><t{space}>{escape(value)}</t></is></c>"
                )
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{row}"{style}><v>{_number(value)}</v></c>')
        return cells

    def _close(self) -> None:
        self._write("</sheetData>")
        if self.has_filter:
            self._write(f'<autoFilter ref="{self.filter_range}"/>')
        self._write("</worksheet>")

    @property
    def has_filter(self) -> bool:
        return self._auto_filter and self.rows > 1

    @property
    def filter_range(self) -> str:
        return f"A1:{self._letters[-1]}{self.rows}"

    def _copy_to(self, destination: IO[bytes]) -> None:
        self._file.seek(0)
        shutil.copyfileobj(self._file, destination, COPY_BUFFER)


class StreamedWorkbook:
    """An XLSX file written row by row (see StreamedSheet), for an export of any size.

        with StreamedWorkbook() as workbook:
            sheet = workbook.add_sheet("Vērtējumi", widths=[14, 40], number_formats=[None, "0"])
            sheet.header(["Numurs", "Punkti"])
            sheet.append(["DK-2026-001", 8])
            file = workbook.save()

    `save` returns the file (a temporary one, read from its start): the caller reads and closes
    it, as FileResponse does. Leaving the `with` block closes the sheets' temporary files.
    """

    def __init__(self):
        self.sheets: list[StreamedSheet] = []
        self._styles: dict[tuple[str | None, bool], int] = {(None, False): 0}
        self._formats: dict[str, int] = {}

    def __enter__(self) -> "StreamedWorkbook":
        return self

    def __exit__(self, *exc_info) -> None:
        for sheet in self.sheets:
            sheet._file.close()

    def style(self, number_format: str | None, *, bold: bool = False) -> int:
        """The index of a cell style: a number format, or bold text."""
        if number_format and number_format not in BUILTIN_NUMBER_FORMATS:
            self._formats.setdefault(number_format, FIRST_CUSTOM_FORMAT + len(self._formats))
        return self._styles.setdefault((number_format, bold), len(self._styles))

    def add_sheet(
        self,
        title: str,
        *,
        widths: Sequence[float],
        number_formats: Sequence[str | None],
        freeze: str | None = "A2",
        auto_filter: bool = True,
    ) -> StreamedSheet:
        """A sheet whose columns have these widths (in characters) and number formats; its
        panes frozen above and left of `freeze`, and, with `auto_filter`, a filter on every
        column once it has a row below the header."""
        sheet = StreamedSheet(
            self,
            title,
            widths=widths,
            number_formats=number_formats,
            freeze=freeze,
            auto_filter=auto_filter,
        )
        self.sheets.append(sheet)
        return sheet

    def save(self) -> IO[bytes]:
        if not self.sheets:
            raise ValueError("a workbook needs a sheet")
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
        try:
            with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
                for name, text in self._parts():
                    package.writestr(name, XML_DECLARATION + text)
                for index, sheet in enumerate(self.sheets, start=1):
                    sheet._close()
                    with package.open(f"xl/worksheets/sheet{index}.xml", "w") as part:
                        sheet._copy_to(part)
        except BaseException:
            output.close()
            raise
        output.seek(0)
        return output

    def _parts(self) -> list[tuple[str, str]]:
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        content_types = (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{index}.xml" ContentType="{sheet_type}"/>'
                for index in range(1, len(self.sheets) + 1)
            )
            + "</Types>"
        )
        package_rels = (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS_NS}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        count = len(self.sheets)
        workbook_rels = (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS_NS}">'
            + "".join(
                f'<Relationship Id="rId{index}" Type="{RELATIONSHIPS_NS}/worksheet" '
                f'Target="worksheets/sheet{index}.xml"/>'
                for index in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS_NS}/styles" '
            'Target="styles.xml"/></Relationships>'
        )
        return [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", package_rels),
            ("xl/workbook.xml", self._workbook_xml()),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/styles.xml", self._styles_xml()),
        ]

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{index}" r:id="rId{index}"/>'
            for index, sheet in enumerate(self.sheets, start=1)
        )
        # Excel keeps each sheet's filter range under this hidden name.
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
            + escape(f"{quote_sheetname(sheet.title)}!{absolute_coordinate(sheet.filter_range)}")
            + "</definedName>"
            for index, sheet in enumerate(self.sheets)
            if sheet.has_filter
        )
        return (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + "</workbook>"
        )

    def _styles_xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>'
            for code, number in self._formats.items()
        )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        xfs = []
        for number_format, bold in self._styles:
            number = (
                BUILTIN_NUMBER_FORMATS.get(number_format) or self._formats[number_format]
                if number_format
                else 0
            )
            applied = (' applyNumberFormat="1"' if number else "") + (
                ' applyFont="1"' if bold else ""
            )
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{int(bold)}" fillId="0" borderId="0" '
                f'xfId="0"{applied}/>'
            )
        return (
            f'<styleSheet xmlns="{MAIN_NS}">'
            + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )
