"""The public archive equals a plain ORM reading of its documented filters.

The archive's pages and counts come from an in-memory index of the published
archive (activities/facets.py), and a ranked search or a numbered page from
SQL filters of another shape (activities/filters.py). This module holds a
third, textbook form of the same rules — querysets over the models, written
from README.md's description of the public GET parameters and nothing else —
and checks, over hundreds of random combinations of those parameters, that
the page a visitor sees lists the same activities in the same order, with the
same total and the same count beside every filter value.

The oracle's reading of each parameter:

- only published activities, newest start date first, then the higher id;
- ``year``: the calendar year of the start date; with ``calendar=fiscal`` the
  Japanese fiscal year, 1 April to 31 March of the next year;
- ``partner``: activities with that organization or any of its divisions
  (children through ``parent``, at any depth) as a partner;
- ``partner_kind``: activities with a partner, as recorded on the activity,
  of that kind (an embassy under a ministry is an embassy);
- ``theme``, ``kind``; ``country``: any venue's country (ISO alpha-2);
- ``q``: words ANDed, ``OR`` between two, ``-word`` leaves one out, "quotes"
  make a phrase; matched against the activity's title, summary and body in
  both languages and the names of its partners, venues (and their cities) and
  people (and their titles at the time);
- a value that is not valid is ignored, and the page says so; a partner or a
  theme is valid when it (or a division of the partner) belongs to a
  published activity, as only those are offered;
- beside each filter, each value's count under every *other* active filter
  and the search; values counting nothing are not offered, except the chosen
  one.

Search is full-text on both databases (activities/search.py): Japanese by
any part of two characters or more, katakana and hiragana alike, English by
whole word in any case or width; over an activity's texts and the names of its
partners, venues and their countries, themes and people. The oracle reads a
search term as a substring of those texts, folded (width, case, kana), which
is the same thing only for the terms drawn here:
Japanese words and parts of words of two characters or more, and English
words that occur in the data only as whole words (the dataset fixture checks
this). Ranked results (up to SEARCH_RANK_LIMIT matches) come best match first
by each database's own score, which no plain query reproduces: for them the
oracle checks the activities listed and their counts, not their order; with
the limit set to 0 the same searches list newest first, and the order is
checked too.

The counts are read from the page's HTML: each ``<select>``'s ``<option>``s
and the result count, as a visitor sees them. ORACLE_EXAMPLES sets the number
of examples (default 500, as in CI).
"""

from __future__ import annotations

import datetime
import html
import os
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db.models import Count, QuerySet
from django.test import override_settings
from django_countries import countries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.countries import search_text as country_search_text
from activities.models import Activity, Organization
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    OrganizationFactory,
    ParticipantFactory,
    ThemeFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

URL = "/ja/activities/"
FACETS = ("year", "partner", "partner_kind", "theme", "kind", "country")
SEED = 20190401
EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "500"))
PUBLISHED = Activity.Status.PUBLISHED
NATIONAL = Organization.Kind.NATIONAL_GOVERNMENT
NETWORK = Organization.Kind.INTERNATIONAL_NETWORK

# -- the dataset -----------------------------------------------------------------

