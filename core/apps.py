from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app needs and no app owns (DESIGN §3): the bottom layer of the import graph."""

    name = "core"
    verbose_name = _("Pamata dati")

    def ready(self):
        # Every write to a public table renews the cached pages that show it.
        from . import pagecache

        pagecache.watch_writes()
