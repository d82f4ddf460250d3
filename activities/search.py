"""Full-text search over activities, in Japanese and English, on SQLite and
PostgreSQL alike.

Japanese has no spaces between words, so neither SQLite's nor PostgreSQL's
default parser finds 環境 inside 環境未来都市. Both the indexed document and the
query are therefore cut the same way: runs of Japanese or Chinese characters
into overlapping two-character tokens (イクレイ → イク クレ レイ), other words
as they are. A term of two characters or more becomes a phrase of its tokens,
so any substring of two characters or more is found.

Each activity keeps that token text in ``search_document`` (title, summary and
body in both languages, and the names of its partners, themes, venues, their
countries and people), katakana folded to hiragana in both,
rebuilt once per transaction that changes one of those, when it commits
(activities/changes.py says when; ``refresh_on_commit``). The database
indexes it:

- SQLite: an FTS5 table (unicode61 tokenizer) kept in step by triggers;
  ranked by bm25.
- PostgreSQL: a stored generated tsvector column (``simple`` configuration)
  with a GIN index; queried with to_tsquery, ranked by ts_rank.

Both are made by migration 0011, which holds their SQL.

The query language is the familiar web one on both: words are ANDed,
"quoted text" is a phrase, OR between terms, -term excludes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import BooleanField, F, FloatField, Lookup, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from activities import countries
from activities.models import Activity, SearchEntry
from activities.transactions import queued

# Hiragana, katakana (with ー), CJK ideographs and 々: written without spaces.
_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_QUERY_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10


def normalize(text: str) -> str:
    """Full-width and half-width forms alike, case-insensitive (ＩＣＬＥＩ = iclei),
    katakana as hiragana (イクレイ = いくれい), as the country search folds them."""
    return countries.fold(text)


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if _CJK_RUN.fullmatch(run) and len(run) > 1:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def document(*texts: str | None) -> str:
    """The indexed form of some texts: their tokens, space-separated."""
    return " ".join(" ".join(tokens(text)) for text in texts if text)


@dataclass(frozen=True)
class Term:
    text: str  # as the visitor typed it, for highlighting
    phrase: tuple[str, ...]  # its tokens
    negated: bool = False
    or_with_previous: bool = False


def parse(query: str) -> list[Term]:
    """Web search syntax: words ANDed, "phrases", OR, -exclusion.

    Terms that leave no token (punctuation alone) are dropped; so is everything
    past MAX_TERMS terms or MAX_QUERY_LENGTH characters.
    """
    terms: list[Term] = []
    pending_or = False
    for match in _QUERY_TERM.finditer(query[:MAX_QUERY_LENGTH]):
        negated_quoted, quoted, bare = match.groups()
        if bare == "OR":
            pending_or = bool(terms)
            continue
        negated = bool(negated_quoted) if bare is None else bare.startswith("-")
        text = quoted if bare is None else bare.lstrip("-")
        phrase = tuple(tokens(text or ""))
        if not phrase:
            continue
        terms.append(Term(text.strip(), phrase, negated, pending_or and not negated))
        pending_or = False
        if len(terms) == MAX_TERMS:
            break
    return terms


def _groups(terms: list[Term]) -> list[list[Term]]:
    """Positive terms in AND-ed groups of OR-ed terms."""
    groups: list[list[Term]] = []
    for term in terms:
        if term.negated:
            continue
        if term.or_with_previous and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
    return groups


def fts5_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression. Tokens are word characters only, so quoting
    them as phrases needs no escaping."""
    groups = _groups(terms)
    if not groups:
        return ""
    expr = " AND ".join(
        "(" + " OR ".join(f'"{" ".join(t.phrase)}"' for t in group) + ")" for group in groups
    )
    for term in terms:
        if term.negated:
            expr = f'({expr}) NOT "{" ".join(term.phrase)}"'
    return expr


def tsquery(terms: list[Term]) -> str:
    """The same query in to_tsquery syntax, its groups in parentheses as in
    fts5_query: websearch_to_tsquery has none, and binds AND tighter than OR,
    so that ``a OR b c`` would find ``a`` alone. Tokens are word characters
    only, so quoting them needs no escaping."""
    groups = _groups(terms)
    if not groups:
        return ""

    def phrase(term: Term) -> str:
        return " <-> ".join(f"'{token}'" for token in term.phrase)

    expr = " & ".join("(" + " | ".join(phrase(t) for t in group) + ")" for group in groups)
    for term in terms:
        if term.negated:
            expr += f" & !({phrase(term)})"
    return expr


def matching_ids(terms: list[Term]) -> RawSQL:
    """The ids of matching activities, as a subquery for ``pk__in``."""
    _read_own_writes()
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT id FROM activities_activity WHERE search_vector @@ to_tsquery('simple', %s)",
            [tsquery(terms)],
        )
    return RawSQL(
        "SELECT rowid FROM activities_activity_fts WHERE activities_activity_fts MATCH %s",
        [fts5_query(terms)],
    )


class Match(Lookup):
    """``search_document__match``: SQLite's FTS5 MATCH on the index's one column."""

    lookup_name = "match"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


SearchEntry._meta.get_field("search_document").register_lookup(Match)


