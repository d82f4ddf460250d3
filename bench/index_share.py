"""The archive index shared through Redis (activities/facets.py), measured in a
process of its own: the build and its keeping in Redis, as the first process after
a change does, then its reading, as every other process does (each server's
workers); and the SQL each spends.

Run by bench/run.py with the environment of the server it measures, and
CITYTIES_REDIS_URL pointing at a Redis database of the bench's own (default
redis://127.0.0.1:6379/15, BENCH_REDIS_URL; the key it writes is deleted after).

Writes JSON: {"activities", "build_ms", "build_sql_ms", "read_ms", "read_sql_ms",
"megabytes"}.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from activities import facets  # noqa: E402


def timed() -> tuple[float, float]:
    """(ms in all, ms of SQL) of one process's first use of the index."""
    statements: list[float] = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(1000 * (time.perf_counter() - started))

    facets._index = None  # as a process that has not read it yet
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        facets.index()
        total = 1000 * (time.perf_counter() - started)
    return round(total, 1), round(sum(statements), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not os.environ.get("CITYTIES_REDIS_URL"):
        raise SystemExit("CITYTIES_REDIS_URL is not set: nothing is shared")
    cache.delete_many([facets.SHARED_KEY, facets.SHARED_GENERATION_KEY])
    try:
        build_ms, build_sql_ms = timed()
        kept = cache.get(facets.SHARED_KEY)
        if kept is None:
            raise SystemExit("the index was not kept in Redis")
        read_ms, read_sql_ms = timed()
        result = {
            "activities": len(kept[1].pks),
            "build_ms": build_ms,
            "build_sql_ms": build_sql_ms,
            "read_ms": read_ms,
            "read_sql_ms": read_sql_ms,
            "megabytes": round(len(pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)) / 1e6, 1),
        }
    finally:
        cache.delete_many([facets.SHARED_KEY, facets.SHARED_GENERATION_KEY])
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