# Partners: (slug, Japanese name, English name, kind, parent slug). The top of
# each hierarchy (ministry, network) is never a partner of an activity itself:
# only its bureaus and divisions are, so its filter and counts come from them.
ORGANIZATIONS = [
    ("mofa", "外務省", "Ministry of Foreign Affairs", NATIONAL, None),
    ("mofa-bureau", "国際協力局", "International Cooperation Bureau", NATIONAL, "mofa"),
    ("mofa-cc", "気候変動課", "Climate Change Division", NATIONAL, "mofa-bureau"),
    (
        "mofa-embassy",
        "在ドイツ日本国大使館",
        "Embassy of Japan in Germany",
        Organization.Kind.EMBASSY,
        "mofa",
    ),
    ("moe", "環境省", "Ministry of the Environment", NATIONAL, None),
    ("moe-bureau", "地球環境局", "Global Environment Bureau", NATIONAL, "moe"),
    (
        "moe-office",
        "脱炭素ビジネス推進室",
        "Decarbonization Business Office",
        NATIONAL,
        "moe-bureau",
    ),
    ("iclei", "イクレイ", "ICLEI", NETWORK, None),
    ("iclei-east-asia", "イクレイ東アジア", "ICLEI East Asia", NETWORK, "iclei"),
    ("iclei-japan", "イクレイ日本", "ICLEI Japan", NETWORK, "iclei-east-asia"),
    ("freiburg", "フライブルク市", "Freiburg", Organization.Kind.LOCAL_GOVERNMENT, None),
    ("hanover", "ハノーバー市", "Hanover", Organization.Kind.LOCAL_GOVERNMENT, None),
    ("toyota", "トヨタ自動車", "Toyota Motor", Organization.Kind.BUSINESS, None),
    ("saitama-u", "埼玉大学", "Saitama University", Organization.Kind.ACADEMIC, None),
    ("ngo", "環境ネットワーク", "Environment Network", Organization.Kind.NGO, None),
    ("jetro", "日本貿易振興機構", "JETRO", Organization.Kind.OTHER, None),
    # Partners of drafts alone, and of nothing: not offered, so ignored.
    ("draft-partner", "下書きの相手", "Draft Partner", Organization.Kind.NGO, None),
    ("unused-partner", "未使用の相手", "Unused Partner", Organization.Kind.OTHER, None),
]
LINKABLE = [
    "mofa-bureau",
    "mofa-cc",
    "mofa-embassy",
    "moe-bureau",
    "moe-office",
    "iclei-east-asia",
    "iclei-japan",
    "freiburg",
    "hanover",
    "toyota",
    "saitama-u",
    "ngo",
    "jetro",
]
THEMES = [
    ("decarbonization", "脱炭素"),
    ("hydrogen", "水素社会"),
    ("mobility", "電動モビリティ"),
    ("disaster", "防災"),
    ("exchange", "国際交流"),
]
# (Japanese name, English name, Japanese city, English city, country)
VENUES = [
    ("ボン世界会議センター", "World Conference Center", "ボン", "Bonn", "DE"),
    ("フライブルク市庁舎", "Freiburg Town Hall", "フライブルク", "Freiburg", "DE"),
    ("バーゼル見本市", "Messe Basel", "バーゼル", "Basel", "CH"),
    ("さいたま市役所", "Saitama City Hall", "さいたま", "Saitama", "JP"),
    ("東京国際フォーラム", "Tokyo International Forum", "東京", "Tokyo", "JP"),
    ("国連本部", "United Nations Headquarters", "ニューヨーク", "New York", "US"),
    ("ソウル市庁", "Seoul City Hall", "ソウル", "Seoul", "KR"),
    ("グラスゴー会議場", "Scottish Event Campus", "グラスゴー", "Glasgow", "GB"),
]
# Japanese topics (words of one run of Japanese characters) and English ones.
TOPICS = [
    ("脱炭素", "decarbonization"),
    ("水素", "hydrogen"),
    ("防災", "resilience"),
    ("姉妹都市", "sister city"),
    ("再生可能エネルギー", "renewables"),
    ("国際交流", "exchange"),
    ("電動モビリティ", "electric mobility"),
]
ACTS = [("会議", "summit"), ("表敬訪問", "courtesy call"), ("視察", "study tour"), ("協定", "pact")]
PEOPLE = [
    ("ジノ・ヴァン・ベギン", "Gino Van Begin", "イクレイ世界事務局長"),
    ("清水勇人", "Hayato Shimizu", "さいたま市長"),
    ("原田義昭", "Yoshiaki Harada", "環境大臣"),
]
# Days either side of the fiscal year's turn, and a day shared by several.
BOUNDARY_DAYS = [(3, 31), (4, 1)]
SHARED_DAY = datetime.date(2019, 10, 30)

