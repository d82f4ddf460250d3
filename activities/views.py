"""Public pages: what a visitor may see, and how.

Only published activities, everywhere, with one exception: the detail page also
shows a draft, as a preview, to staff who may review activities
(``Activity.objects.visible_to``). Every activity queryset here starts from
``published()``, except the two reads of rows by primary key that the archive
index chose (``published_by_pk``: the archive's pages and a record's neighbours);
the index holds only published activities, and each row read is checked again,
in Python, before it is shown. Partners and themes are public only through a
published activity (``Organization.objects.public()``, ``Theme.objects.public()``):
one that only drafts have, or none, is neither listed nor served.
"""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache as django_cache
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from activities import cache, facets, filters, fragments, opendata, search, statistics
from activities.cache import is_anonymous
from activities.filters import ActivityFilter
from activities.models import Activity, Attendance, Organization, Theme

logger = logging.getLogger(__name__)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """For search engines: everything public, not the staff site; the sitemap."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Where browsers look for the icon unasked: the static one (templates/base.html
    names it on every page)."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: what this server depends on, checked now.

    ``ok`` (200) when the database answers (SELECT 1) and, if one is configured,
    the shared cache answers a PING. ``degraded: cache unavailable`` (200) when
    only the cache fails: pages are then served uncached, correctly, so the
    server stays in service. ``database unavailable`` (503) when the database
    fails, whatever the cache. No session, no template, never cached.
    """
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        problems.append("database unavailable")
    is_available = getattr(django_cache, "is_available", None)
    if is_available is not None and not is_available():
        problems.append("cache unavailable")
    if "database unavailable" in problems:
        response = HttpResponse("; ".join(problems), status=503, content_type="text/plain")
    elif problems:
        response = HttpResponse(f"degraded: {'; '.join(problems)}", content_type="text/plain")
    else:
        response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


class PublishedActivitiesMixin:
    """The shared queryset of every public list of activities."""

    def get_activities(self) -> QuerySet[Activity]:
        return Activity.objects.published().for_cards()


class PaginatedActivitiesMixin(PublishedActivitiesMixin):
    """Pages through activities. A page number that is not a page shows the
    nearest real page instead of an error."""

    query_parameters = ("page",)
    request: HttpRequest

    def paginate(self, queryset: QuerySet[Activity]) -> Page:
        paginator = Paginator(queryset, settings.ACTIVITIES_PER_PAGE)
        return paginator.get_page(self.request.GET.get("page"))


class HomeView(PublishedActivitiesMixin, TemplateView):
    template_name = "activities/home.html"

    def get_context_data(self, **kwargs) -> dict:
        published = Activity.objects.published()
        return super().get_context_data(
            latest=self.get_activities()[:5],
            years=published.annotate(year=ExtractYear("start_date"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year"),
            themes=Theme.objects.public(),
            partners=Organization.objects.public().order_by("-count", "name")[:10],
            **kwargs,
        )


CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")
OLDEST = "0001-01-01.0"
# Search results are ranked, so they page by number; this many pages at most.
MAX_SEARCH_PAGES = 50


def parse_cursor(value: str | None) -> tuple[datetime.date, int] | None:
    """'2018-10-23.1234' (a start date and an id) or None."""
    match = CURSOR.match(value or "")
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1)), int(match.group(2))
    except ValueError:
        return None


def cursor_of(activity: Activity) -> str:
    return f"{activity.start_date.isoformat()}.{activity.pk}"


