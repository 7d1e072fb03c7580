"""`manage.py bench_data --scale N`: national-scale synthetic volumes for `make bench`
(devtools.bench.data)."""

from django.core.management.base import BaseCommand, CommandError

from devtools.bench.data import make_bench_data


class Command(BaseCommand):
    help = (
        "Izveido sintētiskus valsts mēroga datus veiktspējas mērījumiem (make bench): "
        "--scale 1 ir 100 resursu centri, 1000 kopienas, 50 000 pasākumi un 500 000 "
        "pieteikumu. Atkārtota palaišana tikai papildina līdz mērķim."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Daļa no valsts mēroga (1 = 100 centri, 1000 kopienas; 0.02 = 2 un 20).",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 100:
            raise CommandError("--scale jābūt lielākam par 0 un ne lielākam par 100.")
        counts = make_bench_data(scale=scale)
        summary = ", ".join(f"{name} +{count}" for name, count in counts.items())
        self.stdout.write(f"bench_data --scale {scale:g}: {summary}")
