"""Facet counts from an in-memory index of the published archive.

In SQL, counting each filter value under the other active filters takes a
GROUP BY per facet over subsets that run to tens of thousands of rows: hundreds
of milliseconds for each new combination of filters at 100,000 activities.
Instead, each process keeps an index of the published archive, one bitset per
filter value: a Python int whose bit *i* is set when the *i*-th published
activity has that value. The counts of any combination are then ANDs and
popcounts (``int.bit_count``): a few milliseconds whatever the filters, with no
SQL at all.

The index belongs to a generation (activities/cache.py): the first request
after a change rebuilds it, from two queries (the published activities, and
their partners, kinds of partner, themes and countries). Drafts are not in it,
so they are never counted. A search narrows the counts to the bits of its
matches (one query for their ids).

Memory: one bit per published activity per filter value (at 100,000
activities and about 500 values, some 6 MB a process).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from activities import cache
from activities.models import (
    Activity,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Organization,
    OrganizationAncestor,
    Theme,
    Venue,
)

FACETS = ("year", "partner", "partner_kind", "theme", "kind", "country")


class _Bits:
    """Collects the positions of one value, as bytes; ``value()`` is the int."""

    __slots__ = ("buffer",)

    def __init__(self, size: int) -> None:
        self.buffer = bytearray(size)

    def add(self, position: int) -> None:
        self.buffer[position >> 3] |= 1 << (position & 7)

    def value(self) -> int:
        return int.from_bytes(self.buffer, "little")


@dataclass
class FacetIndex:
    generation: int
    # Activity id -> bit position, for the published activities.
    positions: dict[int, int]
    # Every published activity.
    everything: int
    # facet -> value -> bitset. "year" holds calendar years, "fiscal_year" 年度.
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    # facet -> value -> count, for the counts with no filter at all.
    totals: dict[str, dict[str, int]] = field(default_factory=dict)

    def bits_of(self, ids: Iterable[int]) -> int:
        """The bitset of these activities (those not published are left out)."""
        bits = _Bits((len(self.positions) + 7) // 8)
        positions = self.positions
        for pk in ids:
            position = positions.get(pk)
            if position is not None:
                bits.add(position)
        return bits.value()

    def counts(
        self, active: dict[str, str], *, fiscal: bool, matches: int | None = None
    ) -> dict[str, dict[str, int]]:
        """{facet: {value: count}} of the published activities: each facet's
        values counted under every *other* active filter and the search's
        ``matches`` (a bitset); values that count nothing are left out."""
        years = "fiscal_year" if fiscal else "year"

        def source(facet: str) -> str:
            return years if facet == "year" else facet

        chosen = {
            facet: self.values[source(facet)].get(str(value), 0)
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
                result[facet] = dict(self.totals[source(facet)])
            elif not mask:
                result[facet] = {}
            else:
                result[facet] = {
                    value: n
                    for value, bits in self.values[source(facet)].items()
                    if (n := (bits & mask).bit_count())
                }
        return result


def build(generation: int) -> FacetIndex:
    """The index of the published archive as it is now: two queries."""
    rows = list(Activity.objects.published().order_by("pk").values_list("pk", "start_date", "kind"))
    size = (len(rows) + 7) // 8
    positions = {pk: position for position, (pk, _, _) in enumerate(rows)}
    collected: dict[str, dict[str, _Bits]] = {
        name: {} for name in ("year", "fiscal_year", "kind", *FACETS[1:])
    }

    def add(facet: str, value: str, position: int) -> None:
        bits = collected[facet].get(value)
        if bits is None:
            bits = collected[facet][value] = _Bits(size)
        bits.add(position)

    for position, (_, day, kind) in enumerate(rows):
        add("year", str(day.year), position)
        add("fiscal_year", str(day.year if day.month >= 4 else day.year - 1), position)
        add("kind", kind, position)

    partner, ancestor, org = (
        ActivityPartner._meta.db_table,
        OrganizationAncestor._meta.db_table,
        Organization._meta.db_table,
    )
    theme_link, theme = ActivityTheme._meta.db_table, Theme._meta.db_table
    venue_link, venue = ActivityVenue._meta.db_table, Venue._meta.db_table
    activity = Activity._meta.db_table
    published = f"activity_id IN (SELECT id FROM {activity} WHERE status = %s)"
    # A partner counts its divisions' activities too (the ancestor table holds
    # each organization with itself and each of its ancestors).
    sql = " UNION ALL ".join(
        [
            f"SELECT 'partner', l.activity_id, o.slug FROM {partner} l"
            f" JOIN {ancestor} a ON a.organization_id = l.organization_id"
            f" JOIN {org} o ON o.id = a.ancestor_id WHERE l.{published}",
            f"SELECT 'partner_kind', l.activity_id, o.kind FROM {partner} l"
            f" JOIN {org} o ON o.id = l.organization_id WHERE l.{published}",
            f"SELECT 'theme', l.activity_id, t.slug FROM {theme_link} l"
            f" JOIN {theme} t ON t.id = l.theme_id WHERE l.{published}",
            f"SELECT 'country', l.activity_id, v.country FROM {venue_link} l"
            f" JOIN {venue} v ON v.id = l.venue_id WHERE l.{published}",
        ]
    )
    status = Activity.Status.PUBLISHED
    with connection.cursor() as cursor:
        cursor.execute(sql, [status] * 4)
        # A bit set twice is set once: an activity counts once per value,
        # however many of its partners or venues share it.
        for facet, pk, value in cursor.fetchall():
            position = positions.get(pk)
            if position is not None and value:
                add(facet, str(value), position)

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
        everything=(1 << len(rows)) - 1,
        values=values,
        totals=totals,
    )


_index: FacetIndex | None = None
_lock = threading.Lock()


def index() -> FacetIndex:
    """This process's index for the current generation, built if need be (once:
    the other threads of the process wait for it)."""
    global _index
    generation = cache.generation()
    current = _index
    if current is not None and current.generation == generation:
        return current
    with _lock:
        if _index is None or _index.generation != generation:
            _index = build(generation)
        return _index
