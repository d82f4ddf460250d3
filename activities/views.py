"""Public pages. Every activity queryset here starts from ``published()``;
the detail page alone also shows drafts, to staff, as a preview."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from activities.filters import ActivityFilter, descendant_ids
from activities.models import (
    Activity,
    ActivityPartner,
    ActivityTheme,
    Attendance,
    Organization,
    Participant,
    Photo,
    Theme,
)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class PublishedActivitiesMixin:
    """The shared queryset of every public list of activities."""

    def get_activities(self) -> QuerySet[Activity]:
        return Activity.objects.published().for_cards()


class PaginatedActivitiesMixin(PublishedActivitiesMixin):
    """Pages through activities. A page number that is not a page shows the
    nearest real page instead of an error."""

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
            themes=Theme.objects.annotate(
                count=Count("activities", filter=Q(activities__status=Activity.Status.PUBLISHED))
            ).filter(count__gt=0),
            partners=Organization.objects.annotate(
                count=Count("activities", filter=Q(activities__status=Activity.Status.PUBLISHED))
            )
            .filter(count__gt=0)
            .order_by("-count", "name")[:10],
            **kwargs,
        )


class ActivityListView(PaginatedActivitiesMixin, TemplateView):
    """The archive: newest first, filtered, in sections headed by month."""

    template_name = "activities/activity_list.html"

    def get_context_data(self, **kwargs) -> dict:
        filterset = ActivityFilter(self.request.GET or None, queryset=self.get_activities())
        page = self.paginate(filterset.qs)
        active = filterset.form.cleaned_data if filterset.is_bound else {}
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            ignored_filters=filterset.ignored(),
            is_filtered=any(active.get(name) not in (None, "") for name in filterset.filters),
            **kwargs,
        )


class ActivityDetailView(DetailView):
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("department")
            .prefetch_related(
                "venues",
                "themes",
                Prefetch("partners", queryset=Organization.objects.select_related("parent")),
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("participant"),
                ),
                Prefetch(
                    "photos",
                    queryset=Photo.objects.prefetch_related(
                        Prefetch("people", queryset=Participant.objects.only("name", "title"))
                    ),
                ),
                "links",
            )
        )

    def get_context_data(self, **kwargs) -> dict:
        activity = self.object
        attendances = list(activity.attendances.all())
        titles_then = {a.participant_id: a.display_title for a in attendances}
        # People pictured are named in the order they attended, then by name.
        rank = {a.participant_id: i for i, a in enumerate(attendances)}
        photos = list(activity.photos.all())
        for photo in photos:
            people = sorted(photo.people.all(), key=lambda p: rank.get(p.pk, len(rank)))
            photo.pictured = [(p, titles_then.get(p.pk, p.title)) for p in people]
        older, newer, related = neighbours_and_related(activity)
        return super().get_context_data(
            delegation=[a for a in attendances if a.is_delegation],
            counterparts=[a for a in attendances if not a.is_delegation],
            photos=photos,
            is_preview=not activity.is_published,
            japanese_only=activity.lacks_english(),
            older=older,
            newer=newer,
            related=related,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            # A staff preview of a draft must never be cached or indexed.
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


def neighbours_and_related(
    activity: Activity, *, limit: int = 5
) -> tuple[Activity | None, Activity | None, list[Activity]]:
    """The published activities just before and after this one in the archive's
    order, and up to ``limit`` that share a partner or a theme with it.

    One query: each set is a LIMITed ``pk IN (subquery)``, OR-ed together. Uses
    the activity's prefetched partners and themes.
    """
    others = Activity.objects.published().exclude(pk=activity.pk)
    day, pk = activity.start_date, activity.pk
    older = (
        others.filter(Q(start_date__lt=day) | Q(start_date=day, pk__lt=pk))
        .order_by("-start_date", "-pk")
        .values("pk")[:1]
    )
    newer = (
        others.filter(Q(start_date__gt=day) | Q(start_date=day, pk__gt=pk))
        .order_by("start_date", "pk")
        .values("pk")[:1]
    )
    shares = Q(
        pk__in=ActivityPartner.objects.filter(
            organization__in=[org.pk for org in activity.partners.all()]
        ).values("activity")
    ) | Q(
        pk__in=ActivityTheme.objects.filter(
            theme__in=[theme.pk for theme in activity.themes.all()]
        ).values("activity")
    )
    related = others.filter(shares).order_by("-start_date", "-pk").values("pk")[:limit]
    rows = list(
        others.filter(Q(pk__in=older) | Q(pk__in=newer) | Q(pk__in=related))
        .annotate(is_related=ExpressionWrapper(shares, output_field=BooleanField()))
        .only("pk", "slug", "title", "kind", "start_date", "end_date")
    )
    key = (day, pk)
    before = [row for row in rows if (row.start_date, row.pk) < key]
    after = [row for row in rows if (row.start_date, row.pk) > key]
    return (
        max(before, key=lambda row: (row.start_date, row.pk), default=None),
        min(after, key=lambda row: (row.start_date, row.pk), default=None),
        [row for row in rows if row.is_related][:limit],
    )


class OrganizationListView(ListView):
    template_name = "activities/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self) -> QuerySet[Organization]:
        return (
            Organization.objects.annotate(
                count=Count("activities", filter=Q(activities__status=Activity.Status.PUBLISHED))
            )
            .filter(count__gt=0)
            .order_by("kind", "name")
        )


class OrganizationDetailView(PaginatedActivitiesMixin, DetailView):
    """A partner's profile and its activities, with those of its divisions."""

    template_name = "activities/organization_detail.html"
    context_object_name = "organization"
    queryset = Organization.objects.select_related("parent")

    def get_context_data(self, **kwargs) -> dict:
        org = self.object
        family = list(Organization.objects.only("pk", "parent_id", "name", "slug"))
        ids = descendant_ids(family, org)
        activities = self.get_activities().filter(
            pk__in=ActivityPartner.objects.filter(organization_id__in=ids).values("activity_id")
        )
        return super().get_context_data(
            children=[o for o in family if o.parent_id == org.pk],
            page_obj=self.paginate(activities),
            **kwargs,
        )


class ThemeDetailView(PaginatedActivitiesMixin, DetailView):
    template_name = "activities/theme_detail.html"
    context_object_name = "theme"
    model = Theme

    def get_context_data(self, **kwargs) -> dict:
        activities = self.get_activities().filter(
            pk__in=ActivityTheme.objects.filter(theme=self.object).values("activity_id")
        )
        return super().get_context_data(page_obj=self.paginate(activities), **kwargs)
