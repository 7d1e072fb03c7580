"""The grant area in Django admin, registered here and nowhere else.

Coordinators set up a round (`rounds`), rank its applications once the assessors have scored
them, export and publish (`ranking`), record a decision per application (`applications`) and
read the round's history (`history`); assessors score on the pages of `assessment`. The figures
come from grants.selectors and every write goes through grants.services: these pages only show
and ask.
"""

from django.contrib import admin

from ..models import Application, Assessment, GrantRound, HistoryEntry
from .applications import ApplicationAdmin
from .assessment import AssessmentAdmin
from .history import HistoryEntryAdmin
from .rounds import GrantRoundAdmin

admin.site.register(GrantRound, GrantRoundAdmin)
admin.site.register(Application, ApplicationAdmin)
admin.site.register(Assessment, AssessmentAdmin)
admin.site.register(HistoryEntry, HistoryEntryAdmin)
