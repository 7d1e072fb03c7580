"""Grant pages: thin views that read through selectors, decide access through permissions and
change state through one service call each (DESIGN §3)."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import pagecache
from core.formats import riga_datetime, riga_time
from core.roles import has_verified_email

from . import permissions, selectors, services
from .forms import (
    LINES_PREFIX,
    ApplicationForm,
    BudgetLineFormSet,
    WithdrawForm,
    draft_key_from_token,
    draft_token,
    line_initial,
)
from .models import Application, GrantRound

PAST_PER_PAGE = 10


# --- Public rounds ---------------------------------------------------------------------------


@pagecache.public_page()
def round_list(request):
    now = timezone.now()
    if pagecache.may_store(request):
        pagecache.changes_at(request, selectors.rounds_change_at(now=now))
    past = Paginator(selectors.past_rounds(now=now), PAST_PER_PAGE).get_page(
        request.GET.get("lapa")
    )
    return render(
        request,
        "grants/grantround_list.html",
        {
            "open_rounds": list(selectors.open_rounds(now=now)),
            "upcoming_rounds": list(selectors.upcoming_rounds(now=now)),
            "page_obj": past,
        },
    )


@pagecache.public_page()
def round_detail(request, slug):
    try:
        grant_round = selectors.round_page(slug=slug)
    except GrantRound.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    accepts = permissions.accepts_applications(grant_round, now=now)
    if accepts:
        # The countdown shows whole minutes: it reads differently at the next one.
        left = (grant_round.closes_at - now).total_seconds()
        pagecache.changes_at(request, now + timedelta(seconds=left % 60 or 60))
    for moment in (grant_round.opens_at, grant_round.closes_at):
        if moment > now:
            pagecache.changes_at(request, moment)
    return render(
        request,
        "grants/grantround_detail.html",
        {
            "round": grant_round,
            "accepts_applications": accepts,
            "upcoming": grant_round.status == GrantRound.Status.OPEN and now < grant_round.opens_at,
            "time_left": time_left(grant_round.closes_at - now),
        },
    )


@pagecache.public_page()
def round_results(request, slug):
    """The supported ideas of a round, as their applicants were told: a decision changed since
    shows only once it is re-notified. "Not found" until the results are published."""
    grant_round = get_object_or_404(selectors.public_rounds(), slug=slug)
    if not permissions.decision_is_public(grant_round):
        raise Http404
    supported = list(selectors.published_results(grant_round=grant_round))
    return render(
        request,
        "grants/grantround_results.html",
        {
            "round": grant_round,
            "supported": supported,
            "awarded": sum((a.notified_amount or 0 for a in supported), Decimal(0)),
        },
    )


def time_left(delta) -> str:
    """ "3 d. 4 st. 12 min.": the same short units the page's script counts down with."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(_("%(count)s d.") % {"count": days})
    if days or hours:
        parts.append(_("%(count)s st.") % {"count": hours})
    parts.append(_("%(count)s min.") % {"count": minutes})
    return " ".join(parts)


# --- Applying --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    grant_round = get_object_or_404(selectors.public_rounds(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Applying needs a confirmed address, as joining a community does: one rule for both.
    if not has_verified_email(request.user):
        return render(request, "grants/apply_unverified.html", {"round": grant_round}, status=403)
    communities = selectors.active_communities(user=request.user)
    if not communities.exists():
        return render(request, "grants/apply_no_community.html", {"round": grant_round})
    if not permissions.accepts_applications(grant_round):
        messages.warning(request, _("Šajā konkursā pieteikumus pašlaik nepieņem."))
        return redirect(grant_round)
    # A double click or a resent form of a new application: carry on with the draft the first
    # request made (submitted already, it says so), never start a second one.
    application = None
    draft_key = None
    token = request.POST.get("draft_key", "") if request.method == "POST" else ""
    if token:
        draft_key = draft_key_from_token(token, user=request.user, grant_round=grant_round)
        if draft_key is None:
            return _foreign_draft_key(request, grant_round, communities)
        application = selectors.own_application_by_draft_key(
            user=request.user, grant_round=grant_round, key=draft_key
        )
    return _application_form(
        request,
        grant_round=grant_round,
        application=application,
        communities=communities,
        draft_key=draft_key,
    )


