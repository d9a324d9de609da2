"""The sitemap of the public sections (/sitemap.xml): the section pages, not each recognition
(names of households are public on request, not pushed to search engines), and not the
certificate check, which robots.txt keeps crawlers out of."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

PUBLIC_SECTIONS = (
    "public-home",
    "models_learning-public:recognition-search",
    "centers-public:center-directory",
    "funds-public:accounts",
    "public-stats",
)


class PublicSectionsSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return list(PUBLIC_SECTIONS)

    def location(self, item):
        return reverse(item)


SITEMAPS = {"public": PublicSectionsSitemap}
