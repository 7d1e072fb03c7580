"""/skaitli/: the impact figures with their definitions, breakdowns and a CSV of them all."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communities.models import Community
from core import generations, pagecache
from core.forms import Options, QuickSelect
from core.spreadsheets import BOM, CSV_CONTENT_TYPE, LATVIAN_CSV_DELIMITER, latvian_csv_cell
from resource_centres.models import ResourceCentre

from . import figures as impact
from .figures.sources import CENTRE, COMMUNITY, YEAR, breakdown


def _communities() -> tuple[list[tuple[int, str, str]], Options]:
    """The published communities (pk, slug, name) by name, with their <option>s written: kept
    in the shared cache and by each process until a community changes (core.generations)."""

    def compute() -> tuple[list[tuple[int, str, str]], Options]:
        communities = list(
            Community.objects.filter(is_published=True)
            .order_by("name", "pk")
            .values_list("pk", "slug", "name")
        )
        return communities, Options.of((slug, name) for _pk, slug, name in communities)

    return generations.cached(
        generations.PUBLIC_COUNTS, ("figures-communities",), compute, local=True
    )


@pagecache.public_page()
@require_safe
def figures(request):
    wording = impact.labels()
    slug = request.GET.get("kopiena", "")
    # The chooser's list also finds the chosen one: no query of its own.
    communities, options = _communities()
    chosen = next(
        (
            Community(pk=pk, slug=community_slug, name=name)
            for pk, community_slug, name in communities
            if community_slug == slug
        ),
        None,
    )
    # A thousand communities at national scale: their options written once per change.
    widget = QuickSelect(attrs={"id": "kopiena"}, choices=[("", _("Izvēlieties kopienu"))])
    widget.choices = [*widget.choices, *options.choices]
    widget.written = options
    chooser = widget.render("kopiena", slug)
    counts = impact.page_counts(chosen)
    year_figures, years = impact.by_year(counts)
    centre_figures, centres = impact.by_centre(counts)
    return render(
        request,
        "kopienas/figures.html",
        {
            "figures": impact.totals(wording, counts),
            "year_figures": year_figures,
            "years": years,
            "centre_figures": centre_figures,
            "centres": centres,
            "reach": impact.reach(counts=counts),
            "chooser": chooser,
            "slug": slug,
            "chosen": chosen,
            "community_figures": (
                impact.community_figures(chosen, wording, counts) if chosen else []
            ),
            "community_reach": impact.reach(chosen, counts) if chosen else [],
        },
    )


def _csv_rows() -> list[list]:
    """Every figure: its total, then by year, by centre and by community, as the page counts."""
    wording = impact.labels()
    centre_names = dict(ResourceCentre.objects.filter(is_published=True).values_list("pk", "name"))
    community_names = dict(Community.objects.filter(is_published=True).values_list("pk", "name"))
    rows = []
    by = {YEAR: breakdown(YEAR), CENTRE: breakdown(CENTRE), COMMUNITY: breakdown(COMMUNITY)}
    for shown in impact.totals(wording):
        key, label = shown.key, shown.label
        rows.append([key, label, None, None, None, shown.value])
        for year, value in sorted(by[YEAR].get(key, {}).items()):
            rows.append([key, label, year, None, None, value])
        for names, dimension, column in (
            (centre_names, CENTRE, 3),
            (community_names, COMMUNITY, 4),
        ):
            values = by[dimension].get(key, {})
            for place, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
                if place in values:
                    row = [key, label, None, None, None, values[place]]
                    row[column] = name
                    rows.append(row)
    return rows


@require_safe
def figures_csv(request):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=LATVIAN_CSV_DELIMITER)
    headers = [
        _("atslēga"),
        _("skaitlis"),
        _("gads"),
        _("resursu centrs"),
        _("kopiena"),
        _("vērtība"),
    ]
    writer.writerows(
        [[latvian_csv_cell(value) for value in row] for row in [headers, *_csv_rows()]]
    )
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="skaitli.csv"'
    return response