def _foreign_draft_key(request, grant_round, communities):
    """A new form whose draft key the server did not issue to this person for this round:
    nothing is saved, and the form comes back as typed with a key of its own."""
    message = _(
        "Melnraksts netika saglabāts: šī veidlapa nav izsniegta jums šim konkursam. "
        "Pārbaudiet ierakstīto un saglabājiet vēlreiz."
    )
    if request.headers.get("X-Autosave") == "1":
        return JsonResponse({"error": message}, status=400)
    data = request.POST.copy()
    data["draft_key"] = draft_token(user=request.user, grant_round=grant_round)
    form = ApplicationForm(data, communities=communities, grant_round=grant_round)
    formset = BudgetLineFormSet(data, prefix=LINES_PREFIX)
    form.is_valid()
    formset.is_valid()
    messages.error(request, message)
    return _render_form(request, grant_round, None, form, formset, status=400)


@require_http_methods(["GET", "POST"])
def application_edit(request, key):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = permissions.access_own_application(request.user, key)
    if not permissions.can_edit_application(request.user, application):
        if request.headers.get("X-Autosave") == "1":
            return JsonResponse({"error": _("Pieteikumu vairs nevar labot.")}, status=409)
        messages.info(request, _("Šo pieteikumu vairs nevar labot."))
        return redirect(application)
    return _application_form(
        request,
        grant_round=application.round,
        application=application,
        communities=selectors.active_communities(user=request.user),
    )


def _application_form(request, *, grant_round, application, communities, draft_key=None):
    if request.method != "POST":
        form = ApplicationForm(
            instance=application,
            initial={
                "version": application.version if application else 0,
                "draft_key": (
                    "" if application else draft_token(user=request.user, grant_round=grant_round)
                ),
            },
            communities=communities,
            grant_round=grant_round,
        )
        formset = BudgetLineFormSet(prefix=LINES_PREFIX, initial=line_initial(application))
        return _render_form(request, grant_round, application, form, formset)

    autosave = request.headers.get("X-Autosave") == "1"
    action = "save" if autosave else request.POST.get("action", "save")
    form = ApplicationForm(
        request.POST, instance=application, communities=communities, grant_round=grant_round
    )
    formset = BudgetLineFormSet(request.POST, prefix=LINES_PREFIX)
    typed_ok = form.is_valid() & formset.is_valid()
    typed = form.cleaned_data
    arguments = {
        "changes": {name: typed[name] for name in Application.CONTENT_FIELDS if name in typed},
        "relations": {name: typed[name] for name in Application.RELATION_FIELDS if name in typed},
        # No table sent (no management form) leaves the budget as it is, never empties it.
        "lines": _line_changes(formset) if formset.management_form.is_valid() else None,
        "uploads_": [] if autosave else request.FILES.getlist("files"),
        "remove_attachments": (
            [] if autosave else _ids(request.POST.getlist("remove_attachments"))
        ),
    }
    if application is not None and not application.is_draft:
        return _change_submitted(request, application, form, formset, typed_ok, action, arguments)

    if application is None and "community" not in arguments["changes"]:
        # A draft belongs to a community: without a valid one nothing can be kept yet.
        if autosave:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        messages.error(request, _("Melnraksts netika saglabāts: izvēlieties kopienu."))
        return _render_form(request, grant_round, None, form, formset, status=400)

    try:
        result = services.save_draft(
            application=application,
            applicant=request.user,
            grant_round=grant_round,
            draft_key=draft_key if application is None else None,
            **arguments,
        )
    except services.AlreadySubmitted:
        return _already_submitted(request, application, autosave)
    except services.DraftKeyTaken:
        # The same new form's other request made the draft a moment ago: show that one.
        existing = selectors.own_application_by_draft_key(
            user=request.user, grant_round=grant_round, key=draft_key
        )
        if existing is None:
            raise Http404 from None
        if autosave:
            return JsonResponse({"error": _("Melnraksts jau ir saglabāts.")}, status=409)
        messages.info(request, _("Melnraksts jau ir saglabāts; otrreiz tas netika veidots."))
        return redirect("grants:application_edit", key=existing.key)
    application = result.application
    saved_at = timezone.now()
    if autosave:
        return JsonResponse(
            {
                "saved_at": saved_at.isoformat(),
                "message": _("Saglabāts plkst. %(time)s") % {"time": riga_time(saved_at)},
                "version": application.version,
                "edit_url": reverse("grants:application_edit", kwargs={"key": application.key}),
                "lines": result.line_ids,
                "errors": {**form.errors.get_json_data()},
                "line_errors": result.line_errors,
            }
        )
    has_errors = not typed_ok or bool(result.file_errors) or bool(result.line_errors)
    problems: dict[str, list[str]] = {}
    if result.line_errors:
        problems[services.LINES] = result.line_errors
    if result.file_errors:
        problems["files"] = result.file_errors
    if action == "submit" and not has_errors:
        try:
            application = services.submit_application(application=application, user=request.user)
        except services.AlreadySubmitted:
            return _already_submitted(request, application, autosave)
        except services.DeadlinePassed:
            messages.error(request, _deadline_message(grant_round))
            return redirect("grants:application_edit", key=application.key)
        except services.SubmissionInvalid as invalid:
            messages.error(
                request,
                _(
                    "Pieteikums vēl nav iesniegts: izlabojiet atzīmēto. Viss ierakstītais ir "
                    "saglabāts melnrakstā."
                ),
            )
            return _rerender(request, grant_round, application, result, communities, invalid.errors)
        messages.success(
            request,
            _(
                "Pieteikums iesniegts, tā numurs ir %(reference)s. Apstiprinājumu nosūtījām uz "
                "jūsu e-pastu."
            )
            % {"reference": application.reference},
        )
        return redirect(application)
    if has_errors:
        if action == "submit":
            message = _(
                "Pieteikums nav iesniegts: izlabojiet atzīmētās kļūdas. Pārējais ir saglabāts "
                "melnrakstā plkst. %(time)s."
            )
        else:
            message = _(
                "Melnraksts saglabāts plkst. %(time)s, izņemot atzīmētos laukus: izlabojiet tos."
            )
        messages.warning(request, message % {"time": riga_time(saved_at)})
        return _rerender(request, grant_round, application, result, communities, problems)
    messages.success(
        request, _("Melnraksts saglabāts plkst. %(time)s") % {"time": riga_time(saved_at)}
    )
    return redirect("grants:application_edit", key=application.key)


