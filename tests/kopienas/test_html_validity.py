"""Every public page is valid HTML by the W3C Nu HTML checker (DESIGN §8: "0 errors").

The pages are the permission matrix's (tests/site_pages.py), in Latvian and English, as an
anonymous visitor and as a member with applications and registrations sees them. They are
rendered with the test client, written to one folder and checked by one run of vnu.jar (the
`vnu-jar` npm package, pinned in package.json: `npm ci`) on Java. Without Java or vnu.jar the
test is skipped on a developer's machine and fails in CI (CI=true), like the browser tests.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.site_pages import matrix_pages
from tests.test_permission_matrix import people, placeholders  # noqa: F401

pytestmark = pytest.mark.vnu

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


FORMS_WITH_ERRORS = [
    ("guest", "/pasakumi/{event}/pieteikties/", {"name": "", "email": "nav-epasts", "seats": "1"}),
    (
        "signup",
        "/konts/signup/",
        {"first_name": "", "email": "nav-epasts", "password1": "a", "password2": "b"},
    ),
    ("login", "/en/konts/login/", {"login": "nav@example.lv", "password": "nepareiza"}),
]


def _java() -> str:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java is not on the PATH (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR} is missing (npm ci)")
    if missing:
        reason = "The Nu HTML checker cannot run: " + "; ".join(missing) + "."
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return java


def _render(user, path: str) -> bytes:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path).content


def test_every_public_page_is_valid_html(people, placeholders, tmp_path):  # noqa: F811
    java = _java()
    files = {}
    for role in ("anonymous", "member"):
        for number, path in enumerate(matrix_pages(people, placeholders, role, english=True)):
            file = tmp_path / f"{role}-{number:03d}.html"
            file.write_bytes(_render(people[role], path))
            files[file.name] = f"{role} {path}"

    # Forms as they come back with errors: the summary, the marked fields (issue #15).
    event = placeholders["event"]
    for name, path, data in FORMS_WITH_ERRORS:
        client = Client()
        file = tmp_path / f"errors-{name}.html"
        file.write_bytes(client.post(path.format(event=event), data).content)
        files[file.name] = f"errors {path.format(event=event)}"

    # The booking form with errors, as a signed-in person sees it.
    client = Client()
    client.force_login(people["member"])
    path = f"/centri/preili/rezervet/{placeholders['bookable_item']}/"
    file = tmp_path / "errors-booking.html"
    bad = {"day": "abc", "starts": "25:00", "ends": "", "note": "<b>x</b>", "repeat": "on"}
    file.write_bytes(client.post(path, {**bad, "weeks": "13", "token": ""}).content)
    files[file.name] = f"errors {path}"

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
    # vnu writes its JSON report to standard error; it exits 1 when it found errors.
    messages = json.loads(result.stderr)["messages"]
    errors = sorted(
        {
            f"{files[Path(message.get('url', '')).name]}: {message['message']} "
            f"«{message.get('extract', '').strip()}»"
            for message in messages
        }
    )

    assert len(files) > 40
    assert "errors-guest.html" in files
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
