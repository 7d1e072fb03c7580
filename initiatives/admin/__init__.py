"""The initiatives in Django admin, registered here and nowhere else.

Coordinators keep the list of initiatives (`initiatives`), review each report beside its
application and decide on it, and export a round's reports (`actions`, reading through
`review`). Every write goes through initiatives.services: these pages only show and ask.
"""

from django.contrib import admin

from ..models import Initiative, Institution
from .initiatives import InitiativeAdmin, InstitutionAdmin

admin.site.register(Initiative, InitiativeAdmin)
admin.site.register(Institution, InstitutionAdmin)
