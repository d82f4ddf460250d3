"""The public archive's filters, each defined once, and an in-memory index of
the published archive built from those definitions: facet counts, pages,
neighbours.

Each filter (``FACETS``: year, partner, kind of partner, theme, kind, country)
says once which activities have a value: a column of the activity, or the
activities linked to it through a table (a partner takes in its divisions
through the organization tree, OrganizationAncestor); the year is the start
date's calendar year or, on request, its fiscal year (April to March, 年度).
From that one definition come the database's filter (``Facet.filter``: the
archive's ranked search and numbered pages, the partner and theme pages, the
admin's list filters) and the index's bitsets (``build``). The index also
holds, defined the same way, the venues the statistics' map counts
(``MAPPED_VENUE``), which no one filters by. Search is defined in
activities/search.py. The drafts are in neither: only published activities
are indexed, and the public views start from ``published()``.

In SQL, counting each filter value under the other active filters takes a
GROUP BY per facet over subsets that run to tens of thousands of rows: hundreds
of milliseconds for each new combination of filters at 100,000 activities.
Instead, each process keeps an index of the published archive, one bitset per
filter value: a Python int whose bit *i* is set when the *i*-th published
activity, in the archive's order (newest first), has that value. Then:

- the counts of any combination are ANDs and popcounts (``int.bit_count``);
- a page of a filtered archive is the next set bits after its keyset cursor,
  whose rows are read by primary key;
- a record's earlier and later activities are its neighbours in that order,
  its related ones the newest set bits of its partners (or themes);
- a search's matches, as a bitset, narrow all of these.

The index belongs to a generation (activities/cache.py): the first request
after a change rebuilds it, from one query (each published activity with its
start date and its own columns' values, and each value linked to it, facet by
facet); gunicorn builds it before serving (config/gunicorn.conf.py). Where the
processes share a cache (Redis), one process builds it after a change and the
others, on any server, read it from there (``SHARED_KEY``). Drafts are not in
it, so they are never counted or listed.

Memory: one bit per published activity per filter value and mapped venue (at
100,000 activities and about 740 values, some 9 MB a process).
"""

from __future__ import annotations

import bisect
import datetime
import logging
import os
import threading
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import models
from django.db.models import CharField, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from activities import cache
from activities.models import Activity, ActivityPartner, ActivityTheme, ActivityVenue

# -- the filters, each defined once ------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """A public filter: an activity has the value found at ``path`` from
    ``source`` — the activity itself, or a table that links activities (its
    ``activity_id``) to what they are filtered by."""

    name: str
    source: type[models.Model]
    path: str
    # The links that count, where not all do.
    where: Q | None = None

    @property
    def on_activity(self) -> bool:
        return self.source is Activity

    def filter(self, queryset: QuerySet, value: str | int, *, fiscal: bool = False) -> QuerySet:
        """``queryset`` narrowed to the activities with ``value``. A linked value
        is a ``pk IN (subquery)`` rather than a join, so that an activity with two
        such values is listed once, and filters combine by intersection."""
        if self.on_activity:
            return queryset.filter(**{self.path: value})
        links = self.source._default_manager.filter(**{self.path: value})
        return queryset.filter(pk__in=links.values("activity_id"))

    def links(self) -> QuerySet:
        """(facet, activity id, value, no date) for each published activity's
        linked values: the index's rows of this facet (``build``)."""
        links = self.source._default_manager.filter(activity__status=Activity.Status.PUBLISHED)
        if self.where is not None:
            links = links.filter(self.where)
        return (
            links.annotate(
                facet=Value(self.name),
                # As text, as the index keys every value (and the build's UNION
                # needs one type: a mapped venue's value is its id).
                value=Cast(self.path, CharField()),
                day=Value(None, output_field=DateField()),
            )
            .values_list("facet", "activity_id", "value", "day")
            .order_by()
        )


class YearFacet(Facet):
    """The year of the start date: the calendar year, or with ``fiscal`` the
    fiscal year (年度), which runs from 1 April to 31 March and is named by the
    year it starts in."""

    # The years a filter may ask for: a fiscal year ends in the next calendar
    # year, which datetime.date must hold.
    first = 1
    last = 9998

    @staticmethod
    def of(day: datetime.date, *, fiscal: bool = False) -> int:
        return day.year - 1 if fiscal and day.month < 4 else day.year

    @staticmethod
    def days(year: int, *, fiscal: bool = False) -> tuple[datetime.date, datetime.date]:
        if fiscal:
            return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def filter(self, queryset: QuerySet, value: str | int, *, fiscal: bool = False) -> QuerySet:
        return queryset.filter(start_date__range=self.days(int(value), fiscal=fiscal))


