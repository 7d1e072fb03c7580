"""`make bench` reads a round's exports to their end, so their queries and memory are counted
(devtools.bench.exports, devtools.bench.measure). Only the form of the report is checked here:
its figures are the bench's, never a test's."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from devtools.bench.exports import measure_exports
from devtools.bench.measure import client_for, measure
from devtools.bench.pages import PAGES

pytestmark = pytest.mark.django_db

EXPORTS = ("admin:grants_grantround_export_xlsx", "admin:grants_grantround_export_csv")


def test_the_exports_are_read_to_their_end_and_report_their_peak_memory():
    call_command("bench_data", "--scale", "0.02", stdout=StringIO())
    out = StringIO()

    results = [
        measure(client_for(page), page.url(), repeats=1, max_weight_kb=None)
        for page in PAGES
        if page.url_name in EXPORTS
    ]
    measure_exports(out)

    # The CSV's rows, and their queries, come as it is read: counted, they are the XLSX's.
    queries = results[0].queries
    assert [(result.status, result.queries) for result in results] == [
        (200, queries),
        (200, queries),
    ]
    # Every figure as "#": the form of the report, and no "HTTP 403" after a line.
    assert re.sub(r"\d+(\.\d+)?", "#", re.sub(r" {2,}", "  ", out.getvalue())) == (
        "\nExports of the assessed round (# applications) for the coordinator: peak Python memory\n"
        "of one request (tracemalloc); their times are in the table above\n"
        "  XLSX  # kB  peak  # MB\n"
        "  CSV  # kB  peak  # MB\n"
    )
