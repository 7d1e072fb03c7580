"""A round's set-up in the admin: its texts, dates, budget, criteria and assessors, its status,
and copying it for next year. The ranking and the pages beside it are in grants.admin.ranking."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.roles import ASSESSORS

from .. import services
from ..models import Criterion, GrantRound
from .ranking import RoundPages


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "title", "guidance", "max_points", "weight", "comment_required"]

    def _assessing(self, obj) -> bool:
        return obj is not None and obj.status in GrantRound.CLOSED

    def get_readonly_fields(self, request, obj=None):
        # Stored totals were computed with these maxima and weights: once assessment has
        # begun they stay as they are, or the figures would silently stop adding up.
        if self._assessing(obj):
            return ["max_points", "weight"]
        return []

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if self._assessing(obj) else self.extra

    def has_add_permission(self, request, obj=None):
        return not self._assessing(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._assessing(obj) and super().has_delete_permission(request, obj)


class GrantRoundForm(forms.ModelForm):
    # The admin builds the Meta (model and fields) from GrantRoundAdmin's fieldsets.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status as saved (a new round starts in preparation), kept before the form's
        # values are put on the instance.
        self.stored_status = self.instance.status if self.instance.pk else GrantRound.Status.DRAFT
        if "assessors" in self.fields:
            # Active members of the assessors' group; those already on the round stay
            # offered, so saving the round never drops one behind the coordinator's back.
            eligible = Q(groups__name=ASSESSORS, is_active=True)
            if self.instance.pk:
                eligible |= Q(assessed_rounds=self.instance)
            # Accounts are made in the user admin; "+" here would offer anyone as an assessor.
            self.fields["assessors"].widget.can_add_related = False
            self.fields["assessors"].queryset = (
                get_user_model()
                .objects.filter(eligible)
                .distinct()
                .order_by("last_name", "first_name", "username")
            )

    def clean_status(self):
        # Asked of the service that makes the change, so the form refuses what it would.
        status = self.cleaned_data["status"]
        refusal = services.status_change_refusal(was=self.stored_status, status=status)
        if refusal:
            raise forms.ValidationError(refusal)
        return status


class GrantRoundAdmin(RoundPages, admin.ModelAdmin):
    form = GrantRoundForm
    list_display = [
        "title",
        "reference_code",
        "status",
        "opens_at",
        "closes_at",
        "max_grant",
        "ranking_link",
    ]
    list_filter = ["status", "year"]
    search_fields = ["title", "reference_code"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["target_groups", "assessors"]
    inlines = [CriterionInline]
    readonly_fields = ["last_number", "results_published_at", "created_at", "updated_at"]
    actions = ["copy_for_next_year"]
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
        (
            _("Vērtēšana"),
            {"fields": ["assessors", "disagreement_threshold", "results_published_at"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("reitings"))
    def ranking_link(self, grant_round):
        if grant_round.status not in GrantRound.CLOSED:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:grants_grantround_ranking", args=[grant_round.pk]),
            gettext("Reitings"),
        )

    @admin.action(description=_("Kopēt konkursu nākamajam gadam"), permissions=["add"])
    def copy_for_next_year(self, request, queryset):
        for grant_round in queryset.order_by("pk"):
            copy = services.copy_round(grant_round=grant_round, actor=request.user)
            self.message_user(
                request,
                format_html(
                    gettext("Konkurss „{original}” nokopēts: {link} (sagatavošanā)."),
                    original=grant_round.title,
                    link=format_html(
                        '<a href="{}">{}</a>',
                        reverse("admin:grants_grantround_change", args=[copy.pk]),
                        copy.title,
                    ),
                ),
                messages.SUCCESS,
            )

    def save_model(self, request, obj, form, change):
        # Everything but the status is saved as the form has it; the status changes only
        # through services.change_round_status, which checks the change again on the locked
        # row.
        status, obj.status = obj.status, form.stored_status
        super().save_model(request, obj, form, change)
        if status == obj.status:
            return
        try:
            obj.status = services.change_round_status(
                grant_round=obj, status=status, actor=request.user
            ).status
        except services.StatusChangeRefused as refused:
            messages.error(request, refused.message)

    def get_urls(self):
        return [*self.page_urls(), *super().get_urls()]