def _change_submitted(request, application, form, formset, typed_ok, action, arguments):
    if request.headers.get("X-Autosave") == "1":
        return JsonResponse({"error": _("Iesniegtu pieteikumu automātiski nesaglabā.")}, status=409)
    version = form.cleaned_data.get("version")
    if action == "submit" and version != application.version:
        # A second click or a resent form of a submission that already went through.
        return _already_submitted(request, application, autosave=False)
    unchanged = services.SaveResult(application=application)
    try:
        services.update_submitted(
            application=application,
            user=request.user,
            version=version,
            typed_errors=not typed_ok,
            **arguments,
        )
    except services.VersionConflict:
        messages.error(
            request,
            _(
                "Pieteikums pa to laiku ir mainīts (varbūt citā logā). Pārbaudiet laukus un "
                "saglabājiet vēlreiz."
            ),
        )
        application.refresh_from_db()
        return _rerender(
            request, application.round, application, unchanged, form.fields["community"].queryset
        )
    except services.DeadlinePassed:
        messages.error(
            request,
            _("Pieteikšanās termiņš (%(deadline)s) ir beidzies; izmaiņas netika saglabātas.")
            % {"deadline": riga_datetime(application.round.closes_at)},
        )
        return redirect(application)
    except services.AlreadySubmitted:
        messages.info(request, _("Šo pieteikumu vairs nevar labot."))
        return redirect(application)
    except services.SubmissionInvalid as invalid:
        kept = invalid.result
        if not typed_ok:
            message = _("Izmaiņas nav saglabātas: izlabojiet atzīmētās kļūdas.")
        else:
            message = _(
                "Izmaiņas nav saglabātas: iesniegtam pieteikumam jāatbilst visām prasībām. "
                "Izlabojiet atzīmēto."
            )
        if kept.stored_files:
            message = " ".join(
                [message, _("Pievienotās datnes ir saglabātas un redzamas pielikumu sarakstā.")]
            )
        messages.error(request, message)
        return _rerender(
            request,
            application.round,
            kept.application,
            unchanged,
            form.fields["community"].queryset,
            invalid.errors,
        )
    messages.success(request, _("Izmaiņas saglabātas."))
    return redirect(application)


def _already_submitted(request, application, autosave):
    if autosave:
        return JsonResponse({"error": _("Pieteikums jau ir iesniegts.")}, status=409)
    messages.info(request, _("Pieteikums jau ir iesniegts; otrreiz tas netika sūtīts."))
    application.refresh_from_db()
    return redirect(application)


def _deadline_message(grant_round) -> str:
    return _(
        "Pieteikšanās termiņš (%(deadline)s) ir beidzies, tāpēc pieteikumu vairs nevar iesniegt. "
        "Ierakstītais ir saglabāts melnrakstā."
    ) % {"deadline": riga_datetime(grant_round.closes_at)}


