from django.contrib import admin

from .models import (
    CapacityDimension,
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
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
