"""Open data: the archive, or any filter of it, to download as CSV (UTF-8 with a
BOM, which Excel reads right), JSON and iCalendar in the page's language, and in
the layout of the national standard dataset for event lists (自治体標準オープン
データセット「イベント一覧」), with the municipality's code from the settings.

Who may see what: published activities only — ``filters.selected``, which starts
from ``Activity.objects.published()`` and applies the archive's own filters.

Downloads are streamed: activities are read in chunks of ``CHUNK`` rows (their
venues, partners and themes in three queries a chunk) and written as they come,
so the memory a download needs does not grow with the archive. They are not kept
in the page cache (activities/cache.py keeps no streamed response).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from activities import filters
from activities.models import Activity, Department, Venue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Activities read from the database at a time.
CHUNK = 500
BOM = "\ufeff"
# A text cell starting with one of these is a formula to a spreadsheet: it is
# written after an apostrophe, which spreadsheets show as text (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def activities_of(request: HttpRequest) -> Iterator[Activity]:
    """The published activities the request's filters select, newest first, with
    what a download writes of them; read ``CHUNK`` at a time."""
    queryset: QuerySet[Activity] = (
        filters.selected(request.GET)
        .select_related("department")
        .prefetch_related("venues", "partners", "themes")
        .order_by("-start_date", "-pk")
    )
    return queryset.iterator(chunk_size=CHUNK)


def label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def joined(names: Iterable[str]) -> str:
    return "; ".join(name for name in names if name)


def place(city: str, country: str) -> str:
    """Where a venue is, as the record page says it: 「グラスゴー、イギリス」."""
    return "、".join(part for part in (city, country) if part)


def places(row: dict) -> str:
    return joined(place(v["city"], v["country_name"]) for v in row["venues"])


def where(venue: Venue) -> str:
    return place(venue.city, venue.country.name)


def coordinates(venues: list[Venue]) -> tuple[Decimal, Decimal] | None:
    """The first venue's with coordinates, if any has them."""
    for venue in venues:
        if venue.latitude is not None and venue.longitude is not None:
            return venue.latitude, venue.longitude
    return None


def cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """What csv.writer writes to: each row is handed on, not kept."""

    def write(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Download:
    """One of the downloads, as the open-data page lists it."""

    name: StrOrPromise
    url_name: str
    format: str
    media_type: str
    description: StrOrPromise


class ActivityDownload:
    """A streamed download of the selected activities."""

    media_type: str
    extension: str

    def __call__(self, request: HttpRequest) -> StreamingHttpResponse:
        language = get_language()
        # The query string read and the first chunk read here, in the view: a
        # request or a query that fails is an error page, not a broken download.
        activities = activities_of(request)
        first = next(activities, None)
        read = activities if first is None else itertools.chain([first], activities)

        def content() -> Iterator[str | bytes]:
            # Written after the view has returned: in the request's language.
            with translation.override(language):
                yield from self.stream(request, read)

        response = StreamingHttpResponse(content(), content_type=self.media_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename(language)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def filename(self, language: str) -> str:
        return f"activities-{language}.{self.extension}"

    def stream(self, request: HttpRequest, activities: Iterator[Activity]) -> Iterator[str | bytes]:
        raise NotImplementedError


def record(request: HttpRequest, activity: Activity) -> dict:
    """An activity as the CSV and JSON downloads give it, in the active language."""
    department: Department | None = activity.department
    return {
        "id": activity.pk,
        "url": request.build_absolute_uri(activity.get_absolute_url()),
        "title": activity.title,
        "kind": activity.kind,
        "kind_label": activity.get_kind_display(),
        "start_date": activity.start_date,
        "end_date": activity.end_date or activity.start_date,
        "summary": activity.summary,
        "venues": [
            {
                "name": venue.name,
                "city": venue.city,
                "country": venue.country.code,
                "country_name": venue.country.name,
                "address": venue.address,
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
            for venue in activity.venues.all()
        ],
        "partners": [
            {"name": org.name, "url": request.build_absolute_uri(org.get_absolute_url())}
            for org in activity.partners.all()
        ],
        "themes": [theme.name for theme in activity.themes.all()],
        "department": department.name if department else None,
        "published_at": activity.published_at,
        "updated_at": activity.updated_at,
    }


class CsvDownload(ActivityDownload):
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def columns(self) -> list[tuple[str, Callable[[dict], object]]]:
        return [
            ("ID", lambda r: r["id"]),
            ("URL", lambda r: r["url"]),
            (label(Activity, "title"), lambda r: r["title"]),
            (label(Activity, "kind"), lambda r: r["kind_label"]),
            (label(Activity, "start_date"), lambda r: r["start_date"]),
            (label(Activity, "end_date"), lambda r: r["end_date"]),
            (label(Activity, "summary"), lambda r: r["summary"]),
            (label(Activity, "venues"), lambda r: joined(v["name"] for v in r["venues"])),
            (_("Places"), lambda r: places(r)),
            (label(Activity, "partners"), lambda r: joined(p["name"] for p in r["partners"])),
            (label(Activity, "themes"), lambda r: joined(r["themes"])),
            (label(Activity, "department"), lambda r: r["department"] or ""),
            (label(Activity, "published_at"), lambda r: iso(r["published_at"])),
            (label(Activity, "updated_at"), lambda r: iso(r["updated_at"])),
        ]

    def stream(self, request, activities):
        writer = csv.writer(Echo())
        columns = self.columns()
        yield BOM + writer.writerow([name for name, _value in columns])
        for activity in activities:
            row = record(request, activity)
            yield writer.writerow([cell(value(row)) for _name, value in columns])


def iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


class JsonDownload(ActivityDownload):
    media_type = "application/json"
    extension = "json"

    def stream(self, request, activities):
        head = json.dumps(about(request), ensure_ascii=False, cls=DjangoJSONEncoder)
        # The description, then the activities one by one.
        yield head[:-1] + ', "activities": ['
        separator = ""
        for activity in activities:
            yield separator + json.dumps(
                record(request, activity), ensure_ascii=False, cls=DjangoJSONEncoder
            )
            separator = ","
        yield "]}\n"


def about(request: HttpRequest) -> dict:
    """What a JSON download says of itself: whose, under which license, of what."""
    return {
        "title": site_title(),
        "publisher": city_name(),
        "language": get_language(),
        "license": {"name": settings.CITYTIES_LICENSE_NAME, "url": settings.CITYTIES_LICENSE_URL},
        "source": request.build_absolute_uri(
            reverse("activities:activity_list") + filters.chosen_query(request.GET)
        ),
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def city_name() -> str:
    return settings.CITY_NAMES.get(get_language(), settings.CITY_NAMES["ja"])


def site_title() -> str:
    return _("International activities of %(CITY_NAME)s") % {"CITY_NAME": city_name()}


class ICalendarDownload(ActivityDownload):
    """Each activity an all-day event (RFC 5545), through the icalendar library."""

    media_type = "text/calendar; charset=utf-8"
    extension = "ics"

    def stream(self, request, activities):
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//{settings.CITY_NAMES['en']}//International activities//")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("name", site_title())
        calendar.add("x-wr-calname", site_title())
        # The calendar's own lines, then each event as it is read, then its end.
        head = calendar.to_ical().decode()
        end = "END:VCALENDAR\r\n"
        yield head.removesuffix(end)
        host = request.get_host().split(":")[0]
        for activity in activities:
            yield self.event(request, activity, host).to_ical().decode()
        yield end

    def event(self, request: HttpRequest, activity: Activity, host: str) -> icalendar.Event:
        url = request.build_absolute_uri(activity.get_absolute_url())
        event = icalendar.Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("dtstamp", activity.updated_at)
        event.add("last-modified", activity.updated_at)
        event.add("summary", activity.title)
        event.add("dtstart", activity.start_date)
        # All-day events end on the day after their last (RFC 5545, 3.6.1).
        last = activity.end_date or activity.start_date
        event.add("dtend", last + datetime.timedelta(days=1))
        event.add("description", "\n\n".join(part for part in (activity.summary, url) if part))
        event.add("url", url)
        venues = list(activity.venues.all())
        if venues:
            event.add("location", joined(f"{v.name}（{where(v)}）" for v in venues))
            located = coordinates(venues)
            if located is not None:
                event.add("geo", (float(located[0]), float(located[1])))
        categories = [activity.get_kind_display(), *(t.name for t in activity.themes.all())]
        event.add("categories", categories)
        event.add("transp", "TRANSPARENT")
        return event


# 自治体標準オープンデータセット「イベント一覧」: its columns, in its order.
STANDARD_COLUMNS = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)


class StandardEventsDownload(CsvDownload):
    """The national standard layout, in Japanese whatever the page's language (its
    column names and values are Japanese; the English title has a column)."""

    def filename(self, language: str) -> str:
        return f"{settings.CITYTIES_MUNICIPALITY_CODE}_event.csv"

    def stream(self, request, activities):
        writer = csv.writer(Echo())
        yield BOM + writer.writerow(STANDARD_COLUMNS)
        with translation.override("ja"):
            for activity in activities:
                row: dict[str, object] = dict.fromkeys(STANDARD_COLUMNS, "")
                row.update(self.values(request, activity))
                yield writer.writerow([cell(row[name]) for name in STANDARD_COLUMNS])

    def values(self, request: HttpRequest, activity: Activity) -> dict[str, object]:
        venues = list(activity.venues.all())
        located = coordinates(venues) or ("", "")
        department = activity.department
        notes = [
            f"種類：{activity.get_kind_display()}",
            "相手先：" + "、".join(org.name for org in activity.partners.all()),
            "テーマ：" + "、".join(theme.name for theme in activity.themes.all()),
        ]
        return {
            "都道府県コード又は市区町村コード": settings.CITYTIES_MUNICIPALITY_CODE,
            "NO": activity.pk,
            "都道府県名": settings.CITYTIES_PREFECTURE_NAME,
            "市区町村名": settings.CITY_NAMES["ja"],
            "イベント名": activity.title,
            "イベント名_英語": activity.title_en or "",
            "開始日": activity.start_date.isoformat(),
            "終了日": (activity.end_date or activity.start_date).isoformat(),
            "説明": activity.summary,
            "連絡先名称": department.name if department else "",
            "連絡先電話番号": department.phone if department else "",
            "場所名称": "、".join(venue.name for venue in venues),
            "住所": "、".join(venue.address or where(venue) for venue in venues),
            "緯度": located[0],
            "経度": located[1],
            "URL": request.build_absolute_uri(activity.get_absolute_url()),
            "備考": "　".join(note for note in notes if not note.endswith("：")),
        }


DOWNLOADS = (
    Download(
        gettext_lazy("Activities (CSV)"),
        "activities:activity_csv",
        "CSV",
        CsvDownload.media_type,
        gettext_lazy(
            "One row an activity, in this language. UTF-8 with a byte order mark, "
            "so that Excel opens it as it is."
        ),
    ),
    Download(
        gettext_lazy("Activities (JSON)"),
        "activities:activity_json",
        "JSON",
        JsonDownload.media_type,
        gettext_lazy(
            "Every activity with its venues (coordinates where known), partners and "
            "themes, and the license."
        ),
    ),
    Download(
        gettext_lazy("Calendar (iCalendar)"),
        "activities:activity_ics",
        "iCalendar",
        ICalendarDownload.media_type,
        gettext_lazy("Each activity an all-day event, for calendar programs."),
    ),
    Download(
        gettext_lazy("Event list in the national standard layout (CSV)"),
        "activities:activity_standard_csv",
        "CSV",
        CsvDownload.media_type,
        gettext_lazy(
            "The columns of the standard open dataset for event lists "
            "(自治体標準オープンデータセット「イベント一覧」), in Japanese."
        ),
    ),
    Download(
        gettext_lazy("Newest activities (Atom feed)"),
        "activities:activity_feed",
        "Atom",
        "application/atom+xml",
        gettext_lazy("The 20 newest activities, for feed readers."),
    ),
)


class OpenDataView(TemplateView):
    """Every download, its format, and the license; each follows the archive's
    filters (the archive links to its own selection's)."""

    template_name = "activities/open_data.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            downloads=[(download, reverse(download.url_name)) for download in DOWNLOADS],
            columns=[name for name, _value in CsvDownload().columns()],
            standard_columns=STANDARD_COLUMNS,
            municipality_code=settings.CITYTIES_MUNICIPALITY_CODE,
            license_name=settings.CITYTIES_LICENSE_NAME,
            license_url=settings.CITYTIES_LICENSE_URL,
            **kwargs,
        )


def selection_downloads(get) -> list[tuple[Download, str]]:
    """The downloads of a filter state of the archive (the archive's own links)."""
    query = filters.chosen_query(get)
    files = [d for d in DOWNLOADS if d.url_name != "activities:activity_feed"]
    return [(download, reverse(download.url_name) + query) for download in files]
