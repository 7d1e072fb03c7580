"""No URL answers 500 to any path segment or query value (DESIGN §8 "Reliability").

Every path of the permission matrix, the site's and the admin's, is asked again with each of its
segments replaced by hostile values, with a NUL byte after it, and with every query parameter the
project reads set to values that once broke a page: a NUL byte (PostgreSQL cannot hold one), dates
past the calendar's end, numbers past any integer, half an escape, a very long text. Anonymous
visitors and a coordinator (who reaches the admin) ask each, since each sees other pages.
"""

from http import HTTPStatus
from urllib.parse import quote

import pytest

from tests.test_permission_matrix import ADMIN_MATRIX, MATRIX, people, placeholders  # noqa: F401

# Every query parameter a view, filter or admin list of the project reads.
PARAMETERS = [
    # site pages and filters
    "lapa", "laiks", "q", "novads", "centrs", "kopiena", "veids", "formats", "no", "lidz",
    "grupa", "brivas", "format", "next",
    # the ranking
    "pec", "nesaskanas", "trukst",
    # the admin's lists
    "o", "p", "e", "all", "status__exact", "round__id__exact", "event__id__exact", "_popup",
    "_changelist_filters",
]  # fmt: skip
VALUES = [
    "\x00",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "1e309",
    "99999999999999999999999",
    "%",
    "'\"<script>",
    "ā" * 3000,
]
SEGMENTS = ["\x00", "%", "..", "9" * 30, "ā" * 300]
ROLES = ["anonymous", "coordinator"]


def _variants(path: str) -> list[str]:
    base = path.partition("?")[0]
    parts = base.strip("/").split("/")
    variants = [base.rstrip("/") + "/" + quote("\x00") + "/"]
    for index in range(len(parts)):
        # Each segment replaced, and each with a NUL in front (a token that still matches its
        # URL pattern, such as "<token>.ics", then reaches the view).
        for segment in [*(quote(value, safe="") for value in SEGMENTS), "%00" + parts[index]]:
            changed = [*parts[:index], segment, *parts[index + 1 :]]
            variants.append("/" + "/".join(changed) + ("/" if base.endswith("/") else ""))
    for value in VALUES:
        pairs = "&".join(f"{name}={quote(value, safe='')}" for name in PARAMETERS)
        variants.append(f"{base}?{pairs}")
    return variants


def _paths(matrix: dict, name: str) -> list[str]:
    return [template for template, _ in matrix[name]]


CASES = [
    pytest.param(matrix, name, role, id=f"{name}-{role}")
    for matrix in (MATRIX, ADMIN_MATRIX)
    for name in matrix
    for role in ROLES
]


@pytest.mark.parametrize(("matrix", "name", "role"), CASES)
def test_no_url_answers_500_to_hostile_values(client, people, placeholders, matrix, name, role):  # noqa: F811
    if people[role] is not None:
        client.force_login(people[role])
    answers = {}
    for template in _paths(matrix, name):
        for path in _variants(template.format(**placeholders)):
            response = client.get(path)
            answers[path] = response.status_code

    assert {path: status for path, status in answers.items() if status >= 500} == {}
    # Every variant is answered, a NUL anywhere with "not found" or "bad request".
    assert {
        path: status
        for path, status in answers.items()
        if "%00" in path and status not in (HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST)
    } == {}
