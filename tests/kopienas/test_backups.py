"""`manage.py backup` and `manage.py restore` (kopienas.backups): what a backup holds, the
checks before a restore touches anything, and the clear refusals. The whole round trip, every
table compared, is the drill: tests/devtools/test_backup_drill.py."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from devtools.backup_drill import database_url
from kopienas.backups import (
    MANIFEST,
    BackupError,
    create_backup,
    libpq_params,
    read_manifest,
    restore_backup,
    row_counts,
    sha256,
    unknown_migrations,
)

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "kopienas", "HOST": "127.0.0.1"}


def _media(tmp_path) -> dict[str, Path]:
    roots = {"media": tmp_path / "media", "private_media": tmp_path / "private"}
    (roots["media"] / "centres").mkdir(parents=True)
    (roots["media"] / "centres" / "foto.jpg").write_bytes(b"\xff\xd8 photo")
    # PRIVATE_MEDIA_ROOT not made yet: nothing private uploaded.
    return roots


def test_an_sqlite_database_is_refused_with_what_to_do_instead(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "db.sqlite3"}

    with pytest.raises(BackupError) as error:
        create_backup(to=tmp_path / "backups", database=sqlite, media_roots=_media(tmp_path))

    assert str(error.value) == (
        "Datubāze ir SQLite: tās rezerves kopija ir pats datnes eksemplārs. Apturiet vietni un "
        f"nokopējiet {tmp_path / 'db.sqlite3'} (kopā ar -wal un -shm datnēm, ja tādas ir), vai "
        "izmantojiet `sqlite3 <datne> '.backup <kopija>'`. Šī komanda strādā tikai ar PostgreSQL."
    )
    assert not (tmp_path / "backups").exists()


def test_a_missing_pg_dump_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupError) as error:
        create_backup(to=tmp_path / "backups", database=POSTGRES, media_roots=_media(tmp_path))

    assert str(error.value) == (
        "pg_dump nav atrodams (PATH). Uzstādiet PostgreSQL klienta rīkus, kuru versija nav "
        "vecāka par servera versiju (Debian: apt-get install postgresql-client)."
    )


def test_libpq_params_carry_the_connection_without_django_options():
    database = {
        **POSTGRES,
        "USER": "kopienas",
        "PASSWORD": "p@ss:word",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require", "pool": {"max_size": 4}},
    }

    assert libpq_params(database) == {
        "dbname": "kopienas",
        "user": "kopienas",
        "password": "p@ss:word",
        "host": "127.0.0.1",
        "port": "5433",
        "sslmode": "require",
    }


def test_a_backup_folder_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(BackupError) as error:
        read_manifest(tmp_path)

    assert str(error.value) == (
        f"{tmp_path / MANIFEST} nav: tā nav pabeigta rezerves kopija (`manage.py backup`)."
    )


@pytest.fixture
def backup(db, tmp_path, settings):
    roots = _media(tmp_path)
    settings.MEDIA_ROOT = roots["media"]
    settings.PRIVATE_MEDIA_ROOT = roots["private_media"]
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "backups"), stdout=out)
    return Path(out.getvalue().strip())


@pytest.mark.postgres
def test_the_backup_holds_the_dump_both_media_archives_and_their_manifest(backup, tmp_path):
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    loader = MigrationLoader(connection)
    latest = {}
    for app, name in sorted(loader.graph.leaf_nodes()):
        latest.setdefault(app, []).append(name)

    assert backup.parent == tmp_path / "backups"
    assert backup.name == f"kopienas-{manifest['created'].replace('-', '').replace(':', '')}"
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar",
        "private-media.tar",
    ]
    assert manifest["migrations"] == latest
    assert manifest["tables"] == row_counts(connection.cursor())
    assert manifest["media"] == {
        "media": {"archive": "media.tar", "source": str(tmp_path / "media"), "files": 1},
        "private_media": {
            "archive": "private-media.tar",
            "source": str(tmp_path / "private"),
            "files": 0,
        },
    }
    assert manifest["files"] == {
        name: {"bytes": (backup / name).stat().st_size, "sha256": sha256(backup / name)}
        for name in ("database.dump", "media.tar", "private-media.tar")
    }
    assert read_manifest(backup) == manifest


@pytest.mark.postgres
def test_a_changed_file_stops_the_restore_before_anything_is_touched(backup, tmp_path):
    archive = backup / "media.tar"
    archive.write_bytes(archive.read_bytes() + b"\0")
    server = libpq_params(connection.settings_dict)

    with pytest.raises(CommandError) as error:
        call_command(
            "restore",
            "--from",
            str(backup),
            "--database-url",
            database_url(server, "bk_never_created"),
            "--media-root",
            str(tmp_path / "restored"),
        )

    assert str(error.value) == (
        f"{archive} kontrolsumma (sha256) nesakrīt ar manifestu: datne ir bojāta vai mainīta."
    )
    assert not (tmp_path / "restored").exists()


@pytest.mark.postgres
def test_the_sites_own_database_is_never_restored_over_even_with_force(backup, tmp_path):
    server = libpq_params(connection.settings_dict)
    # The same database under another address of the same server.
    host = "localhost" if server.get("host") in {"127.0.0.1", "", None} else server["host"]

    with pytest.raises(BackupError) as error:
        restore_backup(
            source=backup,
            target_url=database_url({**server, "host": host}, server["dbname"]),
            media_roots={"media": tmp_path / "m", "private_media": tmp_path / "p"},
            force=True,
            live_database=connection.settings_dict,
        )

    assert str(error.value) == (
        f"Datubāze {server['dbname']} ir tā, ar kuru strādā vietne (DATABASE_URL), un tā nav "
        "tukša. Atjaunojiet jaunā, tukšā datubāzē un tad norādiet uz to DATABASE_URL."
    )
    assert not (tmp_path / "m").exists()


def test_migrations_this_code_lacks_are_named_for_the_restore_warning():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    current = {}
    for app, name in loader.graph.leaf_nodes():
        current.setdefault(app, []).append(name)

    assert unknown_migrations({"migrations": current}) == []
    assert unknown_migrations({"migrations": {**current, "grants": ["0099_from_the_future"]}}) == [
        "grants.0099_from_the_future"
    ]
