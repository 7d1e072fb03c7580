"""`manage.py demo_data`: clearly marked sample content for trying the platform (devtools.demo)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.demo.loader import load_demo_data, write_summary


class Command(BaseCommand):
    help = (
        "Pievieno skaidri atzīmētus parauga datus un demo kontus. Atkārtota palaišana neko nedublē."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Atļaut arī ar DJANGO_DEBUG izslēgtu (demo konti ar zināmu paroli!).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "demo_data izveido kontus ar zināmu paroli; palaidiet to tikai izstrādē "
                "(DJANGO_DEBUG=1) vai ar --allow-production."
            )
        demo = load_demo_data(out=self.stdout)
        write_summary(demo, out=self.stdout, style=self.style)
