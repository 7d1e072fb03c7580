from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from communities.selectors import published_communities
from resource_centres.selectors import published_centres

# Entries per sitemap page, counted per language: 50 centres or communities in lv and en.
PAGE_LIMIT = 100


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return ["home", "about", "glossary", "resource_centres:list", "communities:list"]

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


sitemaps = {"pages": StaticSitemap, "centres": CentreSitemap, "communities": CommunitySitemap}
