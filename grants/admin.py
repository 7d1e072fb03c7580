"""The grant rounds in Django admin: round set-up, the ranking, decisions, publishing, history.

Coordinators set up a round (criteria, assessors, budget), rank its applications once the
assessors have scored them, record a decision per application and publish the results. The
figures come from grants.selectors and every write goes through grants.services: these pages
only show and ask. Assessing itself lives in grants/admin_assessment.py.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.formats import money
from core.forms import AmountField
from core.roles import ASSESSORS
from core.spreadsheets import XLSX_CONTENT_TYPE

from . import (
    admin_assessment,  # noqa: F401  (registers the assessment pages)
    permissions,
    selectors,
    services,
)
from .models import (
    MONEY,
    Application,
    ApplicationRevision,
    Assessment,
    Attachment,
    BudgetLine,
    Criterion,
    GrantRound,
    HistoryEntry,
)

RANK_BY_PARAMETER = {"videjais": "mean", "mediana": "median"}
XLSX = XLSX_CONTENT_TYPE


def _require_deciding(request) -> None:
    # Ranking, decisions, publishing and the exports show every assessor's scores and change
    # what applicants are told: coordinators (and superusers) only.
    if not permissions.may_decide(request.user):
        raise PermissionDenied


def _figure(value, decimal_separator: str) -> str:
    # Scores are 0–100 with two decimals: no thousands to group.
    return "—" if value is None else f"{value:.2f}".replace(".", decimal_separator)


def ranking_rows_html(rows, *, grant_round: GrantRound) -> str:
    """The ranking table's rows. Built here rather than in a template loop: a round has up to a
    thousand applications × fourteen cells, and the template engine's per-cell cost made the
    page miss its 300 ms budget (DESIGN §8). Every value is escaped by format_html."""
    separator = formats.get_format("DECIMAL_SEPARATOR")
    change = reverse("admin:grants_application_change", args=[0]).replace("/0/", "/{}/")
    decide = reverse("admin:grants_application_decision", args=[0]).replace("/0/", "/{}/")
    disagreement = format_html(
        '<span class="flag flag-disagreement">{}</span>', gettext("Nesaskaņas")
    )
    decisions = dict(Application.Decision.choices)
    no_decision = gettext("Pieņemt lēmumu")
    # Decisions are recorded only once the round reaches "decisions": no link that cannot work.
    deciding = grant_round.status in GrantRound.DECIDING
    linked_decision = '<td class="decision"><a href="{decide}">{decision}</a></td>'
    line = format_html(
        '<tr class="funding-line"><th scope="row" colspan="14">{}</th></tr>',
        gettext("Finansējuma robeža: zemāk esošie pieteikumi budžetā (%(budget)s) vairs neietilpst")
        % {"budget": money(grant_round.total_budget)},
    )
    parts = []
    marked = False
    for row in rows:
        application, figures = row.application, row.figures
        if not row.within_budget and not marked:
            # The first row shown below the funding line gets the marker above it.
            parts.append(line)
            marked = True
        missing = (
            format_html(
                ' <span class="flag flag-missing">{}</span>',
                gettext("trūkst %(pending)s") % {"pending": figures.pending},
            )
            if figures.pending
            else ""
        )
        parts.append(
            format_html(
                '<tr id="pieteikums-{pk}" class="{css}"><td>{position}</td>'
                '<td class="reference"><a href="{change}">{reference}</a></td>'
                '<td class="title">{title}</td><td class="community">{community}</td>'
                '<td class="number">{requested}</td>'
                '<td class="number">{count}{missing}</td>'
                '<td class="number">{excluded}</td>'
                '<td class="number">{mean}</td><td class="number">{median}</td>'
                '<td class="number">{spread}</td><td>{flag}</td>'
                '<td class="number">{running}</td>'
                "{decision_cell}"
                '<td class="number">{awarded}</td></tr>',
                pk=application.pk,
                css="" if row.within_budget else "below-line",
                position=row.position,
                change=change.format(application.pk),
                reference=application.reference,
                title=application.title,
                community=application.community.name,
                requested=money(application.requested_total),
                count=figures.count,
                missing=missing,
                excluded=figures.excluded,
                mean=_figure(figures.mean, separator),
                median=_figure(figures.median, separator),
                spread=_figure(figures.spread, separator),
                flag=disagreement if figures.disagreement else "—",
                running=money(row.running_total),
                decision_cell=format_html(
                    linked_decision,
                    decide=decide.format(application.pk),
                    decision=decisions.get(application.decision) or no_decision,
                )
                if deciding
                else format_html(
                    '<td class="decision">{}</td>', decisions.get(application.decision) or "—"
                ),
                awarded=money(application.awarded_amount) or "—",
            )
        )
    return mark_safe("".join(parts))  # noqa: S308  (each part is format_html's output)


# --- Round set-up ----------------------------------------------------------------------------


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
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk else GrantRound.Status.DRAFT
        if status == GrantRound.Status.RESULTS and was != GrantRound.Status.RESULTS:
            raise forms.ValidationError(
                _("Rezultātus publicē reitinga lapā ar pogu „Publicēt rezultātus”.")
            )
        if was == GrantRound.Status.RESULTS and status != GrantRound.Status.RESULTS:
            raise forms.ValidationError(
                _("Rezultāti jau ir publicēti: konkursa statusu vairs mainīt nevar.")
            )
        if status not in GrantRound.STATUS_CHANGES[was]:
            # Scores already stored were computed on the round's criteria as they stood when
            # assessment began: reopening the round would let them change under the scores.
            raise forms.ValidationError(
                _("Statusu „%(was)s” var mainīt tikai uz: %(allowed)s.")
                % {
                    "was": GrantRound.Status(was).label,
                    "allowed": ", ".join(
                        f"„{GrantRound.Status(choice).label}”"
                        for choice in GrantRound.STATUS_CHANGES[was]
                        if choice != was
                    ),
                }
            )
        return status


@admin.register(GrantRound)
class GrantRoundAdmin(admin.ModelAdmin):
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

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/ranking/", view(self.ranking_view), name="grants_grantround_ranking"),
            path(
                "<int:pk>/eksports.csv",
                view(self.export_csv),
                name="grants_grantround_export_csv",
            ),
            path(
                "<int:pk>/eksports.xlsx",
                view(self.export_xlsx),
                name="grants_grantround_export_xlsx",
            ),
            path("<int:pk>/publicet/", view(self.publish_view), name="grants_grantround_publish"),
            path("<int:pk>/pazinot/", view(self.renotify_view), name="grants_grantround_renotify"),
            *super().get_urls(),
        ]

    def _deciding_round(self, request, pk) -> GrantRound:
        _require_deciding(request)
        return get_object_or_404(GrantRound, pk=pk)

    def _context(self, request, grant_round, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "grant_round": grant_round,
            "title": title,
            "subtitle": grant_round.title,
        }

    def ranking_view(self, request, pk):
        grant_round = self._deciding_round(request, pk)
        by = RANK_BY_PARAMETER.get(request.GET.get("pec", ""), "mean")
        only_disagreement = request.GET.get("nesaskanas") == "1"
        only_missing = request.GET.get("trukst") == "1"
        ranking = selectors.ranking(grant_round=grant_round, by=by)
        rows = [
            row
            for row in ranking.rows
            if (row.figures.disagreement or not only_disagreement)
            and (row.figures.missing or not only_missing)
        ]
        pending = list(selectors.pending_notifications(grant_round=grant_round).order_by("number"))
        return TemplateResponse(
            request,
            "admin/grants/grantround/ranking.html",
            {
                **self._context(request, grant_round, gettext("Pieteikumu reitings")),
                "ranking": ranking,
                "rows": rows,
                "total_count": len(ranking.rows),
                "by": by,
                "only_disagreement": only_disagreement,
                "only_missing": only_missing,
                "rows_html": ranking_rows_html(rows, grant_round=grant_round),
                "pending": pending,
                "may_publish": grant_round.status in GrantRound.DECIDING,
            },
        )

    def _export(self, request, pk, extension: str, content_type: str):
        grant_round = self._deciding_round(request, pk)
        from . import exports  # on use: the spreadsheet library loads only for an export

        make = exports.round_csv if extension == "csv" else exports.round_xlsx
        response = HttpResponse(make(grant_round=grant_round), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{grant_round.reference_code}-vertejumi.{extension}"
        )
        return response

    def export_csv(self, request, pk):
        return self._export(request, pk, "csv", "text/csv; charset=utf-8")

    def export_xlsx(self, request, pk):
        return self._export(request, pk, "xlsx", XLSX)

    def _ranking_url(self, grant_round) -> str:
        return reverse("admin:grants_grantround_ranking", args=[grant_round.pk])

    def publish_view(self, request, pk):
        grant_round = self._deciding_round(request, pk)
        if request.method == "POST":
            try:
                told = services.publish_results(grant_round=grant_round, actor=request.user)
            except services.PublishRefused as refused:
                messages.error(request, refused.message)
            else:
                if told:
                    messages.success(
                        request,
                        ngettext(
                            "Rezultāti publicēti; paziņojums nosūtīts %(count)d pieteicējam.",
                            "Rezultāti publicēti; paziņojumi nosūtīti %(count)d pieteicējiem.",
                            told,
                        )
                        % {"count": told},
                    )
                else:
                    messages.info(
                        request,
                        gettext(
                            "Rezultāti jau ir publicēti; visiem pieteicējiem jau ir paziņots, "
                            "atkārtoti neviens netika informēts."
                        ),
                    )
            return redirect(self._ranking_url(grant_round))
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        applications = list(
            selectors.competing_applications(grant_round=grant_round)
            .only("reference", "title", "decision", "awarded_amount", "notified_at")
            .order_by("number")
        )
        undecided = [a for a in applications if not a.decision]
        to_tell = sum(1 for a in applications if a.notified_at is None)
        may_publish = grant_round.status in GrantRound.DECIDING
        # Published already and every applicant told: publishing again would tell nobody.
        all_told = grant_round.results_published_at is not None and not to_tell
        return TemplateResponse(
            request,
            "admin/grants/grantround/publish.html",
            {
                **self._context(request, grant_round, gettext("Publicēt rezultātus")),
                "undecided": undecided,
                "to_tell": to_tell,
                "counts": [
                    (label, sum(1 for a in applications if a.decision == value))
                    for value, label in Application.Decision.choices
                ],
                "applications_count": len(applications),
                "may_publish": may_publish,
                "all_told": all_told,
                "can_publish": may_publish and not undecided and not all_told,
            },
        )

    def renotify_view(self, request, pk):
        grant_round = self._deciding_round(request, pk)
        # The ranking page lists who would be written to, next to the button: no GET page.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            told = services.renotify(grant_round=grant_round, actor=request.user)
        except services.PublishRefused as refused:
            messages.error(request, refused.message)
        else:
            if told:
                messages.success(
                    request,
                    ngettext(
                        "Paziņojums par mainīto lēmumu nosūtīts %(count)d pieteicējam.",
                        "Paziņojumi par mainītajiem lēmumiem nosūtīti %(count)d pieteicējiem.",
                        told,
                    )
                    % {"count": told},
                )
            else:
                messages.info(request, gettext("Mainītu lēmumu, par kuriem jāpaziņo, nav."))
        return redirect(self._ranking_url(grant_round))


# --- Applications and decisions --------------------------------------------------------------


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


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ["assessor", "conflict", "auto_conflict", "status", "weighted_total", "submitted_at"]
    readonly_fields = fields
    verbose_name_plural = _("vērtējumi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assessor")


def _plain(value) -> str:
    return "—" if value in (None, "") else str(value)


def _label(choices, value) -> str:
    if value in (None, ""):
        return "—"
    return str(dict(choices).get(value, value))


def _number(value) -> str:
    if value in (None, ""):
        return "—"
    return formats.number_format(Decimal(str(value)), 2)


def _cut(text: str, chars: int | None) -> str:
    return text if chars is None else Truncator(text).chars(chars)


def _readable(
    entry: HistoryEntry,
    changes: dict,
    *,
    message_chars: int | None = 200,
    comment_chars: int | None = 120,
    reason_chars: int | None = None,
):
    """A history entry's before or after, as a coordinator reads it. Long texts are cut to the
    given number of characters (None: in full)."""
    if not changes:
        return "—"
    status_choices = (
        GrantRound.Status.choices
        if entry.action == HistoryEntry.Action.PUBLISHED
        else Assessment.Status.choices
    )
    values = {
        "decision": (_("lēmums"), lambda v: _label(Application.Decision.choices, v)),
        "awarded_amount": (_("summa"), lambda v: money(v) if v else "—"),
        "decision_message": (_("ziņa"), lambda v: _plain(_cut(v or "", message_chars))),
        "conflict": (_("interešu konflikts"), lambda v: _label(Assessment.Conflict.choices, v)),
        "reason": (_("apraksts"), lambda v: _plain(_cut(v or "", reason_chars))),
        "status": (_("statuss"), lambda v: _label(status_choices, v)),
        "weighted_total": (_("vērtējums"), _number),
    }
    lines = []
    for key, value in changes.items():
        if key in values:
            label, show = values[key]
            lines.append((label, show(value)))
        elif entry.action == HistoryEntry.Action.SCORES and isinstance(value, list):
            points, comment = [*value, None, ""][:2]
            # Scores are keyed by criterion pk; the titles come prefetched with the round.
            criteria = {criterion.pk: criterion.title for criterion in entry.round.criteria.all()}
            title = criteria.get(int(key), key) if key.isdigit() else key
            shown = gettext("%(points)s p.") % {"points": _plain(points)}
            if comment:
                shown += f" – {_cut(comment, comment_chars)}"
            lines.append((title, shown))
        else:
            lines.append((key, _plain(value)))
    return format_html(
        '<ul class="history-changes">{}</ul>', format_html_join("", "<li>{}: {}</li>", lines)
    )


class HistoryReadable:
    @admin.display(description=_("pirms"))
    def before_readable(self, entry):
        return _readable(entry, entry.before)

    @admin.display(description=_("pēc"))
    def after_readable(self, entry):
        return _readable(entry, entry.after)


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


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "community",
        "round",
        "status",
        "decision",
        "submitted_at",
    ]
    list_filter = ["round", "status", "community", "target_groups"]
    search_fields = ["reference", "title"]
    list_select_related = ["round", "community"]
    inlines = [BudgetLineInline, AttachmentInline, RevisionInline, AssessmentInline, HistoryInline]
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
    ]
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
        # Drafts are their author's alone, hidden from every staff member, superusers too.
        return super().get_queryset(request).exclude(status=Application.Status.DRAFT)

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
        _require_deciding(request)
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
        awarded = selectors.awarded_total(grant_round=grant_round)
        awarded_elsewhere = selectors.awarded_total(grant_round=grant_round, excluding=application)
        requested = selectors.requested_total(application=application)
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
                "requested": requested,
                "awarded": awarded,
                "remaining": grant_round.total_budget - awarded,
                "available": max(
                    min(
                        requested,
                        grant_round.max_grant,
                        grant_round.total_budget - awarded_elsewhere,
                    ),
                    Decimal(0),
                ),
                "published": grant_round.status == GrantRound.Status.RESULTS,
                "deciding": grant_round.status in GrantRound.DECIDING,
                "ranking_url": ranking_url,
            },
        )


# --- History ---------------------------------------------------------------------------------


# In the list long texts are cut short so the before/after columns stay readable; the entry's
# own page shows them in full.
HISTORY_LIST_CHARS = {"message_chars": 80, "comment_chars": 80, "reason_chars": 80}
HISTORY_FULL_CHARS = {"message_chars": None, "comment_chars": None, "reason_chars": None}


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    # The round is a filter; as a column it pushed "before" and "after" off the screen.
    list_display = [
        "at",
        "actor",
        "action",
        "application",
        "before_readable",
        "after_readable",
    ]
    list_filter = ["round", "action"]
    search_fields = ["application__reference"]
    search_help_text = _("Pieteikuma numurs, piemēram, DK-2026-014.")
    list_select_related = ["actor", "round", "application"]
    fields = [
        "at",
        "actor",
        "action",
        "round",
        "application",
        "assessment",
        "before_full",
        "after_full",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin-grants.css"]}

    @admin.display(description=_("pirms"))
    def before_readable(self, entry):
        return _readable(entry, entry.before, **HISTORY_LIST_CHARS)

    @admin.display(description=_("pēc"))
    def after_readable(self, entry):
        return _readable(entry, entry.after, **HISTORY_LIST_CHARS)

    @admin.display(description=_("pirms"))
    def before_full(self, entry):
        return _readable(entry, entry.before, **HISTORY_FULL_CHARS)

    @admin.display(description=_("pēc"))
    def after_full(self, entry):
        return _readable(entry, entry.after, **HISTORY_FULL_CHARS)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("round__criteria")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
