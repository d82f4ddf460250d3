"""The public archive's filters, search and facet counts.

The GET parameter names (year, partner, partner_kind, theme, kind, country,
page, and q and calendar) are a public contract: shared links must keep
working. A value that does not validate is dropped from ``cleaned_data``, so
that filter is ignored and the view tells the visitor.

What each filter selects is defined once, in activities/facets.py; the
FilterSet validates the values and applies those definitions. The archive's
pages and counts come from the in-memory index built from the same
definitions; a ranked search and pages by number filter in the database.

Facet counts: for each filter, how many published activities each of its
values would give under the *other* active filters (and the search), so that
picking ICLEI does not zero the other partners. They and the options built
from them are cached per filter state until the data changes
(activities/cache.py); the choice lists are kept with the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import QuerySet
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities import cache, facets, search
from activities.dates import format_year
from activities.facets import DEFINITIONS, FACETS
from activities.models import Activity, Organization, Theme

FISCAL = "fiscal"
# Jinja2 (templates/jinja2/): rendered for each new filter state, hundreds of options.
OPTIONS_TEMPLATE = "facet_options.html"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    depth: int = 0


def partner_choices() -> list[Choice]:
    """Partners with published activities, with their ancestors, in tree order,
    labelled in the current language: those the archive's index holds (it keys
    each activity under its partners and their ancestors). One query, kept with
    the index until the data changes."""
    index = facets.index()
    key = ("partner-choices", get_language() or "")
    found = index.memo.get(key)
    if found is not None:
        return found
    orgs = list(
        Organization.objects.filter(slug__in=list(index.values["partner"])).only(
            "pk", "name", "short_name", "slug", "parent_id"
        )
    )
    ids = {org.pk for org in orgs}
    by_parent: dict[int | None, list[Organization]] = {}
    for org in sorted(orgs, key=lambda o: str(o)):
        by_parent.setdefault(org.parent_id if org.parent_id in ids else None, []).append(org)
    ordered: list[Choice] = []

    def walk(parent: int | None, depth: int) -> None:
        for org in by_parent.get(parent, []):
            ordered.append(Choice(org.slug, str(org), depth))
            walk(org.pk, depth + 1)

    walk(None, 0)
    index.memo[key] = ordered
    return ordered


def theme_choices() -> list[Choice]:
    """The themes of published activities (those the archive's index holds),
    labelled in the current language, by name. Kept with the index."""
    index = facets.index()
    key = ("theme-choices", get_language() or "")
    found = index.memo.get(key)
    if found is None:
        found = [
            Choice(theme.slug, str(theme))
            for theme in Theme.objects.filter(slug__in=list(index.values["theme"])).only(
                "slug", "name"
            )
        ]
        found.sort(key=lambda c: c.label)
        index.memo[key] = found
    return found


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", facets.YEAR.first)
        kwargs.setdefault("max_value", facets.YEAR.last)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    field_class = YearField


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code. Checked against django-countries' table
    rather than offered as ~250 choices, which every request would copy."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        code = value.upper()
        # alpha2() also converts alpha-3 and numeric codes (DEU, 276 -> DE), but
        # venues are stored, and the filter is read, as alpha-2 alone.
        if countries.alpha2(code) != code:
            raise forms.ValidationError(_("Not a country code."), code="invalid_choice")
        return code


class CountryCodeFilter(django_filters.Filter):
    field_class = CountryCodeField


class IndexedField(forms.CharField):
    """A value of one facet that the archive's index holds (a partner or theme of
    published activities): checked against the index's set of values rather than
    offered as choices, which every request would copy and walk."""

    def __init__(self, *args, facet: str, **kwargs) -> None:
        self.facet = facet
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and value not in facets.index().values[self.facet]:
            raise forms.ValidationError(_("Not in the archive."), code="invalid_choice")
        return value


class IndexedFilter(django_filters.Filter):
    field_class = IndexedField


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    year = YearFilter(label=_("Year"), method="filter_facet")
    calendar = django_filters.ChoiceFilter(
        label=_("Years as"),
        choices=[(FISCAL, _("Fiscal years (April–March)"))],
        empty_label=_("Calendar years"),
        method="filter_nothing",
    )
    partner = IndexedFilter(label=_("Partner"), method="filter_facet", facet="partner")
    partner_kind = django_filters.ChoiceFilter(
        label=_("Kind of partner"),
        choices=Organization.Kind.choices,
        method="filter_facet",
        empty_label=_("All kinds of partner"),
    )
    theme = IndexedFilter(label=_("Theme"), method="filter_facet", facet="theme")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"),
        choices=Activity.Kind.choices,
        method="filter_facet",
        empty_label=_("All kinds of activity"),
    )
    country = CountryCodeFilter(label=_("Country"), method="filter_facet")

    class Meta:
        model = Activity
        fields: list[str] = []

    # -- the filters -------------------------------------------------------------

    @property
    def fiscal(self) -> bool:
        return self.is_bound and self.form.cleaned_data.get("calendar") == FISCAL

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Nothing here: the view selects and ranks the matches in one pass
        # (search.ranked), and the facet counts take their ids (facet_counts).
        return queryset

    def filter_facet(self, queryset: QuerySet, name: str, value: str | int) -> QuerySet:
        """Each facet's meaning is its definition's (activities/facets.py)."""
        return DEFINITIONS[name].filter(queryset, value, fiscal=self.fiscal)

    # -- what the view asks ------------------------------------------------------

    @property
    def terms(self) -> list[search.Term]:
        if not hasattr(self, "_terms"):
            text = self.form.cleaned_data.get("q", "") if self.is_bound else ""
            terms = search.parse(text or "")
            # Exclusions alone select nothing to rank: such a search is ignored.
            self._terms = terms if any(not t.negated for t in terms) else []
        return self._terms

    def active(self) -> dict[str, object]:
        """The valid, non-empty filter values (worked out once: a page asks
        several times)."""
        if not self.is_bound:
            return {}
        if not hasattr(self, "_active"):
            self.errors  # noqa: B018 -- runs validation
            self._active = {
                name: value
                for name, value in self.form.cleaned_data.items()
                if value not in (None, "") and name in self.filters
            }
        return self._active

    def ignored(self) -> list[tuple[str, str]]:
        """(label, value) of each filter whose value was invalid and so ignored."""
        if not self.is_bound:
            return []
        self.errors  # noqa: B018 -- runs validation
        ignored = [
            (str(self.form.fields[name].label), str(self.form.data.get(name, ""))[:100])
            for name in self.form.errors
            if name in self.form.fields
        ]
        typed = self.form.cleaned_data.get("q") if "q" not in self.form.errors else None
        if typed and typed.strip() and not self.terms:
            ignored.append((str(self.form.fields["q"].label), typed[:100]))
        return ignored

    def facet_values(self) -> dict[str, str]:
        """The active filters that are facets, their values as text: the keys of
        the archive's index (activities/facets.py). The year is an int in
        ``active()``; the index keys it as text."""
        if not hasattr(self, "_facet_values"):
            self._facet_values = {k: str(v) for k, v in self.active().items() if k in FACETS}
        return self._facet_values

    def state_key(self, *parts: str) -> str:
        """A cache key for what follows from the filter state: the facets' values,
        the calendar and the search (its counts are its matches' alone)."""
        state = repr(sorted(self.facet_values().items()))
        return cache.key(*parts, str(self.fiscal), state, repr(self.terms))

    def match_bits(self) -> int | None:
        """The search's matches as a bitset of the archive's index
        (activities/facets.py); None without a search. One query, cached until
        the data changes."""
        if not self.terms:
            return None
        key = cache.key("matches", repr(self.terms))
        found = django_cache.get(key)
        if found is None:
            sql = search.matching_ids(self.terms)
            with connection.cursor() as cursor:
                cursor.execute(sql.sql, sql.params)
                found = facets.index().bits_of(pk for (pk,) in cursor.fetchall())
            cache.keep(key, found, visitor=True)
        return found

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """{facet: {value: count}}, from the in-memory index (activities/facets.py),
        cached until the data changes."""
        key = self.state_key("facets")
        found = django_cache.get(key)
        if found is not None:
            return found
        counts = facets.index().counts(
            self.facet_values(), fiscal=self.fiscal, matches=self.match_bits()
        )
        cache.keep(key, counts, visitor=True)
        return counts

    def total(self, counts: dict[str, dict[str, int]]) -> int:
        """The number of matching activities, read off the kind facet: every
        activity has exactly one kind."""
        kind = self.facet_values().get("kind")
        return counts["kind"].get(kind, 0) if kind else sum(counts["kind"].values())

    def options(self, counts: dict[str, dict[str, int]]) -> dict[str, Offered]:
        """Per facet, the values worth offering: those with matches under the other
        filters, and the selected one whatever its count; each facet's with its
        <option>s rendered. Cached, per language, with the counts they come from."""
        key = self.state_key("options", get_language() or "")
        found = django_cache.get(key)
        if found is None:
            found = self._options(counts)
            cache.keep(key, found, visitor=True)
        return found

    def _options(self, counts: dict[str, dict[str, int]]) -> dict[str, Offered]:
        active = self.facet_values()

        def offer(facet: str, choices: Iterable[tuple[str, str, int]]) -> Offered:
            chosen = active.get(facet, "")
            return Offered(
                {
                    "value": value,
                    # Divisions indented under their ministry or network.
                    "label": "\u3000" * depth + label,
                    "count": counts[facet].get(value, 0),
                    "selected": value == chosen,
                    "depth": depth,
                }
                for value, label, depth in choices
                if counts[facet].get(value) or value == chosen
            )

        years = sorted(
            {int(y) for y in counts["year"]}
            | ({int(active["year"])} if "year" in active else set()),
            reverse=True,
        )
        year_label = (lambda y: format_year(y, fiscal=True)) if self.fiscal else format_year
        country_codes = set(counts["country"]) | {active.get("country", "")} - {""}
        offered = {
            "year": offer("year", [(str(y), year_label(y), 0) for y in years]),
            "partner": offer("partner", [(c.value, c.label, c.depth) for c in partner_choices()]),
            "partner_kind": offer(
                "partner_kind", [(v, str(label), 0) for v, label in Organization.Kind.choices]
            ),
            "theme": offer("theme", [(c.value, c.label, 0) for c in theme_choices()]),
            "kind": offer("kind", [(v, str(label), 0) for v, label in Activity.Kind.choices]),
            "country": offer(
                "country",
                sorted(
                    ((code, str(countries.name(code)), 0) for code in country_codes),
                    key=lambda c: c[1],
                ),
            ),
        }
        template = engines["jinja2"].get_template(OPTIONS_TEMPLATE)
        for values in offered.values():
            values.html = mark_safe(template.render({"offered": values}))
        return offered


class Offered(list):
    """A facet's offered values (dicts: value, label, count, selected, depth),
    and, as ``html``, their <option>s: rendered once per filter state and kept
    with them, since a partner list runs to hundreds of options."""

    html: SafeString = SafeString("")

    @property
    def chosen(self) -> str | None:
        """The label of the selected value, if one is."""
        return next((o["label"].lstrip("\u3000") for o in self if o["selected"]), None)


def selected(get) -> QuerySet[Activity]:
    """Every published activity a filter state of the archive selects — its
    filters and its search — in the database: what a feed or a download of that
    state holds (the archive's pages come from the index, a page at a time)."""
    filterset = ActivityFilter(get or None, queryset=Activity.objects.published())
    activities = filterset.qs if filterset.active() else filterset.queryset
    if filterset.terms:
        activities = activities.filter(pk__in=search.matching_ids(filterset.terms))
    return activities


def chosen_query(get) -> str:
    """The query string of a filter state with its chosen filters alone, for the
    addresses of its feed and downloads; "" when nothing is chosen."""
    names = ActivityFilter.base_filters
    chosen = [(name, get[name]) for name in names if get.get(name, "").strip()]
    return f"?{urlencode(chosen)}" if chosen else ""
