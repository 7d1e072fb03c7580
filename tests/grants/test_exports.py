"""A round's CSV and XLSX export (grants/exports.py): whole rows against hand-computed values.

The round has two criteria, "Kopienas vajadzību pamatojums" (10 points, weight 2) and "Mērķgrupu
iesaiste" (5 points, weight 1), so a total is (p1 / 10 × 2 + p2 / 5) / 3 × 100, and three
assessors: Anna Ābola, Jānis Bērziņš and Līga Cīrule. Cīrule belongs to the community of
DK-2022-001, so the platform excludes her assessment there; she never opened DK-2022-003.

DK-2022-001  Ābola 8, 4 → 80.00; Bērziņš 5, 5 → 66.67; Cīrule 2, 1 → 20.00 (excluded)
             mean and median (80.00 + 66.67) / 2 = 73.335 → 73.34, spread 13.33
DK-2022-002  Ābola 10, 5 → 100.00; Bērziņš 2, 1 → 20.00; Cīrule 6, 3 → 60.00
             mean and median 60.00, spread 80.00 > 25: assessors disagree
DK-2022-003  Ābola 6, 2 → 53.33; Bērziņš's draft (9, 5) does not count; Cīrule missing
             mean and median 53.33, spread 0.00
"""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Membership
from grants import exports
from grants.models import Application, Assessment, GrantRound, Score
from grants.services import store_unopened_conflicts
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.factories.grants import (
    ApplicationFactory,
    AssessmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://piemers.lv","Spied šeit")'
NOTIFIED = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)  # 12.30 in Riga (winter time)

HEADER = [
    "Numurs",
    "Iniciatīva",
    "Kopiena",
    "Pieteicējs",
    "E-pasts",
    "Prasītā summa, EUR",
    "Anna Ābola: Kopienas vajadzību pamatojums",
    "Anna Ābola: Mērķgrupu iesaiste",
    "Anna Ābola: vērtējums (0–100)",
    "Anna Ābola: interešu konflikts",
    "Jānis Bērziņš: Kopienas vajadzību pamatojums",
    "Jānis Bērziņš: Mērķgrupu iesaiste",
    "Jānis Bērziņš: vērtējums (0–100)",
    "Jānis Bērziņš: interešu konflikts",
    "Līga Cīrule: Kopienas vajadzību pamatojums",
    "Līga Cīrule: Mērķgrupu iesaiste",
    "Līga Cīrule: vērtējums (0–100)",
    "Līga Cīrule: interešu konflikts",
    "Vērtējumu skaits",
    "Izslēgti interešu konflikta dēļ",
    "Vidējais vērtējums",
    "Mediāna",
    "Izkliede (lielākais − mazākais)",
    "Pretrunīgi vērtēts",
    "Lēmums",
    "Piešķirtā summa, EUR",
    "Paziņots",
]
NO_CONFLICT = "Interešu konflikta nav"
MEMBER = "Vērtētājs ir pieteicējas kopienas dalībnieks"
UNDECLARED = "Nav deklarēts"


