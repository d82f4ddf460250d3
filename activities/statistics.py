"""The archive in figures: activities per year stacked by kind, the most frequent
partners, the countries, the themes over the years — of the whole archive or of
any filter of it (the archive's own query string).

Who may see what: published activities only. Every figure is counted in the
archive's in-memory index (activities/facets.py), which holds published
activities alone, under the same filter definitions as the archive's pages and
counts: a bar's number is the number of activities its link lists, and a point
of the map the number of the selection's activities at that venue. A partner
counts its divisions' activities, as the partner filter does. The names looked
up (partners, themes, venues) are those the counted activities have.

Charts are drawn on the server as SVG (templates/includes/chart.html and
statistics_figures.html), each with a sentence that says what it shows and a
table of its numbers, where every row links to the filtered archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from activities import facets, filters, maps
from activities.dates import format_year
from activities.models import Activity, Organization, Theme, Venue

# The kinds' colours, in the order the kinds are declared: each at least 3:1
# against the white page (WCAG 1.4.11), told apart by a white gap between bars.
KIND_COLOURS = (
    "#1b5e96",
    "#b35900",
    "#2e7d32",
    "#8e24aa",
    "#c62828",
    "#00838f",
    "#6d4c41",
    "#546e7a",
)
# The most frequent partners and countries shown.
TOP = 15


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass
class Row:
    """One bar: its label, where it leads, its parts (one per series) and total."""

    label: str
    url: str
    parts: list[int]
    total: int = 0

    def __post_init__(self) -> None:
        self.total = sum(self.parts)


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    rows: list[Row]
    series: list[Series] = field(default_factory=list)

    @property
    def largest(self) -> int:
        return max((row.total for row in self.rows), default=0)

    def drawn(self) -> list[tuple[Row, list[Segment]]]:
        """Each row with its bar's segments, the longest bar the full width."""
        largest = self.largest or 1
        colours = self.series or [Series("", "", KIND_COLOURS[0])]
        drawn = []
        for row in self.rows:
            segments, x = [], 0.0
            for part, series in zip(row.parts, colours, strict=True):
                if part:
                    width = 100 * part / largest
                    # A white gap of a thousandth of the width between two parts.
                    segments.append(
                        Segment(round(x, 2), round(max(width - 0.3, 0.3), 2), series, part)
                    )
                    x += width
            drawn.append((row, segments))
        return drawn


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    series: Series
    count: int


