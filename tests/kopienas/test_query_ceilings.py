"""Query ceilings of the site-wide endpoints that are not pages of an app (DESIGN §8 "Queries").

The sitemap index, each sitemap section and the 404 page run the same number of queries for one
centre and community as for sixty, and never more than ten. Each count is exact: a query more
or less is a change someone should notice, not a number that drifts under the ceiling.
"""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from grants.models import GrantRound
from initiatives.models import Initiative
from kopienas.sitemaps import sitemaps
from tests.factories import CommunityFactory, EventFactory, ResourceCentreFactory
from tests.factories.grants import GrantRoundFactory
from tests.html import parse

QUERY_BUDGET = 10
FEW = 1
MANY = 60
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Section -> queries for one of its pages: none for the fixed pages; a section of rows reads its
# size from the cached totals and its page of rows (kopienas.sitemaps.LanguagePairs).
SECTION_QUERIES = {
    "pages": 0,
    "centres": 2,
    "communities": 2,
    "events": 2,
    "rounds": 2,
    "results": 2,
    "initiatives": 2,
}
SECTIONS = ["centres", "communities", "events", "rounds", "results", "initiatives"]


def _network(count: int) -> None:
    """`count` published centres, each with one published community, an event at it and a
    published initiative of it, and `count` grant rounds with published results."""
    for centre in ResourceCentreFactory.create_batch(count):
        community = CommunityFactory(resource_centre=centre)
        EventFactory(centre=centre)
        Initiative.objects.create(
            slug=f"iniciativa-{community.slug}",
            title=f"Iniciatīva {community.name}",
            community=community,
            year=2025,
            status=Initiative.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    GrantRoundFactory.create_batch(count, status=GrantRound.Status.RESULTS)


def _growing_network():
    """Grow the network to FEW centres, then to MANY, yielding its size after each step."""
    _network(FEW)
    yield FEW
    _network(MANY - FEW)
    yield MANY


def _xml(response) -> ET.Element:
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/xml")
    # The document is the site's own response, not outside input.
    return ET.fromstring(response.content)  # noqa: S314


def test_every_sitemap_section_has_a_ceiling():
    assert set(SECTION_QUERIES) == set(sitemaps)
    assert max(SECTION_QUERIES.values()) <= QUERY_BUDGET


# Every section's rows and latest change are kept in the shared cache (kopienas.sitemaps.totals)
# until a row changes. The first request after a change counts the six sections of rows (with
# the latest change, where a section tells it, in the same query) and stores the totals: five
# queries on the database cache of the tests, with its savepoint (Redis takes one command).
RECOUNT = 6 + 5


def test_sitemap_index_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries):
    # The cached totals; Django's i18n sitemaps count a section's pages from its rows.
    queries = 1
    assert queries <= QUERY_BUDGET
    listed = []
    for _ in _growing_network():
        with django_assert_num_queries(queries + RECOUNT):
            first = client.get("/sitemap.xml")
        with django_assert_num_queries(queries):
            response = client.get("/sitemap.xml")
        assert first.content == response.content
        root = _xml(response)
        listed.append([loc.text for loc in root.iter(f"{SM}loc")])

    # Sixty of each in two languages fill two pages of each section.
    assert listed == [
        [
            "http://testserver/sitemap-pages.xml",
            *[f"http://testserver/sitemap-{section}.xml" for section in SECTIONS],
        ],
        [
            "http://testserver/sitemap-pages.xml",
            *[
                f"http://testserver/sitemap-{section}.xml{page}"
                for section in SECTIONS
                for page in ("", "?p=2")
            ],
        ],
    ]


@pytest.mark.parametrize("section", list(SECTION_QUERIES))
def test_sitemap_section_query_count_does_not_grow_with_rows(
    client, db, django_assert_num_queries, section
):
    queries = SECTION_QUERIES[section]
    assert queries <= QUERY_BUDGET
    urls = []
    for size in _growing_network():
        if section != "pages":
            with django_assert_num_queries(queries + RECOUNT):
                client.get(f"/sitemap-{section}.xml")
        pages = ["", "?p=2"] if size == MANY and section != "pages" else [""]
        for page in pages:
            with django_assert_num_queries(queries):
                response = client.get(f"/sitemap-{section}.xml{page}")
            urls.append(len(_xml(response).findall(f"{SM}url")))

    # Each row in Latvian and in English; a page holds 100 entries, 50 rows in two languages.
    assert urls == {"pages": [16, 16], **{key: [2, 100, 20] for key in SECTIONS}}[section]


@pytest.mark.parametrize(
    ("url", "queries", "heading"),
    [
        # No URL pattern matches: nothing to look up.
        ("/nav-tadas-lapas/", 0, "Lapa nav atrasta"),
        ("/en/nav-tadas-lapas/", 0, "Page not found"),
        # A pattern matches and the one lookup of the slug finds nothing.
        ("/centri/nav-tada/", 1, "Lapa nav atrasta"),
        ("/kopienas/nav-tada/", 1, "Lapa nav atrasta"),
        ("/en/kopienas/nav-tada/", 1, "Page not found"),
    ],
)
def test_not_found_page_query_count_does_not_grow_with_rows(
    client, db, django_assert_num_queries, url, queries, heading
):
    assert queries <= QUERY_BUDGET
    headings = []
    for _ in _growing_network():
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 404
        headings.append(parse(response.content).select_one("h1").text)

    assert headings == [heading, heading]
