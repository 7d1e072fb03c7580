"""Initiatives in the admin, for coordinators: the list with its overdue filter, the change
page (names and dates; the status and the due date change only through the review page's
decisions), milestones and history read-only, and the link to the round's export."""

import datetime

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formats import latvian_date, riga_today
from grants.models import GrantRound

from .. import permissions
from ..models import Initiative, InitiativeHistory, Milestone
from .actions import ReviewPages

ROUND_PARAMETER = "konkurss"


def round_pk(value: str | None) -> int | None:
    """The round number of the filter's parameter; anything else (letters, other digits, a
    number too large for the database) is no round at all."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class OverdueFilter(admin.SimpleListFilter):
    title = _("atskaites termiņš")
    parameter_name = "nokavets"

    def lookups(self, request, model_admin):
        return [("1", _("Atskaite nokavēta"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(
                status__in=Initiative.AWAITING_REPORT, report_due_on__lt=riga_today()
            )
        return queryset


class RoundFilter(admin.SimpleListFilter):
    """The grant rounds that started initiatives, offered even when there is only one: choosing
    a round is the way to its export."""

    title = _("konkurss")
    parameter_name = ROUND_PARAMETER

    def lookups(self, request, model_admin):
        rounds = GrantRound.objects.filter(applications__initiative__isnull=False).distinct()
        return [
            (str(pk), title)
            for pk, title in rounds.order_by("-year", "title", "pk").values_list("pk", "title")
        ]

    def queryset(self, request, queryset):
        pk = round_pk(self.value())
        return queryset if pk is None else queryset.filter(application__round_id=pk)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    empty_value_display = "—"
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["title", "due_on", "done_on"]
    readonly_fields = fields


def _readable(action: str, values: dict) -> str:
    """A history entry's "before" or "after" as a coordinator reads it."""
    if not values:
        return "—"
    parts = []
    for name, value in values.items():
        if name == "status" and value in Initiative.Status.values:
            parts.append(str(Initiative.Status(value).label))
        elif name in ("report_due_on", "due_on", "done_on") and value:
            parts.append(latvian_date(datetime.date.fromisoformat(value)))
        elif value:
            parts.append(str(value))
    return "; ".join(parts) or "—"


class HistoryInline(ReadOnlyInline):
    model = InitiativeHistory
    fields = ["at", "actor_name", "action", "before_readable", "after_readable", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("kas"))
    def actor_name(self, entry):
        if entry.actor is None:
            return gettext("Sistēma")
        return entry.actor.get_full_name() or entry.actor.get_username()

    @admin.display(description=_("pirms"))
    def before_readable(self, entry):
        return _readable(entry.action, entry.before)

    @admin.display(description=_("pēc"))
    def after_readable(self, entry):
        return _readable(entry.action, entry.after)


class InitiativeAdmin(ReviewPages, admin.ModelAdmin):
    list_display = [
        "title",
        "community",
        "year",
        "status",
        "due_date",
        "funding",
        "grant_round",
        "application_link",
    ]
    list_filter = ["status", "year", RoundFilter, "community", OverdueFilter]
    search_fields = ["title"]
    list_select_related = ["community", "application__round"]
    inlines = [MilestoneInline, HistoryInline]
    # Names and dates are the coordinator's to correct; what decides the initiative's life
    # (its status and due date) changes only through the review page, and what was published
    # never changes.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "community",
                    "year",
                    "status",
                    "application_link",
                    "review_link",
                ]
            },
        ),
        (_("Norise"), {"fields": ["summary", "starts_on", "ends_on", "report_due_on"]}),
        (
            _("Publicētais"),
            {
                "fields": [
                    "published_at",
                    "story",
                    "results",
                    "participants",
                    "volunteers",
                    "organisations",
                ]
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "slug",
        "community",
        "year",
        "status",
        "application_link",
        "review_link",
        "report_due_on",
        "published_at",
        "story",
        "results",
        "participants",
        "volunteers",
        "organisations",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("atskaites termiņš"), ordering="report_due_on")
    def due_date(self, initiative):
        return latvian_date(initiative.report_due_on) or "—"

    @admin.display(description=_("finansējums"))
    def funding(self, initiative):
        return gettext("Konkursa atbalsts") if initiative.is_funded else gettext("Pašu iniciatīva")

    @admin.display(description=_("konkurss"), ordering="application__round__title")
    def grant_round(self, initiative):
        return initiative.application.round.title if initiative.application_id else "—"

    @admin.display(description=_("pieteikums"))
    def application_link(self, initiative):
        if initiative.application_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:grants_application_change", args=[initiative.application_id]),
            initiative.application.reference,
        )

    @admin.display(description=_("atskaite"))
    def review_link(self, initiative):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:initiatives_initiative_review", args=[initiative.pk]),
            gettext("Atskaite un lēmumi"),
        )

    def has_add_permission(self, request):
        # A community's own initiative is recorded by its leader on the site, a funded one
        # starts with the published decision: never typed in here, bypassing the services.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return permissions.may_review(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return permissions.may_review(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.may_review(request.user) and super().has_change_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        pk = round_pk(request.GET.get(ROUND_PARAMETER))
        export_round = GrantRound.objects.filter(pk=pk).first() if pk is not None else None
        return super().changelist_view(
            request, extra_context={**(extra_context or {}), "export_round": export_round}
        )

    def get_urls(self):
        return [*self.page_urls(), *super().get_urls()]


class InstitutionAdmin(admin.ModelAdmin):
    """Institutions named in reports, for coordinators to read; a published initiative keeps
    its own count, so nothing here changes a published figure."""

    list_display = ["name", "initiative_count"]
    search_fields = ["name"]
    fields = ["name", "initiatives_named"]
    readonly_fields = ["name", "initiatives_named"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("reports"))

    @admin.display(description=_("atskaitēs"), ordering="initiative_count")
    def initiative_count(self, institution):
        return institution.initiative_count

    @admin.display(description=_("iniciatīvas"))
    def initiatives_named(self, institution):
        initiatives = Initiative.objects.filter(report__institutions=institution).order_by("title")
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:initiatives_initiative_change", args=[i.pk]), i.title)
                    for i in initiatives
                ),
            )
            or "—"
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return permissions.may_review(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return permissions.may_review(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


__all__ = ["ROUND_PARAMETER", "InitiativeAdmin", "InstitutionAdmin"]
