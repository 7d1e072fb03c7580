"""The restore drill (`make backup-drill`, and tests/devtools/test_backup_drill.py in CI): a
backup is only as good as the restore that has been tried.

On a PostgreSQL server it creates `<prefix>_source`, fills it as `make run` does (migrate,
load_latgale, demo_data, with its photos and the reports' private photos), runs
`manage.py backup` and `manage.py restore` into a new `<prefix>_restored` exactly as an
operator would (separate processes, production settings read from the environment), then
compares every table's rows and every sequence between the two databases and every uploaded
file between the source folders and the restored ones. It also checks that a second restore
is refused, both into the now filled database and over the site's own. Both databases are
dropped at the end, whatever happened.

Run as `python -m devtools.backup_drill`; BACKUP_DRILL_DATABASE_URL names the server, and its
database name is the prefix (default postgres://postgres@127.0.0.1:5432/backup_drill).
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from psycopg import sql

from kopienas.backups import (
    MEDIA_ARCHIVES,
    BackupError,
    compare_fingerprints,
    connect,
    sha256,
    table_fingerprints,
    url_params,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/backup_drill"
# What `make data` runs, on the source database.
FILL = (["migrate", "--no-input"], ["createcachetable"], ["load_latgale"], ["demo_data"])
# The tables of every app filled with the real Latgale data, without the sample activity, which
# takes half a minute to make (the test runs this, `make backup-drill` the whole FILL).
QUICK_FILL = FILL[:3]


class DrillError(Exception):
    pass


@dataclass
class DrillReport:
    # The source's tables and their row counts.
    counts: dict[str, int] = field(default_factory=dict)
    # The source's uploaded files, per media folder.
    files: dict[str, int] = field(default_factory=dict)
    # Every difference found between the source and the restored copy; none means it passed.
    differences: list[str] = field(default_factory=list)


def database_url(server: Mapping[str, str], name: str) -> str:
    """A postgres:// address of database `name` on the server of libpq parameters `server`."""
    user = quote(server.get("user", ""), safe="")
    if password := server.get("password"):
        user = f"{user}:{quote(password, safe='')}"
    host = server.get("host", "")
    if ":" in host:
        host = f"[{host}]"
    port = f":{server['port']}" if server.get("port") else ""
    options = {
        key: value
        for key, value in server.items()
        if key not in {"user", "password", "host", "port", "dbname"}
    }
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{user}@{host}{port}/{quote(name, safe='')}{query}"


def file_tree(root: Path) -> dict[str, str]:
    """Every file under root: its path relative to root and its sha256."""
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def compare_trees(expected: Mapping[str, str], actual: Mapping[str, str], label: str) -> list[str]:
    differences = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            differences.append(f"{label}/{name}: missing")
        elif name not in expected:
            differences.append(f"{label}/{name}: not in the source")
        elif expected[name] != actual[name]:
            differences.append(f"{label}/{name}: differs")
    return differences


def _manage(arguments: list[str], *, env: Mapping[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this interpreter and manage.py, no shell)
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _must(arguments: list[str], *, env: Mapping[str, str]) -> str:
    result = _manage(arguments, env=env)
    if result.returncode != 0:
        raise DrillError(
            f"manage.py {' '.join(arguments)} failed ({result.returncode}):\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return result.stdout


def _refused(arguments: list[str], *, env: Mapping[str, str], because: str) -> list[str]:
    result = _manage(arguments, env=env)
    if result.returncode != 0 and because in result.stderr:
        return []
    return [
        f"manage.py {' '.join(arguments[:1])} was not refused ({because!r} expected): "
        f"{result.returncode}, {result.stderr.strip() or result.stdout.strip()}"
    ]


def _recreate(admin, name: str, *, drop_only: bool = False) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if not drop_only:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_drill(
    *,
    server: Mapping[str, str],
    prefix: str,
    workdir: Path,
    fill=FILL,
    say=lambda line: None,
) -> DrillReport:
    """The drill on the server of libpq parameters `server`, with databases `<prefix>_source`
    and `<prefix>_restored` (dropped at the end) and files under workdir: the source's uploads
    are in `workdir/source/media` and `workdir/source/private_media` (files put there
    beforehand are backed up too). `fill` lists the manage.py commands that fill the source."""
    source_name, restored_name = f"{prefix}_source", f"{prefix}_restored"
    source_url = database_url(server, source_name)
    restored_url = database_url(server, restored_name)
    roots = {key: workdir / "source" / key for key in MEDIA_ARCHIVES}
    restored_roots = {key: workdir / "restored" / key for key in MEDIA_ARCHIVES}
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.pop("REDIS_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kopienas.settings",
            "DATABASE_URL": source_url,
            "DJANGO_DEBUG": "1",
            "DJANGO_MEDIA_ROOT": str(roots["media"]),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(roots["private_media"]),
        }
    )
    report = DrillReport()
    admin = connect({**server, "dbname": "postgres"}, autocommit=True)
    try:
        _recreate(admin, source_name)
        _recreate(admin, restored_name)
        for arguments in fill:
            say(f"{source_name}: manage.py {' '.join(arguments)}")
            _must(arguments, env=env)
        say(f"manage.py backup --to {workdir / 'backups'}")
        backup = _must(["backup", "--to", str(workdir / "backups")], env=env).strip()
        restore = [
            "restore",
            "--from",
            backup,
            "--database-url",
            restored_url,
            "--media-root",
            str(restored_roots["media"]),
            "--private-media-root",
            str(restored_roots["private_media"]),
        ]
        say(f"manage.py restore --from {backup} --database-url …/{restored_name}")
        say(_must(restore, env=env).strip())

        say("Comparing every table and sequence, and every file")
        with connect(url_params(source_url)) as source, connect(url_params(restored_url)) as copy:
            expected = table_fingerprints(source.cursor())
            report.differences += compare_fingerprints(expected, table_fingerprints(copy.cursor()))
        report.counts = {
            name: count for name, (count, _) in expected.items() if not name.startswith("sequence ")
        }
        for key in MEDIA_ARCHIVES:
            files = file_tree(roots[key])
            report.files[key] = len(files)
            report.differences += compare_trees(files, file_tree(restored_roots[key]), key)

        say("A restore into a filled database, or over the site's own, is refused")
        report.differences += _refused(restore, env=env, because="nav tukša")
        over_live = [*restore, "--force"]
        over_live[over_live.index(restored_url)] = source_url
        report.differences += _refused(over_live, env=env, because="ar kuru strādā vietne")
    finally:
        _recreate(admin, source_name, drop_only=True)
        _recreate(admin, restored_name, drop_only=True)
        admin.close()
    return report


def main() -> int:
    url = os.environ.get("BACKUP_DRILL_DATABASE_URL", "").strip() or DEFAULT_URL
    server = url_params(url)
    prefix = server.pop("dbname", "") or "backup_drill"
    with tempfile.TemporaryDirectory(prefix="backup-drill-") as workdir:
        try:
            report = run_drill(server=server, prefix=prefix, workdir=Path(workdir), say=print)
        except (DrillError, BackupError) as error:
            print(f"Backup drill FAILED: {error}", file=sys.stderr)
            return 1
    if report.differences:
        print("Backup drill FAILED, the restored copy differs:", file=sys.stderr)
        for line in report.differences:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(
        f"Backup drill passed: {len(report.counts)} tables ({sum(report.counts.values())} rows), "
        f"every sequence and {sum(report.files.values())} files are identical after the restore."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