@pytest.fixture
def grant_round():
    """The round described in the module docstring, with its decisions recorded."""
    abola = UserFactory(username="abola", first_name="Anna", last_name="Ābola")
    berzins = UserFactory(username="berzins", first_name="Jānis", last_name="Bērziņš")
    cirule = UserFactory(username="cirule", first_name="Līga", last_name="Cīrule")
    # Given in another order than the names sort, and with a non-ASCII surname first.
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS,
        criteria=[(10, "2"), (5, "1")],
        assessors=[cirule, abola, berzins],
        slug="eksports",
        reference_code="DK-2022",
    )
    first, second = grant_round.criteria.order_by("order")
    first.title, second.title = "Kopienas vajadzību pamatojums", "Mērķgrupu iesaiste"
    first.save(update_fields=["title"])
    second.save(update_fields=["title"])

    preili = CommunityFactory(name="Preiļu kopiena")
    MembershipFactory(user=cirule, community=preili, status=Membership.Status.ACTIVE)
    ilze = UserFactory(
        username="ilze", first_name="Ilze", last_name="Kalniņa", email="ilze@example.lv"
    )
    one = submitted_application(
        grant_round,
        applicant=ilze,
        community=preili,
        title="Senioru deju vakari",
        requested=Decimal("1234.50"),
    )
    two = submitted_application(
        grant_round,
        applicant=UserFactory(
            username="peteris", first_name="Pēteris", last_name="Ozols", email="p@example.lv"
        ),
        community=CommunityFactory(name="Aglonas kopiena"),
        title=FORMULA,
        requested=Decimal("800.00"),
    )
    three = submitted_application(
        grant_round,
        applicant=None,  # The applicant has deleted their account.
        community=preili,
        title="Ģimeņu pārgājiens",
        requested=Decimal("500.00"),
    )
    # Neither a withdrawn application nor a draft is in the competition. (The draft comes
    # last: submitted_application numbers from the highest number, and PostgreSQL sorts a
    # draft's empty number first.)
    withdrawn = submitted_application(grant_round, community=preili, title="Atsaukts")
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)
    ApplicationFactory(round=grant_round, community=preili, title="Melnraksts")

    submitted_assessment(one, abola, [8, 4], comment="Skaidri aprakstīta vajadzība.")
    submitted_assessment(one, berzins, [5, 5])
    submitted_assessment(one, cirule, [2, 1])
    submitted_assessment(two, abola, [10, 5])
    submitted_assessment(two, berzins, [2, 1], comment="-maz pamatojuma")
    submitted_assessment(two, cirule, [6, 3])
    submitted_assessment(three, abola, [6, 2], comment="")
    draft = AssessmentFactory(application=three, assessor=berzins)
    for criterion, points in zip((first, second), (9, 5), strict=True):
        Score.objects.create(
            assessment=draft, criterion=criterion, points=points, comment="Vēl domāju."
        )

    Application.objects.filter(pk=one.pk).update(
        decision=Application.Decision.SUPPORTED,
        awarded_amount=Decimal("1000.00"),
        notified_decision=Application.Decision.SUPPORTED,
        notified_amount=Decimal("1000.00"),
        notified_at=NOTIFIED,
        status=Application.Status.DECIDED,
    )
    Application.objects.filter(pk=two.pk).update(decision=Application.Decision.NOT_SUPPORTED)
    Application.objects.filter(pk=three.pk).update(decision=Application.Decision.RESERVE)
    # What leaving assessment stored: Cīrule's conflict with the one she never opened.
    store_unopened_conflicts(grant_round=grant_round)
    return grant_round


def round_csv(grant_round) -> bytes:
    """The streamed CSV, every piece of it."""
    return b"".join(exports.round_csv(grant_round=grant_round))