def ranked(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    """Activities matching the terms, best first, then newest: the match and
    the rank in one pass.

    On SQLite the activities are joined to the FTS5 table (SearchEntry), which
    hands over its bm25 rank (lower is better) with each matching row; a rank
    looked up row by row would have FTS5 count each term's matches again for
    every row.
    """
    _read_own_writes()
    if connection.vendor == "postgresql":
        query = tsquery(terms)
        if not query:
            return queryset
        parsed = "to_tsquery('simple', %s)"
        matches = RawSQL(
            f"activities_activity.search_vector @@ {parsed}",
            [query],
            output_field=BooleanField(),
        )
        rank = RawSQL(
            f"ts_rank(activities_activity.search_vector, {parsed})",
            [query],
            output_field=FloatField(),
        )
        return queryset.filter(matches).annotate(rank=rank).order_by("-rank", "-start_date", "-id")
    query = fts5_query(terms)
    if not query:
        return queryset
    return (
        queryset.filter(search_entry__search_document__match=query)
        .annotate(rank=F("search_entry__rank"))
        .order_by("rank", "-start_date", "-id")
    )


def rebuild_if_stale(*, using: str = "default", sample: int = 20) -> bool:
    """After a migration: if the first activities' documents are not what the
    current rule makes of them (a release that indexes more, or folds text
    otherwise), rebuild every document. Returns whether it did."""
    ids = list(Activity.objects.using(using).order_by("pk").values_list("pk", flat=True)[:sample])
    if not ids:
        return False
    stored = dict(
        Activity.objects.using(using).filter(pk__in=ids).values_list("pk", "search_document")
    )
    current = {
        activity.pk: document_of(activity)
        for activity in Activity.objects.using(using)
        .filter(pk__in=ids)
        .prefetch_related("partners", "venues", "themes", "participants", "attendances")
    }
    if stored == current:
        return False
    refresh(Activity.objects.using(using).values_list("pk", flat=True), using=using)
    return True


def refresh(activity_ids, *, using: str = "default") -> None:
    """Rebuild the search documents of these activities now: a few queries and
    one UPDATE per 500 activities."""
    ids = list(activity_ids)
    for start in range(0, len(ids), 500):
        batch = list(
            Activity.objects.using(using)
            .filter(pk__in=ids[start : start + 500])
            .only(*(f"{f}_{lang}" for f in ("title", "summary", "body") for lang in ("ja", "en")))
            .prefetch_related("partners", "venues", "themes", "participants", "attendances")
        )
        for activity in batch:
            activity.search_document = document_of(activity)
        Activity.objects.using(using).bulk_update(batch, ["search_document"])


class _PendingDocuments:
    """The activities whose documents a transaction has made stale: rebuilt once,
    when it commits, or before the transaction itself searches."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.activities: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        self.flush()

    def flush(self) -> None:
        if self.activities:
            ids, self.activities = sorted(self.activities), set()
            with transaction.atomic(using=self.using):
                refresh(ids, using=self.using)


def refresh_on_commit(activity_ids, *, using: str | None = None) -> None:
    """Rebuild these activities' documents once the current transaction commits,
    each once however often it is asked in the transaction; outside a
    transaction, at once. Queued ahead of anything queued after it on commit
    (the cache's invalidation: activities/changes.py)."""
    using = using or DEFAULT_DB_ALIAS
    pending = queued(_PendingDocuments, using)
    if pending is not None:
        pending.activities.update(activity_ids)
        return
    pending = _PendingDocuments(using)
    pending.activities.update(activity_ids)
    # Robust: the change itself is committed whatever happens here; a failure is
    # logged, and ``manage.py rebuild_search_index`` rebuilds every document.
    # Outside a transaction this runs at once.
    transaction.on_commit(pending, using=using, robust=True)


def _read_own_writes() -> None:
    """Inside a transaction that has changed searchable text, bring its documents
    up to date before it searches: it finds what it wrote."""
    pending = queued(_PendingDocuments, DEFAULT_DB_ALIAS)
    if pending is not None:
        pending.flush()


def document_of(activity) -> str:
    texts: list[str | None] = []
    for name in ("title", "summary", "body"):
        texts += [getattr(activity, f"{name}_ja"), getattr(activity, f"{name}_en")]
    for org in activity.partners.all():
        texts += [org.name_ja, org.name_en, org.short_name_ja, org.short_name_en]
    for venue in activity.venues.all():
        texts += [venue.name_ja, venue.name_en, venue.city_ja, venue.city_en]
        if venue.country:
            # Its names in both languages, its reading and aliases (英国, UK...).
            texts += countries.search_text(str(venue.country.code)).split("|")
    for theme in activity.themes.all():
        texts += [theme.name_ja, theme.name_en]
    for person in activity.participants.all():
        texts += [person.name_ja, person.name_en]
    for attendance in activity.attendances.all():
        texts += [attendance.title_ja, attendance.title_en]
    return document(*texts)


def highlight(text: str, terms: list[Term], *, width: int = 120) -> SafeString:
    """An escaped excerpt of ``text`` around the first match, matches in <mark>.

    Without a match, the start of the text.
    """
    wanted = [t.text for t in terms if not t.negated and t.text]
    if not text:
        return mark_safe("")
    pattern = (
        re.compile("|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)), re.I)
        if wanted
        else None
    )
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = first.start() - width // 3
    excerpt = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    if pattern is None:
        return mark_safe(prefix + escape(excerpt) + suffix)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(excerpt[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)
