from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from communities.selectors import published_communities
from resource_centres.selectors import published_centres


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

    def items(self):
        return published_centres().order_by("slug").only("slug", "updated_at")

    def lastmod(self, centre):
        return centre.updated_at


class CommunitySitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return published_communities().order_by("slug").only("slug")


sitemaps = {"pages": StaticSitemap, "centres": CentreSitemap, "communities": CommunitySitemap}
