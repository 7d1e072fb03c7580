"""The team's pages of an initiative: its final report (drafts, autosave, submission), its
progress (status, milestones), the receipts only the team and coordinators may download, and
an initiative a community records on its own.

Thin views (DESIGN §3): access through initiatives.permissions, reads through team_selectors,
every change through one service call.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.formats import riga_datetime, riga_time, riga_today

from .. import permissions, team_selectors
from ..forms import (
    PHOTO_ROWS,
    MilestoneForm,
    RecordForm,
    ReportForm,
    photo_names,
    report_initial,
)
from ..models import FinalReport, Initiative, ReportReceipt
from ..services import lifecycle, reports

AUTOSAVE_HEADER = "X-Autosave"
# Where the page shows what is not one field of the form (service errors keyed so).
SECTIONS = {
    "spending": ("#izdevumi", gettext_lazy("Izdevumi")),
    "reach": ("#sasniegtie", gettext_lazy("Sasniegtie cilvēki")),
    "receipts": ("#izdevumu-dokumenti", gettext_lazy("Izdevumus apliecinoši dokumenti")),
    "photos": ("#fotoatteli", gettext_lazy("Fotoattēli")),
}
STARTABLE = (Initiative.Status.SUPPORTED, Initiative.Status.PLANNED)


# Row ids never reach this; a larger number sent by hand would overflow the database's integer.
MAX_ID = 2**31 - 1


def _ids(values) -> list[int]:
    return [
        int(value)
        for value in values
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID
    ]


def _is_autosave(request) -> bool:
    return request.headers.get(AUTOSAVE_HEADER) == "1"


def _report_url(initiative) -> str:
    return reverse("initiatives:report", kwargs={"slug": initiative.slug})


def _header(request, initiative) -> dict:
    """What every team page of the initiative shows at its top."""
    today = riga_today()
    return {
        "initiative": initiative,
        "community": initiative.community,
        "overdue": bool(
            initiative.report_due_on
            and initiative.report_due_on < today
            and initiative.status in Initiative.AWAITING_REPORT
        ),
        "is_team": permissions.is_team_member(request.user, initiative),
    }


# --- The report -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    initiative = permissions.access_team_initiative(request.user, slug)
    if not permissions.can_edit_report(request.user, initiative):
        if request.method == "POST":
            return _closed(request, initiative)
        return _read_only(request, initiative)
    report = reports.start_report(initiative=initiative)
    report.initiative = initiative
    if request.method != "POST":
        page = team_selectors.report_page(report)
        form = _form(
            page,
            initial=report_initial(
                report,
                spending=page.spending,
                reach=page.reach,
                institutions=page.institutions,
                elements=page.elements,
            ),
        )
        return _render_form(request, initiative, page, form)
    return _save(request, initiative, report)


def _form(page, data=None, files=None, **kwargs) -> ReportForm:
    return ReportForm(
        data,
        files,
        report=page.report,
        spending=page.spending,
        target_groups=page.all_groups,
        elements=page.all_elements,
        **kwargs,
    )


def _save(request, initiative, report):
    autosave = _is_autosave(request)
    action = "save" if autosave else request.POST.get("action", "save")
    page = team_selectors.report_page(report)
    form = _form(page, request.POST, request.FILES)
    form.is_valid()
    version = form.cleaned_data.get("version")
    photos_before = {photo.pk for photo in page.photos}
    try:
        result = reports.save_report(
            report=report,
            actor=request.user,
            # A form without its version cannot tell what it was made from: a conflict.
            version=-1 if version is None else version,
            changes=form.changes(
                with_files=not autosave,
                remove_receipts=_ids(request.POST.getlist("remove_receipts")),
                remove_photos=_ids(request.POST.getlist("remove_photos")),
            ),
        )
    except reports.ReportClosed:
        initiative.refresh_from_db()
        return _closed(request, initiative)
    except reports.VersionConflict:
        return _conflict(request, initiative, report)
    report = result.report
    saved_at = timezone.now()
    if autosave:
        return JsonResponse(
            {
                "version": report.version,
                "saved_at": saved_at.isoformat(),
                "message": _("Saglabāts plkst. %(time)s") % {"time": riga_time(saved_at)},
                "errors": {
                    **{name: [str(e) for e in errors] for name, errors in form.errors.items()},
                    **result.errors,
                },
            }
        )
    problems = dict(result.errors)
    if action == "submit" and not form.errors and not problems:
        try:
            reports.submit_report(report=report, actor=request.user)
        except reports.ReportClosed:
            initiative.refresh_from_db()
            return _closed(request, initiative)
        except reports.ReportInvalid as invalid:
            messages.error(
                request,
                _(
                    "Atskaite vēl nav iesniegta: aizpildiet atzīmēto. Viss ierakstītais ir "
                    "saglabāts melnrakstā plkst. %(time)s."
                )
                % {"time": riga_time(saved_at)},
            )
            return _rerender(request, initiative, report, photos_before, invalid.errors)
        messages.success(
            request,
            _(
                "Atskaite iesniegta. Paldies! Koordinators to izskatīs; ja kas jālabo, "
                "atskaiti atgriezīs ar komentāru."
            ),
        )
        return redirect(_report_url(initiative))
    if form.errors or problems:
        if action == "submit":
            message = _(
                "Atskaite nav iesniegta: izlabojiet atzīmētās kļūdas. Pārējais ir saglabāts "
                "melnrakstā plkst. %(time)s."
            )
        else:
            message = _(
                "Melnraksts saglabāts plkst. %(time)s, izņemot atzīmētos laukus: izlabojiet tos."
            )
        messages.warning(request, message % {"time": riga_time(saved_at)})
        return _rerender(request, initiative, report, photos_before, problems)
    messages.success(
        request, _("Melnraksts saglabāts plkst. %(time)s") % {"time": riga_time(saved_at)}
    )
    return redirect(_report_url(initiative))


def _closed(request, initiative):
    """A save or submission that arrives after the report closed: a double click of "Iesniegt
    atskaiti", a second tab, or someone who may only read it."""
    if initiative.status == Initiative.Status.SUBMITTED:
        message = _("Atskaite jau ir iesniegta; otrreiz tā netika sūtīta.")
    elif permissions.is_team_member(request.user, initiative):
        message = _("Šo atskaiti vairs nevar labot.")
    else:
        message = _("Atskaiti raksta iniciatīvas komanda; jūs to varat tikai skatīt.")
    if _is_autosave(request):
        return JsonResponse({"error": message, "closed": True}, status=409)
    messages.info(request, message)
    return redirect(_report_url(initiative))