YEAR = YearFacet("year", Activity, "start_date")
PARTNER = Facet("partner", ActivityPartner, "organization__ancestor_links__ancestor__slug")
PARTNER_KIND = Facet("partner_kind", ActivityPartner, "organization__kind")
THEME = Facet("theme", ActivityTheme, "theme__slug")
KIND = Facet("kind", Activity, "kind")
COUNTRY = Facet("country", ActivityVenue, "venue__country")

# In the order the archive's form shows them.
DEFINITIONS: dict[str, Facet] = {
    facet.name: facet for facet in (YEAR, PARTNER, PARTNER_KIND, THEME, KIND, COUNTRY)
}
FACETS = tuple(DEFINITIONS)

# Counted, not filtered by: the venues on the statistics' map (those with
# coordinates), each a bitset of the index as a filter value is, so that the
# map counts its points as every other figure is counted (activities/statistics.py).
MAPPED_VENUE = Facet(
    "venue",
    ActivityVenue,
    "venue_id",
    where=Q(venue__latitude__isnull=False, venue__longitude__isnull=False),
)


class _Bits:
    """Collects the positions of one value, as bytes; ``value()`` is the int."""

    __slots__ = ("buffer",)

    def __init__(self, size: int) -> None:
        self.buffer = bytearray(size)

    def add(self, position: int) -> None:
        self.buffer[position >> 3] |= 1 << (position & 7)

    def value(self) -> int:
        return int.from_bytes(self.buffer, "little")


_PK_BITS = 40


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(str(text)[:10])


def _sort_key(day: datetime.date, pk: int) -> int:
    """Ascending in the archive's order (newest first, then the higher id). A
    cursor's id beyond any real one counts as the highest of its day."""
    return -((day.toordinal() << _PK_BITS) | min(pk, (1 << _PK_BITS) - 1))


