"""The sitemap: an index of sections, each paginated (Sitemap.limit), in both languages.

Each section's number of rows and latest change come from the shared cache (core.generations,
PUBLIC_COUNTS; what renews it: kopienas.figures.freshness): counting 50 000 events and finding
their latest change took most of the index's time and half of a section page's. The index and
the pages are written in Python, as Django's templates write them: the index lists a thousand
pages, and the template's date filter and {% spaceless %} cost more than everything else.
"""

from datetime import date, datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date

from communities.selectors import published_communities
from core import generations, pagecache
from events import selectors as event_selectors
from grants import selectors as grant_selectors
from grants.models import GrantRound
from initiatives import selectors as initiative_selectors
from resource_centres.selectors import published_centres

# Entries per sitemap page, counted per language: 50 centres or communities in lv and en.
PAGE_LIMIT = 100


class LanguagePairs:
    """A queryset's (row, language) pairs, fetched one sitemap page at a time.

    Django's i18n sitemaps build the list of every pair to count them, so the index alone read
    all 50 000 events of the national-scale data (2 s). The paginator asks only for `count()`,
    which the section knows (`rows`), and a slice, which goes to the database.
    """

    def __init__(self, queryset, languages, *, rows: int):
        self.queryset = queryset
        self.languages = list(languages)
        self.rows = rows

    def count(self) -> int:
        return self.rows * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("LanguagePairs supports only plain slices")
        start, stop = index.start or 0, index.stop
        if start < 0 or stop is None or stop < 0:
            raise TypeError("LanguagePairs supports only slices with a non-negative end")
        width = len(self.languages)
        rows = self.queryset[start // width : -(-stop // width)]
        pairs = [(row, language) for row in rows for language in self.languages]
        offset = (start // width) * width
        return pairs[start - offset : stop - offset]


class RowsSitemap(Sitemap):
    """A sitemap of database rows in every language, paginated in the database. `rows` and
    `latest`: how many rows `items()` holds and their latest change (`totals`)."""

    i18n = True
    alternates = True
    limit = PAGE_LIMIT
    # The rows' field of their latest change, if the section tells it.
    changed_field: str | None = None

    def __init__(self, rows: int, latest: datetime | None):
        self.rows = rows
        self.latest = latest
        self._locations = {}

    def _items(self):
        return LanguagePairs(self.items(), self._languages(), rows=self.rows)

    def _location(self, item, force_lang_code=None):
        # Each entry names its row in every language, so each location is asked for once per
        # language of the row: reversed once.
        key = (item[0].pk, force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    def get_latest_lastmod(self):
        return self.latest if self.changed_field else None

    def totals(self) -> tuple[int, datetime | None]:
        """The rows of `items()` and their latest change, in one query."""
        items = self.items().order_by()
        if self.changed_field is None:
            return items.count(), None
        found = items.aggregate(rows=Count("pk"), latest=Max(self.changed_field))
        return found["rows"], found["latest"]


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "about",
            "glossary",
            "figures",
            "privacy",
            "resource_centres:list",
            "communities:list",
            "initiatives:list",
        ]

    def location(self, item):
        return reverse(item)


class CentreSitemap(RowsSitemap):
    changefreq = "weekly"

    changed_field = "updated_at"

    def items(self):
        return published_centres().order_by("slug").only("slug", "updated_at")

    def lastmod(self, centre):
        return centre.updated_at


class CommunitySitemap(RowsSitemap):
    changefreq = "weekly"

    def items(self):
        return published_communities().order_by("slug").only("slug")


class EventSitemap(RowsSitemap):
    """Every published event: the upcoming ones to find, the past ones as the record of what
    happened (a cancelled event's page says so)."""

    changefreq = "weekly"

    changed_field = "updated_at"

    def items(self):
        return event_selectors.published_events().order_by("slug").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at


class RoundSitemap(RowsSitemap):
    changefreq = "weekly"

    def items(self):
        return grant_selectors.public_rounds().order_by("slug").only("slug")


class ResultsSitemap(RowsSitemap):
    """The published results of a round: a page of their own."""

    changefreq = "monthly"

    def items(self):
        return (
            grant_selectors.public_rounds()
            .filter(status=GrantRound.Status.RESULTS)
            .order_by("slug")
            .only("slug")
        )

    def location(self, grant_round):
        return reverse("grants:round_results", kwargs={"slug": grant_round.slug})


class InitiativeSitemap(RowsSitemap):
    """Every published initiative of a published community: its story is the record."""

    changefreq = "monthly"

    changed_field = "updated_at"

    def items(self):
        return (
            initiative_selectors.published_initiatives().order_by("slug").only("slug", "updated_at")
        )

    def lastmod(self, initiative):
        return initiative.updated_at


sitemaps = {
    "pages": StaticSitemap,
    "centres": CentreSitemap,
    "communities": CommunitySitemap,
    "events": EventSitemap,
    "rounds": RoundSitemap,
    "results": ResultsSitemap,
    "initiatives": InitiativeSitemap,
}


def totals() -> dict[str, tuple[int, datetime | None]]:
    """{section: (rows, latest change)} of every section of rows, kept in the shared cache until
    a row changes (core.generations): one cache read for the index and for a section's page."""

    def compute() -> dict[str, tuple[int, datetime | None]]:
        return {
            name: section(0, None).totals()
            for name, section in sitemaps.items()
            if issubclass(section, RowsSitemap)
        }

    return generations.cached(generations.PUBLIC_COUNTS, ("sitemap-totals",), compute)


def _section(name: str, counted: dict) -> Sitemap:
    section = sitemaps[name]
    return section(*counted[name]) if issubclass(section, RowsSitemap) else section()


def _xml_response(body: list[str], lastmod: datetime | date | None) -> HttpResponse:
    response = HttpResponse("".join(body), content_type="application/xml")
    if lastmod:
        # As Django's sitemap views: ConditionalGetMiddleware may answer 304 from it.
        response.headers["Last-Modified"] = http_date(_aware(lastmod).timestamp())
    return response


def _aware(value: datetime | date) -> datetime:
    # As django.contrib.sitemaps.views._get_latest_lastmod.
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value if timezone.is_aware(value) else timezone.make_aware(value, timezone.UTC)


def _local(value: datetime | date) -> datetime | date:
    """A moment as the templates' date filter reads it: in the current time zone."""
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@pagecache.public_page()
@x_robots_tag
def index(request):
    """Django's sitemap index (django.contrib.sitemaps.views.index), with each section's size
    and latest change from `totals`, written as its template sitemap_index.xml writes it."""
    counted = totals()
    domain = get_current_site(request).domain
    entries = []
    latest = None
    all_have_lastmod = True
    for name in sitemaps:
        section = _section(name, counted)
        protocol = section.protocol or request.scheme
        location = f"{protocol}://{domain}{reverse('sitemap_section', kwargs={'section': name})}"
        lastmod = section.get_latest_lastmod()
        if all_have_lastmod:
            if lastmod is None:
                all_have_lastmod = False
            else:
                latest = _aware(lastmod) if latest is None else max(latest, _aware(lastmod))
        written = f"<lastmod>{_local(lastmod).isoformat()}</lastmod>" if lastmod else ""
        pages = range(2, section.paginator.num_pages + 1)
        for page in [location, *(f"{location}?p={number}" for number in pages)]:
            entries.append(f"<sitemap><loc>{escape(page)}</loc>{written}</sitemap>")
    return _xml_response(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
            *entries,
            "\n</sitemapindex>\n",
        ],
        latest if all_have_lastmod else None,
    )


@pagecache.public_page()
@x_robots_tag
def section(request, section: str):
    """One page of a section (django.contrib.sitemaps.views.sitemap), its size from `totals`,
    written as Django's template sitemap.xml writes it."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    site = _section(section, totals() if issubclass(sitemaps[section], RowsSitemap) else {})
    page = request.GET.get("p", 1)
    try:
        urls = site.get_urls(page=page, site=get_current_site(request), protocol=request.scheme)
    except EmptyPage:
        raise Http404(f"Page {page} empty") from None
    except PageNotAnInteger:
        raise Http404(f"No page {page!r}") from None
    entries = []
    for url in urls:
        parts = [f"<url><loc>{escape(url['location'])}</loc>"]
        if url["lastmod"]:
            parts.append(f"<lastmod>{_local(url['lastmod']).isoformat()[:10]}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        parts += [
            f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
            f'href="{escape(alternate["location"])}"/>'
            for alternate in url["alternates"]
        ]
        parts.append("</url>")
        entries.append("".join(parts))
    return _xml_response(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
            *entries,
            "\n</urlset>\n",
        ],
        getattr(site, "latest_lastmod", None),
    )
