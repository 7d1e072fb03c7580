"""The restore drill CI runs (`make backup-drill` runs it with the whole demo data): a database
filled with the real Latgale data and files in both media folders is backed up with
`manage.py backup`, restored with `manage.py restore` into a new database, and every table,
sequence and file must come back identical. Its comparisons must be able to fail: a changed,
added or deleted row, a moved sequence and a changed file are each reported.

The drill's databases are bk_drill_<process>_source and _restored on the test database's
server, dropped at the end. Outside PostgreSQL the drill is skipped, except in CI."""

import os
import tarfile

import pytest
from django.db import connection
from PIL import Image

from communities.latgale import read_latgale_data
from communities.models import Community
from devtools.backup_drill import QUICK_FILL, compare_trees, file_tree, run_drill
from kopienas.backups import compare_fingerprints, libpq_params, row_counts, table_fingerprints


def _source_files(workdir):
    """A photo under the public uploads and an attachment, with a Latvian name, under the
    private ones: what the drill's Latgale data has none of."""
    photo = workdir / "source" / "media" / "centres" / "aglona.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (64, 48), "#1d2a2f").save(photo, "JPEG")
    attachment = workdir / "source" / "private_media" / "attachments" / "2026" / "03" / "tāme.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes("%PDF-1.4\n% tāme\n%%EOF\n".encode())


@pytest.mark.postgres
def test_the_drill_restores_every_table_sequence_and_file(db, tmp_path):
    _source_files(tmp_path)
    server = libpq_params(connection.settings_dict)
    server.pop("dbname")

    report = run_drill(
        server=server, prefix=f"bk_drill_{os.getpid()}", workdir=tmp_path, fill=QUICK_FILL
    )

    assert report.differences == []
    # Every table the migrations make (this test database has them all), with the real data.
    assert report.counts.keys() == row_counts(connection.cursor()).keys()
    latgale = read_latgale_data()
    assert report.counts["resource_centres_resourcecentre"] == len(latgale["resource_centres"])
    assert report.counts["communities_community"] == len(latgale["communities"])
    assert report.files == {"media": 1, "private_media": 1}
    assert file_tree(tmp_path / "restored" / "private_media") == file_tree(
        tmp_path / "source" / "private_media"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"bk\\_drill\\_{os.getpid()}\\_%"],
        )
        assert cursor.fetchone() == (0,)
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    with tarfile.open(backups[0] / "private-media.tar") as tar:
        assert sorted(tar.getnames()) == [
            "attachments",
            "attachments/2026",
            "attachments/2026/03",
            "attachments/2026/03/tāme.pdf",
        ]


@pytest.mark.postgres
def test_a_changed_added_or_deleted_row_and_a_moved_sequence_are_found(latgale):
    with connection.cursor() as cursor:
        before = table_fingerprints(cursor)
    community = Community.objects.order_by("pk").first()

    Community.objects.filter(pk=community.pk).update(name=community.name + ".")
    with connection.cursor() as cursor:
        changed = table_fingerprints(cursor)
    assert [line.split(":")[0] for line in compare_fingerprints(before, changed)] == [
        "communities_community"
    ]
    assert changed["communities_community"][0] == before["communities_community"][0]

    Community.objects.filter(pk=community.pk).update(name=community.name)
    with connection.cursor() as cursor:
        assert compare_fingerprints(before, table_fingerprints(cursor)) == []

    community.delete()
    with connection.cursor() as cursor:
        deleted = table_fingerprints(cursor)
    assert deleted["communities_community"][0] == before["communities_community"][0] - 1

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('communities_community', 'id'), 1000)")
        moved = table_fingerprints(cursor)
    assert moved["sequence communities_community_id_seq"] == (1000, "True")
    assert "sequence communities_community_id_seq: " in "\n".join(
        compare_fingerprints(deleted, moved)
    )


def test_compare_fingerprints_names_each_difference():
    expected = {"a": (2, "x"), "b": (1, "y"), "c": (0, "z")}
    actual = {"a": (2, "x"), "b": (1, "w"), "d": (5, "v")}

    assert compare_fingerprints(expected, actual) == [
        "b: (1, 'y') != (1, 'w')",
        "c: missing",
        "d: not in the source",
    ]
    assert compare_fingerprints(expected, dict(expected)) == []


def test_compare_trees_finds_a_changed_missing_or_extra_file(tmp_path):
    source, copy = tmp_path / "source", tmp_path / "copy"
    for root in (source, copy):
        (root / "photos").mkdir(parents=True)
        (root / "photos" / "a.jpg").write_bytes(b"same")
    (source / "photos" / "b.jpg").write_bytes(b"original")
    (copy / "photos" / "b.jpg").write_bytes(b"0riginal")
    (source / "only-here.pdf").write_bytes(b"%PDF")
    (copy / "extra.txt").write_bytes(b"?")

    assert compare_trees(file_tree(source), file_tree(copy), "media") == [
        "media/extra.txt: not in the source",
        "media/only-here.pdf: missing",
        "media/photos/b.jpg: differs",
    ]
