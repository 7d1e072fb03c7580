"""The team's pages as HTML: no heading level skipped, and valid by the W3C Nu HTML checker,
in Latvian and English, plain and with errors, conflicts, comments and rows shown (DESIGN §8).

These pages are behind a login, so the site-wide checks (tests/kopienas/test_headings.py and
test_html_validity.py, which walk the anonymous visitor's and a member's pages) never see them.
"""

import datetime
import json
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from initiatives.models import Milestone
from initiatives.services import reports
from tests.factories import (
    TargetGroupFactory,
    fill_report,
    leader_of,
    own_initiative,
    verified_user,
)
from tests.initiatives.report_support import (
    form_data,
    jpeg,
    pdf,
    team_initiative,
)
from tests.kopienas.test_headings import HEADING, skips
from tests.kopienas.test_html_validity import VNU_JAR, _java

pytestmark = pytest.mark.django_db


def rendered_pages(coordinator) -> dict[str, bytes]:
    """Each state of each team page, as its visitor sees it."""
    TargetGroupFactory.create_batch(2)
    initiative, report, leader = team_initiative()
    reports.save_report(
        report=report,
        actor=leader,
        version=report.version,
        changes=reports.ReportChanges(
            receipts=[pdf()],
            photos=[reports.PhotoUpload(upload=jpeg(), alt_text="Talka", consent=True)],
            institutions=["Preiļu novada dome"],
        ),
    )
    Milestone.objects.create(
        initiative=initiative, title="Iepirkums", due_on=datetime.date(2020, 1, 1)
    )
    team = Client()
    team.force_login(leader)
    base = f"/iniciativas/{initiative.slug}/"
    pages = {}
    for prefix in ("", "/en"):
        pages[f"{prefix} form"] = team.get(f"{prefix}{base}atskaite/").content
        pages[f"{prefix} form with errors"] = team.post(
            f"{prefix}{base}atskaite/",
            {
                **form_data(report, action="submit", participants="abc"),
                "photo_0_file": jpeg(),
                "photo_0_alt_text": "",
            },
        ).content
        pages[f"{prefix} progress"] = team.get(f"{prefix}{base}gaita/").content
        pages[f"{prefix} progress with errors"] = team.post(
            f"{prefix}{base}gaita/", {"action": "milestone", "title": "", "due_on": "x"}
        ).content
        pages[f"{prefix} record"] = team.get(f"{prefix}/iniciativas/jauna/").content
        pages[f"{prefix} record with errors"] = team.post(
            f"{prefix}/iniciativas/jauna/", {"title": "", "year": "x"}
        ).content
        pages[f"{prefix} my page"] = team.get(f"{prefix}/mans/").content
    # A conflict: someone else saved after this form was opened.
    opened = form_data(report)
    other = Client()
    other.force_login(leader_of(initiative.community))
    other.post(f"{base}atskaite/", {**opened, "story": "Cits"})
    pages["conflict"] = team.post(f"{base}atskaite/", {**opened, "story": "Mans"}).content
    # Returned with a comment, then the read-only report of a submitted one.
    fill_report(initiative, actor=leader)
    report.refresh_from_db()
    reports.submit_report(report=report, actor=leader)
    reports.return_report(initiative=initiative, actor=coordinator, comment="Trūkst čeku.")
    pages["returned"] = team.get(f"{base}atskaite/").content
    reports.submit_report(report=report, actor=leader)
    pages["submitted"] = team.get(f"{base}atskaite/").content
    staff = Client()
    staff.force_login(coordinator)
    pages["coordinator"] = staff.get(f"{base}atskaite/").content
    pages["coordinator, not started"] = staff.get(
        f"/iniciativas/{own_initiative().slug}/atskaite/"
    ).content
    outsider = Client()
    outsider.force_login(verified_user())
    pages["not a leader"] = outsider.get("/iniciativas/jauna/").content
    return pages


def test_no_team_page_skips_a_heading_level(coordinator):
    pages = rendered_pages(coordinator)

    found = {}
    for name, content in pages.items():
        levels = [int(level) for level in HEADING.findall(content)]
        found[name] = (levels[:1], skips(levels))

    assert {name: result for name, result in found.items() if result != ([1], [])} == {}


@pytest.mark.vnu
def test_every_team_page_is_valid_html(coordinator, tmp_path):
    java = _java()
    pages = rendered_pages(coordinator)
    files = {}
    for number, (name, content) in enumerate(pages.items()):
        file = tmp_path / f"page-{number:02d}.html"
        file.write_bytes(content)
        files[file.name] = name

    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *sorted(str(tmp_path / name) for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )

    messages = json.loads(result.stderr)["messages"]
    errors = sorted(
        {
            f"{files[Path(message.get('url', '')).name]}: {message['message']} "
            f"«{message.get('extract', '').strip()}»"
            for message in messages
        }
    )
    assert len(files) == 20
    assert errors == [], "\n".join(errors)
