"""Applications in the admin, for the staff who may read them: the application with its budget,
attachments, revisions, assessments and history, all read-only, and the decision page, where a
coordinator records a decision through grants.services.record_decision."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formats import money
from core.forms import AmountField

from .. import permissions, selectors, services
from ..models import (
    MONEY,
    Application,
    ApplicationRevision,
    Assessment,
    Attachment,
    BudgetLine,
    GrantRound,
    HistoryEntry,
)
from .history import HistoryReadable

# Who applied, when, and the application's state first; then what they wrote.
RECORD_FIELDS = [
    "reference",
    "round",
    "community",
    "applicant_name",
    "status",
    "submitted_at",
    "withdrawn_at",
    "version",
]
APPLICATION_FIELDS = RECORD_FIELDS + [
    name
    for name in (*Application.CONTENT_FIELDS, *Application.RELATION_FIELDS)
    if name not in RECORD_FIELDS
]


def applicant_name(user) -> str:
    if user is None:
        return gettext("Konts ir dzēsts")
    return user.get_full_name() or user.get_username()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = [*BudgetLine.CONTENT_FIELDS, "line_total"]
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


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ["assessor", "conflict", "auto_conflict", "status", "weighted_total", "submitted_at"]
    readonly_fields = fields
    verbose_name_plural = _("vērtējumi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assessor")


class HistoryInline(HistoryReadable, ReadOnlyInline):
    model = HistoryEntry
    fk_name = "application"
    fields = ["at", "actor", "action", "before_readable", "after_readable"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("actor", "round")
            .prefetch_related("round__criteria")
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Lēmums"),
        choices=[("", _("Lēmuma vēl nav")), *Application.Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    awarded_amount = AmountField(
        label=_("Piešķirtā summa, EUR"),
        required=False,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        help_text=_("Tikai atbalstītam pieteikumam. Piemēram, 1250,50."),
        error_messages={"invalid": _("Ierakstiet summu eiro, piemēram, 1250,50.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 12}),
    )
    decision_message = forms.CharField(
        label=_("Ziņa pieteicējam"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("Pieteicējs to saņems e-pastā kopā ar lēmumu, kad rezultāti būs publicēti."),
    )


class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "applicant_name",
        "community",
        "round",
        "status",
        "decision",
        "submitted_at",
    ]
    list_filter = ["round", "status", "community", "target_groups"]
    search_fields = ["reference", "title", "applicant__first_name", "applicant__last_name"]
    list_select_related = ["round", "community", "applicant"]
    inlines = [BudgetLineInline, AttachmentInline, RevisionInline, AssessmentInline, HistoryInline]
    content_fields = APPLICATION_FIELDS
    decision_fields = [
        "decision",
        "awarded_amount",
        "decision_message",
        "notified_at",
        "notified_decision",
        "notified_amount",
        "notified_message",
    ]
    fieldsets = [
        (None, {"fields": content_fields}),
        (_("Lēmums"), {"fields": decision_fields}),
    ]
    # The applicant's words are theirs: coordinators read them. Decisions are recorded on the
    # decision page (services.record_decision), never by editing these fields.
    readonly_fields = content_fields + decision_fields

    def get_queryset(self, request):
        return permissions.applications_for_staff(super().get_queryset(request))

    @admin.display(description=_("pieteicējs"), ordering="applicant__last_name")
    def applicant_name(self, application):
        """The person by their name, as coordinators know them, never a username."""
        return applicant_name(application.applicant)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/lemums/",
                self.admin_site.admin_view(self.decision_view),
                name="grants_application_decision",
            ),
            *super().get_urls(),
        ]

    def decision_view(self, request, pk):
        permissions.require_deciding(request.user)
        application = get_object_or_404(
            self.get_queryset(request).select_related("round", "community"), pk=pk
        )
        grant_round = application.round
        ranking_url = reverse("admin:grants_grantround_ranking", args=[grant_round.pk])
        if request.method == "POST":
            form = DecisionForm(request.POST)
            if form.is_valid():
                try:
                    services.record_decision(
                        application=application,
                        actor=request.user,
                        decision=form.cleaned_data["decision"],
                        awarded_amount=form.cleaned_data["awarded_amount"],
                        message=form.cleaned_data["decision_message"],
                    )
                except services.DecisionInvalid as refused:
                    for field, errors in refused.errors.items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                else:
                    messages.success(
                        request,
                        gettext("Lēmums par pieteikumu %(reference)s saglabāts.")
                        % {"reference": application.reference},
                    )
                    return redirect(f"{ranking_url}#pieteikums-{application.pk}")
        elif request.method == "GET":
            form = DecisionForm(
                initial={
                    "decision": application.decision,
                    "awarded_amount": application.awarded_amount,
                    "decision_message": application.decision_message,
                }
            )
        else:
            return HttpResponseNotAllowed(["GET", "POST"])
        ceiling = selectors.award_ceiling(application=application, grant_round=grant_round)
        awarded = selectors.awarded_total(grant_round=grant_round)
        return TemplateResponse(
            request,
            "admin/grants/application/decision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Lēmums par pieteikumu %(reference)s")
                % {"reference": application.reference},
                "subtitle": application.title,
                "application": application,
                "grant_round": grant_round,
                "form": form,
                "figures": selectors.round_figures(grant_round=grant_round).get(application.pk),
                "requested": ceiling.requested,
                "awarded": awarded,
                "remaining": grant_round.total_budget - awarded,
                "available": ceiling.amount,
                "published": grant_round.status == GrantRound.Status.RESULTS,
                "deciding": grant_round.status in GrantRound.DECIDING,
                "ranking_url": ranking_url,
            },
        )