# Search terms. Japanese: words and parts of words of two characters or more.
# English: words that the data holds only as whole words (checked below).
JA_TERMS = [
    "脱炭素",
    "炭素",
    "水素",
    "防災",
    "姉妹都市",
    "姉妹",
    "再生可能",
    "エネルギー",
    "国際交流",
    "モビリティ",
    "会議",
    "表敬",
    "視察",
    "協定",
    "市長",
    "大使館",
    "イクレイ",
    "ボン",
    "ベギン",
    "事務局長",
    "気候変動",
    "存在しない語",
]
EN_TERMS = [
    "decarbonization",
    "hydrogen",
    "resilience",
    "renewables",
    "mobility",
    "summit",
    "mayor",
    "iclei",
    "bonn",
    "gino",
    "embassy",
    "seoul",
    "nonexistentword",
]
EN_PHRASES = ["sister city", "courtesy call", "study tour"]


def _width_and_case(word: str, how: int) -> str:
    if how == 1:
        return word.upper()
    if how == 2:  # full-width letters: ＨＹＤＲＯＧＥＮ
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word.upper())
    return word


@dataclass
class Archive:
    pk_of: dict[str, int]
    slug_of: dict[int, str]
    years: list[int]
    org_slugs: list[str]
    theme_slugs: list[str]
    countries: list[str]


def _texts(rng: random.Random) -> dict[str, str]:
    (topic, topic_en), (other, other_en) = rng.sample(TOPICS, 2)
    act, act_en = rng.choice(ACTS)
    texts = {
        "title": f"{topic}に関する{act}",
        "summary": f"{other}について意見を交換しました。",
        "body": (
            f"{topic}の取組を紹介しました。"
            + ("市長が出席しました。" if rng.random() < 0.3 else "")
        ),
    }
    if rng.random() < 0.8:  # some records have no English
        texts |= {
            "title_en": f"{topic_en.capitalize()} {act_en}",
            "summary_en": f"We talked about {other_en}.",
            "body_en": f"We presented our {topic_en} work."
            + (" The mayor attended." if rng.random() < 0.3 else ""),
        }
    return texts


@pytest.fixture
def archive() -> Archive:
    """Some 110 activities drawn with a fixed seed: drafts among them; partners
    three deep (ministry, bureau, division), with activities on the divisions
    only; days on both sides of 1 April in several years and several activities
    on one day; trips with venues in several countries; themes, kinds, people;
    Japanese and English text, some records in Japanese only."""
    rng = random.Random(SEED)
    orgs: dict[str, Organization] = {}
    for slug, name, name_en, kind, parent in ORGANIZATIONS:
        orgs[slug] = OrganizationFactory(
            slug=slug,
            name=name,
            name_en=name_en,
            kind=kind,
            parent=orgs[parent] if parent else None,
        )
    themes = {slug: ThemeFactory(slug=slug, name=name) for slug, name in THEMES}
    themes["draft-theme"] = ThemeFactory(slug="draft-theme", name="下書きのテーマ")
    venues = [
        VenueFactory(name=name, name_en=name_en, city=city, city_en=city_en, country=country)
        for name, name_en, city, city_en, country in VENUES
    ]
    people = [
        (ParticipantFactory(name=name, name_en=name_en, title=""), title)
        for name, name_en, title in PEOPLE
    ]
    kinds = list(Activity.Kind.values)
    for n in range(110):
        year = rng.randint(2012, 2024)
        roll = rng.random()
        if roll < 0.3:
            month, day = rng.choice(BOUNDARY_DAYS)
            start = datetime.date(year, month, day)
        elif roll < 0.4:
            start = SHARED_DAY
        else:
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        draft = rng.random() < 0.15
        partners = [orgs[s] for s in rng.sample(LINKABLE, rng.choice([0, 1, 1, 2, 3]))]
        if draft and rng.random() < 0.3:
            partners.append(orgs["draft-partner"])
        chosen_themes = [themes[s] for s, _ in rng.sample(THEMES, rng.choice([0, 1, 1, 2]))]
        if draft and rng.random() < 0.3:
            chosen_themes.append(themes["draft-theme"])
        activity = ActivityFactory(
            slug=f"a{n:03d}",
            kind=rng.choice(kinds),
            start_date=start,
            end_date=start + datetime.timedelta(days=rng.choice([0, 0, 2])),
            partners=partners,
            themes=chosen_themes,
            venues=rng.sample(venues, rng.choice([0, 1, 1, 2, 3])),
            draft=draft,
            **_texts(rng),
        )
        for person, title in rng.sample(people, rng.choice([0, 0, 1, 2])):
            AttendanceFactory(activity=activity, participant=person, title=title)

    _check_english_terms_are_whole_words()
    rows = list(Activity.objects.values_list("slug", "pk", "status", "start_date"))
    published = [row for row in rows if row[2] == PUBLISHED]
    assert len(published) < len(rows), "drafts among the data"
    days = {row[3] for row in published}
    boundary_years = {d.year for d in days if (d.month, d.day) in BOUNDARY_DAYS}
    assert len(boundary_years) >= 3, "both sides of 1 April in several years"
    assert sum(row[3] == SHARED_DAY for row in published) >= 3, "several on one day"
    return Archive(
        pk_of={slug: pk for slug, pk, _, _ in rows},
        slug_of={pk: slug for slug, pk, _, _ in rows},
        years=sorted({d.year for d in days}),
        org_slugs=[slug for slug, *_ in ORGANIZATIONS],
        theme_slugs=list(themes),
        countries=sorted({v[4] for v in VENUES}),
    )


