"""The capacity self-assessment pages under a community: /kopienas/<slug>/ricibspeja/...

A community's self-assessment is its own: its active members and coordinators see it, anyone
else signed in gets 404 (as if there were nothing), and people signed out are asked to log in.
Inside the community, answering is for activists and leaders, and opening rounds, recording
the consensus and keeping the plan for leaders and coordinators: a member without that role
gets 403 there. Everything works without JavaScript.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formats import riga_today
from core.spreadsheets import BOM, CSV_CONTENT_TYPE, LATVIAN_CSV_DELIMITER, latvian_csv_cell

from . import capacity, permissions
from . import capacity_selectors as selectors
from .capacity_chart import radar
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AnswerForm,
    ConsensusForm,
    RoundForm,
    add_service_errors,
)
from .models import ActionItem, AssessmentRound, Community
from .views import _published_community


def _community(request, slug: str) -> Community:
    community = _published_community(slug)
    if not permissions.can_see_capacity(request.user, community):
        raise Http404(_("Šāda kopiena nav atrasta."))
    return community


def _round(community: Community, pk: int) -> AssessmentRound:
    try:
        return selectors.round_of(community=community, pk=pk)
    except AssessmentRound.DoesNotExist:
        raise Http404(_("Šāda novērtēšanas kārta nav atrasta.")) from None


def _state(round_: AssessmentRound, today) -> str:
    if today < round_.opens_on:
        return _("vēl nav sākusies")
    if today > round_.closes_on:
        return _("slēgta")
    return _("atvērta")


@login_required
def overview(request, slug):
    community = _community(request, slug)
    today = riga_today()
    rounds = [(each, _state(each, today)) for each in selectors.rounds_of(community=community)]
    return render(
        request,
        "communities/capacity/overview.html",
        {
            "community": community,
            "rounds": rounds,
            "may_lead": permissions.can_lead_capacity(request.user, community),
        },
    )


@login_required
def round_open(request, slug):
    community = _community(request, slug)
    if not permissions.can_lead_capacity(request.user, community):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = capacity.open_round(
                community=community, opened_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Novērtēšanas kārta atvērta."))
            return redirect("communities:capacity_round", slug=community.slug, pk=round_.pk)
    return render(
        request,
        "communities/capacity/round_open.html",
        {"community": community, "form": form},
    )


@login_required
def round_detail(request, slug, pk):
    """A round: the person's own answer form while it is open, the spread of everyone's
    answers once they have submitted theirs, the consensus, the plan and the previous plan."""
    community = _community(request, slug)
    round_ = _round(community, pk)
    user = request.user
    today = riga_today()
    may_answer = permissions.can_answer_capacity(user, community)
    may_lead = permissions.can_lead_capacity(user, community)
    is_open = round_.is_open_on(today)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    submitted = may_answer and selectors.has_submitted(round_=round_, person=user)
    # Others' answers stay unseen until the person has given theirs; leaders see the spread.
    rows = selectors.dimension_rows(round_=round_, with_spread=submitted or may_lead)
    form = None
    if may_answer and (is_open or request.method == "POST"):
        own = selectors.answers_of(round_=round_, person=user)
        initial = {}
        for dimension_pk, answer in own.items():
            initial[f"level-{dimension_pk}"] = str(answer.level)
            initial[f"comment-{dimension_pk}"] = answer.comment
        form = AnswerForm(request.POST or None, rows=rows, initial=initial)
        if request.method == "POST" and form.is_valid():
            final = request.POST.get("darbiba") != "melnraksts"
            try:
                capacity.submit_answers(
                    round_=round_, person=user, answers=form.answers(), final=final, today=today
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Jūsu atbildes iesniegtas. Tās var mainīt, kamēr kārta ir atvērta.")
                    if final
                    else _("Melnraksts saglabāts. Atbildes vēl nav iesniegtas."),
                )
                return redirect("communities:capacity_round", slug=community.slug, pk=round_.pk)
    previous = selectors.previous_round(round_)
    return render(
        request,
        "communities/capacity/round_detail.html",
        {
            "community": community,
            "round": round_,
            "state": _state(round_, today),
            "rows": rows,
            "form": form,
            "is_open": is_open,
            "submitted": submitted,
            "show_spread": submitted or may_lead,
            "answered": selectors.submitted_people(round_=round_) if submitted or may_lead else 0,
            "may_lead": may_lead,
            "consensus": _with_consensus(rows, selectors.consensus_of(round_=round_)),
            "items": selectors.action_items(round_=round_),
            "previous": previous,
            "previous_items": selectors.action_items(round_=previous) if previous else [],
        },
    )


def _with_consensus(rows, recorded) -> list[tuple]:
    """Each dimension with its recorded consensus (None where none), or [] when none at all."""
    if not recorded:
        return []
    return [(row, recorded.get(row.dimension.pk)) for row in rows]


def _for_leading(request, slug, pk) -> tuple[Community, AssessmentRound]:
    community = _community(request, slug)
    round_ = _round(community, pk)
    if not permissions.can_lead_capacity(request.user, community):
        raise PermissionDenied
    return community, round_


@login_required
def consensus(request, slug, pk):
    """The leader records the agreed levels, seeing how the submitted answers spread."""
    community, round_ = _for_leading(request, slug, pk)
    rows = selectors.dimension_rows(round_=round_, with_spread=True)
    recorded = selectors.consensus_of(round_=round_)
    initial = {}
    for dimension_pk, item in recorded.items():
        initial[f"level-{dimension_pk}"] = str(item.level)
        initial[f"reason-{dimension_pk}"] = item.reason
        initial[f"evidence-{dimension_pk}"] = item.evidence
    form = ConsensusForm(request.POST or None, rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            capacity.record_consensus(
                round_=round_, recorded_by=request.user, entries=form.entries()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Kopienas vienošanās saglabāta."))
            return redirect("communities:capacity_round", slug=community.slug, pk=round_.pk)
    return render(
        request,
        "communities/capacity/consensus.html",
        {
            "community": community,
            "round": round_,
            "form": form,
            "answered": selectors.submitted_people(round_=round_),
        },
    )


@login_required
def plan(request, slug, pk):
    """The round's plan: the leader adds action items and moves them on."""
    community, round_ = _for_leading(request, slug, pk)
    rows = selectors.dimension_rows(round_=round_)
    owners = list(selectors.possible_owners(community=community))
    form = ActionItemForm(
        request.POST or None, dimensions=[row.dimension for row in rows], owners=owners
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capacity.add_action_item(
                round_=round_,
                by=request.user,
                dimension_id=data["dimension"],
                text=data["text"],
                owner_id=data["owner"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plāna punkts pievienots."))
            return redirect("communities:capacity_plan", slug=community.slug, pk=round_.pk)
    return render(
        request,
        "communities/capacity/plan.html",
        {
            "community": community,
            "round": round_,
            "form": form,
            "items": selectors.action_items(round_=round_),
            "statuses": ActionItem.Status.choices,
        },
    )


@login_required
def item_status(request, slug, pk, item_pk):
    community, round_ = _for_leading(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        item = ActionItem.objects.select_related("round__community").get(pk=item_pk, round=round_)
    except ActionItem.DoesNotExist:
        raise Http404(_("Šāds plāna punkts nav atrasts.")) from None
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["status"]
        capacity.set_action_item_status(item=item, by=request.user, status=status)
        messages.success(request, _("Statuss mainīts."))
    else:
        messages.error(request, _("Izvēlieties statusu no saraksta."))
    return redirect("communities:capacity_plan", slug=community.slug, pk=round_.pk)


@login_required
def results(request, slug):
    """The data table first, then the radar chart of the baseline beside the latest round."""
    community = _community(request, slug)
    found = selectors.results(community=community)
    charted = found.charted
    chart = (
        radar(dimensions=found.dimensions, rounds=charted, levels=found.levels) if charted else None
    )
    return render(
        request,
        "communities/capacity/results.html",
        {"community": community, "results": found, "chart": chart, "charted": charted},
    )


@login_required
def results_csv(request, slug):
    community = _community(request, slug)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=LATVIAN_CSV_DELIMITER)
    headers = [
        _("Kārta"),
        _("Veids"),
        _("Atvērta no"),
        _("Atvērta līdz"),
        _("Instrumenta versija"),
        _("Dimensija"),
        _("Vienošanās līmenis"),
        _("Pamatojums"),
        _("Pierādījumi"),
    ]
    rows = [
        [
            item.round.title,
            item.round.get_kind_display(),
            item.round.opens_on.isoformat(),
            item.round.closes_on.isoformat(),
            item.round.instrument.number,
            item.dimension.title,
            item.level,
            item.reason,
            item.evidence,
        ]
        for item in selectors.results_rows(community=community)
    ]
    writer.writerows([[latvian_csv_cell(value) for value in row] for row in [headers, *rows]])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ricibspeja-{community.slug}.csv"'
    return response
