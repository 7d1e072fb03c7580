from django.apps import AppConfig


class KopienasConfig(AppConfig):
    name = "kopienas"
    verbose_name = "Darbīgās kopienas"

    def ready(self):
        from .figures import freshness

        freshness.connect()
