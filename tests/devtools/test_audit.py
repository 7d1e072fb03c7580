"""`make audit` (devtools/audit.py) decides from pip-audit's JSON report: a known vulnerability
with a fixed release fails, one without a fix only warns, and a report in which packages could
not be audited (or none at all) is "AUDIT NOT RUN", which fails unless AUDIT_OFFLINE_OK=1."""

import json

from packaging.version import Version
from pip_audit._format import JsonFormat
from pip_audit._service import ResolvedDependency, SkippedDependency, VulnerabilityResult

from devtools.audit import BANNER, Decision, decide

DJANGO_VULN = {
    "id": "PYSEC-2026-17",
    "fix_versions": ["6.1.4", "6.2.1"],
    "aliases": ["CVE-2026-31337", "GHSA-abcd-efgh-ijkl"],
    "description": "SQL injection in QuerySet.order_by() on PostgreSQL.",
}
PILLOW_VULN = {
    "id": "GHSA-wxyz-1234-5678",
    "fix_versions": [],
    "aliases": [],
    "description": "Denial of service on a crafted TIFF file.",
}
FIX_AVAILABLE = {
    "dependencies": [
        {"name": "django", "version": "6.1.3", "vulns": [DJANGO_VULN]},
        {"name": "pillow", "version": "13.0.0", "vulns": []},
    ],
    "fixes": [],
}
NO_FIX = {
    "dependencies": [
        {"name": "django", "version": "6.1.3", "vulns": []},
        {"name": "pillow", "version": "13.0.0", "vulns": [PILLOW_VULN]},
    ],
    "fixes": [],
}
CLEAN = {
    "dependencies": [
        {"name": "django", "version": "6.1.3", "vulns": []},
        {"name": "pillow", "version": "13.0.0", "vulns": []},
    ],
    "fixes": [],
}
# What pip-audit 2.10 gives on this machine's PyPI, which answers 404 for every version's JSON:
# every package skipped, while it prints "No known vulnerabilities found" and exits 0.
NOT_FOUND = "Dependency not found on PyPI and could not be audited"
ALL_SKIPPED = {
    "dependencies": [
        {"name": "django", "skip_reason": f"{NOT_FOUND}: django (6.1.3)"},
        {"name": "pillow", "skip_reason": f"{NOT_FOUND}: pillow (13.0.0)"},
    ],
    "fixes": [],
}
PARTLY_SKIPPED = {
    "dependencies": [
        {"name": "django", "version": "6.1.3", "vulns": [DJANGO_VULN]},
        {"name": "pillow", "skip_reason": f"{NOT_FOUND}: pillow (13.0.0)"},
    ],
    "fixes": [],
}

DJANGO_LINE = (
    "VULNERABLE: django 6.1.3: PYSEC-2026-17 (CVE-2026-31337, GHSA-abcd-efgh-ijkl); "
    "fixed in: 6.1.4, 6.2.1"
)
FAILED_LINE = (
    "Audit failed: 1 known vulnerabilities have a fixed release; "
    'update the lock (make lock LOCK_ARGS="--upgrade-package NAME").'
)
PYPI_SAID = "pypi: pip-audit exited 0: No known vulnerabilities found"
OSV_SAID = "osv: pip-audit exited 1: requests.exceptions.ConnectionError: Max retries exceeded"


def test_the_samples_are_what_pip_audit_writes():
    django = ResolvedDependency(name="Django", version=Version("6.1.3"))
    pillow = ResolvedDependency(name="pillow", version=Version("13.0.0"))
    skipped = SkippedDependency(name="pillow", skip_reason=f"{NOT_FOUND}: pillow (13.0.0)")

    def vuln(sample):
        return VulnerabilityResult(
            id=sample["id"],
            description=sample["description"],
            fix_versions=[Version(v) for v in sample["fix_versions"]],
            aliases=set(sample["aliases"]),
        )

    def written(result):
        document = json.loads(JsonFormat(output_desc=True, output_aliases=True).format(result, []))
        for dependency in document["dependencies"]:
            for v in dependency.get("vulns", []):
                v["aliases"].sort()  # a set in pip-audit
        return document

    assert written({django: [vuln(DJANGO_VULN)], pillow: []}) == FIX_AVAILABLE
    assert written({django: [], pillow: [vuln(PILLOW_VULN)]}) == NO_FIX
    assert written({django: [vuln(DJANGO_VULN)], skipped: []}) == PARTLY_SKIPPED


def test_a_vulnerability_with_a_fixed_release_fails():
    assert decide(FIX_AVAILABLE, offline_ok=False) == Decision(1, (DJANGO_LINE, FAILED_LINE))


def test_a_vulnerability_with_a_fixed_release_fails_even_when_offline_is_allowed():
    assert decide(FIX_AVAILABLE, offline_ok=True) == Decision(1, (DJANGO_LINE, FAILED_LINE))


def test_a_vulnerability_without_a_fix_only_warns():
    assert decide(NO_FIX, offline_ok=False) == Decision(
        0,
        (
            "WARNING, known vulnerability without a fix: pillow 13.0.0: GHSA-wxyz-1234-5678; "
            "fixed in: no fixed release yet",
        ),
    )


def test_no_vulnerability_passes():
    assert decide(CLEAN, offline_ok=False) == Decision(
        0, ("Audit: no known vulnerability in 2 packages.",)
    )


def test_every_package_skipped_is_an_audit_not_run():
    lines = (
        BANNER,
        "AUDIT NOT RUN: 2 of 2 packages could not be audited (django, pillow), "
        f"e.g. '{NOT_FOUND}: django (6.1.3)'",
        f"  {PYPI_SAID}",
        f"  {OSV_SAID}",
        "Set AUDIT_OFFLINE_OK=1 to go on without it.",
        BANNER,
    )
    problems = [PYPI_SAID, OSV_SAID]
    assert decide(ALL_SKIPPED, offline_ok=False, problems=problems) == Decision(2, lines)


def test_every_package_skipped_passes_only_when_offline_is_allowed():
    assert decide(ALL_SKIPPED, offline_ok=True, problems=[PYPI_SAID]) == Decision(
        0,
        (
            BANNER,
            "AUDIT NOT RUN: 2 of 2 packages could not be audited (django, pillow), "
            f"e.g. '{NOT_FOUND}: django (6.1.3)'",
            f"  {PYPI_SAID}",
            "AUDIT_OFFLINE_OK=1: going on without the audit.",
            BANNER,
        ),
    )


def test_no_report_at_all_is_an_audit_not_run():
    said = ["pypi: pip-audit did not finish within 120 s", "osv: not tried, the 120 s were spent"]
    assert decide(None, offline_ok=False, problems=said) == Decision(
        2,
        (
            BANNER,
            "AUDIT NOT RUN: no vulnerability service gave a report",
            "  pypi: pip-audit did not finish within 120 s",
            "  osv: not tried, the 120 s were spent",
            "Set AUDIT_OFFLINE_OK=1 to go on without it.",
            BANNER,
        ),
    )


def test_a_fixable_vulnerability_among_the_audited_fails_though_others_were_skipped():
    assert decide(PARTLY_SKIPPED, offline_ok=True) == Decision(
        1,
        (
            DJANGO_LINE,
            BANNER,
            "AUDIT NOT RUN: 1 of 2 packages could not be audited (pillow), "
            f"e.g. '{NOT_FOUND}: pillow (13.0.0)'",
            "AUDIT_OFFLINE_OK=1: going on without the audit.",
            BANNER,
            FAILED_LINE,
        ),
    )
