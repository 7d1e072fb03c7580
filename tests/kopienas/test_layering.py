"""The one-way import rule of DESIGN §3 is checked by `make lint` (import-linter's layers
contract in pyproject.toml): it passes on the code as it is, and an upward import breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PACKAGES = [
    "core",
    "resource_centres",
    "communities",
    "events",
    "grants",
    "initiatives",
    "kopienas",
    "devtools",
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(BASE / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(
            BASE / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return copy


def test_the_layers_hold_on_the_code_as_it_is(tmp_path):
    result = _lint_imports(_copy(tmp_path))

    assert (result.returncode, "Contracts: 1 kept, 0 broken." in result.stdout) == (0, True)


def test_an_import_from_a_higher_app_breaks_the_build(tmp_path):
    copy = _copy(tmp_path)
    with (copy / "core" / "text.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom grants import selectors  # noqa: E402, F401\n")

    result = _lint_imports(copy)

    assert (result.returncode, "Contracts: 0 kept, 1 broken." in result.stdout) == (1, True)
    assert "core.text -> grants.selectors" in result.stdout
