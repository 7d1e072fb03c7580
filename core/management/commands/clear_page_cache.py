"""Renew every cached public page (core.pagecache): after a change the site cannot see, such
as a row written with psql (README, "Speed: the page cache and the load test")."""

from django.core.management.base import BaseCommand

from core import pagecache


class Command(BaseCommand):
    help = "Make every cached public page unreachable: the next visitor gets a fresh one."

    def handle(self, *args, **options):
        pagecache.changed()
        self.stdout.write(f"page cache: {len(pagecache.PUBLIC_APPS)} generations renewed")
