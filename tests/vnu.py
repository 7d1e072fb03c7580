"""The W3C Nu HTML checker over a few rendered pages, for the tests of pages the site-wide check
(tests/kopienas/test_html_validity.py) does not reach: a leader's or a manager's own pages."""

import json
import subprocess
from pathlib import Path


def nu_errors(pages: dict[str, bytes], folder: Path) -> list[str]:
    """Every error vnu.jar finds in `pages` ({name: HTML}), as "<name>.html: <message>"; fails in
    CI (skips elsewhere) when Java or vnu.jar is missing."""
    from tests.kopienas.test_html_validity import VNU_JAR, _java

    java = _java()
    for name, content in pages.items():
        (folder / f"{name}.html").write_bytes(content)
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *sorted(str(folder / f"{name}.html") for name in pages),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return [
        f"{message.get('url', '').rsplit('/', 1)[-1]}: {message['message']}"
        for message in json.loads(result.stderr)["messages"]
    ]
