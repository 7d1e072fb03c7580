"""Initiatives in the admin: coordinators keep the initiatives that supported applications start
(grants.services creates them on publication) and add past ones by hand."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Initiative


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "year", "status", "application_link"]
    list_filter = ["status", "year", "community"]
    search_fields = ["title"]
    list_select_related = ["community", "application"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["community"]
    filter_horizontal = ["target_groups", "model_elements"]
    readonly_fields = ["application_link", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "community", "year", "status", "application_link"]}),
        (_("Saturs"), {"fields": ["summary", "story"]}),
        (
            _("Sasniegtais"),
            {"fields": ["target_groups", "model_elements", "participants", "organisations"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("pieteikums"), ordering="application__reference")
    def application_link(self, initiative):
        # The link to the application is set by the publication, never typed in here.
        if initiative.application_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:grants_application_change", args=[initiative.application_id]),
            initiative.application.reference,
        )
