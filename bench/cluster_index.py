"""The archive index after an edit, with two app servers: `make cluster`
(bench/cluster.py: nginx, two gunicorns with their workers, one Redis) serving the
bench's PostgreSQL database as it is, one activity saved, then visitors through
nginx (and straight to each server) until every worker has served the archive
again. Each worker logs whether
it built the index or read it from Redis (activities/facets.py): per edit, one
build in the whole cluster, and a read by every other worker.

Run by bench/run.py with the environment of the database it measures; the
cluster's ports are CLUSTER_PORT (8110 here) to +3, its Redis the bench's.

Writes JSON: {"workers", "built", "read", "build_ms", "read_ms_each", "seconds",
"worker_rss_mb_median", "worker_rss_mb_max"}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from cluster import wait_for  # noqa: E402  (make cluster's own)

PYTHON = sys.executable
BUILT = "archive index built"
READ = "archive index read from the shared cache"
EDIT = """
from activities.models import Activity
activity = Activity.objects.published().order_by("pk").first()
activity.save()  # a staff member's save: what follows every change follows it
"""


def entries(logs: list[Path], offsets: dict[Path, int]) -> list[dict]:
    """The JSON log lines written since ``offsets``."""
    found = []
    for path in logs:
        with path.open("rb") as file:
            file.seek(offsets.get(path, 0))
            for line in file.read().decode(errors="replace").splitlines():
                if line.startswith("{"):
                    try:
                        found.append(json.loads(line))
                    except ValueError:
                        continue
    return found


def worker_pids(logs: list[Path], offsets: dict[Path, int]) -> list[int]:
    """The gunicorn workers booted since ``offsets``, by the line each logs."""
    pids = []
    for path in logs:
        text = path.read_bytes()[offsets.get(path, 0) :].decode(errors="replace")
        pids += [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", text)]
    return pids


def resident_mb(pid: int) -> float | None:
    """A process's resident memory, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(found.group(1)) / 1024, 1) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    port = int(os.environ.setdefault("CLUSTER_PORT", "8110"))
    os.environ["CLUSTER_DATABASE_URL"] = os.environ["DATABASE_URL"]
    os.environ["CLUSTER_REDIS_URL"] = os.environ["CITYTIES_REDIS_URL"]
    os.environ["DJANGO_LOG_LEVEL"] = "INFO"
    folder = ROOT / "var" / "cluster"
    folder.mkdir(parents=True, exist_ok=True)
    logs = [folder / f"gunicorn-{port + n}.log" for n in (1, 2)]
    offsets = {path: path.stat().st_size if path.exists() else 0 for path in logs}
    cluster = subprocess.Popen(
        [PYTHON, "bench/cluster.py", "--as-is"], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", 600)
        pids = worker_pids(logs, offsets)
        workers = len(pids)
        env = {**os.environ, "DJANGO_DEBUG": "0"}
        subprocess.run([PYTHON, "manage.py", "shell", "-c", EDIT], cwd=ROOT, env=env, check=True)
        edited = {path: path.stat().st_size for path in logs}
        started = time.monotonic()
        stop = threading.Event()

        def visitor(number: int) -> None:
            # Through nginx, and straight to each server as well: nginx keeps its
            # connections to a few workers, and every worker is to be reached.
            n = number
            while not stop.is_set():
                to = port + n % 3
                url = f"http://127.0.0.1:{to}/ja/activities/?year={1990 + n % 35}&page={n}"
                try:
                    urllib.request.urlopen(url, timeout=60).read()
                except (urllib.error.HTTPError, OSError):
                    pass
                n += 16

        visitors = [threading.Thread(target=visitor, args=(n,)) for n in range(16)]
        for thread in visitors:
            thread.start()
        # Until every worker has needed the index, or none has for 20 s (the kernel
        # hands new connections to workers unevenly; some may get none at all).
        deadline, seen, last = started + 120, 0, time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - last < 20:
            used = [e for e in entries(logs, edited) if e.get("message") in (BUILT, READ)]
            if len(used) >= workers:
                break
            if len(used) > seen:
                seen, last = len(used), time.monotonic()
            time.sleep(0.5)
        stop.set()
        for thread in visitors:
            thread.join(70)
        seconds = round(time.monotonic() - started, 1)
        memory = sorted(mb for mb in map(resident_mb, pids) if mb is not None)
    finally:
        cluster.send_signal(signal.SIGTERM)
        cluster.wait(120)
    used = [e for e in entries(logs, edited) if e.get("message") in (BUILT, READ)]
    built = [e for e in used if e["message"] == BUILT]
    read = [e for e in used if e["message"] == READ]
    result = {
        "workers": workers,
        "built": len(built),
        "read": len(read),
        "build_ms": sum(e.get("ms", 0) for e in built),
        "read_ms_each": round(sum(e.get("ms", 0) for e in read) / max(1, len(read)), 1),
        "seconds": seconds,
        # Each worker's resident memory once it has served the archive: the sizing.
        "worker_rss_mb_median": memory[len(memory) // 2] if memory else None,
        "worker_rss_mb_max": memory[-1] if memory else None,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
