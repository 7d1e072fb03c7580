from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from communities.selectors import published_communities
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
    all 50 000 events of the national-scale data (2 s). The paginator asks only for `count()`
    and a slice; both go to the database.
    """

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = list(languages)

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

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
    """A sitemap of database rows in every language, paginated in the database."""

    i18n = True
    alternates = True
    limit = PAGE_LIMIT

    def _items(self):
        return LanguagePairs(self.items(), self._languages())


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

    def items(self):
        return published_centres().order_by("slug").only("slug", "updated_at")

    def lastmod(self, centre):
        return centre.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of Django's default loop over every centre.
        return published_centres().aggregate(latest=Max("updated_at"))["latest"]


class CommunitySitemap(RowsSitemap):
    changefreq = "weekly"

    def items(self):
        return published_communities().order_by("slug").only("slug")


class EventSitemap(RowsSitemap):
    """Every published event: the upcoming ones to find, the past ones as the record of what
    happened (a cancelled event's page says so)."""

    changefreq = "weekly"

    def items(self):
        return event_selectors.published_events().order_by("slug").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at

    def get_latest_lastmod(self):
        return event_selectors.published_events().aggregate(latest=Max("updated_at"))["latest"]


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

    def items(self):
        return (
            initiative_selectors.published_initiatives().order_by("slug").only("slug", "updated_at")
        )

    def lastmod(self, initiative):
        return initiative.updated_at

    def get_latest_lastmod(self):
        return initiative_selectors.published_initiatives().aggregate(latest=Max("updated_at"))[
            "latest"
        ]


sitemaps = {
    "pages": StaticSitemap,
    "centres": CentreSitemap,
    "communities": CommunitySitemap,
    "events": EventSitemap,
    "rounds": RoundSitemap,
    "results": ResultsSitemap,
    "initiatives": InitiativeSitemap,
}
