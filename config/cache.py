"""The shared cache: Django's Redis backend, except that Redis trouble is not an outage.

While Redis cannot be reached, every read is a miss and every write is dropped,
so pages are served uncached and correct (the cache generation lives in the
database: activities/cache.py). After a failure the process leaves Redis alone
for CITYTIES_REDIS_RETRY_SECONDS rather than wait out a timeout on every
request, then tries again. One WARNING is logged when Redis is lost and one
INFO line when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("cityties.cache")

T = TypeVar("T")


class _Outage:
    """Whether this process has given up on Redis for now (shared by the
    process's threads)."""

    def __init__(self) -> None:
        self.until = 0.0
        self.lock = threading.Lock()

    def waiting(self) -> bool:
        return time.monotonic() < self.until

    def failed(self, error: Exception, retry_seconds: float) -> None:
        with self.lock:
            first = self.until == 0.0
            self.until = time.monotonic() + retry_seconds
        if first:
            logger.warning(
                "cache unavailable, serving uncached: %s: %s", type(error).__name__, error
            )

    def succeeded(self) -> None:
        if self.until:
            with self.lock:
                was_down, self.until = self.until != 0.0, 0.0
            if was_down:
                logger.info("cache available again")


_outage = _Outage()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})

    def _call(self, default: T, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if _outage.waiting():
            return default
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            _outage.failed(error, self.retry_seconds)
            return default
        _outage.succeeded()
        return result

    def is_available(self) -> bool:
        """Whether Redis answers now (a PING, whatever the process thought)."""
        try:
            # RedisCache._cache, Django's client, is missing from django-stubs.
            self._cache.get_client(write=False).ping()  # type: ignore[attr-defined]
        except RedisError as error:
            _outage.failed(error, self.retry_seconds)
            return False
        _outage.succeeded()
        return True

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call([], super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        # A missing key is still a ValueError, as the cache API says; an
        # unreachable Redis counts nothing.
        return self._call(0, super().incr, key, delta, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._call(None, super().delete_many, keys, version)

    def clear(self):
        # Django's RedisCache.clear() returns a bool; django-stubs says None.
        return self._call(False, super().clear)  # type: ignore[arg-type]