def _conflict(request, initiative, report):
    """Someone saved the report after this form was opened: nothing of this save is kept, and
    the form comes back with what this person typed, the other save shown beside it, and the
    new version, so saving again is a deliberate choice."""
    report = FinalReport.objects.select_related("updated_by").get(pk=report.pk)
    report.initiative = initiative
    by = report.updated_by
    if by is None:
        who = _("kāds cits")
    elif by.pk == request.user.pk:
        who = _("jūs pats citā logā vai ar atkārtotu klikšķi")
    else:
        who = by.get_full_name() or by.email
    message = _(
        "Kamēr jūs rakstījāt, atskaiti saglabāja kāds cits (%(who)s, %(when)s). Jūsu "
        "ierakstītais netika saglabāts: tas ir redzams veidlapā, un blakus tam ir saglabātais "
        "teksts. Salīdziniet un saglabājiet vēlreiz."
    ) % {"who": who, "when": riga_datetime(report.updated_at)}
    if request.FILES:
        message = " ".join(
            [message, _("Arī pievienotās datnes netika saglabātas: pievienojiet tās vēlreiz.")]
        )
    if _is_autosave(request):
        return JsonResponse({"error": message, "conflict": True}, status=409)
    page = team_selectors.report_page(report)
    data = request.POST.copy()
    data["version"] = str(report.version)
    form = _form(page, data)
    form.is_valid()
    theirs = []
    for name in ("activities_done", "results", "next_steps", "story"):
        saved = getattr(report, name)
        if saved.strip() != (form.cleaned_data.get(name) or "").strip():
            theirs.append({"name": name, "label": form.fields[name].label, "saved": saved})
    messages.error(request, message)
    return _render_form(
        request,
        initiative,
        page,
        form,
        conflict={"who": who, "when": report.updated_at, "theirs": theirs},
        status=409,
    )


def _rerender(request, initiative, report, photos_before, problems):
    """The form as sent, with the new version and the service's messages at their fields; the
    photo rows whose photo was stored are emptied (it is now in the list of stored photos)."""
    page = team_selectors.report_page(report)
    data = request.POST.copy()
    data["version"] = str(report.version)
    stored = [photo for photo in page.photos if photo.pk not in photos_before]
    stored_alts = [photo.alt_text for photo in stored]
    for index in range(PHOTO_ROWS):
        names = photo_names(index)
        alt = " ".join(data.get(names["alt_text"], "").split())[:200]
        if request.FILES.get(names["file"]) is not None and alt in stored_alts:
            stored_alts.remove(alt)
            for name in names.values():
                data.pop(name, None)
    for name in ("remove_receipts", "remove_photos"):
        data.pop(name, None)
    form = _form(page, data)
    form.is_valid()
    # The photo rows' own checks (alt text, consent) again, now without their files: those
    # messages name the refused file and were given on the first pass.
    first = _form(page, request.POST, request.FILES)
    first.is_valid()
    for index in range(PHOTO_ROWS):
        for name in photo_names(index).values():
            for error in first.errors.get(name, []):
                if error not in form.errors.get(name, []):
                    form.add_error(name, error)
    extra = {}
    for key, errors in problems.items():
        for error in errors:
            if key in form.fields:
                form.add_error(key, error)
            elif key in SECTIONS:
                extra.setdefault(key, []).append(error)
            else:
                form.add_error(None, error)
    return _render_form(request, initiative, page, form, section_errors=extra, status=400)