class Statistics:
    """The figures of one filter state of the archive."""

    def __init__(self, get) -> None:
        self.get = get
        self.filterset = filters.ActivityFilter(get or None, queryset=Activity.objects.published())
        # Validated first: the calendar is read from the cleaned form.
        self.active = self.filterset.facet_values()
        self.fiscal = self.filterset.fiscal
        self.index = facets.index()
        mask = self.index.select(self.active, fiscal=self.fiscal)
        matches = self.filterset.match_bits()
        self.mask = mask if matches is None else mask & matches
        self.total = self.mask.bit_count()
        # The chosen filters that apply, as a link to the archive keeps them: what
        # the figures (kept per filter state) were counted under, and nothing else.
        self.base = {
            name: str(value)
            for name, value in self.filterset.active().items()
            if name != "q" or self.filterset.terms
        }
        # Reversed once: a page of figures links hundreds of times.
        self.archive_path = reverse("activities:activity_list")

    def archive_url(self, **chosen: str) -> str:
        """The archive filtered as these figures are and, over that, by ``chosen``."""
        query = urlencode({**self.base, **chosen})
        return self.archive_path + (f"?{query}" if query else "")

    def tally(self, facet: str) -> dict[str, int]:
        """{value: activities of the selection with it}, values with none left out."""
        source = "fiscal_year" if facet == "year" and self.fiscal else facet
        mask = self.mask
        return {
            value: n
            for value, bits in self.index.values[source].items()
            if (n := (bits & mask).bit_count())
        }

    def year_range(self) -> list[int]:
        """Every year from the selection's first to its last, those without
        activities included: a gap in the archive shows as one."""
        years = [int(year) for year in self.tally("year")]
        return list(range(min(years), max(years) + 1)) if years else []

    def years(self) -> Chart:
        """Activities per year (calendar or fiscal), each bar stacked by kind."""
        source = "fiscal_year" if self.fiscal else "year"
        kinds = [(value, str(label)) for value, label in Activity.Kind.choices]
        kind_bits = [self.index.values["kind"].get(value, 0) for value, _label in kinds]
        rows = []
        for year in self.year_range():
            bits = self.index.values[source].get(str(year), 0) & self.mask
            rows.append(
                Row(
                    format_year(year, fiscal=self.fiscal),
                    self.archive_url(year=str(year)),
                    [(bits & kind).bit_count() for kind in kind_bits],
                )
            )
        used = [i for i in range(len(kinds)) if any(row.parts[i] for row in rows)]
        for row in rows:
            row.parts = [row.parts[i] for i in used]
        series = [Series(kinds[i][0], kinds[i][1], KIND_COLOURS[i]) for i in used]
        if rows:
            busiest = max(rows, key=lambda row: row.total)
            summary = _(
                "%(total)s activities from %(first)s to %(last)s; the most in %(busiest)s "
                "(%(count)s)."
            ) % {
                "total": self.total,
                "first": rows[0].label,
                "last": rows[-1].label,
                "busiest": busiest.label,
                "count": busiest.total,
            }
        else:
            summary = _("No activities.")
        title = _("Activities per fiscal year") if self.fiscal else _("Activities per year")
        return Chart("years", title, summary, rows, series)

    def ranked(self, facet: str, labels: dict[str, str], title: str, url_key: str) -> Chart:
        counted = self.tally(facet)
        top = sorted(counted.items(), key=lambda item: (-item[1], labels.get(item[0], item[0])))
        rows = [
            Row(labels.get(value, value), self.archive_url(**{url_key: value}), [n])
            for value, n in top[:TOP]
        ]
        if rows and len(rows) == len(counted):
            summary = _("%(all)s in all; the first: %(first)s (%(count)s).") % {
                "all": len(counted),
                "first": rows[0].label,
                "count": rows[0].total,
            }
        elif rows:
            summary = _("%(shown)s of %(all)s; the first: %(first)s (%(count)s).") % {
                "shown": len(rows),
                "all": len(counted),
                "first": rows[0].label,
                "count": rows[0].total,
            }
        else:
            summary = _("None.")
        return Chart(facet, title, summary, rows)

    def partners(self) -> Chart:
        slugs = list(self.tally("partner"))
        labels = {
            org.slug: org.name
            for org in Organization.objects.filter(slug__in=slugs).only("slug", "name")
        }
        return self.ranked(
            "partner", labels, _("Most frequent partners (with their divisions)"), "partner"
        )

    def countries(self) -> Chart:
        labels = {code: str(countries.name(code)) for code in self.tally("country")}
        return self.ranked("country", labels, _("Countries of the venues"), "country")

    def world(self) -> dict[str, Any]:
        """The map: each country with activities shaded by their number and
        linking to the archive filtered by it; each venue with coordinates a
        point sized by its activities."""
        counted = self.tally("country")
        most = max(counted.values(), default=0)
        outlines = maps.shapes()
        shaded = [
            {
                "code": code,
                "name": str(countries.name(code)),
                "count": n,
                "d": outlines[code],
                "fill": maps.shade(n, most),
                "url": self.archive_url(country=code),
            }
            for code, n in sorted(counted.items(), key=lambda item: -item[1])
            if code in outlines
        ]
        per_venue = {int(pk): n for pk, n in self.tally("venue").items()}
        busiest = max(per_venue.values(), default=0)
        points = []
        for venue in Venue.objects.filter(pk__in=list(per_venue)).only(
            "pk", "name", "city", "country", "latitude", "longitude"
        ):
            at = maps.point(venue.latitude, venue.longitude)
            if at is None:
                continue
            n = per_venue[venue.pk]
            points.append(
                {
                    "x": at[0],
                    "y": at[1],
                    "r": round(2.5 + 5.5 * (n / busiest) ** 0.5, 1),
                    "name": venue.name,
                    "count": n,
                }
            )
        points.sort(key=lambda p: -p["r"])  # the small ones drawn over the large
        return {"countries": shaded, "points": points, "view_box": maps.VIEW_BOX}

    def themes_over_years(self) -> tuple[list[str], list[dict[str, Any]]]:
        """The themes' activities per year: (year labels, one row a theme with
        its cells {count, url})."""
        source = "fiscal_year" if self.fiscal else "year"
        years = self.year_range()
        themes = self.tally("theme")
        names = {
            theme.slug: theme.name
            for theme in Theme.objects.filter(slug__in=list(themes)).only("slug", "name")
        }
        grid: list[dict[str, Any]] = []
        for slug in sorted(themes, key=lambda s: names.get(s, s)):
            bits = self.index.values["theme"][slug] & self.mask
            cells: list[dict[str, Any]] = []
            for year in years:
                n = (bits & self.index.values[source].get(str(year), 0)).bit_count()
                url = self.archive_url(theme=slug, year=str(year)) if n else ""
                cells.append({"count": n, "url": url})
            grid.append(
                {
                    "label": names.get(slug, slug),
                    "url": self.archive_url(theme=slug),
                    "cells": cells,
                    "total": themes[slug],
                }
            )
        # Cells shaded in four steps, the busiest the darkest.
        busiest = max((cell["count"] for row in grid for cell in row["cells"]), default=0)
        for row in grid:
            for cell in row["cells"]:
                cell["level"] = -(-4 * cell["count"] // busiest) if busiest else 0
        return [format_year(year, fiscal=self.fiscal) for year in years], grid


def per_year(facet: str, value: str) -> Chart:
    """A partner's (its divisions' too) or a theme's activities per year, from its
    first to its last, each year linking to the archive filtered by both: for its
    page. The statistics page's chart of that filter, its bars in one colour."""
    chart = Statistics(QueryDict(urlencode({facet: value}))).years()
    for row in chart.rows:
        row.parts = [row.total]
    chart.series = []
    chart.slug = "per-year"
    return chart
