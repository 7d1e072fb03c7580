"""Backups of the whole site and their restore (`manage.py backup`, `manage.py restore`).

A backup is one folder, `kopienas-<UTC time>/`, holding
- `database.dump`: pg_dump's custom format, without owners and privileges, so it restores into
  a database of any role;
- `media.tar` and `private-media.tar`: the public uploads (MEDIA_ROOT) and the private ones
  (PRIVATE_MEDIA_ROOT), uncompressed: they are mostly JPEG and PDF already;
- `manifest.json`: when it was made, the applied migrations per app, every table's row count,
  and each file's size and sha256.

The row counts and the dump come from one snapshot (pg_dump --snapshot), so they agree even
while the site is writing. The folder is written as `<name>.partial` and renamed when complete:
a backup that was cut short never looks like a finished one.

A restore checks every file against the manifest first, then goes only into an empty database
(`force` allows a non-empty one, never the database the site itself runs on), in a single
transaction, and compares the restored row counts with the manifest's.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

FORMAT = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"
# Archive name per media folder; the restore puts each back into the folder it is given.
MEDIA_ARCHIVES = {"media": "media.tar", "private_media": "private-media.tar"}
FOLDER_PREFIX = "kopienas-"
POSTGRESQL = "django.db.backends.postgresql"
# libpq's environment variables for the connection settings Django's OPTIONS may carry.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}
# Ordinary tables, partitioned tables and sequences outside PostgreSQL's own schemas.
_USER_RELATIONS = """
    SELECT n.nspname, c.relname, c.relkind
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    ORDER BY n.nspname, c.relname
"""


class BackupError(Exception):
    """What went wrong, in a sentence an operator can act on."""


@dataclass(frozen=True)
class Restored:
    manifest: dict
    tables: int
    rows: int
    media_files: dict[str, int]


# --- Connections and tools ------------------------------------------------------------------


def libpq_params(database: Mapping) -> dict[str, str]:
    """libpq's connection keywords for a Django database settings dict (settings.DATABASES's
    or dj_database_url.parse's). Refuses anything but PostgreSQL, saying what to do instead."""
    engine = database.get("ENGINE", "")
    if engine != POSTGRESQL:
        if engine.endswith("sqlite3"):
            raise BackupError(
                "Datubāze ir SQLite: tās rezerves kopija ir pats datnes eksemplārs. Apturiet "
                f"vietni un nokopējiet {database.get('NAME')} (kopā ar -wal un -shm datnēm, ja "
                "tādas ir), vai izmantojiet `sqlite3 <datne> '.backup <kopija>'`. "
                "Šī komanda strādā tikai ar PostgreSQL."
            )
        raise BackupError(f"Šī komanda strādā tikai ar PostgreSQL, ne ar {engine or '?'}.")
    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in _LIBPQ_ENV and value not in (None, ""):
            params[key] = str(value)
    return {key: value for key, value in params.items() if value}


def url_params(url: str) -> dict[str, str]:
    try:
        database = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises several types for bad input
        raise BackupError(f"Datubāzes adresi nevar nolasīt ({exc.__class__.__name__}).") from exc
    return libpq_params(database)


def _environment(params: Mapping[str, str]) -> dict[str, str]:
    # The password travels in the environment, never on a command line others can read (ps).
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({_LIBPQ_ENV[key]: value for key, value in params.items()})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} nav atrodams (PATH). Uzstādiet PostgreSQL klienta rīkus, kuru versija nav "
            "vecāka par servera versiju (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(command: list[str], *, params: Mapping[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed program and arguments, no shell)
        command, env=_environment(params), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{Path(command[0]).name} neizdevās ({result.returncode}): {detail}")


def connect(params: Mapping[str, str], **kwargs) -> psycopg.Connection:
    try:
        return psycopg.connect(**params, **kwargs)
    except psycopg.OperationalError as exc:
        where = f"{params.get('host', 'localhost')}:{params.get('port', 5432)}"
        raise BackupError(
            f"Nevar pieslēgties datubāzei {params.get('dbname', '?')} ({where}): {exc}"
        ) from exc


# --- Reading a database ---------------------------------------------------------------------


def _relations(cursor, kinds: str) -> list[tuple[str, str]]:
    cursor.execute(_USER_RELATIONS)
    return [(schema, name) for schema, name, kind in cursor.fetchall() if kind in kinds]


def _label(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def row_counts(cursor) -> dict[str, int]:
    """Every table's row count ("schema.table" outside the public schema)."""
    counts = {}
    for schema, name in _relations(cursor, "rp"):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, name)))
        counts[_label(schema, name)] = cursor.fetchone()[0]
    return counts


