"""`make audit` and CI: known vulnerabilities in the locked dependency set, by pip-audit.

pip-audit reads the lock itself (`--disable-pip --require-hashes`: nothing is resolved or
installed) and asks a vulnerability service about every pinned version: PyPI's JSON API
first, then OSV when PyPI did not answer for every package. pip-audit's own exit status cannot
be taken as it is: it prints "No known vulnerabilities found" and exits 0 when PyPI answered
404 for every package (nothing was audited at all), and exits 1 alike for a vulnerability that
no release fixes and for a crash (OSV out of reach). So this reads its JSON report and decides:

- exit 1: a package has a known vulnerability with a fixed release. Take it:
  `make lock LOCK_ARGS="--upgrade-package NAME"` (raise pyproject's range first if it must);
- exit 0 with a warning: known vulnerabilities that no release fixes yet;
- "AUDIT NOT RUN" when no service could audit every package (out of reach, or skipped
  packages): exit 2, or 0 when AUDIT_OFFLINE_OK=1 is set (a machine that reaches only the
  package registries, as CI's does; .ci/run). A fixable vulnerability found among the packages
  that could be audited still fails.

The whole audit is bounded by --timeout seconds (all services together).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

SERVICES = ("pypi", "osv")
NOT_RUN = 2
# pip-audit's timeout for one request (its default is 15 s).
SOCKET_TIMEOUT = 15
BANNER = "!" * 78


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]

    def describe(self) -> str:
        aliases = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fixed = ", ".join(self.fix_versions) if self.fix_versions else "no fixed release yet"
        return f"{self.package} {self.version}: {self.id}{aliases}; fixed in: {fixed}"


@dataclass(frozen=True)
class Decision:
    exit_code: int
    lines: tuple[str, ...]


def findings(report: dict) -> list[Finding]:
    """Every vulnerability of every audited package in pip-audit's JSON report."""
    found = []
    for dependency in report["dependencies"]:
        for vuln in dependency.get("vulns", []):
            found.append(
                Finding(
                    package=dependency["name"],
                    version=dependency["version"],
                    id=vuln["id"],
                    aliases=tuple(sorted(vuln.get("aliases", []))),
                    fix_versions=tuple(vuln["fix_versions"]),
                )
            )
    return found


def skipped(report: dict) -> list[tuple[str, str]]:
    """(package, reason) for every package pip-audit could not audit."""
    return [(d["name"], d["skip_reason"]) for d in report["dependencies"] if "skip_reason" in d]


def _not_run_reason(report: dict | None) -> str:
    if report is None:
        return "no vulnerability service gave a report"
    missed = skipped(report)
    names = ", ".join(name for name, _ in missed[:8]) + (", …" if len(missed) > 8 else "")
    return (
        f"{len(missed)} of {len(report['dependencies'])} packages could not be audited "
        f"({names}), e.g. {missed[0][1]!r}"
    )


def decide(report: dict | None, *, offline_ok: bool, problems: list[str] | None = None) -> Decision:
    """The verdict on pip-audit's JSON report (None when no service gave one); `problems`, what
    pip-audit said for each service tried, is shown when the audit was not run."""
    found = findings(report) if report is not None else []
    fixable = [f for f in found if f.fix_versions]
    unfixable = [f for f in found if not f.fix_versions]
    not_run = report is None or bool(skipped(report))
    lines = [f"VULNERABLE: {f.describe()}" for f in fixable]
    lines += [f"WARNING, known vulnerability without a fix: {f.describe()}" for f in unfixable]
    if not_run:
        lines += [BANNER, f"AUDIT NOT RUN: {_not_run_reason(report)}"]
        lines += [f"  {problem}" for problem in problems or []]
        if offline_ok:
            lines.append("AUDIT_OFFLINE_OK=1: going on without the audit.")
        else:
            lines.append("Set AUDIT_OFFLINE_OK=1 to go on without it.")
        lines.append(BANNER)
    elif not found:
        lines.append(f"Audit: no known vulnerability in {len(report['dependencies'])} packages.")
    if fixable:
        lines.append(
            f"Audit failed: {len(fixable)} known vulnerabilities have a fixed release; "
            'update the lock (make lock LOCK_ARGS="--upgrade-package NAME").'
        )
        return Decision(1, tuple(lines))
    if not_run and not offline_ok:
        return Decision(NOT_RUN, tuple(lines))
    return Decision(0, tuple(lines))


def run_pip_audit(lock: str, service: str, timeout: float) -> tuple[dict | None, str]:
    """pip-audit's JSON report on the lock from one service, and what it said on stderr (its
    last line: the summary, or the error that stopped it)."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        lock,
        "--require-hashes",
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
        "--timeout",
        str(max(1, min(SOCKET_TIMEOUT, int(timeout)))),
    ]
    try:
        done = subprocess.run(  # noqa: S603 (this environment's pip-audit, no shell)
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None, f"{service}: pip-audit did not finish within {timeout:.0f} s"
    said = next(iter(reversed(done.stderr.strip().splitlines())), "(nothing)")
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return None, f"{service}: pip-audit exited {done.returncode}: {said}"
    if not isinstance(report, dict) or "dependencies" not in report:
        return None, f"{service}: pip-audit's output is no report: {done.stdout[:200]!r}"
    return report, f"{service}: pip-audit exited {done.returncode}: {said}"


def audit(lock: str, timeout: float) -> tuple[dict | None, list[str]]:
    """The first report that audited every package, else the one with the fewest packages
    skipped (None if no service gave one), and what pip-audit said for each service."""
    deadline = time.monotonic() + timeout
    best = None
    said = []
    for service in SERVICES:
        remaining = deadline - time.monotonic()
        if remaining < 1:
            said.append(f"{service}: not tried, the {timeout:.0f} s were spent")
            break
        report, line = run_pip_audit(lock, service, remaining)
        said.append(line)
        if report is not None and not skipped(report):
            return report, said
        if report is not None and (best is None or len(skipped(report)) < len(skipped(best))):
            best = report
    return best, said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", help="a requirements file with hashes (requirements/dev.lock)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds for all services")
    args = parser.parse_args(argv)
    started = time.monotonic()
    report, said = audit(args.lock, args.timeout)
    audited = report is not None and not skipped(report)
    if audited:
        sys.stdout.write(said[-1] + "\n")
    decision = decide(
        report,
        offline_ok=os.environ.get("AUDIT_OFFLINE_OK") == "1",
        problems=[] if audited else said,
    )
    for line in decision.lines:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"({time.monotonic() - started:.1f} s)\n")
    return decision.exit_code


if __name__ == "__main__":
    sys.exit(main())
