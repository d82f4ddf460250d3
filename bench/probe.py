"""The in-process half of the benchmark: which URLs to load, and what each costs
in SQL.

Run by bench/run.py with the same environment as the server it measures
(DATABASE_URL of a seeded bench database, DEBUG off). For each page it finds
the URL (the deep page's cursor, the showcase activity, the rare term), checks
that the page shows what it should (a search that finds its one activity, a
gallery of 12 photos), and requests it through Django's test client with an
empty cache, counting the queries (CaptureQueriesContext) and timing every SQL
statement (connection.execute_wrapper). Then it sweeps every single filter value
the archive offers, for the slowest statement any of them runs.

Writes JSON: {"pages": [...], "sweep": {...}}.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from activities import facets  # noqa: E402
from activities.models import Activity, ActivityPartner, Organization, Theme, Venue  # noqa: E402

HOST = "127.0.0.1"
ARCHIVE = "/ja/activities/"
RUNS = 3  # measured requests per page, after one to warm up


@dataclass
class Page:
    """One measured page. ``mode`` is how the load generator requests it:
    plain (the URL as is), bust (a parameter no other request has, so the page
    cache never answers) or rotate (each request the next of ``paths``, busted
    too: nothing is cached for it, not even the filter counts)."""

    name: str
    path: str
    mode: str = "bust"
    paths: list[str] = field(default_factory=list)
    note: str = ""
    status: int = 0
    queries: int | None = None
    max_sql_ms: float | None = None
    total_sql_ms: float | None = None
    slowest_sql: str = ""
    # With the page cache missed but the rest of the cache warm, as under load.
    queries_warm: int | None = None
    total_sql_ms_warm: float | None = None
    view_ms_warm: float | None = None


@dataclass
class Timing:
    status: int
    queries: int
    statements: list[tuple[float, str]]
    wall_ms: float = 0.0

    @property
    def max_ms(self) -> float:
        return max((ms for ms, _ in self.statements), default=0.0)

    @property
    def total_ms(self) -> float:
        return sum(ms for ms, _ in self.statements)


def request(client: Client, path: str, *, cold: bool) -> tuple[Timing, str]:
    """One request, its queries and the time of each SQL statement."""
    if cold:
        cache.clear()
        # What is kept with the archive index (the choice lists) is made again
        # too; the index itself stays (its build is measured on its own).
        facets.index().memo.clear()
    statements: list[tuple[float, str]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - start) * 1000, sql))

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
        response = client.get(path)
    wall_ms = (time.perf_counter() - start) * 1000
    body = response.content.decode(errors="replace")
    return Timing(response.status_code, len(queries), statements, wall_ms), body


def busted(path: str, number: int) -> str:
    """The path with a parameter no request had: the page cache misses it."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}_bench=probe-{number}"


def measure(client: Client, page: Page, *, cold: bool = True) -> str:
    """Query count and SQL times of a page: the median of RUNS requests after a
    warm-up one. Cold: the cache is emptied before each request. Returns the body."""
    paths = page.paths or [page.path]
    timings, body = [], ""
    for run in range(RUNS + 1):
        timing, body = request(client, paths[run % len(paths)], cold=cold)
        if run:
            timings.append(timing)
    page.status = timings[-1].status
    page.queries = max(t.queries for t in timings)
    page.max_sql_ms = round(statistics.median(t.max_ms for t in timings), 2)
    page.total_sql_ms = round(statistics.median(t.total_ms for t in timings), 2)
    slowest = max(timings[-1].statements, default=(0.0, ""))
    page.slowest_sql = " ".join(slowest[1].split())[:300]
    if cold and page.mode == "bust":
        # As the server sees it under load: the page is new, what it reads is cached.
        warm = [
            request(client, busted(paths[run % len(paths)], run), cold=False)[0]
            for run in range(RUNS + 1)
        ][1:]
        page.queries_warm = max(t.queries for t in warm)
        page.total_sql_ms_warm = round(statistics.median(t.total_ms for t in warm), 2)
        page.view_ms_warm = round(statistics.median(t.wall_ms for t in warm), 1)
    return body


def archive_url(**params: object) -> str:
    return f"{ARCHIVE}?{urlencode(params)}" if params else ARCHIVE


def card_links(body: str) -> list[str]:
    return re.findall(r'href="(/ja/activities/[^"?/]+/)"', body)


