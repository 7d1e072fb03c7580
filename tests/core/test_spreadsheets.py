"""Cells for Excel under Latvian regional settings (core.spreadsheets.latvian_csv_cell), and the
streamed XLSX workbook (core.spreadsheets.StreamedWorkbook, XlsxWriter under the export's cell
rules), read back with openpyxl."""

import csv
import io
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from core.spreadsheets import (
    CSV_PIECE,
    MAX_ROWS,
    StreamedWorkbook,
    csv_pieces,
    latvian_csv_cell,
)


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


def _saved(workbook: StreamedWorkbook) -> bytes:
    with workbook.save() as file:
        assert file.tell() == 0
        return file.read()


def _cells(sheet) -> list[list[tuple]]:
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


# XlsxWriter's constant_memory mode would write a text of this shape as XML, unescaped: here a
# second cell holding a formula.
RICH_TEXT_INJECTION = (
    '<r></r></is></c><c r="B1"><f>HYPERLINK("http://piemers.lv")</f></c><c><is><r></r>'
)


def test_a_streamed_workbook_reads_back_with_its_values_formats_and_layout():
    with StreamedWorkbook() as workbook:
        first = workbook.add_sheet(
            "Vērtējumi",
            widths=[14, 40, 12, 17, 10],
            number_formats=[None, None, "#,##0.00", "yyyy-mm-dd hh:mm", "0"],
            freeze="C2",
        )
        first.header(["Numurs", "Teksts", "Summa", "Kad", "Punkti"])
        first.append(
            [
                "DK-2026-001",
                '=HYPERLINK("http://piemers.lv")',
                Decimal("1234.50"),
                datetime(2026, 7, 1, 9, 0, tzinfo=UTC),  # 12.00 in Riga (summer time)
                8,
            ]
        )
        first.append([" a\x00 & <b> ", "", 66.5, datetime(2026, 1, 2, 3, 4), True])
        first.append(["\x07", None, None, date(2026, 1, 2), None])
        first.append([RICH_TEXT_INJECTION, "<r>12</r>", None, None, "http://piemers.lv"])
        second = workbook.add_sheet("Tukšā", widths=[10], number_formats=[None], freeze=None)
        second.header(["Tikai galva"])
        content = _saved(workbook)

    read = openpyxl.load_workbook(io.BytesIO(content))
    assert read.sheetnames == ["Vērtējumi", "Tukšā"]
    sheet = read["Vērtējumi"]
    assert _cells(sheet) == [
        [("Numurs", "s"), ("Teksts", "s"), ("Summa", "s"), ("Kad", "s"), ("Punkti", "s")],
        [
            ("DK-2026-001", "s"),
            # Text, shown and never run.
            ('=HYPERLINK("http://piemers.lv")', "s"),
            (1234.5, "n"),
            (datetime(2026, 7, 1, 12, 0), "d"),
            (8, "n"),
        ],
        # Control characters go, spaces stay; an empty text is an empty cell.
        [(" a & <b> ", "s"), (None, "n"), (66.5, "n"), (datetime(2026, 1, 2, 3, 4), "d"),
         (True, "b")],
        [(None, "n"), (None, "n"), (None, "n"), (datetime(2026, 1, 2), "d"), (None, "n")],
        # Text as typed, whatever XML or link it looks like: no formula, no second cell.
        [(RICH_TEXT_INJECTION, "s"), ("<r>12</r>", "s"), (None, "n"), (None, "n"),
         ("http://piemers.lv", "s")],
    ]  # fmt: skip
    assert [cell.font.bold for cell in sheet[1]] == [True] * 5
    assert [cell.font.bold for cell in sheet[2]] == [False] * 5
    assert [cell.number_format for cell in sheet[2]] == [
        "General",
        "General",
        "#,##0.00",
        "yyyy-mm-dd hh:mm",
        "0",
    ]
    # The widths Excel shows, stored as Excel stores them (with its cell padding).
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == [
        14.7109375,
        40.7109375,
        12.7109375,
        17.7109375,
        10.7109375,
    ]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("C2", "A1:E5")
    # A header alone gets no filter; no frozen panes were asked for.
    empty = read["Tukšā"]
    assert (_cells(empty), empty.freeze_panes, empty.auto_filter.ref) == (
        [[("Tikai galva", "s")]],
        None,
        None,
    )


