"""Caching of public pages for anonymous visitors, invalidated by a generation.

Every committed change to the archive's data moves the generation on
(activities/changes.py); cache keys carry it, so a change makes every cached
page, fragment, count and archive index stale at once, in every process:

- With a shared cache (Redis: several processes or servers) the generation is
  a random token in the database (CacheGeneration), read once per request. It
  is not kept in Redis: a change committed while Redis was unreachable must
  still leave nothing stale behind when Redis is back.
- With Django's local-memory cache (the embedded default, one machine) it is
  the modification time of a small file (CITYTIES_GENERATION_FILE), which every
  process on the machine reads with one stat() per request.

A transaction that has changed the archive reads, until it commits, through a
generation of its own (``generation()``): nothing it renders from rows nobody
else can see yet is served to anyone else.

The cache is bounded: every key expires (CITYTIES_PAGE_CACHE_SECONDS for pages,
CITYTIES_FRAGMENT_CACHE_SECONDS for the rest); what visitors' requests add
(pages, counts and options per filter state, search matches) is capped per
generation at CITYTIES_CACHE_VISITOR_ENTRIES; activity cards and galleries, at
most two per activity and language, are bounded by the archive itself.

A page is cached only for a visitor without a session cookie, only when every
query parameter is one its view reads (``query_parameters`` on the view class),
only when the response is a plain 200 that sets no cookie and does not vary on
Cookie, and never for a staff preview (those are marked private).
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from activities.models import CacheGeneration
from activities.transactions import queued

_request_generation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "cityties_generation", default=None
)


def process_local() -> bool:
    """Whether the cache is this process's own (no Redis): nothing in it is shared."""
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


# -- the generation ---------------------------------------------------------------


def generation() -> str:
    """The current generation: read once per request while a public page is
    served (AnonymousPageCacheMiddleware), which changes nothing; read anew
    on every call elsewhere.

    Inside a transaction that has changed the archive and not yet committed, a
    generation of that transaction's own: what it renders from its uncommitted
    rows is kept under keys nobody else reads.
    """
    memo = _request_generation.get()
    committed = memo if memo is not None else _read_generation()
    pending = queued(_Invalidation)
    return f"{committed}~{pending.token}.{pending.writes}" if pending else committed


class _Invalidation:
    """Queued once per transaction that changes the archive: on commit, the
    generation moves on."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(4)
        self.writes = 0
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _bump()


def invalidate_on_commit(using: str | None = None) -> None:
    """Move the generation on once the current transaction commits (once for
    the whole transaction); outside a transaction, at once."""
    pending = queued(_Invalidation, using)
    if pending is None:
        pending = _Invalidation()
        # Robust: the change is committed whatever happens here; a failure is
        # logged, and the next change moves the generation on.
        transaction.on_commit(pending, using=using, robust=True)
    pending.writes += 1


def _read_generation() -> str:
    if process_local():
        return str(_generation_file().stat().st_mtime_ns)
    table = connection.ops.quote_name(CacheGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        # A new database, or one just restored: a token no cache has seen.
        CacheGeneration.objects.bulk_create(
            [CacheGeneration(pk=1, token=secrets.token_hex(16))], ignore_conflicts=True
        )
        return CacheGeneration.objects.values_list("token", flat=True).get(pk=1)
    return row[0]


def _generation_file() -> Path:
    path = Path(settings.CITYTIES_GENERATION_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return path


def _bump() -> None:
    _request_generation.set(None)
    if process_local():
        path = _generation_file()
        # Strictly later than before, even within one clock tick.
        stamp = max(time.time_ns(), path.stat().st_mtime_ns + 1000)
        os.utime(path, ns=(stamp, stamp))
        return
    CacheGeneration.objects.bulk_create(
        [CacheGeneration(pk=1, token=secrets.token_hex(16))],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["token"],
    )


# -- keys and what is kept under them ----------------------------------------------


def key(*parts: str, generation: str | None = None) -> str:
    """A cache key under the current generation (or the one given, when many
    keys are made at once)."""
    number = _current() if generation is None else generation
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"cityties:{number}:{digest}"


_current = generation


def keep(key: str, value: Any, *, visitor: bool = False, seconds: int | None = None) -> None:
    """Store ``value`` for the fragment lifetime (or ``seconds``). A ``visitor``
    entry — one whose key a visitor's query string chooses — is stored only
    while this generation has room for it (CITYTIES_CACHE_VISITOR_ENTRIES)."""
    if visitor and not _room_for_one_more():
        return
    cache.set(key, value, seconds or settings.CITYTIES_FRAGMENT_CACHE_SECONDS)


def keep_many(values: dict[str, Any]) -> None:
    """Store fragments that are bounded by the archive itself (cards)."""
    if values:
        cache.set_many(values, settings.CITYTIES_FRAGMENT_CACHE_SECONDS)


def _room_for_one_more() -> bool:
    counter = key("visitor-entries")
    try:
        stored = cache.incr(counter)
    except ValueError:  # the first this generation (or its counter expired)
        cache.add(counter, 0, settings.CITYTIES_FRAGMENT_CACHE_SECONDS)
        try:
            stored = cache.incr(counter)
        except ValueError:  # the cache is unreachable: nothing is stored anyway
            return False
    return stored <= settings.CITYTIES_CACHE_VISITOR_ENTRIES


def is_anonymous(request: HttpRequest) -> bool:
    """Without a session cookie nobody is signed in, and reading ``request.user``
    (which marks the response as varying on Cookie) is not needed."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


# -- whole pages ------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serves repeated anonymous GETs of public pages from the cache; reads the
    generation once for any read of a public page, signed in or not."""

    HEADERS = ("Content-Type", "Content-Language", "Vary")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._public_read(request):
            return self.get_response(request)
        # One read of the generation for the whole request (a query when the
        # cache is shared): reading a public page changes no data.
        token = _request_generation.set(_read_generation())
        try:
            if self._cacheable_request(request):
                return self._serve(request)
            return self.get_response(request)
        finally:
            _request_generation.reset(token)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        page_key = key("page", request.get_host(), request.get_full_path())
        hit = cache.get(page_key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            headers = {name: response[name] for name in self.HEADERS if name in response}
            keep(
                page_key,
                (response.content, headers),
                visitor=True,
                seconds=settings.CITYTIES_PAGE_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def _public_read(request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and any(
            request.path.startswith(f"/{code}/") for code, _ in settings.LANGUAGES
        )

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return settings.CITYTIES_PAGE_CACHE and is_anonymous(request)

    @staticmethod
    def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "Cookie" not in response.get("Vary", "")
            and set(request.GET) <= set(_query_parameters(request))
        )


def _query_parameters(request: HttpRequest) -> Iterable[str]:
    """The query parameters the view that answered reads: a page asked for with
    any other is not kept (``?utm_source=…`` would otherwise fill the cache)."""
    match = request.resolver_match
    if match is None:
        return ()
    # A class-based view's class; a feed is its own view.
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "query_parameters", ())
