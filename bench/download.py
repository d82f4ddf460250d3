"""The whole archive's CSV download, measured in a process of its own: how long
it takes to write, and how much memory it needs beyond the process's own.

Run by bench/run.py with the environment of the server it measures (DATABASE_URL
of a seeded bench database, DEBUG off). The process first serves a small download
(one year of the archive), so that Django, its caches and the database driver are
loaded; the peak resident memory after it is the baseline. Then the whole
archive's CSV is read to its end through Django's test client, chunk by chunk as
a browser would receive it, and nothing of it is kept. A download held whole in
memory would show here as a peak growing with the archive.

Writes JSON: {"path", "activities", "bytes", "seconds", "baseline_mb", "peak_mb",
"growth_mb"}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from activities.models import Activity  # noqa: E402

HOST = "127.0.0.1"
PATH = "/ja/activities/export.csv"


def peak_mb() -> float:
    # Linux gives ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read(client: Client, path: str) -> int:
    """Reads a download to its end, keeping nothing; its size in bytes."""
    response = client.get(path, headers={"host": HOST})
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"{path}: HTTP {response.status_code}, streamed: {response.streaming}")
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    client = Client()
    first = (
        Activity.objects.published().order_by("start_date").values_list("start_date", flat=True)[:1]
    )
    read(client, f"{PATH}?year={first[0].year}" if first else PATH)
    baseline = peak_mb()
    started = time.perf_counter()
    size = read(client, PATH)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    result = {
        "path": PATH,
        "activities": Activity.objects.published().count(),
        "bytes": size,
        "seconds": round(seconds, 2),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak, 1),
        "growth_mb": round(peak - baseline, 1),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