def test_a_header_that_looks_like_rich_text_stays_bold_text():
    with StreamedWorkbook() as workbook:
        sheet = workbook.add_sheet("Lapa", widths=[10, 10], number_formats=[None, "0"])
        sheet.header(["<r>Punkti</r>", "Cits"])
        content = _saved(workbook)

    row = next(openpyxl.load_workbook(io.BytesIO(content))["Lapa"].iter_rows())
    assert [(cell.value, cell.data_type, cell.font.bold) for cell in row] == [
        ("<r>Punkti</r>", "s", True),
        ("Cits", "s", True),
    ]


def test_a_frozen_header_row_alone_and_a_frozen_first_column_alone():
    with StreamedWorkbook() as workbook:
        for title, freeze in (("Rinda", "A2"), ("Kolonna", "B1")):
            workbook.add_sheet(title, widths=[10, 10], number_formats=[None, None], freeze=freeze)
        content = _saved(workbook)

    read = openpyxl.load_workbook(io.BytesIO(content))
    assert [
        (sheet.freeze_panes, sheet.sheet_view.pane.activePane) for sheet in read.worksheets
    ] == [("A2", "bottomLeft"), ("B1", "topRight")]


def test_a_streamed_workbook_refuses_what_a_spreadsheet_cannot_hold():
    with StreamedWorkbook() as workbook:
        with pytest.raises(ValueError, match="a width and a number format"):
            workbook.add_sheet("Bez kolonnām", widths=[], number_formats=[])
        with pytest.raises(ValueError, match="needs a sheet"):
            workbook.save()
        sheet = workbook.add_sheet("Lapa", widths=[10], number_formats=["0"])
        with pytest.raises(TypeError, match="NAN/INF"):
            sheet.append([float("nan")])
        with pytest.raises(TypeError, match="cannot hold list"):
            sheet.append([[1]])
        # Excel holds 32,767 characters in a cell: a longer text is refused, not cut short.
        with pytest.raises(ValueError, match=r"cell \(0, 0\) cannot hold 'xxx"):
            sheet.append(["x" * 32_768])
        # A row of the wrong length is a mistake, not a shorter row.
        with pytest.raises(ValueError, match="zip"):
            sheet.append([1, 2])
        assert sheet.rows == 0
        sheet.rows = MAX_ROWS
        with pytest.raises(ValueError, match="at most 1048576 rows"):
            sheet.append([1])


def test_leaving_the_workbook_removes_its_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with StreamedWorkbook() as workbook:
        sheet = workbook.add_sheet("Lapa", widths=[10], number_formats=[None])
        sheet.append(["a"])
        sheet.append(["b"])  # the first row goes to disk
        assert len(list(tmp_path.rglob("*"))) == 2  # XlsxWriter's folder and the row's file
        file = workbook.save()
    assert list(tmp_path.iterdir()) == []
    # The saved file stays until its reader closes it.
    with file:
        assert openpyxl.load_workbook(file)["Lapa"]["A2"].value == "b"

    with pytest.raises(ZeroDivisionError), StreamedWorkbook() as workbook:
        workbook.add_sheet("Lapa", widths=[10], number_formats=[None]).append([1 / 0])
    assert list(tmp_path.iterdir()) == []


def test_a_streamed_csv_leaves_in_pieces_and_reads_back_whole():
    made = []

    def rows():
        for number in range(20_000):
            made.append(number)
            yield [f"=Rinda {number}\x07", number, None]

    pieces = csv_pieces(["Nosaukums", "Numurs", "Tukšs"], rows())
    first = next(pieces)
    # The first piece leaves before most rows are made.
    assert (len(first) >= CSV_PIECE, len(made) < 20_000) == (True, True)
    text = b"".join([first, *pieces]).decode("utf-8")

    assert text.startswith("\ufeffNosaukums,Numurs,Tukšs\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["Nosaukums", "Numurs", "Tukšs"],
        *[[f"'=Rinda {number}", str(number), ""] for number in range(20_000)],
    ]


def test_a_streamed_csv_can_use_the_latvian_form():
    text = b"".join(
        csv_pieces(["Summa"], [[Decimal("1234.50")]], cell=latvian_csv_cell, delimiter=";")
    ).decode("utf-8")

    assert text == "\ufeffSumma\r\n1234,50\r\n"
