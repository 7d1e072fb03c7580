"""A round's pages beside its change page, for coordinators: the ranking (with the funding line
and the decision links), the CSV and XLSX exports, publishing the results and re-notifying the
applicants whose decision changed. Every figure comes from grants.selectors and every write goes
through grants.services: these pages only show and ask."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from core.formats import money
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import permissions, selectors, services
from ..models import Application, GrantRound

RANK_BY_PARAMETER = {"videjais": "mean", "mediana": "median"}
# The table's columns: what decides (the figures, the decision, the award) comes right after
# the title, so it stays on screen at 1280 px; the sums and counts follow.
RANKING_COLUMNS = 12


def _figure(value, decimal_separator: str) -> str:
    # Scores are 0–100 with two decimals: no thousands to group.
    return "—" if value is None else f"{value:.2f}".replace(".", decimal_separator)


def ranking_rows_html(rows, *, grant_round: GrantRound) -> str:
    """The ranking table's rows. Built here rather than in a template loop: a round has up to a
    thousand applications × twelve cells, and the template engine's per-cell cost made the
    page miss its 300 ms budget (DESIGN §8). Every value is escaped by format_html."""
    separator = formats.get_format("DECIMAL_SEPARATOR")
    change = reverse("admin:grants_application_change", args=[0]).replace("/0/", "/{}/")
    decide = reverse("admin:grants_application_decision", args=[0]).replace("/0/", "/{}/")
    disagreement = format_html(
        ' <span class="flag flag-disagreement">{}</span>', gettext("Nesaskaņas")
    )
    decisions = dict(Application.Decision.choices)
    no_decision = gettext("Pieņemt lēmumu")
    # Decisions are recorded only once the round reaches "decisions": no link that cannot work.
    deciding = grant_round.status in GrantRound.DECIDING
    linked_decision = '<td class="decision"><a href="{decide}">{decision}</a></td>'
    line = format_html(
        '<tr class="funding-line"><th scope="row" colspan="{}">{}</th></tr>',
        RANKING_COLUMNS,
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
                '<td class="title">{title} <span class="community">{community}</span></td>'
                '<td class="number mean">{mean}</td><td class="number median">{median}</td>'
                '<td class="number spread">{spread}{flag}</td>'
                "{decision_cell}"
                '<td class="number awarded">{awarded}</td>'
                '<td class="number">{requested}</td>'
                '<td class="number">{running}</td>'
                '<td class="number">{count}{missing}</td>'
                '<td class="number">{excluded}</td></tr>',
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
                flag=disagreement if figures.disagreement else "",
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


class RoundPages:
    """The ranking, export, publish and re-notify pages of GrantRoundAdmin."""

    def page_urls(self) -> list:
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
        ]

    def _deciding_round(self, request, pk) -> GrantRound:
        permissions.require_deciding(request.user)
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

    def _export(self, request, pk, extension: str):
        grant_round = self._deciding_round(request, pk)
        from .. import exports  # on use: the spreadsheet library loads only for an export

        filename = f"{grant_round.reference_code}-vertejumi.{extension}"
        if extension == "csv":
            # Rows go out as they are read: the first bytes leave before the last row is made.
            response = StreamingHttpResponse(
                exports.round_csv(grant_round=grant_round), content_type=CSV_CONTENT_TYPE
            )
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        # Written whole to a temporary file first (a failure is an error page, not half a
        # file), then sent from disk; the file goes when the response is closed.
        return FileResponse(
            exports.round_xlsx(grant_round=grant_round),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_CONTENT_TYPE,
        )

    def export_csv(self, request, pk):
        return self._export(request, pk, "csv")

    def export_xlsx(self, request, pk):
        return self._export(request, pk, "xlsx")

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
