from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kopienas.backups import BackupError, restore_backup, unknown_migrations


class Command(BaseCommand):
    help = (
        "Atjauno `manage.py backup` kopiju: pārbauda datņu sha256 pret manifestu, atjauno "
        "datubāzi norādītajā tukšajā PostgreSQL datubāzē un augšupielādes norādītajās mapēs, "
        "tad salīdzina tabulu rindu skaitu ar manifestu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=Path, required=True, help="Kopijas mape.")
        parser.add_argument(
            "--database-url",
            required=True,
            help="Tukša PostgreSQL datubāze, kurā atjaunot (postgres://...).",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=Path(settings.MEDIA_ROOT),
            help="Kur atjaunot publiskās augšupielādes (pēc noklusējuma MEDIA_ROOT).",
        )
        parser.add_argument(
            "--private-media-root",
            type=Path,
            default=Path(settings.PRIVATE_MEDIA_ROOT),
            help="Kur atjaunot privātās datnes (pēc noklusējuma PRIVATE_MEDIA_ROOT).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Atjaunot arī datubāzē vai mapēs, kas nav tukšas (nekad vietnes pašas datubāzē).",
        )

    def handle(self, *args, **options):
        try:
            restored = restore_backup(
                source=options["source"],
                target_url=options["database_url"],
                media_roots={
                    "media": options["media_root"],
                    "private_media": options["private_media_root"],
                },
                force=options["force"],
                live_database=connection.settings_dict,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if newer := unknown_migrations(restored.manifest):
            self.stderr.write(
                "Kopiju izveidoja jaunāka koda versija, šajā kodā nav migrāciju "
                f"{', '.join(newer)}: palaidiet vietni ar to versiju, kas izveidoja kopiju."
            )
        self.stdout.write(
            f"Atjaunots: {restored.tables} tabulas, {restored.rows} rindas; datnes: "
            f"{restored.media_files['media']} publiskas, "
            f"{restored.media_files['private_media']} privātas "
            f"(kopija izveidota {restored.manifest['created']})."
        )