def round_xlsx(grant_round) -> bytes:
    """The XLSX from its temporary file."""
    with exports.round_xlsx(grant_round=grant_round) as file:
        return file.read()


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def read_xlsx(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_has_a_bom_and_one_whole_row_per_competing_application(grant_round):
    content = round_csv(grant_round)

    assert content[:3] == b"\xef\xbb\xbf"
    # "ā" is UTF-8 in the bytes, not an escape or a question mark.
    assert "Ābola".encode() in content
    assert read_csv(content) == [
        HEADER,
        [
            "DK-2022-001",
            "Senioru deju vakari",
            "Preiļu kopiena",
            "Ilze Kalniņa",
            "ilze@example.lv",
            "1234,50",
            *["8", "4", "80,00", NO_CONFLICT],
            *["5", "5", "66,67", NO_CONFLICT],
            *["2", "1", "20,00", MEMBER],
            *["2", "1", "73,34", "73,34", "13,33", "Nē"],
            *["Atbalstīts", "1000,00", "2026-03-02 12:30"],
        ],
        [
            "DK-2022-002",
            "'" + FORMULA,
            "Aglonas kopiena",
            "Pēteris Ozols",
            "p@example.lv",
            "800,00",
            *["10", "5", "100,00", NO_CONFLICT],
            *["2", "1", "20,00", NO_CONFLICT],
            *["6", "3", "60,00", NO_CONFLICT],
            *["3", "0", "60,00", "60,00", "80,00", "Jā"],
            *["Nav atbalstīts", "", ""],
        ],
        [
            "DK-2022-003",
            "Ģimeņu pārgājiens",
            "Preiļu kopiena",
            "",
            "",
            "500,00",
            *["6", "2", "53,33", NO_CONFLICT],
            # A draft's points are unfinished work: not shown, not counted.
            *["", "", "", NO_CONFLICT],
            # Never opened, but the platform found the conflict all the same.
            *["", "", "", MEMBER],
            *["1", "1", "53,33", "53,33", "0,00", "Nē"],
            *["Rezerves sarakstā", "", ""],
        ],
    ]


def test_xlsx_has_numbers_as_numbers_a_frozen_header_and_the_same_rows(grant_round):
    workbook = read_xlsx(round_xlsx(grant_round))

    assert workbook.sheetnames == ["Vērtējumi", "Komentāri"]
    sheet = workbook["Vērtējumi"]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("C2", "A1:AA4")
    assert [cell.font.bold for cell in sheet[1]] == [True] * len(HEADER)
    # 40 and 14 characters as Excel shows them; it stores them with its cell padding.
    assert (sheet.column_dimensions["B"].width, sheet.column_dimensions["F"].width) == (
        40.7109375,
        14.7109375,
    )
    assert values(sheet) == [
        HEADER,
        [
            "DK-2022-001",
            "Senioru deju vakari",
            "Preiļu kopiena",
            "Ilze Kalniņa",
            "ilze@example.lv",
            1234.5,
            *[8, 4, 80, NO_CONFLICT],
            *[5, 5, 66.67, NO_CONFLICT],
            *[2, 1, 20, MEMBER],
            *[2, 1, 73.34, 73.34, 13.33, "Nē"],
            *["Atbalstīts", 1000, datetime(2026, 3, 2, 12, 30)],
        ],
        [
            "DK-2022-002",
            # Kept as it was typed, as text that is never run.
            FORMULA,
            "Aglonas kopiena",
            "Pēteris Ozols",
            "p@example.lv",
            800,
            *[10, 5, 100, NO_CONFLICT],
            *[2, 1, 20, NO_CONFLICT],
            *[6, 3, 60, NO_CONFLICT],
            *[3, 0, 60, 60, 80, "Jā"],
            *["Nav atbalstīts", None, None],
        ],
        [
            "DK-2022-003",
            "Ģimeņu pārgājiens",
            "Preiļu kopiena",
            None,
            None,
            500,
            *[6, 2, 53.33, NO_CONFLICT],
            *[None, None, None, NO_CONFLICT],
            *[None, None, None, MEMBER],
            *[1, 1, 53.33, 53.33, 0, "Nē"],
            *["Rezerves sarakstā", None, None],
        ],
    ]
    formula_cell = sheet["B3"]
    assert (formula_cell.value, formula_cell.data_type) == (FORMULA, "s")
    assert [
        (sheet[ref].data_type, sheet[ref].number_format)
        for ref in ("F2", "G2", "I2", "S2", "U2", "Z2", "AA2")
    ] == [
        ("n", "#,##0.00"),
        ("n", "0"),
        ("n", "0.00"),
        ("n", "0"),
        ("n", "0.00"),
        ("n", "#,##0.00"),
        ("d", "yyyy-mm-dd hh:mm"),
    ]


def test_xlsx_lists_every_submitted_assessment_with_its_points_and_comments(grant_round):
    sheet = read_xlsx(round_xlsx(grant_round))["Komentāri"]

    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:G8")
    given = "Pamatots vērtējums."  # tests.factories.grants.submitted_assessment's default
    clear = "Skaidri aprakstīta vajadzība."
    assert values(sheet) == [
        [
            "Numurs",
            "Iniciatīva",
            "Vērtētājs",
            "Kopienas vajadzību pamatojums: punkti",
            "Kopienas vajadzību pamatojums: komentārs",
            "Mērķgrupu iesaiste: punkti",
            "Mērķgrupu iesaiste: komentārs",
        ],
        ["DK-2022-001", "Senioru deju vakari", "Anna Ābola", 8, clear, 4, clear],
        ["DK-2022-001", "Senioru deju vakari", "Jānis Bērziņš", 5, given, 5, given],
        # Excluded from the figures, but what was written stays on record.
        ["DK-2022-001", "Senioru deju vakari", "Līga Cīrule", 2, given, 1, given],
        ["DK-2022-002", FORMULA, "Anna Ābola", 10, given, 5, given],
        ["DK-2022-002", FORMULA, "Jānis Bērziņš", 2, "-maz pamatojuma", 1, "-maz pamatojuma"],
        ["DK-2022-002", FORMULA, "Līga Cīrule", 6, given, 3, given],
        # Points without a comment are still there; Bērziņš's draft is not.
        ["DK-2022-003", "Ģimeņu pārgājiens", "Anna Ābola", 6, None, 2, None],
    ]
    assert (sheet["B6"].value, sheet["B6"].data_type) == (FORMULA, "s")


def test_a_declared_conflict_and_an_assessor_no_longer_on_the_round_are_shown(grant_round):
    # Cīrule leaves the round: she keeps her column for the assessments she gave, and the
    # conflicts stored on them stay (as in round_figures): the figures do not change.
    grant_round.assessors.remove(grant_round.assessors.get(username="cirule"))
    # Someone who declared a conflict: the assessment is closed without points.
    AssessmentFactory(
        application=Application.objects.get(reference="DK-2022-002"),
        assessor=UserFactory(username="zelca", first_name="Zane", last_name="Zelča"),
        conflict=Assessment.Conflict.DECLARED,
        conflict_reason="Esmu pieteicēja kaimiņiene.",
    )

    header, *rows = read_csv(round_csv(grant_round))

    assert header[14:22] == [
        "Līga Cīrule: Kopienas vajadzību pamatojums",
        "Līga Cīrule: Mērķgrupu iesaiste",
        "Līga Cīrule: vērtējums (0–100)",
        "Līga Cīrule: interešu konflikts",
        "Zane Zelča: Kopienas vajadzību pamatojums",
        "Zane Zelča: Mērķgrupu iesaiste",
        "Zane Zelča: vērtējums (0–100)",
        "Zane Zelča: interešu konflikts",
    ]
    assert [row[14:24] for row in rows] == [
        # Cīrule's 20.00 stays excluded: two totals, mean (80 + 66.67) / 2 = 73.34.
        ["2", "1", "20,00", MEMBER, "", "", "", UNDECLARED, "2", "1"],
        ["6", "3", "60,00", NO_CONFLICT, "", "", "", "Ir interešu konflikts", "3", "1"],
        ["", "", "", MEMBER, "", "", "", UNDECLARED, "1", "1"],
    ]
    assert rows[0][24] == "73,34"


def test_assessments_of_deleted_accounts_get_numbered_columns_at_the_end(grant_round):
    # SET_NULL: the assessor deleted their account; the assessment stays in the round's record.
    Assessment.objects.filter(
        application__reference="DK-2022-002", assessor__username="berzins"
    ).update(assessor=None)

    header, *rows = read_csv(round_csv(grant_round))

    assert header[18:22] == [
        "Dzēsts vērtētāja konts 1: Kopienas vajadzību pamatojums",
        "Dzēsts vērtētāja konts 1: Mērķgrupu iesaiste",
        "Dzēsts vērtētāja konts 1: vērtējums (0–100)",
        "Dzēsts vērtētāja konts 1: interešu konflikts",
    ]
    assert [row[10:14] + row[18:22] for row in rows] == [
        ["5", "5", "66,67", NO_CONFLICT, "", "", "", UNDECLARED],
        ["", "", "", UNDECLARED, "2", "1", "20,00", NO_CONFLICT],
        ["", "", "", NO_CONFLICT, "", "", "", UNDECLARED],
    ]
    # The figures are round_figures' own: still three totals on DK-2022-002.
    assert rows[1][22:28] == ["3", "0", "60,00", "60,00", "80,00", "Jā"]


def _queries(export, grant_round) -> int:
    """The queries of one whole export: the CSV's rows are read as its pieces are taken."""
    with CaptureQueriesContext(connection) as queries:
        export(grant_round)
    return len(queries)


@pytest.mark.parametrize("export", [round_csv, round_xlsx])
@pytest.mark.parametrize("status", [GrantRound.Status.ASSESSMENT, GrantRound.Status.DECISIONS])
def test_query_count_does_not_grow_with_the_applications(export, status):
    # While the round is assessed the platform's conflicts are looked up live (two more
    # queries); afterwards only what the assessments store counts.
    assessors = [UserFactory(), UserFactory(), UserFactory()]
    grant_round = closed_round(status=status, criteria=[(10, "2"), (5, "1")], assessors=assessors)
    community = CommunityFactory()
    MembershipFactory(user=assessors[2], community=community, status=Membership.Status.ACTIVE)
    gone = UserFactory()

    def add_applications(count: int):
        for _ in range(count):
            application = submitted_application(grant_round, community=community)
            for assessor in assessors[:2]:
                submitted_assessment(application, assessor, [7, 3], comment="Labi.")
            # An assessment whose assessor has since deleted their account.
            submitted_assessment(application, gone, [1, 1])
            Assessment.objects.filter(application=application, assessor=gone).update(assessor=None)

    add_applications(3)
    three = _queries(export, grant_round)
    add_applications(27)
    thirty = _queries(export, grant_round)

    assert grant_round.applications.count() == 30
    assert three == thirty


def test_rows_read_in_small_chunks_are_the_same_rows(grant_round, monkeypatch):
    # The three queries are walked side by side a chunk at a time: chunks smaller than an
    # application's scores must not shift a score to the wrong row.
    whole_csv, whole_xlsx = round_csv(grant_round), read_xlsx(round_xlsx(grant_round))
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)

    assert round_csv(grant_round) == whole_csv
    chunked = read_xlsx(round_xlsx(grant_round))
    assert [values(sheet) for sheet in chunked] == [values(sheet) for sheet in whole_xlsx]