def _line_changes(formset) -> list[services.LineChange]:
    changes = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        delete = bool(data.get("DELETE"))
        line_id = data.get("id")
        if delete:
            changes.append(services.LineChange(form.prefix, line_id, True, None))
        elif form.is_valid():
            values = None if form.is_blank() else data
            changes.append(services.LineChange(form.prefix, line_id, False, values))
        elif line_id is not None:
            # A row with a wrongly typed cell is left as it was saved, and shown with its error.
            changes.append(services.LineChange(form.prefix, line_id, False, None, keep=True))
    return changes


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def _rerender(request, grant_round, application, result, communities, problems=None):
    """The form as sent, with what was saved folded in: the new version and line ids."""
    data = request.POST.copy()
    data["version"] = str(application.version)
    for prefix, line_id in result.line_ids.items():
        data[f"{prefix}-id"] = "" if line_id is None else str(line_id)
    form = ApplicationForm(
        data, instance=application, communities=communities, grant_round=grant_round
    )
    formset = BudgetLineFormSet(data, prefix=LINES_PREFIX)
    form.is_valid()
    formset.is_valid()
    problems = dict(problems or {})
    line_errors = problems.pop(services.LINES, [])
    file_errors = problems.pop("files", [])
    for name, errors in problems.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    return _render_form(
        request,
        grant_round,
        application,
        form,
        formset,
        line_errors=line_errors,
        file_errors=file_errors,
        removing=_ids(request.POST.getlist("remove_attachments")),
        status=400,
    )


def _extra_errors(formset, line_errors, file_errors) -> list[dict[str, str]]:
    """The rows of the page's error summary for what is not a field of the form."""
    budget = {"href": "#budzets", "label": _("Budžets")}
    rows = [{**budget, "message": error} for error in formset.non_form_errors()]
    if formset.total_error_count() and not formset.non_form_errors():
        rows.append({**budget, "message": _("pārbaudiet atzīmētās šūnas.")})
    rows += [{**budget, "message": error} for error in line_errors]
    files = {"href": "#id_files", "label": _("Pielikumi")}
    rows += [{**files, "message": error} for error in file_errors]
    return rows


def _render_form(
    request,
    grant_round,
    application,
    form,
    formset,
    *,
    line_errors=(),
    file_errors=(),
    removing=(),
    status=200,
):
    attachments = []
    lines = []
    existing = []
    if application is None:
        # Starting another one: point to what the person already has in this round.
        existing = selectors.own_applications_in_round(user=request.user, grant_round=grant_round)
    else:
        application = selectors.application_page(application=application)
        attachments = list(application.attachments.all())
        lines = list(application.budget_lines.all())
    action = (
        reverse("grants:application_edit", kwargs={"key": application.key})
        if application
        else reverse("grants:apply", kwargs={"slug": grant_round.slug})
    )
    return render(
        request,
        "grants/application_form.html",
        {
            "round": grant_round,
            "application": application,
            "form": form,
            "formset": formset,
            "attachments": attachments,
            "saved_totals": selectors.budget_summary(lines),
            "line_errors": list(line_errors),
            "file_errors": list(file_errors),
            "extra_errors": _extra_errors(formset, line_errors, file_errors),
            "removing": set(removing),
            "existing_applications": existing,
            "form_action": action,
            "max_files": settings.ATTACHMENT_MAX_FILES,
            "autosave": application is None or application.is_draft,
        },
        status=status,
    )


# --- One application -------------------------------------------------------------------------


def application_detail(request, key):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = selectors.application_page(
        application=permissions.access_application(request.user, key)
    )
    lines = list(application.budget_lines.all())
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "round": application.round,
            "lines": lines,
            "totals": selectors.budget_summary(lines),
            "is_applicant": permissions.is_applicant(request.user, application),
            "can_edit": permissions.can_edit_application(request.user, application),
            "can_withdraw": permissions.can_withdraw_application(request.user, application),
        },
    )


@require_http_methods(["GET", "POST"])
def application_withdraw(request, key):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = permissions.access_own_application(request.user, key)
    if not permissions.can_withdraw_application(request.user, application):
        messages.info(request, _("Atsaukt var tikai iesniegtu pieteikumu."))
        return redirect(application)
    form = WithdrawForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                application=application, user=request.user, version=form.cleaned_data["version"]
            )
        except (services.AlreadySubmitted, services.VersionConflict):
            messages.info(request, _("Pieteikums pa to laiku ir mainīts; pārbaudiet tā statusu."))
            return redirect(application)
        messages.success(request, _("Pieteikums atsaukts."))
        return redirect(application)
    return render(
        request,
        "grants/application_withdraw.html",
        {"application": application, "round": application.round, "form": form},
    )


def attachment_download(request, key, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = permissions.access_application_files(request.user, key)
    attachment = get_object_or_404(application.attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