def _render_form(
    request, initiative, page, form, *, section_errors=None, conflict=None, status=200
):
    section_errors = section_errors or {}
    extra_errors = [
        {"href": SECTIONS[key][0], "label": SECTIONS[key][1], "message": message}
        for key, errors in section_errors.items()
        for message in errors
    ]
    return render(
        request,
        "initiatives/report_form.html",
        {
            **_header(request, initiative),
            "page": page,
            "report": page.report,
            "plan": team_selectors.plan_of(initiative),
            "form": form,
            "extra_errors": extra_errors,
            "section_errors": section_errors,
            "conflict": conflict,
            "removing_receipts": set(_ids(request.POST.getlist("remove_receipts"))),
            "removing_photos": set(_ids(request.POST.getlist("remove_photos"))),
            "form_action": _report_url(initiative),
            "max_photos": FinalReport.MAX_PHOTOS,
            "max_receipts": FinalReport.MAX_RECEIPTS,
        },
        status=status,
    )


def _read_only(request, initiative):
    report = FinalReport.objects.filter(initiative=initiative).first()
    page = None
    if report is not None:
        report.initiative = initiative
        page = team_selectors.report_page(report)
    return render(
        request,
        "initiatives/report_detail.html",
        {
            **_header(request, initiative),
            "page": page,
            "report": report,
            "plan": team_selectors.plan_of(initiative),
        },
    )


# --- Progress: status and milestones ----------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    initiative = permissions.access_team_initiative(request.user, slug)
    can_edit = permissions.can_edit_report(request.user, initiative)
    form = MilestoneForm()
    if request.method == "POST":
        if not can_edit:
            messages.info(request, _("Iniciatīvas gaitu vairs nevar mainīt."))
            return redirect("initiatives:progress", slug=initiative.slug)
        action = request.POST.get("action")
        if action == "start" and initiative.status in STARTABLE:
            lifecycle.change_status(
                initiative=initiative, to=Initiative.Status.IN_PROGRESS, actor=request.user
            )
            messages.success(request, _("Atzīmēts: iniciatīvas īstenošana ir sākusies."))
            return redirect("initiatives:progress", slug=initiative.slug)
        if action == "done":
            pks = _ids([request.POST.get("milestone", "")])
            milestone = get_object_or_404(initiative.milestones, pk=pks[0] if pks else 0)
            if milestone.done_on is None:
                lifecycle.save_milestone(
                    initiative=initiative,
                    actor=request.user,
                    title=milestone.title,
                    due_on=milestone.due_on,
                    done_on=riga_today(),
                    milestone=milestone,
                )
            messages.success(
                request, _("Posms „%(title)s” atzīmēts kā paveikts.") % {"title": milestone.title}
            )
            return redirect("initiatives:progress", slug=initiative.slug)
        if action == "milestone":
            form = MilestoneForm(request.POST)
            if form.is_valid():
                try:
                    lifecycle.save_milestone(
                        initiative=initiative, actor=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Posms pievienots."))
                    return redirect("initiatives:progress", slug=initiative.slug)
        elif action != "start":
            return redirect("initiatives:progress", slug=initiative.slug)
    return render(
        request,
        "initiatives/progress.html",
        {
            **_header(request, initiative),
            "milestones": team_selectors.milestones_of(initiative),
            "form": form,
            "can_edit": can_edit,
            "can_start": can_edit and initiative.status in STARTABLE,
            "today": riga_today(),
        },
        status=400 if form.errors else 200,
    )


# --- Files ------------------------------------------------------------------------------------


def receipt(request, slug, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    initiative = permissions.access_team_initiative(request.user, slug)
    receipt = get_object_or_404(ReportReceipt, pk=pk, report__initiative=initiative)
    response = FileResponse(
        receipt.file.open("rb"),
        as_attachment=True,
        filename=receipt.original_name,
        content_type=receipt.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- A community's own initiative -------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def record(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    communities = team_selectors.communities_led_by(user=request.user)
    if not communities.exists():
        return render(request, "initiatives/record_not_leader.html")
    today = riga_today()
    form = RecordForm(
        request.POST or None,
        communities=communities,
        today=today,
        initial={"year": today.year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_record_for(request.user, data["community"]):
            form.add_error("community", _("Iniciatīvu var pieteikt tikai kopienas līderis."))
        else:
            # The same form sent twice (a double click) finds the one the first request made.
            existing = team_selectors.just_recorded(user=request.user, **data)
            if existing is not None:
                messages.info(request, _("Iniciatīva jau ir pieteikta; otrreiz tā netika veidota."))
                return redirect(_report_url(existing))
            try:
                initiative = lifecycle.record_own_initiative(actor=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Iniciatīva „%(title)s” pieteikta. Tagad aprakstiet, kā tā notika: "
                        "atskaiti var saglabāt un turpināt vēlāk."
                    )
                    % {"title": initiative.title},
                )
                return redirect(_report_url(initiative))
    return render(
        request,
        "initiatives/record_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
