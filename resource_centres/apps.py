from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourceCentresConfig(AppConfig):
    name = "resource_centres"
    verbose_name = _("Kopienu resursu centri")
