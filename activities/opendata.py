"""Open data: the archive, or any filter of it, to download as CSV (UTF-8 with a
BOM, which Excel reads right), JSON and iCalendar in the page's language, and in
the layout of the national standard dataset for event lists (自治体標準オープン
データセット「イベント一覧」), with the municipality's code from the settings.

Who may see what: published activities only — ``filters.selected``, which starts
from ``Activity.objects.published()`` and applies the archive's own filters. The
venues, partners, themes and departments are read whole, as look-up tables, but
a download writes only those of the activities it selected.

Downloads are streamed: activities are read ``CHUNK`` rows at a time, their
venues, partners and themes in three small queries a chunk, and written as they
come, so the memory a download needs does not grow with the archive. Rows, not
model instances: a download of 100,000 activities spends its time writing them.
They are not kept in the page cache (activities/cache.py keeps no streamed
response).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import icalendar
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from activities import filters
from activities.models import (
    Activity,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Department,
    Organization,
    Theme,
    Venue,
)
from activities.templatetags.activity_tags import place_label, where_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")

# Activities read from the database at a time.
CHUNK = 500
BOM = "\ufeff"
# A text cell starting with one of these is a formula to a spreadsheet: it is
# written after an apostrophe, which spreadsheets show as text (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- what a download holds of an activity --------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    city: str
    country: str
    country_name: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def where(self) -> str:
        """The city and country, in the active language: 「グラスゴー、イギリス」,
        "Glasgow, United Kingdom"."""
        return where_label(self.city, self.country_name)

    @property
    def label(self) -> str:
        """As the record page says it: 「スコティッシュ・イベント・キャンパス（SEC、
        グラスゴー、イギリス）」."""
        return place_label(self.name, self.city, self.country_name)


@dataclass(frozen=True)
class Partner:
    name: str
    url: str


@dataclass
class Entry:
    """One activity, in the active language, with its venues, partners, themes."""

    pk: int
    url: str
    title: str
    title_en: str
    kind: str
    kind_label: str
    start_date: datetime.date
    end_date: datetime.date
    summary: str
    department: str
    department_phone: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    venues: list[Place] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    def coordinates(self) -> tuple[Decimal, Decimal] | None:
        """The first venue's that has them."""
        for venue in self.venues:
            if venue.latitude is not None and venue.longitude is not None:
                return venue.latitude, venue.longitude
        return None


COLUMNS = (
    "pk", "slug", "kind", "start_date", "end_date", "department_id", "published_at",
    "updated_at", "title_ja", "title_en", "summary_ja", "summary_en",
)  # fmt: skip


def selected(request: HttpRequest) -> QuerySet[Activity]:
    """The published activities the request's filters select, newest first."""
    return filters.selected(request.GET).order_by("-start_date", "-pk")


def entries(request: HttpRequest, activities: QuerySet[Activity]) -> Iterator[Entry]:
    """The activities as entries in the active language, read ``CHUNK`` at a time."""
    language = get_language()

    def text(row: dict, name: str) -> str:
        # An empty English text is the Japanese one, as on the site
        # (MODELTRANSLATION_FALLBACK_LANGUAGES).
        return (language != "ja" and row[f"{name}_{language}"]) or row[f"{name}_ja"] or ""

    places = {
        venue.pk: Place(
            venue.name,
            venue.city,
            venue.country.code,
            str(venue.country.name),
            venue.address,
            venue.latitude,
            venue.longitude,
        )
        for venue in Venue.objects.all()
    }
    partners = {
        org.pk: Partner(org.name, request.build_absolute_uri(org.get_absolute_url()))
        for org in Organization.objects.only("pk", "slug", "name")
    }
    themes = {theme.pk: theme.name for theme in Theme.objects.only("pk", "name")}
    departments = {d.pk: d for d in Department.objects.only("pk", "name", "phone")}
    kinds = {value: str(label) for value, label in Activity.Kind.choices}
    # Every record's address is this one with its slug: reversed once.
    url = request.build_absolute_uri(reverse("activities:activity_detail", args=["-"]))
    before, after = url.rsplit("/-/", 1)

    rows = activities.values(*COLUMNS).iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        ids = [row["pk"] for row in chunk]
        venues_of = linked(ActivityVenue, "venue_id", ids)
        partners_of = linked(ActivityPartner, "organization_id", ids)
        themes_of = linked(ActivityTheme, "theme_id", ids)
        for row in chunk:
            department = departments.get(row["department_id"])
            yield Entry(
                pk=row["pk"],
                url=f"{before}/{row['slug']}/{after}",
                title=text(row, "title"),
                title_en=row["title_en"] or "",
                kind=row["kind"],
                kind_label=kinds.get(row["kind"], row["kind"]),
                start_date=row["start_date"],
                end_date=row["end_date"] or row["start_date"],
                summary=text(row, "summary"),
                department=department.name if department else "",
                department_phone=department.phone if department else "",
                published_at=row["published_at"],
                updated_at=row["updated_at"],
                venues=sorted(looked_up(places, venues_of[row["pk"]]), key=lambda v: v.name),
                partners=sorted(looked_up(partners, partners_of[row["pk"]]), key=lambda p: p.name),
                themes=sorted(looked_up(themes, themes_of[row["pk"]])),
            )


