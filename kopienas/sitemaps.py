from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from communities.selectors import published_communities
from events import selectors as event_selectors
from grants import selectors as grant_selectors
from grants.models import GrantRound
from resource_centres.selectors import published_centres

# Entries per sitemap page, counted per language: 50 centres or communities in lv and en.
PAGE_LIMIT = 100


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "about",
            "glossary",
            "privacy",
            "resource_centres:list",
            "communities:list",
        ]

    def location(self, item):
        return reverse(item)


class CentreSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = PAGE_LIMIT

    def items(self):
        return published_centres().order_by("slug").only("slug", "updated_at")

    def lastmod(self, centre):
        return centre.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of Django's default loop over every centre.
        return published_centres().aggregate(latest=Max("updated_at"))["latest"]


class CommunitySitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = PAGE_LIMIT

    def items(self):
        return published_communities().order_by("slug").only("slug")


class EventSitemap(Sitemap):
    """Every published event: the upcoming ones to find, the past ones as the record of what
    happened (a cancelled event's page says so)."""

    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = PAGE_LIMIT

    def items(self):
        return event_selectors.published_events().order_by("slug").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at

    def get_latest_lastmod(self):
        return event_selectors.published_events().aggregate(latest=Max("updated_at"))["latest"]


class RoundSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = PAGE_LIMIT

    def items(self):
        return grant_selectors.public_rounds().order_by("slug").only("slug")


class ResultsSitemap(Sitemap):
    """The published results of a round: a page of their own."""

    i18n = True
    alternates = True
    changefreq = "monthly"
    limit = PAGE_LIMIT

    def items(self):
        return (
            grant_selectors.public_rounds()
            .filter(status=GrantRound.Status.RESULTS)
            .order_by("slug")
            .only("slug")
        )

    def location(self, grant_round):
        return reverse("grants:round_results", kwargs={"slug": grant_round.slug})


sitemaps = {
    "pages": StaticSitemap,
    "centres": CentreSitemap,
    "communities": CommunitySitemap,
    "events": EventSitemap,
    "rounds": RoundSitemap,
    "results": ResultsSitemap,
}
