"""The public archive's filters.

The GET parameter names (year, partner, partner_kind, theme, kind, country) are
a public contract: shared links must keep working. A value that does not
validate is dropped from ``cleaned_data``, so django-filter ignores that filter
and the view tells the visitor.

Every relation filter is a ``pk IN (subquery)`` on a through table rather than a
join, so no filter needs DISTINCT and combined filters intersect.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities.dates import format_year
from activities.models import (
    Activity,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Organization,
    Theme,
)

MIN_YEAR = 1
MAX_YEAR = 9998


def published_partners() -> list[Organization]:
    """Partners with published activities, with their ancestors, in tree order.

    One query. Each organization gets a ``depth`` attribute for indentation.
    """
    used = ActivityPartner.objects.filter(activity__status=Activity.Status.PUBLISHED).values(
        "organization_id"
    )
    orgs = list(
        Organization.objects.filter(
            Q(pk__in=used) | Q(children__in=used) | Q(children__children__in=used)
        )
        .distinct()
        .only("pk", "name", "short_name", "slug", "parent_id", "kind")
        .order_by("name")
    )
    by_parent: dict[int | None, list[Organization]] = {}
    ids = {org.pk for org in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    ordered: list[Organization] = []

    def walk(parent: int | None, depth: int) -> None:
        for org in by_parent.get(parent, []):
            org.depth = depth
            ordered.append(org)
            walk(org.pk, depth + 1)

    walk(None, 0)
    return ordered


def descendant_ids(orgs: list[Organization], root: Organization) -> set[int]:
    """The root and everything under it (a ministry and its bureaus and divisions)."""
    children: dict[int, list[int]] = {}
    for org in orgs:
        if org.parent_id is not None:
            children.setdefault(org.parent_id, []).append(org.pk)
    found, stack = set(), [root.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    field_class = YearField


class ActivityFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"), method="filter_year")
    partner = django_filters.ChoiceFilter(
        label=_("Partner"), method="filter_partner", empty_label=_("All partners")
    )
    partner_kind = django_filters.ChoiceFilter(
        label=_("Kind of partner"),
        choices=Organization.Kind.choices,
        method="filter_partner_kind",
        empty_label=_("All kinds of partner"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), method="filter_theme", empty_label=_("All themes")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"),
        choices=Activity.Kind.choices,
        empty_label=_("All kinds of activity"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), method="filter_country", empty_label=_("All countries")
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        published = Activity.objects.published()
        self.partner_orgs = published_partners()
        self._partners_by_slug = {org.slug: org for org in self.partner_orgs}
        fields = self.form.fields
        fields["partner"].choices = [
            (org.slug, "\u3000" * org.depth + str(org)) for org in self.partner_orgs
        ]
        fields["theme"].choices = list(
            Theme.objects.filter(
                pk__in=ActivityTheme.objects.filter(activity__in=published).values("theme_id")
            ).values_list("slug", "name")
        )
        codes = ActivityVenue.objects.filter(activity__in=published).values_list(
            "venue__country", flat=True
        )
        fields["country"].choices = sorted(
            ((code, countries.name(code)) for code in set(codes)), key=lambda c: str(c[1])
        )
        years = published.dates("start_date", "year", order="DESC")
        fields["year"].widget = forms.Select(
            choices=[("", _("All years"))] + [(d.year, format_year(d.year)) for d in years]
        )

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            start_date__range=(datetime.date(value, 1, 1), datetime.date(value, 12, 31))
        )

    def filter_partner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        org = self._partners_by_slug[value]
        ids = descendant_ids(self.partner_orgs, org)
        return queryset.filter(
            pk__in=ActivityPartner.objects.filter(organization_id__in=ids).values("activity_id")
        )

    def filter_partner_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=ActivityPartner.objects.filter(organization__kind=value).values("activity_id")
        )

    def filter_theme(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=ActivityTheme.objects.filter(theme__slug=value).values("activity_id")
        )

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=ActivityVenue.objects.filter(venue__country=value).values("activity_id")
        )

    def ignored(self) -> list[tuple[str, str]]:
        """(label, value) of each filter whose value was invalid and so ignored."""
        if not self.is_bound:
            return []
        self.errors  # noqa: B018 -- runs validation
        return [
            (str(self.form.fields[name].label), str(self.form.data.get(name, ""))[:100])
            for name in self.form.errors
            if name in self.form.fields
        ]
