"""Caching of public pages for anonymous visitors, invalidated by a generation.

Every change to the archive's data bumps a generation number (signals.py);
cache keys carry it, so a change makes every cached page, choice list and
count stale at once, in every process:

- With Redis (CITYTIES_REDIS_URL: several processes or servers) the number
  lives in Redis, beside the pages.
- With Django's local-memory cache (the embedded default, one machine) each
  process keeps its own pages, so the number must be shared by other means: it
  is the modification time of a small file (CITYTIES_GENERATION_FILE), which
  every process on the machine reads with one stat() per request.

A page is cached only for a visitor without a session cookie, only when the
response is a plain 200 that sets no cookie and does not vary on Cookie, and
never for a staff preview (those are marked private).
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "cityties:generation"
_request_generation: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "cityties_generation", default=None
)


def _process_local() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _generation_file() -> Path:
    path = Path(settings.CITYTIES_GENERATION_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return path


def generation() -> str:
    """The current generation: read once per request while a public page is
    served (AnonymousPageCacheMiddleware), which changes nothing.

    Inside a transaction that has changed the archive and not yet committed, a
    generation of that transaction's own: what it renders from its uncommitted
    rows is kept under keys nobody else reads.
    """
    memo = _request_generation.get()
    committed = memo if memo is not None else _read_generation()
    pending = _pending(transaction.get_connection())
    return f"{committed}~{pending.token}.{pending.writes}" if pending else str(committed)


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


def _pending(connection) -> _Invalidation | None:
    """This connection's transaction's queued invalidation, if it has one."""
    if not connection.in_atomic_block:
        return None
    for _, func, _ in reversed(connection.run_on_commit):
        if isinstance(func, _Invalidation) and not func.done:
            return func
    return None


def invalidate_on_commit(using: str | None = None) -> None:
    """Move the generation on once the current transaction commits (once for
    the whole transaction); outside a transaction, at once."""
    pending = _pending(transaction.get_connection(using))
    if pending is None:
        pending = _Invalidation()
        transaction.on_commit(pending, using=using)
    pending.writes += 1


def _read_generation() -> int:
    if _process_local():
        return _generation_file().stat().st_mtime_ns
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A time-based start: after an eviction or a restart the new number
        # differs from every one used before.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


_current = generation


def _bump() -> None:
    _request_generation.set(None)
    if _process_local():
        path = _generation_file()
        # Strictly later than before, even within one clock tick.
        stamp = max(time.time_ns(), path.stat().st_mtime_ns + 1000)
        os.utime(path, ns=(stamp, stamp))
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def key(*parts: str, generation: int | None = None) -> str:
    """A cache key under the current generation (or the one given, when many
    keys are made at once)."""
    number = _current() if generation is None else generation
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"cityties:{number}:{digest}"


def is_anonymous(request: HttpRequest) -> bool:
    """Without a session cookie nobody is signed in, and reading ``request.user``
    (which marks the response as varying on Cookie) is not needed."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class AnonymousPageCacheMiddleware:
    """Serves repeated anonymous GETs of public pages from the cache."""

    HEADERS = ("Content-Type", "Content-Language", "Vary")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        # One read of the generation for the whole request (it is a Redis round
        # trip when Redis is configured); an anonymous GET changes no data.
        token = _request_generation.set(_read_generation())
        try:
            return self._serve(request)
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
        if self._cacheable_response(response):
            headers = {name: response[name] for name in self.HEADERS if name in response}
            cache.set(page_key, (response.content, headers), settings.CITYTIES_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.CITYTIES_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and is_anonymous(request)
            and any(request.path.startswith(f"/{code}/") for code, _ in settings.LANGUAGES)
        )

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "Cookie" not in response.get("Vary", "")
        )
