from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kopienas.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Izveido rezerves kopiju mapē <--to>/kopienas-<UTC laiks>/: DATABASE_URL datubāzes "
        "pg_dump (custom formātā), publisko un privāto augšupielāžu tar arhīvus un manifest.json "
        "(izveides laiks, migrācijas, tabulu rindu skaits, datņu sha256). Tikai PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", type=Path, required=True, help="Mape, kurā izveidot kopijas mapi."
        )

    def handle(self, *args, **options):
        try:
            folder = create_backup(
                to=options["to"],
                database=connection.settings_dict,
                media_roots={
                    "media": Path(settings.MEDIA_ROOT),
                    "private_media": Path(settings.PRIVATE_MEDIA_ROOT),
                },
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