class ActivityListView(PublishedActivitiesMixin, TemplateView):
    """The archive: newest first, filtered, searched, in sections by month.

    Pages go by keyset: "older" continues before the last activity shown
    (?before=<date>.<id>), "newer" after the first (?after=...), so a page deep
    in the archive costs what the first does. Page numbers (?page=) still work
    for links made before, and number the pages of ranked search results.
    """

    template_name = "activities/activity_list.html"
    # What the page reads from its query string (the page cache keeps no page
    # asked for with anything else: activities/cache.py).
    query_parameters = (*ActivityFilter.base_filters, "before", "after", "page")

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The filter form sends every field, chosen or not: the address to keep and
        # share is the one with the chosen values alone.
        chosen = [(k, v) for k, values in request.GET.lists() for v in values if v.strip()]
        if len(chosen) < sum(len(values) for _k, values in request.GET.lists()):
            query = urlencode(chosen)
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        get = self.request.GET
        filterset = ActivityFilter(get or None, queryset=self.get_activities())
        counts = filterset.facet_counts()
        total = filterset.total(counts)
        ignored = filterset.ignored()
        terms = filterset.terms
        size = settings.ACTIVITIES_PER_PAGE
        before, after = parse_cursor(get.get("before")), parse_cursor(get.get("after"))
        for name, cursor in (("before", before), ("after", after)):
            if get.get(name) and cursor is None:
                ignored.append((str(_("Position")), get.get(name, "")[:100]))
        pager: dict = {}
        # A broad search lists its matches newest first (SEARCH_RANK_LIMIT).
        ranked = bool(terms) and total <= settings.SEARCH_RANK_LIMIT
        if ranked:
            # Filtered in the database (the index knows no rank).
            paginator = Paginator(search.ranked(filterset.qs.defer(None), terms), size)
            paginator.count = min(total, size * MAX_SEARCH_PAGES)
            page_obj = paginator.get_page(get.get("page"))
            activities = list(page_obj.object_list)
            pager = {"page_obj": page_obj, "truncated": total > paginator.count}
        elif get.get("page") and not (before or after or terms):
            paginator = Paginator(filterset.qs, size)
            paginator.count = total
            page_obj = paginator.get_page(get.get("page"))
            activities = list(page_obj.object_list)
            pager = {"page_obj": page_obj}
        else:
            activities, pager = self.keyset_page(filterset, before, after, size)
        options = filterset.options(counts)
        return super().get_context_data(
            ranked=ranked,
            broad_search=bool(terms) and not ranked,
            selection=selection(options, get.get("q", "") if terms else ""),
            feed_url=reverse("activities:activity_feed") + filters.chosen_query(get),
            downloads=opendata.selection_downloads(get),
            statistics_url=reverse("activities:statistics") + filters.chosen_query(get),
            rank_limit=settings.SEARCH_RANK_LIMIT,
            filter=filterset,
            options=options,
            total=total,
            activities=activities,
            snippets=snippets(activities, terms),
            pager=pager,
            terms=terms,
            ignored_filters=ignored,
            is_filtered=bool(filterset.active()),
            # What the phone's folded filters say they hold (the search is shown).
            chosen_filters=len(set(filterset.active()) - {"q", "calendar"}),
            **kwargs,
        )

    def keyset_page(
        self,
        filterset: ActivityFilter,
        before: tuple[datetime.date, int] | None,
        after: tuple[datetime.date, int] | None,
        size: int,
    ) -> tuple[list[Activity], dict]:
        """One page by keyset, chosen from the in-memory index of the published
        archive (activities/facets.py): the page's ids come from bit operations
        on the selection, and the database is asked for those rows alone."""
        index = facets.index()
        selection = index.select(filterset.facet_values(), fiscal=filterset.fiscal)
        terms = filterset.terms
        matches = filterset.match_bits()
        if matches is not None:
            selection &= matches
        pks, more = index.page(selection, before=before, after=after, size=size)
        # A search's cards show a snippet of the text (the body too).
        columns = Activity.objects.all() if terms else Activity.objects.for_cards()
        rows = published_by_pk(columns, pks)
        activities = [rows[pk] for pk in pks if pk in rows]
        if after:
            has_newer, has_older = more, self.request.GET.get("after") != OLDEST
        else:
            has_newer, has_older = before is not None, more
        query = self.request.GET.copy()
        for name in ("before", "after", "page"):
            query.pop(name, None)

        def url(**cursor: str) -> str:
            params = query.copy()
            params.update(cursor)
            return "?" + params.urlencode() if params else "?"

        pager: dict[str, Activity | str | None] = {
            "first": activities[0] if activities else None,
            "last": activities[-1] if activities else None,
        }
        if activities and has_newer:
            pager["newer_url"] = url(after=cursor_of(activities[0]))
            pager["newest_url"] = url()
        if activities and has_older:
            pager["older_url"] = url(before=cursor_of(activities[-1]))
            pager["oldest_url"] = url(after=OLDEST)
        return activities, pager