def deep_page(client: Client, published: int) -> tuple[str, str]:
    """The archive page halfway down (row N/2), reached the way the archive's own
    links reach it: the keyset cursor of its "older" link when there is one
    (?before=<start date>.<id> of the last row shown, activities/views.py),
    else the page number."""
    size = settings.ACTIVITIES_PER_PAGE
    body = client.get(ARCHIVE).content.decode()
    match = re.search(r'<a[^>]*rel="next"[^>]*href="([^"]*)"', body) or re.search(
        r'<a[^>]*href="([^"]*)"[^>]*rel="next"', body
    )
    params = parse_qs(urlsplit(html.unescape(match.group(1))).query) if match else {}
    row = max(size, published // 2)
    order = Activity.objects.published().order_by("-start_date", "-pk")
    if "before" in params:
        day, pk = order.values_list("start_date", "pk")[size - 1]
        if params["before"] == [f"{day.isoformat()}.{pk}"]:
            day, pk = order.values_list("start_date", "pk")[row - 1]
            return (
                archive_url(before=f"{day.isoformat()}.{pk}"),
                f"keyset cursor: ?before= of row {row:,} (the archive's own link format)",
            )
        note = "the older link's cursor is not <date>.<id>: by page number instead"
    else:
        note = "no keyset cursor in the archive's links: by page number"
    return archive_url(page=row // size + 1), f"{note} (?page={row // size + 1:,})"


def filter_combinations(manifest: dict, limit: int = 4000) -> list[str]:
    """Distinct year + partner + theme URLs, for traffic for which nothing is
    cached yet: the seeded filter first, then 30 years of the first 40 top-level
    partners and the first 8 themes (the busiest come first in the seed)."""
    chosen = manifest["filter"]
    partners = list(
        Organization.objects.filter(parent__isnull=True)
        .filter(
            pk__in=ActivityPartner.objects.filter(
                activity__status=Activity.Status.PUBLISHED
            ).values("organization")
        )
        .order_by("pk")
        .values_list("slug", flat=True)[:40]
    )
    themes = list(Theme.objects.order_by("pk").values_list("slug", flat=True)[:8])
    years = range(chosen["year"], chosen["year"] - 30, -1)
    urls = [
        archive_url(year=year, partner=partner, theme=theme)
        for year in years
        for partner in partners
        for theme in themes
    ]
    first = archive_url(year=chosen["year"], partner=chosen["partner"], theme=chosen["theme"])
    return [first] + [url for url in urls if url != first][: limit - 1]


def check_search(body: str, slug: str, newest: str) -> str:
    links = card_links(body)
    if f"/ja/activities/{slug}/" in links and newest not in links:
        return ""
    if newest in links:
        return "q= ignored (the archive's first page came back): search not in place"
    return "search did not list the one activity that has the term"


def build_pages(client: Client, manifest: dict) -> list[Page]:
    published = manifest["n"]
    chosen = manifest["filter"]
    rare = manifest["rare_terms"][0]
    common = manifest["common_term"]["term"]
    showcase = manifest["showcase"]["slug"]
    deep, deep_note = deep_page(client, published)
    filtered = archive_url(year=chosen["year"], partner=chosen["partner"], theme=chosen["theme"])
    return [
        Page("healthz", "/healthz", mode="plain", note="the trivial-view baseline"),
        Page("archive page 1", ARCHIVE, note="page cache missed; filter counts cached"),
        Page(
            "filtered",
            filtered,
            mode="rotate",
            paths=filter_combinations(manifest),
            note="year+partner+theme, a new combination each request: nothing cached",
        ),
        Page(
            "filtered, same URL",
            filtered,
            note=f"{filtered} ({chosen['activities']:,} rows); filter counts cached",
        ),
        Page("deep page", deep, note=deep_note),
        Page("search, rare term", archive_url(q=rare["term"]), note=f"q={rare['term']}"),
        Page("search, common term", archive_url(q=common), note=f"q={common}"),
        Page(
            "detail, 12 photos",
            f"/ja/activities/{quote(showcase)}/",
            note="12 photos, 8 people",
        ),
        Page("cached hit", ARCHIVE, mode="plain", note="archive page 1 from the page cache"),
        Page(
            "statistics",
            "/ja/statistics/",
            note="the whole archive in figures and on the map; page cache missed",
        ),
        Page(
            "statistics, filtered",
            f"/ja/statistics/?partner={quote(chosen['partner'])}",
            note=f"partner={chosen['partner']} and its divisions; page cache missed",
        ),
        Page(
            "statistics, cached hit",
            "/ja/statistics/",
            mode="plain",
            note="the statistics page from the page cache",
        ),
    ]


def probe(manifest: dict) -> list[Page]:
    client = Client(SERVER_NAME=HOST)
    pages = build_pages(client, manifest)
    newest = card_links(client.get(ARCHIVE).content.decode())
    newest = newest[0] if newest else ""
    for page in pages:
        if page.name == "cached hit":
            # A page served before: the first request fills the cache, the
            # measured ones are hits.
            request(client, page.path, cold=True)
            body = measure(client, page, cold=False)
        else:
            body = measure(client, page)
        problems = []
        if page.status != 200:
            problems.append(f"HTTP {page.status}")
        if page.name == "search, rare term":
            problems.append(check_search(body, manifest["rare_terms"][0]["slug"], newest))
        if page.name == "detail, 12 photos":
            photos = body.count("data-gallery-item")
            if photos != 12:
                problems.append(f"{photos} photos shown, not 12")
        if page.name == "filtered, same URL" and not card_links(body):
            problems.append("no activity listed")
        page.note = "; ".join(filter(None, [page.note, *problems]))
    return pages


def sweep(seconds: float) -> dict:
    """Every single filter value the archive offers, each on an empty cache: the
    slowest SQL statement any of them runs. Stops after ``seconds``."""
    client = Client(SERVER_NAME=HOST)
    published = Activity.objects.published()
    facets = {
        "year": sorted({d.year for d in published.dates("start_date", "year")}, reverse=True),
        "partner": list(
            Organization.objects.filter(activities__in=published)
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        ),
        "partner_kind": [value for value, _ in Organization.Kind.choices],
        "theme": list(Theme.objects.order_by("slug").values_list("slug", flat=True)),
        "kind": [value for value, _ in Activity.Kind.choices],
        "country": sorted(set(Venue.objects.values_list("country", flat=True))),
    }
    # Round robin over the facets, so that a sweep cut short still covers each.
    columns = [
        [archive_url(**{facet: value}) for value in values] for facet, values in facets.items()
    ]
    urls = [url for row in itertools.zip_longest(*columns) for url in row if url]
    deadline = time.monotonic() + seconds
    results = []
    for url in urls:
        if time.monotonic() > deadline:
            break
        timing, _ = request(client, url, cold=True)
        slowest = max(timing.statements, default=(0.0, ""))
        results.append(
            {
                "url": url,
                "status": timing.status,
                "queries": timing.queries,
                "max_sql_ms": round(timing.max_ms, 2),
                "slowest_sql": " ".join(slowest[1].split())[:300],
            }
        )
    results.sort(key=lambda r: r["max_sql_ms"], reverse=True)
    return {
        "urls": len(urls),
        "swept": len(results),
        "errors": [r["url"] for r in results if r["status"] != 200],
        "slowest": results[:5],
        "max_queries": max((r["queries"] for r in results), default=None),
    }


def index_build() -> dict:
    """What the first request after a change pays in each process: building the
    in-memory index of the archive (activities/facets.py). Median of 3."""
    runs = []
    for _ in range(3):
        statements: list[float] = []

        def timer(execute, sql, params, many, context, statements=statements):
            start = time.perf_counter()
            try:
                # On SQLite the rows are read after this, in fetchall(): its
                # SQL time here is that of the first step alone.
                return execute(sql, params, many, context)
            finally:
                statements.append((time.perf_counter() - start) * 1000)

        start = time.perf_counter()
        with connection.execute_wrapper(timer):
            built = facets.build(0)
        runs.append(((time.perf_counter() - start) * 1000, sum(statements), len(statements)))
    wall, sql, queries = sorted(runs)[1]
    values = sum(len(by_value) for by_value in built.values.values())
    return {
        "queries": queries,
        "sql_ms": round(sql, 1),
        "total_ms": round(wall, 1),
        "activities": len(built.pks),
        "values": values,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sweep-seconds", type=float, default=60)
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text())
    pages = probe(manifest)
    swept = sweep(args.sweep_seconds) if args.sweep_seconds > 0 else None
    built = index_build()
    args.out.write_text(
        json.dumps(
            {"pages": [asdict(page) for page in pages], "sweep": swept, "index_build": built},
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
