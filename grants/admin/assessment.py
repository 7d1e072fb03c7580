"""Assessing inside Django admin (issue 4): the assessor's rounds, progress and scoring pages.

Assessors (the "Vērtētāji" group) meet "Mani vērtējumi" at the assessment changelist and score
on the assess page; they never reach the standard change or history pages, not even of their own
assessments, and someone else's assessment is "not found". Coordinators and superusers read every
assessment in the ordinary read-only changelist. Nobody adds, changes or deletes an assessment
through the generic admin forms: every change goes through grants.services.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import permissions, selectors, services
from ..models import Application, Assessment, Criterion, GrantRound, Score


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["criterion", "points", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- "Mani vērtējumi" --------------------------------------------------------------------------


@dataclass
class ApplicationRow:
    application: Application
    state: str
    state_class: str


@dataclass
class RoundBlock:
    grant_round: GrantRound
    progress: selectors.Progress
    rows: list[ApplicationRow] = field(default_factory=list)

    @property
    def progress_text(self) -> str:
        done, total = self.progress.done, self.progress.total
        return ngettext(
            "%(done)s no %(total)s novērtēts",
            "%(done)s no %(total)s novērtēti",
            done,
        ) % {"done": done, "total": total}


def _state(assessment: Assessment | None, auto_conflict: str) -> tuple[str, str]:
    """The assessor's own state of one application: its label and a CSS class."""
    if auto_conflict or (assessment is not None and assessment.has_conflict):
        return gettext("Interešu konflikts"), "conflict"
    if assessment is None:
        return gettext("Nav sākts"), "new"
    if assessment.status == Assessment.Status.SUBMITTED:
        total = formats.number_format(assessment.weighted_total, 2)
        return gettext("Iesniegts (%(total)s)") % {"total": total}, "submitted"
    if assessment.conflict == Assessment.Conflict.NONE:
        return gettext("Melnraksts"), "draft"
    return gettext("Nav sākts"), "new"


def _rounds_of(user) -> list[RoundBlock]:
    """The assessor's visible rounds with their progress and applications, in a number of
    queries that depends on the rounds, never on the applications."""
    rounds = list(selectors.assigned_rounds(user=user, now=timezone.now()))
    if not rounds:
        return []
    blocks = {
        progress.grant_round.pk: RoundBlock(grant_round=progress.grant_round, progress=progress)
        for progress in selectors.progress_of(user=user, rounds=rounds)
    }
    own = {
        assessment.application_id: assessment
        for assessment in Assessment.objects.filter(
            assessor=user, application__round__in=rounds
        ).only("application_id", "conflict", "auto_conflict", "status", "weighted_total")
    }
    conflicts: dict[int, str] = {}
    for grant_round in rounds:
        found = selectors.auto_conflicts(grant_round=grant_round, assessors=[user.pk])
        conflicts.update({pk: reason for (_user, pk), reason in found.items()})
    applications = (
        Application.objects.filter(round__in=rounds, status__in=Application.COMPETING)
        .select_related("community")
        .only("round_id", "reference", "title", "number", "community__name")
        .order_by("number", "pk")
    )
    for application in applications:
        assessment = own.get(application.pk)
        # Once opened, the assessment's own stored conflict; before that, today's.
        found = conflicts.get(application.pk, "") if assessment is None else ""
        label, css = _state(assessment, found)
        blocks[application.round_id].rows.append(ApplicationRow(application, label, css))
    return [blocks[grant_round.pk] for grant_round in rounds]


# --- The assess page ---------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion: Criterion
    points: str = ""
    comment: str = ""
    points_errors: list[str] = field(default_factory=list)
    comment_errors: list[str] = field(default_factory=list)
    share: Decimal = Decimal(0)  # the criterion's weight as a percentage of all the weights

    @property
    def points_id(self) -> str:
        return f"points_{self.criterion.pk}"

    @property
    def comment_id(self) -> str:
        return f"comment_{self.criterion.pk}"

    @property
    def guidance_id(self) -> str:
        return f"guidance_{self.criterion.pk}"

    @property
    def points_described_by(self) -> str:
        ids = [self.guidance_id] if self.criterion.guidance else []
        return " ".join([*ids, f"{self.points_id}-error"] if self.points_errors else ids)

    @property
    def comment_described_by(self) -> str:
        return f"{self.comment_id}-error" if self.comment_errors else ""


@dataclass
class SummaryItem:
    field_id: str
    label: str
    message: str


