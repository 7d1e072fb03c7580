"""Attendee lists for staff: CSV (Excel-friendly, with a BOM) and XLSX (openpyxl)."""

import csv
import io

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .models import Event, Registration

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Pasākums"),
        pgettext("pasākuma laiks", "Sākums"),
        _("Vārds, uzvārds"),
        _("E-pasts"),
        _("Vietu skaits"),
        _("Statuss"),
        _("Izglītības iestāde"),
        _("Vajadzības"),
        _("Piekrīt būt fotogrāfijās"),
        _("Piedalījās"),
    ]


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(registrations: QuerySet[Registration]) -> list[list]:
    yes, no = _("jā"), _("nē")
    return [
        [
            _cell(value)
            for value in (
                registration.event.title,
                timezone.localtime(registration.event.starts_at).strftime("%Y-%m-%d %H:%M"),
                registration.name,
                registration.email,
                registration.seats,
                registration.get_status_display(),
                registration.institution,
                registration.needs,
                yes if registration.photo_consent else no,
                yes if registration.attended else no,
            )
        ]
        for registration in registrations.select_related("event")
    ]


def attendees_response(
    *, event: Event | None, registrations: QuerySet[Registration], fmt: str
) -> HttpResponse:
    name = f"dalibnieki-{event.slug}" if event else "dalibnieki"
    table = [headers(), *rows(registrations)]
    if fmt == "csv":
        buffer = io.StringIO()
        # The BOM tells Excel the file is UTF-8, so "Bērziņa" is not shown as mojibake.
        buffer.write("\ufeff")
        csv.writer(buffer).writerows(table)
        content = buffer.getvalue().encode("utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = pgettext("pasākums", "Dalībnieki")
        for row in table:
            sheet.append(row)
        for index, width in enumerate([40, 18, 30, 30, 8, 20, 30, 40, 10, 10], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        output = io.BytesIO()
        workbook.save(output)
        content = output.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