def _check_english_terms_are_whole_words() -> None:
    """The oracle reads a term as a substring; the site finds English by whole
    word. The two agree on these terms only if the data never holds one inside
    a longer word."""
    texts = []
    for query in [
        Activity.objects.values_list(*(f"{f}_en" for f in ("title", "summary", "body"))),
        Organization.objects.values_list("name_en", "short_name_en"),
        Activity.venues.through.objects.values_list("venue__name_en", "venue__city_en"),
        Activity.participants.through.objects.values_list(
            "participant__name_en", "title_en", "title_ja"
        ),
        Activity.themes.through.objects.values_list("theme__name_en", "theme__name_ja"),
    ]:
        texts += [text for row in query for text in row if text]
    for code in Activity.venues.through.objects.values_list("venue__country", flat=True):
        texts += country_search_text(code).split("|") if code else []
    for word in EN_TERMS + EN_PHRASES:
        inside = re.compile(rf"\w{re.escape(word)}|{re.escape(word)}\w", re.IGNORECASE)
        assert not any(inside.search(text) for text in texts), word


# -- the oracle ------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    or_with_previous: bool = False

    def typed(self) -> str:
        text = f'"{self.text}"' if " " in self.text else self.text
        return ("-" if self.negated else "") + text


@dataclass
class Query:
    params: dict[str, str]
    terms: list[Term] | None  # None: q is not a search (absent, blank or junk)
    mode: str  # "older", "newer" or "numbers": how the pages are walked
    page_size: int
    rank_limit: int


@dataclass
class Expected:
    ids: list[int]
    counts: dict[str, dict[str, int]]
    selected: dict[str, str]
    ignored: bool
    searched: bool


SEARCHED_FIELDS = [
    *(f"{name}_{lang}" for name in ("title", "summary", "body") for lang in ("ja", "en")),
    *(f"partners__{name}_{lang}" for name in ("name", "short_name") for lang in ("ja", "en")),
    *(f"venues__{name}_{lang}" for name in ("name", "city") for lang in ("ja", "en")),
    *(f"themes__name_{lang}" for lang in ("ja", "en")),
    *(f"participants__name_{lang}" for lang in ("ja", "en")),
    *(f"attendances__title_{lang}" for lang in ("ja", "en")),
]
# Katakana as hiragana: ア (U+30A1) to ヶ (U+30F6) are ぁ to ゖ, 0x60 below.
KATAKANA_AS_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def fold(text: str) -> str:
    """Any width, any case, katakana and hiragana alike."""
    return unicodedata.normalize("NFKC", text).casefold().translate(KATAKANA_AS_HIRAGANA)


