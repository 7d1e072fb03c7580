"""All reports of a grant round for coordinators, as XLSX written row by row
(core.spreadsheets.StreamedWorkbook, the platform's one XLSX writer): one sheet of initiatives
with the application's plan beside the report, one of spending lines, one of reach per target
group and one of institutions.

Every initiative of the round has its row, reported or not, so a missing report shows as empty
columns rather than a missing row. Every cell goes through core.spreadsheets, so a title typed
as "=HYPERLINK(…)" stays text and control characters never break the file. The number of
queries does not depend on the number of initiatives.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.formats import CENT
from core.spreadsheets import StreamedWorkbook
from grants.models import GrantRound

from .models import FinalReport, Initiative

TEXT, LONG_TEXT, MONEY, COUNT, DATE, WHEN = "text", "long", "money", "count", "date", "when"
NUMBER_FORMATS = {MONEY: "#,##0.00", COUNT: "0", DATE: "yyyy-mm-dd", WHEN: "yyyy-mm-dd hh:mm"}
WIDTHS = {TEXT: 24, LONG_TEXT: 40, MONEY: 14, COUNT: 10, DATE: 12, WHEN: 17}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str


def round_reports_xlsx(*, grant_round: GrantRound) -> IO[bytes]:
    """The round's reports as XLSX: a temporary file, read from its start, for the caller to
    close (FileResponse does)."""
    initiatives = _initiatives(grant_round)
    yes, no = _("Jā"), _("Nē")
    with StreamedWorkbook() as workbook:
        first = [Column(_("Numurs"), TEXT), Column(_("Iniciatīva"), LONG_TEXT)]
        main = _sheet(
            workbook,
            _("Atskaites"),
            [
                *first,
                Column(_("Kopiena"), TEXT),
                Column(_("Statuss"), TEXT),
                Column(_("Atskaites termiņš"), DATE),
                Column(_("Iesniegta"), WHEN),
                Column(_("Piešķirtā summa, EUR"), MONEY),
                Column(_("Plānots no finansējuma, EUR"), MONEY),
                Column(_("Izlietots, EUR"), MONEY),
                Column(_("Starpība, EUR"), MONEY),
                Column(_("Plānotais līdzfinansējums, EUR"), MONEY),
                Column(_("Līdzfinansējums, EUR"), MONEY),
                Column(_("Plānotais dalībnieku skaits"), COUNT),
                Column(_("Dalībnieki"), COUNT),
                Column(_("Brīvprātīgie"), COUNT),
                Column(_("Iestāžu un organizāciju skaits"), COUNT),
                Column(_("Plānotās aktivitātes"), LONG_TEXT),
                Column(_("Ko izdarījām"), LONG_TEXT),
                Column(_("Mērķi"), LONG_TEXT),
                Column(_("Rezultāti"), LONG_TEXT),
                Column(_("Kas notiks tālāk"), LONG_TEXT),
                Column(_("Plānotie modeļa elementi"), LONG_TEXT),
                Column(_("Īstenotie modeļa elementi"), LONG_TEXT),
                Column(_("Stāsts"), LONG_TEXT),
            ],
        )
        spending = _sheet(
            workbook,
            _("Izdevumi"),
            [
                *first,
                Column(_("Pozīcija"), LONG_TEXT),
                Column(_("Plānots, EUR"), MONEY),
                Column(_("Izlietots, EUR"), MONEY),
                Column(_("Starpība, EUR"), MONEY),
            ],
        )
        reach = _sheet(
            workbook,
            _("Mērķgrupas"),
            [
                *first,
                Column(_("Mērķgrupa"), TEXT),
                Column(_("Plānota pieteikumā"), TEXT),
                Column(_("Sasniegti cilvēki"), COUNT),
            ],
        )
        institutions = _sheet(
            workbook, _("Iestādes"), [*first, Column(_("Iestāde vai organizācija"), LONG_TEXT)]
        )
        for initiative in initiatives:
            application = initiative.application
            report = _report(initiative)
            reference = application.reference
            lines = list(report.spending.all()) if report else []
            planned = sum((line.planned for line in lines), Decimal(0)) if report else None
            spent_values = [line.spent for line in lines if line.spent is not None]
            spent = sum(spent_values, Decimal(0)) if report else None
            own_planned = sum(
                (line.own_contribution for line in application.budget_lines.all()), Decimal(0)
            )
            report_institutions = list(report.institutions.all()) if report else []
            main.append(
                [
                    reference,
                    initiative.title,
                    initiative.community.name,
                    initiative.get_status_display(),
                    initiative.report_due_on,
                    report.submitted_at if report else None,
                    _money(application.awarded_amount),
                    _money(planned),
                    _money(spent),
                    _money(spent - planned) if report else None,
                    _money(own_planned),
                    _money(report.own_contribution) if report else None,
                    application.expected_participants,
                    report.participants if report else None,
                    report.volunteers if report else None,
                    len(report_institutions) if report else None,
                    application.activities,
                    report.activities_done if report else "",
                    application.goals,
                    report.results if report else "",
                    report.next_steps if report else "",
                    ", ".join(element.title for element in application.model_elements.all()),
                    ", ".join(element.title for element in report.model_elements.all())
                    if report
                    else "",
                    report.story if report else "",
                ]
            )
            for line in lines:
                spending.append(
                    [
                        reference,
                        initiative.title,
                        line.item,
                        _money(line.planned),
                        _money(line.spent),
                        _money(line.difference),
                    ]
                )
            planned_groups = {group.pk: group for group in application.target_groups.all()}
            reached = {row.target_group_id: row for row in report.reach.all()} if report else {}
            groups = {**planned_groups, **{pk: row.target_group for pk, row in reached.items()}}
            for group in sorted(groups.values(), key=lambda group: (group.order, group.pk)):
                row = reached.get(group.pk)
                reach.append(
                    [
                        reference,
                        initiative.title,
                        group.title,
                        yes if group.pk in planned_groups else no,
                        row.count if row else None,
                    ]
                )
            for institution in report_institutions:
                institutions.append([reference, initiative.title, institution.name])
        return workbook.save()


def _initiatives(grant_round: GrantRound) -> list[Initiative]:
    reports = FinalReport.objects.prefetch_related(
        "spending", "reach__target_group", "institutions", "model_elements"
    )
    return list(
        Initiative.objects.filter(application__round=grant_round)
        .select_related("community", "application")
        .prefetch_related(
            Prefetch("report", queryset=reports),
            "application__target_groups",
            "application__model_elements",
            "application__budget_lines",
        )
        .order_by("application__number", "pk")
    )


def _report(initiative: Initiative) -> FinalReport | None:
    try:
        return initiative.report
    except FinalReport.DoesNotExist:
        return None


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


def _sheet(workbook: StreamedWorkbook, title: str, columns: list[Column]):
    """A sheet with widths, a bold header frozen with the first two columns, and a filter on
    every column."""
    sheet = workbook.add_sheet(
        title,
        widths=[WIDTHS[column.kind] for column in columns],
        number_formats=[NUMBER_FORMATS.get(column.kind) for column in columns],
        freeze="C2",
    )
    sheet.header([column.title for column in columns])
    return sheet
