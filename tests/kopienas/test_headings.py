"""Headings go down one level at a time on every public page (WCAG 1.3.1, issue #18).

A screen reader user moves through a page by its headings; a jump from h1 to h3 says a level
is missing. The pages are the permission matrix's, as an anonymous visitor sees them, in
Latvian and in English.
"""

import re

import pytest

from tests.site_pages import matrix_pages
from tests.test_permission_matrix import people, placeholders  # noqa: F401

pytestmark = pytest.mark.django_db

HEADING = re.compile(rb"<h([1-6])[\s>]")


def skips(levels: list[int]) -> list[str]:
    """Each place where a heading is more than one level below the one before it."""
    return [
        f"h{before} → h{after}"
        for before, after in zip([0, *levels], levels, strict=False)
        if after > before + 1
    ]


def test_skips_finds_a_missing_level():
    assert skips([1, 2, 3, 2, 3, 3, 2]) == []
    assert skips([1, 3, 2, 4]) == ["h1 → h3", "h2 → h4"]
    assert skips([2]) == ["h0 → h2"]


def test_no_public_page_skips_a_heading_level(client, people, placeholders):  # noqa: F811
    pages = matrix_pages(people, placeholders, "anonymous", english=True)

    found = {}
    for path in pages:
        levels = [int(level) for level in HEADING.findall(client.get(path).content)]
        found[path] = (levels[:1], skips(levels))

    assert "/en/konts/login/" in pages and "/en/pasakumi/" in pages
    assert {path: result for path, result in found.items() if result != ([1], [])} == {}