def searchable_texts() -> dict[int, list[str]]:
    """Each activity's texts and names that search reads, folded: its own, its
    partners', venues' (and their countries' names, readings and aliases),
    themes' and people's."""
    texts: dict[int, list[str]] = {}
    for name in SEARCHED_FIELDS:
        for pk, value in Activity.objects.values_list("pk", name):
            if value:
                texts.setdefault(pk, []).append(fold(value))
    for pk, code in Activity.venues.through.objects.values_list("activity_id", "venue__country"):
        if code:
            texts.setdefault(pk, []).extend(country_search_text(code).split("|"))
    return texts


def matching(texts: dict[int, list[str]], text: str) -> set[int]:
    """The ids of activities whose texts or names contain ``text``."""
    wanted = fold(text)
    return {pk for pk, values in texts.items() if any(wanted in value for value in values)}


def searched(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    texts = searchable_texts()
    groups: list[list[Term]] = []
    for term in terms:
        if term.negated:
            continue
        if term.or_with_previous and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
    for group in groups:
        either: set[int] = set()
        for term in group:
            either |= matching(texts, term.text)
        queryset = queryset.filter(pk__in=either)
    for term in terms:
        if term.negated:
            queryset = queryset.exclude(pk__in=matching(texts, term.text))
    return queryset


def divisions() -> dict[str, set[int]]:
    """Each organization's slug: its id and those of its divisions, at any
    depth (children through ``parent``)."""
    rows = list(Organization.objects.values_list("pk", "slug", "parent_id"))
    below: dict[str, set[int]] = {}
    for pk, slug, _ in rows:
        found, grew = {pk}, True
        while grew:
            more = {child for child, _, parent in rows if parent in found} - found
            found |= more
            grew = bool(more)
        below[slug] = found
    return below


class Oracle:
    """The documented reading of one query string, in plain querysets."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.divisions = divisions()
        self.published = Activity.objects.filter(status=PUBLISHED)
        self.active, self.ignored = self.valid_values(query.params)
        self.fiscal = self.active.get("calendar") == "fiscal"
        self.searched = query.terms is not None
        if self.searched:
            # The matches, once: the texts are the same whatever the filters.
            matches = list(searched(self.published, query.terms).values_list("pk", flat=True))
            self.published = self.published.filter(pk__in=matches)
        elif query.params.get("q", "").strip():
            self.ignored = True  # nothing to look for: ignored, and the page says so

    def with_partner(self, slug: str) -> QuerySet:
        return Activity.objects.filter(partners__in=self.divisions[slug]).values("pk")

    def valid_values(self, params: dict[str, str]) -> tuple[dict[str, object], bool]:
        """The parameters as the documented contract reads them, and whether
        any value was not valid (and so ignored)."""
        active: dict[str, object] = {}
        ignored = False
        for name, value in params.items():
            if value == "" or name == "q":
                continue
            ok = False
            if name == "year":
                ok = bool(re.fullmatch(r"-?\d+", value)) and 1 <= int(value) <= 9998
                value = int(value) if ok else value
            elif name == "calendar":
                ok = value == "fiscal"
            elif name == "partner":
                ok = (
                    value in self.divisions
                    and self.published.filter(pk__in=self.with_partner(value)).exists()
                )
            elif name == "partner_kind":
                ok = value in Organization.Kind.values
            elif name == "theme":
                ok = self.published.filter(themes__slug=value).exists()
            elif name == "kind":
                ok = value in Activity.Kind.values
            elif name == "country":
                ok = value.upper() in dict(countries)
                value = value.upper()
            if ok:
                active[name] = value
            else:
                ignored = True
        return active, ignored

    def filtered(self, *, leave_out: str = "") -> QuerySet:
        """The published activities (matching the search) under every active
        filter but ``leave_out``."""
        queryset = self.published
        for name, value in self.active.items():
            if name == leave_out:
                continue
            if name == "year":
                if self.fiscal:
                    span = (datetime.date(value, 4, 1), datetime.date(value + 1, 3, 31))
                    queryset = queryset.filter(start_date__range=span)
                else:
                    queryset = queryset.filter(start_date__year=value)
            elif name == "partner":
                queryset = queryset.filter(pk__in=self.with_partner(value))
            elif name == "partner_kind":
                queryset = queryset.filter(
                    pk__in=Activity.objects.filter(partners__kind=value).values("pk")
                )
            elif name == "theme":
                queryset = queryset.filter(
                    pk__in=Activity.objects.filter(themes__slug=value).values("pk")
                )
            elif name == "kind":
                queryset = queryset.filter(kind=value)
            elif name == "country":
                queryset = queryset.filter(
                    pk__in=Activity.objects.filter(venues__country=value).values("pk")
                )
        return queryset

    def counts(self, facet: str) -> dict[str, int]:
        """{value: number of activities} of one facet under the other filters."""
        base = self.filtered(leave_out=facet)
        if facet == "year":
            years = Counter(
                day.year - 1 if self.fiscal and day.month < 4 else day.year
                for day in base.values_list("start_date", flat=True)
            )
            return {str(year): n for year, n in years.items()}
        if facet == "partner":
            pairs = set(base.values_list("pk", "partners"))
            counts = {
                slug: len({pk for pk, partner in pairs if partner in below})
                for slug, below in self.divisions.items()
            }
            return {slug: n for slug, n in counts.items() if n}
        column = {
            "partner_kind": "partners__kind",
            "theme": "themes__slug",
            "kind": "kind",
            "country": "venues__country",
        }[facet]
        rows = base.values(column).annotate(n=Count("pk", distinct=True)).order_by()
        return {str(row[column]): row["n"] for row in rows if row[column] is not None}

    def expected(self) -> Expected:
        ids = list(self.filtered().order_by("-start_date", "-pk").values_list("pk", flat=True))
        counts, selected = {}, {}
        for facet in FACETS:
            found = self.counts(facet)
            offered = {value: n for value, n in found.items() if n}
            if facet in self.active:
                chosen = str(self.active[facet])
                offered[chosen] = found.get(chosen, 0)
                selected[facet] = chosen
            counts[facet] = offered
        return Expected(
            ids=ids,
            counts=counts,
            selected=selected,
            ignored=self.ignored,
            searched=self.searched,
        )


# -- what the page shows ---------------------------------------------------------

SELECT = re.compile(r'<select name="(\w+)" id="id_\w+">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>(.*?)</option>', re.S)
COUNTED = re.compile(r"\((\d+)\)$")
CARD = re.compile(r'<h3 class="card-title"><a href="/ja/activities/([^/"]+)/"')
TOTAL = re.compile(r'<p class="result-count" role="status">(\d+)件')
LINK = re.compile(r'<a rel="(next|prev)" href="([^"]*)"')


@dataclass
class Shown:
    slugs: list[str]
    counts: dict[str, dict[str, int]]
    selected: dict[str, str]
    total: int
    ignored: bool
    links: dict[str, str]


def shown(body: str) -> Shown:
    counts, selected = {}, {}
    for name, options in SELECT.findall(body):
        if name not in FACETS:
            continue
        counts[name] = {}
        for value, chosen, label in OPTION.findall(options):
            if value == "":
                continue
            value = html.unescape(value)
            counts[name][value] = int(COUNTED.search(label).group(1))
            if chosen:
                selected[name] = value
    total = TOTAL.search(body)
    assert total, "the page shows how many activities match"
    return Shown(
        slugs=CARD.findall(body),
        counts=counts,
        selected=selected,
        total=int(total.group(1)),
        ignored='class="notice"' in body,
        links={rel: html.unescape(href) for rel, href in LINK.findall(body)},
    )


def walk(client, query: Query) -> tuple[Shown, list[str], bool]:
    """The first page shown, and the slugs of every page in the archive's
    order, walked the way ``query.mode`` says; and whether the results were
    ranked."""
    params = dict(query.params)
    if query.mode == "newer":
        params["after"] = "0001-01-01.0"
    elif query.mode == "numbers":
        params["page"] = "1"
    # A query with empty fields leads, once, to the address of its chosen values.
    response = client.get(f"{URL}?{urlencode(params)}", follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) <= 1
    ranked = bool(response.context["ranked"])
    first = page = shown(response.content.decode())
    pages = [page.slugs]
    rel = "prev" if query.mode == "newer" and not ranked else "next"
    while rel in page.links:
        assert len(pages) < 100, "the pages end"
        response = client.get(URL + page.links[rel])
        assert response.status_code == 200
        page = shown(response.content.decode())
        assert page.total == first.total
        pages.append(page.slugs)
    for slugs in pages:
        assert len(slugs) <= query.page_size
        assert slugs or len(pages) == 1, "no empty page"
    if rel == "prev":
        pages.reverse()
    return first, [slug for slugs in pages for slug in slugs], ranked


# -- random queries --------------------------------------------------------------


def _terms(draw) -> list[Term]:
    """One to three groups of words (two OR-ed in some), ANDed, with perhaps a
    word left out; the left-out word never stands beside an OR."""
    word = st.one_of(
        st.sampled_from(JA_TERMS),
        st.builds(_width_and_case, st.sampled_from(EN_TERMS), st.integers(0, 2)),
        st.sampled_from(EN_PHRASES),
    )
    terms: list[Term] = []
    for _ in range(draw(st.integers(1, 3))):
        terms.append(Term(draw(word)))
        if draw(st.integers(0, 3)) == 0:
            terms.append(Term(draw(word), or_with_previous=True))
    for _ in range(draw(st.integers(0, 1))):
        at = draw(st.integers(0, len(terms)))
        while at < len(terms) and terms[at].or_with_previous:
            at += 1
        terms.insert(at, Term(draw(word), negated=True))
    return terms


def _q(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        if term.or_with_previous:
            parts.append("OR")
        parts.append(term.typed())
    return " ".join(parts)


@st.composite
def queries(draw, archive: Archive) -> Query:
    years = [str(y) for y in archive.years]
    values = {
        "year": st.one_of(
            st.sampled_from(years),
            st.sampled_from(["1999", "2031", "1", "9998", "0", "10000", "abc", "-1", ""]),
        ),
        "calendar": st.sampled_from(["fiscal", "fiscal", "fiscal", "lunar", ""]),
        "partner": st.sampled_from([*archive.org_slugs, "no-such-partner", ""]),
        "partner_kind": st.sampled_from([*Organization.Kind.values, "planet", ""]),
        "theme": st.sampled_from([*archive.theme_slugs, "no-such-theme", ""]),
        "kind": st.sampled_from([*Activity.Kind.values, "visit", ""]),
        "country": st.one_of(
            st.sampled_from(archive.countries),
            st.sampled_from(["FR", "de", "jp", "ZZ", "DEU", "276", ""]),
        ),
    }
    params = {
        name: draw(strategy, label=name)
        for name, strategy in values.items()
        if draw(st.integers(0, 9), label=f"with {name}") < 3
    }
    terms = None
    how = draw(st.integers(0, 9), label="search")
    if how < 3:
        terms = _terms(draw)
        params["q"] = _q(terms)
    elif how == 3:
        # Nothing to look for: only a word left out, punctuation, blanks.
        params["q"] = draw(st.sampled_from(["-環境", '-"水素"', "!!!", "   ", ""]))
    return Query(
        params=params,
        terms=terms,
        mode=draw(st.sampled_from(["older", "newer", "numbers"])),
        page_size=draw(st.sampled_from([3, 8, 25])),
        rank_limit=draw(st.sampled_from([0, 1000])),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_archive_equals_the_oracle(client, archive, data):
    query = data.draw(queries(archive), label="query")
    expected = Oracle(query).expected()
    with override_settings(ACTIVITIES_PER_PAGE=query.page_size, SEARCH_RANK_LIMIT=query.rank_limit):
        first, slugs, ranked = walk(client, query)
    listed = [archive.pk_of[slug] for slug in slugs]
    assert ranked == (expected.searched and len(expected.ids) <= query.rank_limit)
    if ranked:
        # Best match first, by the database's own score: the same activities.
        assert len(listed) == len(set(listed))
        assert sorted(listed) == sorted(expected.ids)
    else:
        assert listed == expected.ids
    assert first.total == len(expected.ids)
    assert first.counts == expected.counts
    assert first.selected == expected.selected
    assert first.ignored == expected.ignored
