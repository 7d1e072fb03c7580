from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import capacity_selectors
from .models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityDimension,
    CapacityInstrument,
    CapacityLevel,
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    MembershipChange,
    ModelElement,
    TargetGroup,
    Testimonial,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "resource_centre", "is_published"]
    list_filter = ["municipality", "is_published"]
    search_fields = ["name", "municipality", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["resource_centre"]
    inlines = [MembershipInline]
    list_select_related = ["resource_centre"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "status", "created_at"]
    list_filter = ["role", "status", "community"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "community__name"]
    autocomplete_fields = ["user", "community"]
    list_select_related = ["user", "community"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    """The communities' membership history: written by the services, read here."""

    list_display = ["created_at", "community", "person_name", "kind", "old_role", "new_role"]
    list_filter = ["kind", "community"]
    search_fields = ["person_name", "community__name", "message"]
    list_select_related = ["community"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "community",
        "person",
        "person_name",
        "changed_by",
        "kind",
        "old_role",
        "new_role",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModelElement)
class ModelElementAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    list_editable = ["order"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    list_editable = ["order"]
    search_fields = ["title", "note"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "author", "order"]
    list_editable = ["order"]
    list_filter = [("author", admin.EmptyFieldListFilter)]
    search_fields = ["term", "author", "text"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "community", "is_published", "order"]
    list_filter = ["is_published", "community"]
    search_fields = ["person", "role", "text"]
    list_select_related = ["community"]


@admin.register(CapacityDimension)
class CapacityDimensionAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ImpactFigure)
class ImpactFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "order"]
    list_editable = ["order"]


# --- Capacity self-assessment (issue 16) -------------------------------------------------------
# Coordinators edit the instrument; rounds, answers, consensus and plans are the communities'
# own work on the site, so coordinators only look at them here (their group has view rights).


class CapacityLevelInline(admin.TabularInline):
    model = CapacityLevel
    extra = 0
    fields = ["dimension", "level", "text"]
    ordering = ["dimension__order", "dimension", "level"]

    def has_change_permission(self, request, obj=None):
        return _instrument_editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return _instrument_editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _instrument_editable(obj) and super().has_delete_permission(request, obj)


def _instrument_editable(instrument) -> bool:
    """A version some round was made with keeps its texts: the round's answers refer to them.
    A change to the instrument is a new version."""
    return instrument is None or not instrument.rounds.exists()


@admin.register(CapacityInstrument)
class CapacityInstrumentAdmin(admin.ModelAdmin):
    list_display = ["number", "is_published", "created_at"]
    inlines = [CapacityLevelInline]

    def has_delete_permission(self, request, obj=None):
        return _instrument_editable(obj) and super().has_delete_permission(request, obj)


class ConsensusInline(admin.TabularInline):
    model = CapacityConsensus
    extra = 0
    fields = ["dimension", "level", "reason", "evidence", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_at"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["dimension", "text", "owner", "due_on", "status"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    change_list_template = "admin/communities/assessmentround/change_list.html"
    list_display = ["title", "community", "kind", "opens_on", "closes_on", "instrument"]
    list_filter = ["kind", "instrument", "community"]
    search_fields = ["title", "community__name"]
    date_hierarchy = "opens_on"
    list_select_related = ["community", "instrument"]
    autocomplete_fields = ["community", "opened_by"]
    inlines = [ConsensusInline, ActionItemInline]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "kopsavilkums/",
                view(self.overview_view),
                name="communities_assessmentround_overview",
            ),
            *super().get_urls(),
        ]

    def overview_view(self, request):
        """Every community's change per dimension and the yearly medians across communities,
        for one instrument version (the newest published unless `?versija=` names another).
        There is no ranking of communities here, nor anywhere public: the changes are listed
        alphabetically, a page of communities at a time (`?lapa=`)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        instruments = list(CapacityInstrument.objects.order_by("-number"))
        chosen = request.GET.get("versija", "")
        instrument = next((i for i in instruments if str(i.number) == chosen), None) or next(
            (i for i in instruments if i.is_published), instruments[0] if instruments else None
        )
        overview = (
            capacity_selectors.coordinator_overview(
                instrument_id=instrument.pk, page_number=request.GET.get("lapa")
            )
            if instrument
            else None
        )
        return TemplateResponse(
            request,
            "admin/communities/assessmentround/overview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Rīcībspējas kopsavilkums"),
                "instruments": instruments,
                "instrument": instrument,
                "overview": overview,
                "page_range": (
                    overview.page.paginator.get_elided_page_range(overview.page.number)
                    if overview
                    else []
                ),
            },
        )


@admin.register(CapacityAnswer)
class CapacityAnswerAdmin(admin.ModelAdmin):
    list_display = ["round", "dimension", "level", "person_shown", "submitted_at"]
    list_filter = ["round__community", "dimension"]
    list_select_related = ["round__community", "dimension", "person"]
    fields = ["round", "person", "dimension", "level", "comment", "submitted_at"]

    @admin.display(description=_("persona"))
    def person_shown(self, answer):
        # The account went (its owner left): the answer stays, without them.
        return answer.person or _("(anonimizēts)")


@admin.register(CapacityConsensus)
class CapacityConsensusAdmin(admin.ModelAdmin):
    list_display = ["round", "dimension", "level", "recorded_at"]
    list_filter = ["round__community", "dimension"]
    list_select_related = ["round__community", "dimension"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "round", "dimension", "owner", "due_on", "status"]
    list_filter = ["status", "round__community", "dimension"]
    list_select_related = ["round__community", "dimension", "owner"]
    search_fields = ["text"]
