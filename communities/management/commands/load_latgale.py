from pathlib import Path

from django.core.management.base import BaseCommand

from communities.latgale import LATGALE_DATA, read_latgale_data
from communities.services import load_latgale


class Command(BaseCommand):
    help = (
        "Ielādē Latgales resursu centrus, kopienas, modeli un ceļazīmes no projekta datu faila. "
        "Atkārtota palaišana neko nemaina, nepārraksta koordinatoru labojumus un neatjauno to, "
        "ko viņi izdzēsuši."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=LATGALE_DATA)

    def handle(self, *args, **options):
        results = load_latgale(data=read_latgale_data(options["file"]))
        for name, result in results.items():
            self.stdout.write(
                f"{name}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.kept_edited} kept as edited, "
                f"{result.kept_deleted} kept as deleted"
            )
