"""Attendee lists for staff: CSV (Excel-friendly, with a BOM) streamed as its rows are read, and
XLSX written row by row (core.spreadsheets.StreamedWorkbook): memory stays flat however many
registrations an export holds."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.formats import spreadsheet_datetime
from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    StreamedWorkbook,
    csv_pieces,
)

from .models import Event, Registration

FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
WIDTHS = [40, 18, 30, 30, 8, 20, 30, 40, 10, 10]
NUMBER_FORMATS = [None, None, None, None, "0", None, None, None, None, None]
# Registrations read from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 1000


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


def rows(registrations: QuerySet[Registration]) -> Iterator[list]:
    yes, no = _("jā"), _("nē")
    for registration in registrations.select_related("event").iterator(chunk_size=CHUNK_SIZE):
        yield [
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


def _in_language(language: str, pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The pieces made in the request's language: a streamed response is read after the
    view has returned, when the request's language may no longer be the active one."""
    with translation.override(language):
        yield from pieces


def attendees_response(*, event: Event | None, registrations: QuerySet[Registration], fmt: str):
    filename = f"{f'dalibnieki-{event.slug}' if event else 'dalibnieki'}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _in_language(translation.get_language(), csv_pieces(headers(), rows(registrations))),
            content_type=CSV_CONTENT_TYPE,
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    # Written whole to a temporary file first (a failure is an error page, not half a file),
    # then sent from disk; the file goes when the response is closed.
    with StreamedWorkbook() as workbook:
        sheet = workbook.add_sheet(
            pgettext("pasākums", "Dalībnieki"), widths=WIDTHS, number_formats=NUMBER_FORMATS
        )
        sheet.header(headers())
        for row in rows(registrations):
            sheet.append(row)
        file = workbook.save()
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
