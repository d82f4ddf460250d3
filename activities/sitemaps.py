"""The sitemap for search engines (django.contrib.sitemaps): every public page in
Japanese and English, each with its other language as an alternate, records with
their last update.

Who may see what: published activities only (``published()``), and the partners
and themes that published activities have (``public()``), as their public lists
show.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from activities.models import Activity, Organization, Theme


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Two addresses an item (ja, en): 50,000 addresses a file at most.
    limit = 20_000


class PagesSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "activities:home",
            "activities:activity_list",
            "activities:organization_list",
            "activities:theme_list",
            "activities:open_data",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ActivitySitemap(PublicSitemap):
    def items(self) -> QuerySet[Activity]:
        return Activity.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, activity: Activity):
        return activity.updated_at


class OrganizationSitemap(PublicSitemap):
    def items(self) -> QuerySet[Organization]:
        return Organization.objects.public().only("pk", "slug").order_by("pk")


class ThemeSitemap(PublicSitemap):
    def items(self) -> QuerySet[Theme]:
        return Theme.objects.public().only("pk", "slug").order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "activities": ActivitySitemap,
    "partners": OrganizationSitemap,
    "themes": ThemeSitemap,
}