class ActivityDetailView(DetailView):
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.visible_to(
            AnonymousUser() if is_anonymous(self.request) else self.request.user
        ).select_related("department")

    def get_context_data(self, **kwargs) -> dict:
        activity = self.object
        # A visitor's view of a published record is kept (activities/fragments.py).
        keep = activity.is_published and is_anonymous(self.request)
        record, parts = fragments.record(self.request, activity, self.record_parts, keep=keep)
        return super().get_context_data(
            record=record.html,
            record_head=record.head,
            has_gallery=record.has_gallery,
            is_preview=not activity.is_published,
            japanese_only=get_language() != settings.LANGUAGE_CODE and activity.lacks_english(),
            **parts,
            **kwargs,
        )

    def record_parts(self, activity: Activity) -> dict:
        """What the record's body shows beyond the activity's own columns: read
        only when the body is not cached."""
        prefetch_related_objects(
            [activity],
            "venues",
            "themes",
            Prefetch("partners", queryset=Organization.objects.select_related("parent")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("participant")),
            "links",
        )
        attendances = list(activity.attendances.all())
        gallery, figures = fragments.gallery(self.request, activity, attendances)
        older, newer, related = neighbours_and_related(activity)
        return {
            "delegation": [a for a in attendances if a.is_delegation],
            "counterparts": [a for a in attendances if not a.is_delegation],
            "gallery": gallery,
            "figures": figures,
            "older": older,
            "newer": newer,
            "related": related,
        }

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            # A staff preview of a draft must never be cached or indexed.
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


def selection(options: dict, query: str) -> str:
    """What a filtered archive shows, in words, for its title, heading and
    printout: each chosen value, and the search."""
    chosen = [offered.chosen for offered in options.values() if offered.chosen]
    if query.strip():
        chosen.append(_("“%(query)s”") % {"query": query.strip()[:100]})
    return str(_(", ")).join(chosen)


def snippets(activities: list[Activity], terms: list[search.Term]) -> dict[int, SafeString]:
    """Each activity's text around the search's match, highlighted, by id: a
    search result's card shows it instead of the summary. Empty without a search."""
    if not terms:
        return {}
    return {
        activity.pk: search.highlight(
            " ".join(filter(None, (activity.summary, activity.body))), terms
        )
        for activity in activities
    }


def published_by_pk(queryset: QuerySet[Activity], pks: list[int]) -> dict[int, Activity]:
    """The rows of activities the archive index chose, by primary key alone
    (with the status in the WHERE clause too, SQLite walks its (status,
    start_date) index instead). The index holds only published activities;
    each row is checked again here. No query for no ids."""
    return {pk: row for pk, row in queryset.in_bulk(pks).items() if row.is_published}


def neighbours_and_related(
    activity: Activity, *, limit: int = 5
) -> tuple[Activity | None, Activity | None, list[Activity]]:
    """The published activities just before and after this one in the archive's
    order, and up to ``limit`` of the newest that share a partner with it (or
    one of the partner's divisions; a theme, when it has no partner).

    Found in the in-memory index of the published archive (activities/facets.py),
    then read in one query by primary key. Uses the activity's prefetched
    partners and themes.
    """
    older, newer, related = facets.index().neighbours_and_related(
        activity.start_date,
        activity.pk,
        partners=[org.slug for org in activity.partners.all()],
        themes=[theme.slug for theme in activity.themes.all()],
        limit=limit,
    )
    rows = published_by_pk(
        Activity.objects.only("pk", "slug", "title", "kind", "start_date", "end_date", "status"),
        [pk for pk in (older, newer, *related) if pk is not None],
    )
    return (
        rows.get(older) if older is not None else None,
        rows.get(newer) if newer is not None else None,
        [rows[pk] for pk in related if pk in rows],
    )


