"""Attendee lists for staff: CSV (Excel-friendly, with a BOM) and XLSX (openpyxl)."""

import csv
import io

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.formats import spreadsheet_datetime
from core.spreadsheets import BOM, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_cell, xlsx_cell

from .models import Event, Registration

FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
WIDTHS = [40, 18, 30, 30, 8, 20, 30, 40, 10, 10]


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


def rows(registrations: QuerySet[Registration]) -> list[list]:
    yes, no = _("jā"), _("nē")
    return [
        [
            registration.event.title,
            spreadsheet_datetime(registration.event.starts_at),
            registration.name,
            registration.email,
            registration.seats,
            registration.get_status_display(),
            registration.institution,
            registration.needs,
            yes if registration.photo_consent else no,
            yes if registration.attended else no,
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
        buffer.write(BOM)
        csv.writer(buffer).writerows([[csv_cell(value) for value in row] for row in table])
        content = buffer.getvalue().encode("utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(pgettext("pasākums", "Dalībnieki"))
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in table:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        output = io.BytesIO()
        workbook.save(output)
        content = output.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
