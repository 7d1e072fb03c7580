"""The review page beside an initiative's change page, its decisions and the round's export.

Every decision is a POST (with its CSRF token) to a page of its own that calls one service:
return the report with a comment, accept it, publish the initiative, extend the report's due
date with a reason, cancel with a comment. What a service refuses comes back as its Latvian
message, at the field it concerns, with everything typed kept; a second click of the same button
changes nothing and says so (the services are idempotent or refuse). These pages only show and
ask: the decisions are initiatives.services', who may take them initiatives.permissions'.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import XLSX_CONTENT_TYPE
from grants.models import GrantRound

from .. import permissions
from ..models import Initiative
from ..services import lifecycle, reports
from .review import initiative_for_review, review_of

Status = Initiative.Status
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReturnForm(forms.Form):
    prefix = "atgriezt"
    comment = forms.CharField(
        label=_("Kas komandai jālabo"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Komanda to redzēs virs atskaites un saņems e-pastā."),
        error_messages={"required": _("Uzrakstiet komandai, kas atskaitē jālabo.")},
    )


class ExtendForm(forms.Form):
    prefix = "termins"
    due_on = forms.DateField(
        label=_("Jaunais atskaites termiņš"),
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Piemēram, 2026-12-31."),
        error_messages={
            "required": _("Norādiet jauno termiņu."),
            "invalid": _("Ierakstiet datumu, piemēram, 2026-12-31."),
        },
    )
    reason = forms.CharField(
        label=_("Pamatojums"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Norādiet, kāpēc termiņš tiek mainīts.")},
    )


class CancelForm(forms.Form):
    prefix = "atcelt"
    comment = forms.CharField(
        label=_("Atcelšanas iemesls"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Norādiet, kāpēc iniciatīva tiek atcelta.")},
    )


class MilestoneForm(forms.Form):
    prefix = "posms"

    title = forms.CharField(
        label=_("Posms"),
        max_length=200,
        error_messages={"required": _("Nosauciet posmu.")},
    )
    due_on = forms.DateField(
        label=_("Plānotais datums"),
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Norādiet plānoto datumu."),
            "invalid": _("Ierakstiet datumu, piemēram, 2026-12-31."),
        },
    )
    done_on = forms.DateField(
        label=_("Paveikts"),
        required=False,
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Tukšs, ja vēl nav paveikts."),
        error_messages={"invalid": _("Ierakstiet datumu, piemēram, 2026-12-31.")},
    )


# (URL part, view method name, URL name suffix)
DECISIONS = [
    ("posms", "milestone_view", "milestone"),
    ("atgriezt", "return_view", "return"),
    ("pienemt", "accept_view", "accept"),
    ("publicet", "publish_view", "publish"),
    ("termins", "extend_view", "extend"),
    ("atcelt", "cancel_view", "cancel"),
]


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal at the form's field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ReviewPages:
    """The review page and the decision pages of InitiativeAdmin."""

    def page_urls(self) -> list:
        view = self.admin_site.admin_view
        urls = [
            path(
                "eksports/<int:round_pk>/atskaites.xlsx",
                view(self.export_view),
                name="initiatives_initiative_export",
            ),
            path(
                "<int:pk>/atskaite/", view(self.review_view), name="initiatives_initiative_review"
            ),
        ]
        urls += [
            path(
                f"<int:pk>/{part}/",
                view(getattr(self, method)),
                name=f"initiatives_initiative_{name}",
            )
            for part, method, name in DECISIONS
        ]
        return urls

    # --- Reading -----------------------------------------------------------------------------

    def _initiative(self, request, pk) -> Initiative:
        permissions.require_review(request.user)
        initiative = initiative_for_review(pk)
        if initiative is None:
            raise Http404
        return initiative

    def _review_url(self, initiative) -> str:
        return reverse("admin:initiatives_initiative_review", args=[initiative.pk])

    def _render(self, request, initiative, *, status: int = 200, **forms_given):
        allowed = Initiative.TRANSITIONS[initiative.status]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Atskaite: %(title)s") % {"title": initiative.title},
            "initiative": initiative,
            "review": review_of(initiative),
            "may_return": Status.RETURNED in allowed,
            "may_accept": Status.ACCEPTED in allowed,
            "may_publish": Status.PUBLISHED in allowed,
            "may_extend": initiative.status in Initiative.AWAITING_REPORT,
            "may_cancel": Status.CANCELLED in allowed,
            "return_form": forms_given.get("return_form") or ReturnForm(),
            "extend_form": forms_given.get("extend_form")
            or ExtendForm(initial={"due_on": initiative.report_due_on}),
            "cancel_form": forms_given.get("cancel_form") or CancelForm(),
            "milestone_form": forms_given.get("milestone_form") or MilestoneForm(),
            "milestones": list(initiative.milestones.all()),
            # The one form a failed POST came back with: the error summary shows its errors.
            "failed_form": next(iter(forms_given.values()), None),
        }
        return TemplateResponse(
            request, "admin/initiatives/initiative/review.html", context, status=status
        )

    def review_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return self._render(request, initiative)

    # --- Deciding ----------------------------------------------------------------------------

    def _done(self, request, initiative, message: str):
        messages.success(request, message)
        return redirect(self._review_url(initiative))

    def _already(self, request, initiative, message: str):
        messages.info(request, message)
        return redirect(self._review_url(initiative))

    def _refused(self, request, initiative, error: ValidationError):
        for message in error.messages:
            messages.error(request, message)
        return redirect(self._review_url(initiative))

    def return_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if initiative.status == Status.RETURNED:
            return self._already(
                request, initiative, gettext("Atskaite jau ir atgriezta labošanai.")
            )
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                reports.return_report(
                    initiative=initiative, actor=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return self._done(
                    request,
                    initiative,
                    gettext("Atskaite atgriezta labošanai; komandai nosūtīts e-pasts."),
                )
        return self._render(request, initiative, return_form=form)

    def accept_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if initiative.status == Status.ACCEPTED:
            return self._already(request, initiative, gettext("Atskaite jau ir pieņemta."))
        try:
            reports.accept_report(initiative=initiative, actor=request.user)
        except ValidationError as error:
            return self._refused(request, initiative, error)
        return self._done(
            request, initiative, gettext("Atskaite pieņemta; komandai nosūtīts e-pasts.")
        )

    def publish_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if initiative.status == Status.PUBLISHED:
            return self._already(request, initiative, gettext("Iniciatīva jau ir publicēta."))
        try:
            reports.publish_initiative(initiative=initiative, actor=request.user)
        except ValidationError as error:
            return self._refused(request, initiative, error)
        return self._done(request, initiative, gettext("Iniciatīva publicēta."))

    def extend_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = ExtendForm(request.POST)
        if form.is_valid():
            due_on = form.cleaned_data["due_on"]
            if initiative.report_due_on == due_on:
                return self._already(
                    request, initiative, gettext("Atskaites termiņš jau ir šis datums.")
                )
            try:
                lifecycle.extend_due_date(
                    initiative=initiative,
                    due_on=due_on,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return self._done(request, initiative, gettext("Atskaites termiņš pagarināts."))
        return self._render(request, initiative, extend_form=form)

    def cancel_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if initiative.status == Status.CANCELLED:
            return self._already(request, initiative, gettext("Iniciatīva jau ir atcelta."))
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                lifecycle.change_status(
                    initiative=initiative,
                    to=Status.CANCELLED,
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return self._done(request, initiative, gettext("Iniciatīva atcelta."))
        return self._render(request, initiative, cancel_form=form)

    def milestone_view(self, request, pk):
        initiative = self._initiative(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = MilestoneForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if initiative.milestones.filter(title=data["title"], due_on=data["due_on"]).exists():
                return self._already(request, initiative, gettext("Šāds posms jau ir pievienots."))
            try:
                lifecycle.save_milestone(
                    initiative=initiative,
                    actor=request.user,
                    title=data["title"],
                    due_on=data["due_on"],
                    done_on=data["done_on"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return self._done(request, initiative, gettext("Posms pievienots."))
        return self._render(request, initiative, milestone_form=form)

    # --- The round's export ------------------------------------------------------------------

    def export_view(self, request, round_pk):
        permissions.require_review(request.user)
        grant_round = get_object_or_404(GrantRound, pk=round_pk)
        from .. import exports  # on use: the spreadsheet library loads only for an export

        # Written whole to a temporary file first (a failure is an error page, not half a
        # file), then sent from disk; the file goes when the response is closed.
        return FileResponse(
            exports.round_reports_xlsx(grant_round=grant_round),
            as_attachment=True,
            filename=f"{grant_round.reference_code}-atskaites.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