class OrganizationListView(ListView):
    template_name = "activities/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.public().by_kind()


class ThemeListView(ListView):
    template_name = "activities/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self) -> QuerySet[Theme]:
        return Theme.objects.public().order_by("name")


class OrganizationDetailView(PaginatedActivitiesMixin, DetailView):
    """A partner's profile and its activities, with those of its divisions."""

    template_name = "activities/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self) -> QuerySet[Organization]:
        # A partner only drafts have is not public: no page (404).
        return Organization.objects.public().select_related("parent")

    def get_context_data(self, **kwargs) -> dict:
        org = self.object
        activities = facets.PARTNER.filter(self.get_activities(), org.slug)
        return super().get_context_data(
            children=Organization.objects.public().filter(parent=org).only("pk", "name", "slug"),
            page_obj=self.paginate(activities),
            per_year=statistics.per_year("partner", org.slug),
            **kwargs,
        )


class ThemeDetailView(PaginatedActivitiesMixin, DetailView):
    template_name = "activities/theme_detail.html"
    context_object_name = "theme"

    def get_queryset(self) -> QuerySet[Theme]:
        # A theme only drafts have is not public: no page (404).
        return Theme.objects.public()

    def get_context_data(self, **kwargs) -> dict:
        activities = facets.THEME.filter(self.get_activities(), self.object.slug)
        return super().get_context_data(
            page_obj=self.paginate(activities),
            per_year=statistics.per_year("theme", self.object.slug),
            **kwargs,
        )


class StatisticsView(TemplateView):
    """The archive in figures, of the whole archive or of any filter of it (the
    archive's query string): per year by kind, partners, countries, themes over
    the years, the map; every figure from the archive's index
    (activities/statistics.py)."""

    template_name = "activities/statistics.html"
    # The page cache keeps a page per filter state (activities/cache.py).
    query_parameters = tuple(ActivityFilter.base_filters)

    def get_context_data(self, **kwargs) -> dict:
        figures = statistics.Statistics(self.request.GET)
        filterset = figures.filterset
        options = filterset.options(filterset.facet_counts())
        query = filters.chosen_query(self.request.GET)
        return super().get_context_data(
            selection=selection(options, self.request.GET.get("q", "") if filterset.terms else ""),
            total=figures.total,
            fiscal=figures.fiscal,
            figures=self.figures(figures),
            archive_url=reverse("activities:activity_list") + query,
            calendar_url=self.switch_url("" if figures.fiscal else "fiscal"),
            ignored_filters=filterset.ignored(),
            **kwargs,
        )

    def figures(self, figures: statistics.Statistics) -> SafeString:
        """The charts, the map and the themes' table, rendered once per filter state
        and language and kept until the data changes (hundreds of cells)."""
        key = figures.filterset.state_key("statistics", get_language() or "")
        found = django_cache.get(key)
        if found is None:
            years, themes = figures.themes_over_years()
            found = render_to_string(
                "includes/statistics_figures.html",
                {
                    "fiscal": figures.fiscal,
                    "charts": [figures.years(), figures.partners(), figures.countries()],
                    "world": figures.world(),
                    "theme_years": years,
                    "theme_rows": themes,
                },
                request=self.request,
            )
            cache.keep(key, found, visitor=True)
        return mark_safe(found)

    def switch_url(self, calendar: str) -> str:
        """This page with years counted the other way (calendar or fiscal), the
        chosen year dropped: 2019 and 令和元年度 are not the same activities."""
        get = self.request.GET.copy()
        for name in ("calendar", "year"):
            get.pop(name, None)
        if calendar:
            get["calendar"] = calendar
        query = filters.chosen_query(get)
        return reverse("activities:statistics") + query
