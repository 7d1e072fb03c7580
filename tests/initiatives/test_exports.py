"""All reports of a round as XLSX (initiatives/exports.py): every sheet's cells against the
values of tests/initiatives/admin_support.py, a hostile title kept as text, and a query count
that does not grow with the round."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.exports import round_reports_xlsx
from initiatives.models import FinalReport, Initiative
from tests.initiatives.admin_support import (
    funded,
    grant_round,
    groups_and_elements,
    submitted,
    write_report,
)

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://piemers.lv","Spied\x07 šeit")'
DUE = datetime.date(2027, 7, 30)
SUBMITTED = datetime.datetime(2027, 7, 20, 9, 30, tzinfo=datetime.UTC)  # 12.30 in Riga


def _xlsx(round_) -> bytes:
    with round_reports_xlsx(grant_round=round_) as file:
        return file.read()


def _sheets(content: bytes) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


@pytest.fixture
def exported():
    things = groups_and_elements()
    round_ = grant_round()
    reported = submitted(funded(round_, things=things, number=1), things=things)
    silent = funded(round_, things=things, title=HOSTILE, number=2, community=reported.community)
    Initiative.objects.update(report_due_on=DUE)
    FinalReport.objects.update(submitted_at=SUBMITTED)
    return round_, reported, silent


def test_the_reports_sheet_has_plan_and_report_side_by_side(exported):
    round_, _reported, _silent = exported

    sheets = _sheets(_xlsx(round_))

    assert list(sheets) == ["Atskaites", "Izdevumi", "Mērķgrupas", "Iestādes"]
    header, first, second = sheets["Atskaites"]
    assert header == [
        "Numurs",
        "Iniciatīva",
        "Kopiena",
        "Statuss",
        "Atskaites termiņš",
        "Iesniegta",
        "Piešķirtā summa, EUR",
        "Plānots no finansējuma, EUR",
        "Izlietots, EUR",
        "Starpība, EUR",
        "Plānotais līdzfinansējums, EUR",
        "Līdzfinansējums, EUR",
        "Plānotais dalībnieku skaits",
        "Dalībnieki",
        "Brīvprātīgie",
        "Iestāžu un organizāciju skaits",
        "Plānotās aktivitātes",
        "Ko izdarījām",
        "Mērķi",
        "Rezultāti",
        "Kas notiks tālāk",
        "Plānotie modeļa elementi",
        "Īstenotie modeļa elementi",
        "Stāsts",
    ]
    assert first == [
        "DK-2025-001",
        "Ezera krasta sakopšana",
        "Ezerkrastu kopiena",
        "Atskaite iesniegta",
        datetime.datetime(2027, 7, 30),
        datetime.datetime(2027, 7, 20, 12, 30),
        1000,
        1000,
        980,
        -20,
        50,
        60,
        30,
        45,
        10,
        2,
        "Trīs talkas un stādīšana.",
        "Divas talkas, iestādīti 20 koki.",
        "Sakopts krasts un jauni koki.",
        "Krasts sakopts.",
        "Rudenī vēl viena talka.",
        "Kopienas talka, Līderu skola",
        "Kopienas talka, Kopienas svētki",
        "Visi kopā sakopām krastu.",
    ]
    # No report yet: the initiative has its row with the application's plan, the rest empty.
    assert second == [
        "DK-2025-002",
        '=HYPERLINK("http://piemers.lv","Spied šeit")',
        "Ezerkrastu kopiena",
        "Atbalstīta",
        datetime.datetime(2027, 7, 30),
        None,
        1000,
        None,
        None,
        None,
        50,
        None,
        30,
        None,
        None,
        None,
        "Trīs talkas un stādīšana.",
        None,
        "Sakopts krasts un jauni koki.",
        None,
        None,
        "Kopienas talka, Līderu skola",
        None,
        None,
    ]


def test_a_hostile_title_stays_text_in_the_file(exported):
    round_, _reported, _silent = exported

    workbook = openpyxl.load_workbook(io.BytesIO(_xlsx(round_)))

    cell = workbook["Atskaites"]["B3"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://piemers.lv","Spied šeit")')


def test_the_spending_reach_and_institution_sheets(exported):
    round_, _reported, _silent = exported

    sheets = _sheets(_xlsx(round_))

    assert sheets["Izdevumi"] == [
        ["Numurs", "Iniciatīva", "Pozīcija", "Plānots, EUR", "Izlietots, EUR", "Starpība, EUR"],
        ["DK-2025-001", "Ezera krasta sakopšana", "Stādi", 600, 550, -50],
        ["DK-2025-001", "Ezera krasta sakopšana", "Soliņi", 400, 430, 30],
    ]
    hostile = '=HYPERLINK("http://piemers.lv","Spied šeit")'
    assert sheets["Mērķgrupas"] == [
        ["Numurs", "Iniciatīva", "Mērķgrupa", "Plānota pieteikumā", "Sasniegti cilvēki"],
        ["DK-2025-001", "Ezera krasta sakopšana", "Neredzamie jaunieši", "Jā", None],
        ["DK-2025-001", "Ezera krasta sakopšana", "Vīrieši 35+", "Jā", 12],
        ["DK-2025-001", "Ezera krasta sakopšana", "Ģimenes ar bērniem", "Nē", 8],
        ["DK-2025-002", hostile, "Neredzamie jaunieši", "Jā", None],
        ["DK-2025-002", hostile, "Vīrieši 35+", "Jā", None],
    ]
    assert sheets["Iestādes"] == [
        ["Numurs", "Iniciatīva", "Iestāde vai organizācija"],
        ["DK-2025-001", "Ezera krasta sakopšana", "Ezerkrastu pamatskola"],
        ["DK-2025-001", "Ezera krasta sakopšana", "Preiļu novada dome"],
    ]


def test_other_rounds_and_own_initiatives_are_left_out(exported):
    round_, _reported, _silent = exported
    things = groups_and_elements()
    funded(grant_round(reference_code="DK-2026", slug="cits"), things=things, title="Cita")

    sheets = _sheets(_xlsx(round_))

    assert [row[0] for row in sheets["Atskaites"][1:]] == ["DK-2025-001", "DK-2025-002"]


def _queries(round_) -> int:
    with CaptureQueriesContext(connection) as queries:
        _xlsx(round_)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_round():
    things = groups_and_elements()
    round_ = grant_round()
    first = funded(round_, things=things, number=1)
    write_report(first, things=things)
    few = _queries(round_)

    for number in range(2, 8):
        initiative = funded(
            round_,
            things=things,
            number=number,
            title=f"Iniciatīva {number}",
            community=first.community,
        )
        write_report(initiative, things=things, participants=40 + number)
    many = _queries(round_)

    assert (few, many) == (10, 10)