def table_fingerprints(cursor) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its content: the md5 of its rows' md5s in
    order, so equal fingerprints mean the same rows, whatever order they are stored in. Sequences
    are fingerprinted by their position, which a restore must carry over too."""
    fingerprints = {}
    for schema, name in _relations(cursor, "rp"):
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' "
                "ORDER BY md5(t::text)), '')) FROM {} AS t"
            ).format(sql.Identifier(schema, name))
        )
        count, checksum = cursor.fetchone()
        fingerprints[_label(schema, name)] = (count, checksum)
    for schema, name in _relations(cursor, "S"):
        cursor.execute(
            sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(schema, name))
        )
        last_value, is_called = cursor.fetchone()
        fingerprints[f"sequence {_label(schema, name)}"] = (last_value, str(is_called))
    return fingerprints


def compare_fingerprints(
    expected: Mapping[str, tuple[int, str]], actual: Mapping[str, tuple[int, str]]
) -> list[str]:
    """The differences, one line each; none when every table and sequence matches."""
    differences = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            differences.append(f"{name}: missing")
        elif name not in expected:
            differences.append(f"{name}: not in the source")
        elif expected[name] != actual[name]:
            differences.append(f"{name}: {expected[name]} != {actual[name]}")
    return differences


def applied_migrations(cursor) -> dict[str, list[str]]:
    """Per app, its latest applied migrations: the applied ones no other applied migration of
    the same app follows (one per app, more only where branches await a merge)."""
    from django.db.migrations.loader import MigrationLoader

    cursor.execute("SELECT app, name FROM django_migrations")
    applied = set(cursor.fetchall())
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    latest: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        node = graph.node_map.get((app, name))
        followed = node is not None and any(
            child.key in applied and child.key[0] == app for child in node.children
        )
        if not followed:
            latest.setdefault(app, []).append(name)
    return latest


def unknown_migrations(manifest: Mapping) -> list[str]:
    """The backup's latest migrations this code does not have: it was made by a newer version,
    which the restored database needs."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return [
        f"{app}.{name}"
        for app, names in sorted(manifest.get("migrations", {}).items())
        for name in names
        if (app, name) not in graph.nodes
    ]


