"""The public pages' URLs, under each language's prefix (config/urls.py)."""

from __future__ import annotations

from django.urls import path

from activities import feeds, opendata, views

app_name = "activities"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/feed.atom", feeds.ArchiveFeed(), name="activity_feed"),
    path("activities/export.csv", opendata.CsvDownload(), name="activity_csv"),
    path("activities/export.json", opendata.JsonDownload(), name="activity_json"),
    path("activities/export.ics", opendata.ICalendarDownload(), name="activity_ics"),
    path(
        "activities/event-list.csv",
        opendata.StandardEventsDownload(),
        name="activity_standard_csv",
    ),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("partners/", views.OrganizationListView.as_view(), name="organization_list"),
    path(
        "partners/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization_detail"
    ),
    path("partners/<slug:slug>/feed.atom", feeds.PartnerFeed(), name="organization_feed"),
    path("open-data/", opendata.OpenDataView.as_view(), name="open_data"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("themes/<slug:slug>/feed.atom", feeds.ThemeFeed(), name="theme_feed"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme_detail"),
]