def _error_summary(errors: dict[str, list[str]], rows: list[CriterionRow]) -> list[SummaryItem]:
    """Every field in error, in the form's order, each linking to its field."""
    items = [
        SummaryItem("conflict-none", gettext("Interešu konflikts"), message)
        for message in errors.get("conflict", [])
    ]
    items += [
        SummaryItem("conflict_reason", gettext("Konflikta apraksts"), message)
        for message in errors.get("conflict_reason", [])
    ]
    for row in rows:
        title = row.criterion.title
        items += [
            SummaryItem(row.points_id, gettext("%(title)s, punkti") % {"title": title}, message)
            for message in row.points_errors
        ]
        items += [
            SummaryItem(row.comment_id, gettext("%(title)s, komentārs") % {"title": title}, message)
            for message in row.comment_errors
        ]
    return items


def _assessor_name(user) -> str:
    if user is None:
        return gettext("Vērtētājs, kura konts ir dzēsts")
    return user.get_full_name() or user.get_username()


def _version(raw) -> int:
    # A form always sends the version it was opened with; without one it is treated as stale.
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


STALE_MESSAGE = _(
    "Šis vērtējums ir mainīts citā logā vai cilnē. Zemāk redzamas saglabātās vērtības; "
    "pārbaudiet un saglabājiet vēlreiz."
)


class AssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "application",
        "assessor",
        "conflict",
        "status",
        "weighted_total",
        "submitted_at",
    ]
    list_filter = [("application__round", admin.RelatedFieldListFilter), "status", "conflict"]
    list_select_related = ["application", "assessor"]
    search_fields = ["application__reference", "application__title", "assessor__username"]
    fields = [
        "application",
        "assessor",
        "conflict",
        "conflict_reason",
        "auto_conflict",
        "status",
        "weighted_total",
        "version",
        "created_at",
        "updated_at",
        "submitted_at",
    ]
    readonly_fields = fields
    inlines = [ScoreInline]

    # --- Who reaches what ---

    def get_queryset(self, request):
        return permissions.assessments_for_staff(
            request.user, super().get_queryset(request).select_related("application", "assessor")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Scores change only through the assess page (grants.services), never a generic form.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _coordinators_only(self, request) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not permissions.sees_all_assessments(request.user):
            # Not a redirect with "does not exist": an assessor learns nothing of the others.
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._coordinators_only(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._coordinators_only(request)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._coordinators_only(request)
        return super().delete_view(request, object_id, extra_context)

    def get_urls(self):
        return [
            path(
                "vertet/<int:application_pk>/",
                self.admin_site.admin_view(self.assess_view),
                name="grants_assessment_assess",
            ),
            *super().get_urls(),
        ]

    # --- "Mani vērtējumi" ---

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if permissions.sees_all_assessments(request.user):
            return super().changelist_view(request, extra_context)
        return TemplateResponse(
            request,
            "admin/grants/assessment/my_assessments.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Mani vērtējumi"),
                "blocks": _rounds_of(request.user),
            },
        )

    # --- The assess page ---

    def assess_view(self, request, application_pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        application = permissions.access_application_as_assessor(request.user, application_pk)
        assessment = self._own_assessment(request, application)
        if request.method != "POST":
            return self._render_assess(request, application, assessment)
        if assessment is None:
            messages.error(request, gettext("Konkursa vērtēšana ir slēgta."))
            return HttpResponseRedirect(request.path)
        action = request.POST.get("action")
        if action == "conflict":
            return self._declare(request, application, assessment)
        return self._score(request, application, assessment, submit=action == "submit")

    @staticmethod
    def _own_assessment(request, application: Application) -> Assessment | None:
        """Made on first opening while the round is in assessment; afterwards only what exists."""
        if application.round.status == GrantRound.Status.ASSESSMENT:
            try:
                return services.open_assessment(application=application, assessor=request.user)
            except services.AssessmentRefused:
                pass
        return Assessment.objects.filter(application=application, assessor=request.user).first()

    def _declare(self, request, application, assessment):
        typed = {
            "conflict": request.POST.get("conflict", ""),
            "reason": request.POST.get("conflict_reason", ""),
        }
        try:
            services.declare_conflict(
                assessment=assessment,
                actor=request.user,
                conflict=typed["conflict"],
                reason=typed["reason"],
                version=_version(request.POST.get("version")),
            )
        except services.AssessmentInvalid as invalid:
            messages.error(request, gettext("Nav saglabāts: izlabojiet atzīmētās kļūdas."))
            return self._render_assess(
                request,
                application,
                assessment,
                conflict_typed=typed,
                errors=invalid.errors,
                status=400,
            )
        except services.StaleAssessment:
            messages.error(request, STALE_MESSAGE)
            assessment.refresh_from_db()
            return self._render_assess(request, application, assessment, status=409)
        except services.AssessmentRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, gettext("Saglabāts"))
        return HttpResponseRedirect(request.path)

    def _score(self, request, application, assessment, *, submit: bool):
        criteria = list(Criterion.objects.filter(round=application.round_id))
        typed = {
            criterion.pk: (
                request.POST.get(f"points_{criterion.pk}", ""),
                request.POST.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in criteria
        }
        try:
            services.save_scores(
                assessment=assessment,
                actor=request.user,
                values=typed,
                version=_version(request.POST.get("version")),
                submit=submit,
            )
        except services.AssessmentInvalid as invalid:
            messages.error(
                request,
                gettext("Vērtējums nav iesniegts: izlabojiet atzīmētās kļūdas.")
                if submit
                else gettext("Nav saglabāts: izlabojiet atzīmētās kļūdas."),
            )
            return self._render_assess(
                request, application, assessment, typed=typed, errors=invalid.errors, status=400
            )
        except services.StaleAssessment:
            messages.error(request, STALE_MESSAGE)
            assessment.refresh_from_db()
            return self._render_assess(request, application, assessment, status=409)
        except services.AssessmentRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request, gettext("Vērtējums iesniegts") if submit else gettext("Saglabāts")
        )
        return HttpResponseRedirect(request.path)

    def _render_assess(
        self,
        request,
        application: Application,
        assessment: Assessment | None,
        *,
        typed: dict[int, tuple[str, str]] | None = None,
        conflict_typed: dict[str, str] | None = None,
        errors: dict[str, list[str]] | None = None,
        status: int = 200,
    ):
        errors = errors or {}
        application = selectors.application_page(application=application)
        grant_round = application.round
        lines = list(application.budget_lines.all())
        criteria = list(grant_round.criteria.all())
        mode = self._mode(grant_round, assessment)

        saved = selectors.scores_of(assessment=assessment) if assessment is not None else {}
        weights = sum((criterion.weight for criterion in criteria), Decimal(0))
        rows = []
        for criterion in criteria:
            if typed is not None:
                points, comment = typed.get(criterion.pk, ("", ""))
            else:
                score = saved.get(criterion.pk)
                points = "" if score is None or score.points is None else str(score.points)
                comment = score.comment if score is not None else ""
            rows.append(
                CriterionRow(
                    criterion=criterion,
                    points=points,
                    comment=comment,
                    points_errors=errors.get(f"points_{criterion.pk}", []),
                    comment_errors=errors.get(f"comment_{criterion.pk}", []),
                    share=criterion.weight / weights * selectors.HUNDRED if weights else Decimal(0),
                )
            )

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Vērtēšana: %(reference)s") % {"reference": application.reference},
            # A closed round where the assessor opened the page but saved nothing: no empty table.
            "has_saved": any(score.points is not None or score.comment for score in saved.values()),
            "error_summary": _error_summary(errors, rows),
            "application": application,
            "round": grant_round,
            "lines": lines,
            "totals": selectors.budget_summary(lines),
            "assessment": assessment,
            "mode": mode,
            "rows": rows,
            "errors": errors,
            "non_field_errors": errors.get(services.NON_FIELD, []),
            "conflict_typed": conflict_typed
            or {"conflict": "", "reason": getattr(assessment, "conflict_reason", "")},
            "conflict_errors": errors.get("conflict", []),
            "conflict_reason_errors": errors.get("conflict_reason", []),
            "conflict_choices": [
                ("none", gettext("Nē, interešu konflikta nav")),
                ("declared", gettext("Jā, man ir interešu konflikts")),
            ],
        }
        if mode == "submitted":
            context.update(self._others(request, application, assessment))
        return TemplateResponse(
            request, "admin/grants/assessment/assess.html", context, status=status
        )

    @staticmethod
    def _mode(grant_round: GrantRound, assessment: Assessment | None) -> str:
        """What the page offers: a step of the assessment, or the read-only outcome."""
        if assessment is None:
            return "closed"
        if assessment.auto_conflict:
            return "auto_conflict"
        if assessment.conflict == Assessment.Conflict.DECLARED:
            return "declared"
        if assessment.status == Assessment.Status.SUBMITTED:
            return "submitted"
        if grant_round.status != GrantRound.Status.ASSESSMENT:
            return "closed"
        if assessment.conflict == Assessment.Conflict.UNDECLARED:
            return "declare"
        return "score"

    @staticmethod
    def _others(request, application: Application, assessment: Assessment) -> dict:
        """Only after the assessor's own submission: the other assessors' submitted scores and
        the application's figures, as grants.selectors computes them for every screen."""
        grant_round = application.round
        others = list(
            Assessment.objects.filter(application=application, status=Assessment.Status.SUBMITTED)
            .exclude(pk=assessment.pk)
            .select_related("assessor")
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=Score.objects.select_related("criterion").order_by(
                        "criterion__order", "criterion_id"
                    ),
                )
            )
            .order_by("submitted_at", "pk")
        )
        for other in others:
            other.assessor_name = _assessor_name(other.assessor)
            # What the assessment stores, as in round_figures: never today's memberships.
            other.excluded = other.has_conflict
        return {
            "others": others,
            "figures": selectors.round_figures(grant_round=grant_round).get(application.pk),
        }