def test_a_round_without_competing_applications_exports_its_header_only():
    grant_round = closed_round(
        criteria=[(10, "1")], assessors=[UserFactory(first_name="Anna", last_name="Ābola")]
    )
    ApplicationFactory(round=grant_round)  # a draft does not compete

    assert read_csv(round_csv(grant_round)) == [
        [
            *HEADER[:6],
            *["Anna Ābola: Kritērijs 1", "Anna Ābola: vērtējums (0–100)"],
            "Anna Ābola: interešu konflikts",
            *HEADER[-9:],
        ]
    ]
    workbook = read_xlsx(round_xlsx(grant_round))
    assert [(len(values(sheet)), sheet.auto_filter.ref) for sheet in workbook] == [
        (1, None),
        (1, None),
    ]


def test_csv_is_in_the_form_latvian_excel_opens_as_a_table(grant_round):
    content = round_csv(grant_round).decode("utf-8")

    first_line, second_line = content.splitlines()[:2]
    assert first_line.startswith("\ufeffNumurs;Iniciatīva;Kopiena;Pieteicējs;E-pasts;")
    assert second_line.startswith(
        "DK-2022-001;Senioru deju vakari;Preiļu kopiena;Ilze Kalniņa;ilze@example.lv;1234,50;"
        "8;4;80,00;"
    )
