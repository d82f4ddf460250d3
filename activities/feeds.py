"""Atom feeds (django.contrib.syndication) of the archive in each language: the
whole archive or any filter of it (the archive's own query string), a partner's
activities (its divisions' too) and a theme's; newest first, as the archive.

Who may see what: published activities only (``published()``), filtered by the
archive's own definitions (filters.selected, facets.PARTNER, facets.THEME); a
partner's or theme's feed only for one the public sees (``public()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities import facets, filters
from activities.filters import ActivityFilter
from activities.models import Activity, Organization, Theme

# How many of the newest activities a feed carries.
FEED_ITEMS = 20
# The archive's filters a feed reads (not its pages or positions).
FILTERS = tuple(ActivityFilter.base_filters)


@dataclass
class Subject:
    """What one feed is of: its title, its page on the site, its activities."""

    title: str
    link: str
    feed_path: str
    activities: QuerySet[Activity]


class ActivityFeed(Feed):
    feed_type = Atom1Feed

    def title(self, subject: Subject) -> str:
        city = settings.CITY_NAMES.get(get_language(), settings.CITY_NAMES["ja"])
        site = _("International activities of %(CITY_NAME)s") % {"CITY_NAME": city}
        return f"{subject.title} | {site}"

    def link(self, subject: Subject) -> str:
        return subject.link

    def feed_url(self, subject: Subject) -> str:
        return subject.feed_path

    def subtitle(self, subject: Subject) -> str:
        return _("The newest activities, as the archive lists them.")

    def items(self, subject: Subject) -> QuerySet[Activity]:
        return subject.activities.select_related(None).order_by("-start_date", "-pk")[:FEED_ITEMS]

    def item_title(self, activity: Activity) -> str:
        return activity.title

    def item_description(self, activity: Activity) -> str:
        return activity.summary

    def item_pubdate(self, activity: Activity):
        return activity.published_at

    def item_updateddate(self, activity: Activity):
        return activity.updated_at

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language()
        return feed


class ArchiveFeed(ActivityFeed):
    # The page cache keeps a feed per filter state (activities/cache.py).
    query_parameters = FILTERS

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Subject:
        query = filters.chosen_query(request.GET)
        archive = reverse("activities:activity_list")
        return Subject(
            title=_("Archive of international activities"),
            link=archive + query,
            feed_path=reverse("activities:activity_feed") + query,
            activities=filters.selected(request.GET),
        )


class ProfileFeed(ActivityFeed):
    """A partner's or a theme's activities, by the archive's filter of it."""

    model: type[Organization] | type[Theme]
    facet: facets.Facet
    url_name: str

    def get_object(self, request: HttpRequest, slug: str) -> Subject:
        profile = get_object_or_404(self.model.objects.public(), slug=slug)
        return Subject(
            title=profile.name,
            link=profile.get_absolute_url(),
            feed_path=reverse(self.url_name, args=[slug]),
            activities=self.facet.filter(Activity.objects.published(), slug),
        )


class PartnerFeed(ProfileFeed):
    # Its divisions' activities too (facets.PARTNER).
    model, facet, url_name = Organization, facets.PARTNER, "activities:organization_feed"


class ThemeFeed(ProfileFeed):
    model, facet, url_name = Theme, facets.THEME, "activities:theme_feed"