@dataclass
class FacetIndex:
    generation: str
    # Activity id -> bit position, for the published activities. Positions
    # follow the archive's order: bit 0 is the newest activity.
    positions: dict[int, int]
    # Position -> activity id, and position -> sort key (_sort_key).
    pks: array
    keys: array
    # Every published activity.
    everything: int
    # facet -> value -> bitset. "year" holds calendar years, "fiscal_year" 年度,
    # "venue" the mapped venues' ids (MAPPED_VENUE).
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    # facet -> value -> count, for the counts with no filter at all.
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    # What is derived from the index and lives as long (the filters' choice
    # lists, activities/filters.py): computed once per generation and process.
    memo: dict[tuple[str, str], list] = field(default_factory=dict)

    def _values(self, facet: str, *, fiscal: bool) -> dict[str, int]:
        return self.values[_source(facet, fiscal)]

    def bits_of(self, ids: Iterable[int]) -> int:
        """The bitset of these activities (those not published are left out)."""
        bits = _Bits((len(self.positions) + 7) // 8)
        positions = self.positions
        for pk in ids:
            position = positions.get(pk)
            if position is not None:
                bits.add(position)
        return bits.value()

    def select(self, active: dict[str, str], *, fiscal: bool) -> int:
        """The bitset of the published activities with every active filter value."""
        mask = self.everything
        for facet, value in active.items():
            if facet in FACETS:
                mask &= self._values(facet, fiscal=fiscal).get(value, 0)
        return mask

    def page(
        self,
        mask: int,
        *,
        before: tuple[datetime.date, int] | None = None,
        after: tuple[datetime.date, int] | None = None,
        size: int,
    ) -> tuple[list[int], bool]:
        """The ids of one page of the selected activities, newest first, and
        whether more lie beyond it: the ``size`` just older than ``before``
        (or the newest), or with ``after`` the ``size`` just newer than it.
        Bit operations on the selection: a deep page costs what the first does."""
        taken: list[int] = []
        if after is None:
            if before is not None:
                start = bisect.bisect_right(self.keys, _sort_key(*before))
                mask &= ~((1 << start) - 1)
            taken = _lowest(mask, size + 1)
            more = len(taken) > size
            taken = taken[:size]
        else:
            end = bisect.bisect_left(self.keys, _sort_key(*after))
            mask &= (1 << end) - 1
            while mask and len(taken) <= size:
                highest = mask.bit_length() - 1
                taken.append(highest)
                mask ^= 1 << highest
            more = len(taken) > size
            taken = taken[:size][::-1]
        return [self.pks[position] for position in taken], more

    def neighbours_and_related(
        self, day: datetime.date, pk: int, *, partners: list[str], themes: list[str], limit: int
    ) -> tuple[int | None, int | None, list[int]]:
        """Around the activity (``day``, ``pk``), published or not: the ids of the
        published activity just before it in the archive's order and just after
        it, and of the ``limit`` newest sharing a partner (with its divisions)
        or, when it has no partner, a theme."""
        key = _sort_key(day, pk)
        newer_at = bisect.bisect_left(self.keys, key) - 1
        older_at = bisect.bisect_right(self.keys, key)
        older = self.pks[older_at] if older_at < len(self.pks) else None
        newer = self.pks[newer_at] if newer_at >= 0 else None
        facet, slugs = ("partner", partners) if partners else ("theme", themes)
        shared = 0
        for slug in slugs:
            shared |= self.values[facet].get(slug, 0)
        itself = self.positions.get(pk)
        if itself is not None:
            shared &= ~(1 << itself)
        related = [self.pks[position] for position in _lowest(shared, limit)]
        return older, newer, related

    def counts(
        self, active: dict[str, str], *, fiscal: bool, matches: int | None = None
    ) -> dict[str, dict[str, int]]:
        """{facet: {value: count}} of the published activities: each facet's
        values counted under every *other* active filter and the search's
        ``matches`` (a bitset); values that count nothing are left out."""
        chosen = {
            facet: self._values(facet, fiscal=fiscal).get(value, 0)
            for facet, value in active.items()
            if facet in FACETS
        }
        start = self.everything if matches is None else matches
        result: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            mask = start
            for other, bits in chosen.items():
                if other != facet:
                    mask &= bits
            if mask == self.everything:
                result[facet] = dict(self.totals[_source(facet, fiscal)])
            elif not mask:
                result[facet] = {}
            else:
                result[facet] = {
                    value: n
                    for value, bits in self._values(facet, fiscal=fiscal).items()
                    if (n := (bits & mask).bit_count())
                }
        return result


def _source(facet: str, fiscal: bool) -> str:
    """Where a facet's bitsets are: the year facet's are fiscal years (年度) on
    demand."""
    return "fiscal_year" if fiscal and facet == "year" else facet


def _lowest(mask: int, count: int) -> list[int]:
    """The positions of the lowest ``count`` set bits of ``mask``: the newest
    activities of a selection."""
    positions: list[int] = []
    while mask and len(positions) < count:
        lowest = mask & -mask
        positions.append(lowest.bit_length() - 1)
        mask ^= lowest
    return positions


def build(generation: str) -> FacetIndex:
    """The index of the published archive as it is now, from the filters'
    definitions (``DEFINITIONS``), in one query: a row for each published
    activity (its start date and its own columns' values), then a row for each
    value linked to it."""
    # Each published activity's row holds the values of the facets on its own
    # columns: its kind (KIND) and, for both years, its start date (YEAR). A
    # plain QuerySet: the translation manager reorders the columns of
    # values_list(), and a UNION matches them by position.
    activities = (
        QuerySet(Activity)
        .filter(status=Activity.Status.PUBLISHED)
        .annotate(facet=Value("activity"), value=F(KIND.path), day=F(YEAR.path))
        .values_list("facet", "pk", "value", "day")
        .order_by()
    )
    linked = [facet for facet in DEFINITIONS.values() if not facet.on_activity] + [MAPPED_VENUE]
    fetched = list(activities.union(*(facet.links() for facet in linked), all=True))

    # The archive's order: newest first, then the higher id.
    rows = []
    for facet, pk, value, day in fetched:
        if facet == "activity":
            # SQLite may give the date of a UNION as text.
            rows.append((pk, day if isinstance(day, datetime.date) else _date(day), value))
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    size = (len(rows) + 7) // 8
    positions = {pk: position for position, (pk, _, _) in enumerate(rows)}
    collected: dict[str, dict[str, _Bits]] = {
        name: {} for name in (*FACETS, "fiscal_year", MAPPED_VENUE.name)
    }

    def add(facet: str, value: str, position: int) -> None:
        bits = collected[facet].get(value)
        if bits is None:
            bits = collected[facet][value] = _Bits(size)
        bits.add(position)

    for position, (_, day, value) in enumerate(rows):
        add(YEAR.name, str(YEAR.of(day)), position)
        add("fiscal_year", str(YEAR.of(day, fiscal=True)), position)
        add(KIND.name, value, position)
    # A bit set twice is set once: an activity counts once per value, however
    # many of its partners or venues share it.
    for facet, pk, value, _ in fetched:
        if facet != "activity" and value:
            at = positions.get(pk)
            if at is not None:
                add(facet, str(value), at)
    del fetched

    values = {
        facet: {value: bits.value() for value, bits in by_value.items()}
        for facet, by_value in collected.items()
    }
    totals = {
        facet: {value: bits.bit_count() for value, bits in by_value.items()}
        for facet, by_value in values.items()
    }
    return FacetIndex(
        generation=generation,
        positions=positions,
        pks=array("q", (pk for pk, _, _ in rows)),
        keys=array("q", (_sort_key(day, pk) for pk, day, _ in rows)),
        everything=(1 << len(rows)) - 1,
        values=values,
        totals=totals,
    )


logger = logging.getLogger(__name__)
_index: FacetIndex | None = None
_lock = threading.Lock()

# Where processes share a cache (Redis), the index of the current generation is
# kept under one key, each change's replacing the last: built by one process, the
# others read it (about 8 MB at 100,000 activities) instead of each running the
# build's query. Beside it, a small key says which generation it is, so that a
# process reads the large one only when it is the one it needs. The process that
# builds holds a lock meanwhile; the others wait for the lock to go — up to
# BUILD_WAIT seconds — then read what it kept, or build it themselves.
SHARED_KEY = "cityties:archive-index"
SHARED_GENERATION_KEY = f"{SHARED_KEY}:generation"
BUILD_WAIT = 30.0
_POLL = 0.05


def index() -> FacetIndex:
    """This process's index for the current generation: built, or read from the
    shared cache where another process built it (once: the other threads of the
    process wait for it)."""
    global _index
    generation = cache.generation()
    current = _index
    if current is not None and current.generation == generation:
        return current
    with _lock:
        if _index is None or _index.generation != generation:
            _index = _obtain(generation)
        return _index


def _obtain(generation: str) -> FacetIndex:
    """Built here, or taken from the shared cache. Not shared: a cache of this
    process alone, or a generation of a transaction not yet committed."""
    if cache.process_local() or "~" in generation:
        return _built(generation)
    found = _shared(generation)
    if found is not None:
        return found
    lock = f"{SHARED_KEY}:building:{generation}"
    if django_cache.add(lock, os.getpid(), timeout=int(BUILD_WAIT) + 30):
        try:
            # Asked again under the lock: another process may have built and kept
            # it, and let its lock go, since this one looked.
            kept = _shared(generation)
            if kept is not None:
                return kept
            built = _built(generation)
            seconds = settings.CITYTIES_FRAGMENT_CACHE_SECONDS
            django_cache.set(SHARED_KEY, (generation, built), seconds)
            django_cache.set(SHARED_GENERATION_KEY, generation, seconds)
        finally:
            django_cache.delete(lock)  # after the index is kept: see below
        return built
    # Another process is building it: wait for its lock to go (a small key, asked
    # for often), then read what it kept. Reading while the lock is there would
    # race: a read that began before the index was kept, finishing after the lock
    # went, would make this process build it too.
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline and django_cache.has_key(lock):
        time.sleep(_POLL)
    # Kept; or the builder failed, gave up, or the cache is unreachable: build it.
    return _shared(generation) or _built(generation)


def _built(generation: str) -> FacetIndex:
    started = time.monotonic()
    built = build(generation)
    logger.info(
        "archive index built",
        extra={"activities": len(built.pks), "ms": round(1000 * (time.monotonic() - started))},
    )
    return built


def _shared(generation: str) -> FacetIndex | None:
    started = time.monotonic()
    if django_cache.get(SHARED_GENERATION_KEY) != generation:
        return None  # another generation's: not worth reading
    kept = django_cache.get(SHARED_KEY)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == generation:
        logger.info(
            "archive index read from the shared cache",
            extra={
                "activities": len(kept[1].pks),
                "ms": round(1000 * (time.monotonic() - started)),
            },
        )
        return kept[1]
    return None