def looked_up(table: dict[int, T], ids: list[int]) -> list[T]:
    """The rows of ``ids`` in a look-up table read when the download began; one
    added since (staff at work during a long download) is left out, not an error
    halfway through the file."""
    return [table[pk] for pk in ids if pk in table]


def linked(through: type[Model], column: str, ids: list[int]) -> dict[int, list[int]]:
    """For each activity of ``ids``, the ids its ``through`` table links it to."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = through._default_manager.filter(activity_id__in=ids).values_list("activity_id", column)
    for activity_id, other in rows:
        found[activity_id].append(other)
    return found


# -- the downloads -------------------------------------------------------------------


def label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def joined(names: Iterable[str]) -> str:
    return "; ".join(name for name in names if name)


def cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


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
    # The language it is written in; None: the page's.
    language: str | None = None

    def __call__(self, request: HttpRequest) -> StreamingHttpResponse:
        language = self.language or get_language()
        # The query string read, the look-up tables and the first chunk read here,
        # in the view: a request or a query that fails is an error page, not a
        # broken download.
        with translation.override(language):
            read = entries(request, selected(request))
            first = next(read, None)
        written = read if first is None else itertools.chain([first], read)

        def content() -> Iterator[str | bytes]:
            # Written after the view has returned: in the download's language.
            with translation.override(language):
                yield from self.stream(request, written)

        response = StreamingHttpResponse(content(), content_type=self.media_type)
        filename = self.filename(get_language())
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def filename(self, language: str) -> str:
        return f"activities-{language}.{self.extension}"

    def stream(self, request: HttpRequest, entries: Iterator[Entry]) -> Iterator[str | bytes]:
        raise NotImplementedError


class CsvDownload(ActivityDownload):
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def columns(self) -> list[tuple[str, Callable[[Entry], object]]]:
        return [
            ("ID", lambda e: e.pk),
            ("URL", lambda e: e.url),
            (label(Activity, "title"), lambda e: e.title),
            (label(Activity, "kind"), lambda e: e.kind_label),
            (label(Activity, "start_date"), lambda e: e.start_date),
            (label(Activity, "end_date"), lambda e: e.end_date),
            (label(Activity, "summary"), lambda e: e.summary),
            (label(Activity, "venues"), lambda e: joined(v.name for v in e.venues)),
            (_("Places"), lambda e: joined(v.where for v in e.venues)),
            (label(Activity, "partners"), lambda e: joined(p.name for p in e.partners)),
            (label(Activity, "themes"), lambda e: joined(e.themes)),
            (label(Activity, "department"), lambda e: e.department),
            (label(Activity, "published_at"), lambda e: iso(e.published_at)),
            (label(Activity, "updated_at"), lambda e: iso(e.updated_at)),
        ]

    def stream(self, request, entries):
        writer = csv.writer(Echo())
        columns = self.columns()
        yield BOM + writer.writerow([name for name, _value in columns])
        for entry in entries:
            yield writer.writerow([cell(value(entry)) for _name, value in columns])


class JsonDownload(ActivityDownload):
    media_type = "application/json"
    extension = "json"

    def stream(self, request, entries):
        head = json.dumps(about(request), ensure_ascii=False, cls=DjangoJSONEncoder)
        # The description, then the activities one by one.
        yield head[:-1] + ', "activities": ['
        separator = ""
        for entry in entries:
            yield separator + json.dumps(record(entry), ensure_ascii=False, cls=DjangoJSONEncoder)
            separator = ","
        yield "]}\n"


def record(entry: Entry) -> dict:
    """An activity as the JSON download gives it."""
    return {
        "id": entry.pk,
        "url": entry.url,
        "title": entry.title,
        "kind": entry.kind,
        "kind_label": entry.kind_label,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "summary": entry.summary,
        "venues": [
            {
                "name": venue.name,
                "city": venue.city,
                "country": venue.country,
                "country_name": venue.country_name,
                "address": venue.address,
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
            for venue in entry.venues
        ],
        "partners": [{"name": p.name, "url": p.url} for p in entry.partners],
        "themes": entry.themes,
        "department": entry.department or None,
        "published_at": entry.published_at,
        "updated_at": entry.updated_at,
    }


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

    def stream(self, request, entries):
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
        for entry in entries:
            yield self.event(entry, host).to_ical().decode()
        yield end

    def event(self, entry: Entry, host: str) -> icalendar.Event:
        event = icalendar.Event()
        event.add("uid", f"activity-{entry.pk}@{host}")
        event.add("dtstamp", entry.updated_at)
        event.add("last-modified", entry.updated_at)
        event.add("summary", entry.title)
        event.add("dtstart", entry.start_date)
        # All-day events end on the day after their last (RFC 5545, 3.6.1).
        event.add("dtend", entry.end_date + datetime.timedelta(days=1))
        event.add("description", "\n\n".join(part for part in (entry.summary, entry.url) if part))
        event.add("url", entry.url)
        if entry.venues:
            event.add("location", joined(v.label for v in entry.venues))
        located = entry.coordinates()
        if located is not None:
            event.add("geo", (float(located[0]), float(located[1])))
        event.add("categories", [entry.kind_label, *entry.themes])
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

    language = "ja"

    def filename(self, language: str) -> str:
        return f"{settings.CITYTIES_MUNICIPALITY_CODE}_event.csv"

    def stream(self, request, entries):
        writer = csv.writer(Echo())
        yield BOM + writer.writerow(STANDARD_COLUMNS)
        for entry in entries:
            row: dict[str, object] = dict.fromkeys(STANDARD_COLUMNS, "")
            row.update(self.values(entry))
            yield writer.writerow([cell(row[name]) for name in STANDARD_COLUMNS])

    def values(self, entry: Entry) -> dict[str, object]:
        located = entry.coordinates() or ("", "")
        notes = [
            f"種類：{entry.kind_label}",
            "相手先：" + "、".join(p.name for p in entry.partners),
            "テーマ：" + "、".join(entry.themes),
        ]
        return {
            "都道府県コード又は市区町村コード": settings.CITYTIES_MUNICIPALITY_CODE,
            "NO": entry.pk,
            "都道府県名": settings.CITYTIES_PREFECTURE_NAME,
            "市区町村名": settings.CITY_NAMES["ja"],
            "イベント名": entry.title,
            "イベント名_英語": entry.title_en,
            "開始日": entry.start_date.isoformat(),
            "終了日": entry.end_date.isoformat(),
            "説明": entry.summary,
            "連絡先名称": entry.department,
            "連絡先電話番号": entry.department_phone,
            "場所名称": "、".join(v.name for v in entry.venues),
            "住所": "、".join(v.address or v.where for v in entry.venues),
            "緯度": located[0],
            "経度": located[1],
            "URL": entry.url,
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
