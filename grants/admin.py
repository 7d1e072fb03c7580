from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_assessment  # noqa: F401  (registers the assessment pages)
from .models import Application, ApplicationRevision, Attachment, BudgetLine, Criterion, GrantRound
from .templatetags.grant_tags import money


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "title", "guidance", "max_points", "weight"]


@admin.register(GrantRound)
class GrantRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "reference_code", "status", "opens_at", "closes_at", "max_grant"]
    list_filter = ["status", "year"]
    search_fields = ["title", "reference_code"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["target_groups"]
    autocomplete_fields = ["assessors"]
    inlines = [CriterionInline]
    readonly_fields = ["last_number", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "year", "status", "reference_code", "last_number"]}),
        (_("Saturs"), {"fields": ["summary", "description", "rules", "target_groups"]}),
        (
            _("Termiņi un budžets"),
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "implementation_starts",
                    "implementation_ends",
                    "total_budget",
                    "max_grant",
                ]
            },
        ),
        (_("Vērtēšana"), {"fields": ["assessors"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["item", "category", "quantity", "unit_price", "own_contribution", "line_total"]
    readonly_fields = fields

    @admin.display(description=_("kopā"))
    def line_total(self, line):
        return money(line.total)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["download", "content_type", "human_size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("datne"))
    def download(self, attachment):
        # Through the permission-checked view, never a storage URL: the files are private.
        return format_html(
            '<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name
        )

    @admin.display(description=_("izmērs"))
    def human_size(self, attachment):
        return filesizeformat(attachment.size)


class RevisionInline(ReadOnlyInline):
    model = ApplicationRevision
    fields = ["created_at", "kind", "version", "author"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "community", "round", "status", "submitted_at"]
    list_filter = ["round", "status", "community", "target_groups"]
    search_fields = ["reference", "title"]
    list_select_related = ["round", "community"]
    inlines = [BudgetLineInline, AttachmentInline, RevisionInline]
    content_fields = [
        "reference",
        "round",
        "community",
        "applicant",
        "status",
        "submitted_at",
        "withdrawn_at",
        "version",
        "title",
        "summary",
        "needs",
        "goals",
        "activities",
        "timeline",
        "partners",
        "starts_on",
        "ends_on",
        "expected_participants",
        "target_groups",
        "model_elements",
        "decision",
        "awarded_amount",
        "decision_message",
        "notified_at",
    ]
    fields = content_fields
    # The applicant's words are theirs: coordinators read them. Decisions come in a later issue.
    readonly_fields = content_fields

    def get_queryset(self, request):
        # Drafts are their author's alone, hidden from every staff member, superusers too.
        return super().get_queryset(request).exclude(status=Application.Status.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