# --- Files ----------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _archive(root: Path, archive: Path) -> int:
    """Everything under root into an uncompressed tar, paths relative to root; the file count.
    A missing folder (nothing uploaded yet) gives an empty archive."""
    files = 0
    with tarfile.open(archive, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                files += path.is_file()
    return files


def _is_empty_folder(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


# --- Backup ---------------------------------------------------------------------------------


def create_backup(
    *, to: Path, database: Mapping, media_roots: Mapping[str, Path], now: datetime | None = None
) -> Path:
    """Write a backup folder under `to` and return it. `database` is a Django settings dict,
    `media_roots` maps MEDIA_ARCHIVES' keys to folders."""
    params = libpq_params(database)
    pg_dump = _tool("pg_dump")
    created = (now or datetime.now(UTC)).astimezone(UTC)
    folder = Path(to) / f"{FOLDER_PREFIX}{created:%Y%m%dT%H%M%SZ}"
    if folder.exists():
        raise BackupError(f"{folder} jau ir: vienā sekundē var sākt tikai vienu kopiju.")
    Path(to).mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", suffix=".partial", dir=to))
    try:
        manifest = _write_backup(partial, params, pg_dump, media_roots, created)
        (partial / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        partial.chmod(0o700)  # it holds every account's data: only its owner reads it
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def _write_backup(
    folder: Path, params: Mapping[str, str], pg_dump: str, media_roots, created: datetime
) -> dict:
    # A read-only repeatable-read transaction stays open while pg_dump runs on its exported
    # snapshot: the counts and the migration state below describe exactly what the dump holds.
    with connect(params, autocommit=True) as connection:
        cursor = connection.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        counts = row_counts(cursor)
        migrations = applied_migrations(cursor)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={folder / DUMP}",
            ],
            params=params,
        )
        cursor.execute("COMMIT")
    media = {}
    for key, archive in MEDIA_ARCHIVES.items():
        root = Path(media_roots[key])
        media[key] = {
            "archive": archive,
            "source": str(root),
            "files": _archive(root, folder / archive),
        }
    files = [DUMP, *MEDIA_ARCHIVES.values()]
    return {
        "format": FORMAT,
        "created": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "database": {
            "name": params.get("dbname", ""),
            "host": params.get("host", ""),
            "server_version": server_version,
        },
        "migrations": migrations,
        "tables": counts,
        "media": media,
        "files": {
            name: {"bytes": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
            for name in files
        },
    }


# --- Restore --------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, once every file it names is there with its recorded sha256."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            f"{folder / MANIFEST} nav: tā nav pabeigta rezerves kopija (`manage.py backup`)."
        ) from exc
    except ValueError as exc:
        raise BackupError(f"{folder / MANIFEST} ir bojāts: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Nezināms rezerves kopijas formāts {manifest.get('format')!r} "
            f"(šī versija lasa {FORMAT})."
        )
    expected = {DUMP, *MEDIA_ARCHIVES.values()}
    if set(manifest.get("files", {})) != expected:
        raise BackupError(f"{folder / MANIFEST} neuzskaita datnes {sorted(expected)}.")
    for name, recorded in sorted(manifest["files"].items()):
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{path} trūkst.")
        if sha256(path) != recorded["sha256"]:
            raise BackupError(
                f"{path} kontrolsumma (sha256) nesakrīt ar manifestu: datne ir bojāta vai mainīta."
            )
    return manifest


def _identity(params: Mapping[str, str]) -> tuple | None:
    """Which database on which running server: the same for two addresses of one database."""
    try:
        # The site's settings may carry a connect timeout of their own (settings.py: 3 s).
        with psycopg.connect(**{"connect_timeout": 10, **params}) as connection:
            return connection.execute(
                "SELECT current_database(), pg_postmaster_start_time(), current_setting('port')"
            ).fetchone()
    except psycopg.Error:
        return None


def _is_live_database(target: Mapping[str, str], live: Mapping | None) -> bool:
    if not live or live.get("ENGINE") != POSTGRESQL:
        return False
    live_params = libpq_params(live)
    target_identity = _identity(target)
    live_identity = _identity(live_params)
    if target_identity is not None and live_identity is not None:
        return target_identity == live_identity
    # One of them does not answer: compare the addresses.
    local = {"", "localhost", "127.0.0.1", "::1"}

    def address(params):
        host = params.get("host", "")
        return (
            "local" if host in local else host,
            params.get("port", "5432"),
            params.get("dbname"),
        )

    return address(target) == address(live_params)


def restore_backup(
    *,
    source: Path,
    target_url: str,
    media_roots: Mapping[str, Path],
    force: bool = False,
    live_database: Mapping | None = None,
) -> Restored:
    """Restore the backup folder `source` into the database at `target_url` and its media
    archives into `media_roots` (MEDIA_ARCHIVES' keys to folders). `live_database` is the
    settings dict of the database the site runs on, which is never restored over once it holds
    anything."""
    source = Path(source)
    manifest = read_manifest(source)
    params = url_params(target_url)
    pg_restore = _tool("pg_restore")
    live = _is_live_database(params, live_database)
    with connect(params, autocommit=True) as connection:
        filled = _relations(connection.cursor(), "rpS")
    if filled and live:
        raise BackupError(
            f"Datubāze {params.get('dbname')} ir tā, ar kuru strādā vietne (DATABASE_URL), un tā "
            "nav tukša. Atjaunojiet jaunā, tukšā datubāzē un tad norādiet uz to DATABASE_URL."
        )
    if filled and not force:
        raise BackupError(
            f"Datubāze {params.get('dbname')} nav tukša ({len(filled)} tabulas un secības). "
            "Izveidojiet tukšu (createdb) vai, ja tiešām to pārrakstīt, pievienojiet --force."
        )
    for root in media_roots.values():
        if not _is_empty_folder(Path(root)) and not force:
            raise BackupError(
                f"Mape {root} nav tukša. Norādiet tukšu vai neesošu mapi vai pievienojiet --force."
            )
    _restore_dump(source / DUMP, params, pg_restore, clean=bool(filled))
    with connect(params) as connection:
        counts = row_counts(connection.cursor())
    recorded = manifest["tables"]
    differences = [
        f"{name}: {recorded.get(name)} != {counts.get(name)}"
        for name in sorted(recorded.keys() | counts.keys())
        if recorded.get(name) != counts.get(name)
    ]
    if differences:
        raise BackupError(
            "Atjaunotās tabulas nesakrīt ar manifestu: " + "; ".join(differences[:10])
        )
    media_files = {}
    for key, archive in MEDIA_ARCHIVES.items():
        root = Path(media_roots[key])
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / archive) as tar:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            tar.extractall(root, filter="data")
        media_files[key] = manifest["media"][key]["files"]
    return Restored(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=media_files,
    )


def _restore_dump(dump: Path, params: Mapping[str, str], pg_restore: str, *, clean: bool) -> None:
    # COMMENT ON EXTENSION needs the extension's owner, a superuser: a managed database's own
    # role cannot restore it, and the comment carries nothing of the site's, so it is left out.
    listing = subprocess.run(  # noqa: S603 (a fixed program and arguments, no shell)
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore --list neizdevās: {listing.stderr.strip()}")
    entries = [line for line in listing.stdout.splitlines() if " COMMENT - EXTENSION " not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as toc:
        toc.write("\n".join(entries) + "\n")
        toc.flush()
        command = [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--use-list={toc.name}",
            # The name only: the password stays in the environment.
            f"--dbname={params['dbname']}",
        ]
        if clean:
            command += ["--clean", "--if-exists"]
        _run([*command, str(dump)], params=params)
