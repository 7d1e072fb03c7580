"""Helpers for the tests of the team's report pages (branch `report`): the private storage the
report's files go to, test files, and the POST the report form sends, as a browser sends it."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from initiatives.models import FinalReport, ReportReceipt
from initiatives.services import reports
from tests.factories import funded_initiative, leader_of
from tests.factories.grants import PDF_BYTES

__all__ = [
    "PDF_BYTES",
    "fake_pdf",
    "form_data",
    "jpeg",
    "pdf",
    "png",
    "report_storage_fixture",
    "stored_files",
    "team_initiative",
]


@pytest.fixture(name="report_storage")
def report_storage_fixture():
    """The private storage the report's files go to (tests/conftest.py points it to a
    temporary folder for each test)."""
    return ReportReceipt._meta.get_field("file").storage


def stored_files(storage) -> list[str]:
    root = storage.location
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, name), root) for name in files]
    return sorted(found)


def _image(fmt: str, colour: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def jpeg(name="talka.jpg", colour="green") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image("JPEG", colour), "image/jpeg")


def png(name="soliņi.png", colour="blue") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image("PNG", colour), "image/png")


def pdf(name="čeks.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def fake_pdf(name="rēķins.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"MZ" * 500, "application/pdf")


def team_initiative(**kwargs):
    """A funded initiative (award 1 000 €, one budget line of 1 000 €), its report started,
    and a leader of its community: (initiative, report, leader)."""
    initiative = funded_initiative(**kwargs)
    leader = leader_of(initiative.community)
    report = reports.start_report(initiative=initiative)
    return initiative, report, leader


def form_data(report: FinalReport, *, action="save", version=None, **fields) -> dict:
    """The report form as the page offers it, with `fields` typed over it: spending as
    {"spent": {row_pk: "123,00"}}, reach as {"reach": {group_pk: "5"}}."""
    report.refresh_from_db()
    data = {
        "version": report.version if version is None else version,
        "action": action,
        "activities_done": report.activities_done,
        "results": report.results,
        "next_steps": report.next_steps,
        "story": report.story,
        "participants": "" if report.participants is None else report.participants,
        "volunteers": "" if report.volunteers is None else report.volunteers,
        "institutions": "\n".join(report.institutions.values_list("name", flat=True)),
        "model_elements": list(report.model_elements.values_list("pk", flat=True)),
    }
    if report.initiative.is_funded:
        data["own_contribution"] = (
            "" if report.own_contribution is None else str(report.own_contribution)
        )
        for row in report.spending.all():
            data[f"spent_{row.pk}"] = "" if row.spent is None else str(row.spent)
    for row in report.reach.all():
        data[f"reach_{row.target_group_id}"] = row.count
    for pk, value in fields.pop("spent", {}).items():
        data[f"spent_{pk}"] = value
    for pk, value in fields.pop("reach", {}).items():
        data[f"reach_{pk}"] = value
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}
