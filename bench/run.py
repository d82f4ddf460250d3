"""`make bench`: the public pages' throughput and latency, side by side with
/healthz, on a seeded archive of N activities, on SQLite and on PostgreSQL.

For each database: create it if missing (recreate it when it holds another seed),
migrate, seed N activities (bench/seed.py; skipped when already seeded), find
the URLs and count each page's queries and SQL time in-process (bench/probe.py),
serve with gunicorn and the production configuration on 127.0.0.1, then load
each page with wrk for a fixed time and a fixed number of connections. Prints a table and writes
bench/results/latest.json and a timestamped copy.

Everything runs on this machine: the server binds 127.0.0.1, the load goes to
127.0.0.1, and every step has a time limit. The server is stopped at the end,
on an error or on Ctrl-C as well.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
HOST = "127.0.0.1"
SQLITE_PATH = DATA / "bench.sqlite3"
# A Redis database of the bench's own, for the shared index's figures.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cityties_bench"
)

# The targets this issue set, for the summary under the table (figures, not tests).
TARGET_PCT = {"archive page 1": 10, "filtered": 10, "detail, 12 photos": 12, "cached hit": 70}
TARGET_DEEP_OF_PAGE1 = 50
TARGET_QUERIES = 8
TARGET_SQL_MS = 5.0
TARGET_RARE_SQL_MS = 1.0
TARGET_P99_OVER_P50 = 2.0


class Stop(Exception):
    """SIGTERM: leave through the same clean-up as Ctrl-C."""


@dataclass
class Database:
    name: str  # sqlite | postgresql
    url: str


def log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def django_env(db: Database, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: production settings (DEBUG off, https redirect
    off for plain http on loopback), a throwaway key, the bench database."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_MEDIA_ROOT": str(DATA / "media"),
            # The bench's own: a server of the same checkout must not invalidate
            # (or be invalidated by) the bench's cached pages.
            "CITYTIES_GENERATION_FILE": str(DATA / "cache-generation"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage(
    db: Database, *args: str, timeout: float, check: bool = True, quiet: bool = False
) -> int:
    return run_python(db, "manage.py", *args, timeout=timeout, check=check, quiet=quiet)


def seed(db: Database, *args: str, timeout: float, check: bool = True, quiet: bool = False) -> int:
    """bench/seed.py, with the project's settings and the bench database."""
    return run_python(db, "bench/seed.py", *args, timeout=timeout, check=check, quiet=quiet)


def run_python(
    db: Database, script: str, *args: str, timeout: float, check: bool, quiet: bool
) -> int:
    result = subprocess.run(
        [PYTHON, script, *args],
        cwd=ROOT,
        env=django_env(db),
        timeout=timeout,
        capture_output=quiet,
    )
    if check and result.returncode:
        raise RuntimeError(f"{script} {' '.join(args)} failed ({result.returncode})")
    return result.returncode


# -- the databases ------------------------------------------------------------------


def postgres_admin(url: str):
    """A connection to the server's maintenance database; the bench database's name.

    A local server that is not running is started as CI starts it (.ci/run)."""
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)

    def connect():
        return psycopg2.connect(
            host=cfg["HOST"] or HOST,
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        )

    try:
        conn = connect()
    except psycopg2.OperationalError:
        clusters = Path("/etc/postgresql")
        if not (shutil.which("pg_ctlcluster") and clusters.is_dir()):
            raise
        version = sorted(p.name for p in clusters.iterdir())[0]
        log(f"starting PostgreSQL {version}")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            timeout=60,
            check=False,
        )
        for _ in range(30):
            with contextlib.suppress(psycopg2.OperationalError):
                conn = connect()
                break
            time.sleep(1)
        else:
            raise RuntimeError(f"PostgreSQL is not reachable at {url}") from None
    conn.autocommit = True
    return conn, cfg["NAME"]


def create_database(db: Database, *, fresh: bool) -> None:
    if db.name == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    from psycopg2 import sql

    conn, name = postgres_admin(db.url)
    try:
        with conn.cursor() as cursor:
            if fresh:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def analyze(db: Database) -> None:
    """What autovacuum does to a live database: statistics for the planner and a
    visibility map, so the plans are those of production rather than of a table
    written a moment ago. (SQLite gets nothing: Django never runs ANALYZE there.)"""
    if db.name != "postgresql":
        return
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(db.url)
    conn = psycopg2.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname=cfg["NAME"],
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        conn.close()


def prepare(db: Database, n: int) -> dict:
    """A migrated database holding the seed for N; its manifest."""
    manifest_path = DATA / f"manifest-{db.name}.json"
    create_database(db, fresh=False)
    seeded = seed(db, "--n", str(n), "--check", timeout=120, check=False, quiet=True) == 0
    if not seeded:
        log(f"[{db.name}] a fresh database for N={n:,}")
        create_database(db, fresh=True)
    manage(db, "migrate", "--noinput", "-v", "0", timeout=900)
    started = time.monotonic()
    seed(db, "--n", str(n), "--manifest", str(manifest_path), timeout=3600)
    manifest = json.loads(manifest_path.read_text())
    if not seeded:
        manifest["seed_wall_seconds"] = round(time.monotonic() - started, 1)
        analyze(db)
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


# -- the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int) -> tuple[list[str], str]:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    bind = ["--bind", f"{HOST}:{port}"]  # on the command line: it wins over the file
    if GUNICORN_CONF.exists():
        return (
            [gunicorn, "--config", str(GUNICORN_CONF), *bind, "config.wsgi:application"],
            f"gunicorn --config {GUNICORN_CONF.relative_to(ROOT)}",
        )
    # No production configuration in the project yet: gunicorn's usual sizing.
    workers = os.environ.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)
    return (
        [gunicorn, "--workers", workers, *bind, "config.wsgi:application"],
        f"gunicorn --workers {workers} (no config/gunicorn.conf.py yet)",
    )


@contextlib.contextmanager
def server(db: Database, log_path: Path):
    port = free_port()
    command, described = gunicorn_command(port)
    env = django_env(db, {"HOST": HOST, "PORT": str(port)})
    with log_path.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
            with contextlib.suppress(OSError):
                if fetch(port, "/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log_path}")
            time.sleep(0.3)
        # Each worker builds the archive's index before it serves (the gunicorn
        # configuration's post_worker_init): measure once every one has, all
        # of them booted (WEB_CONCURRENCY, else the configuration's 2 x cores + 1).
        expected = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
        while True:
            text = log_path.read_text(errors="replace")
            booted, ready = text.count("Booting worker"), text.count("archive index ready")
            if "could not build the archive index" in text:
                break
            if ready >= max(booted, expected) or not GUNICORN_CONF.exists():
                break
            if time.monotonic() > deadline + 120:
                raise RuntimeError(f"{booted - ready} workers never got ready; see {log_path}")
            time.sleep(0.3)
        log(f"[{db.name}] {described}, on http://{HOST}:{port}/")
        yield port
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # gunicorn's graceful shutdown
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def drain(log_path: Path, *, quiet: float = 1.0, limit: float = 45.0) -> None:
    """Wait until the server has finished what wrk left in flight: when wrk stops,
    the requests it was waiting for still run, and would slow the next measurement.
    Idle is the access log not growing for ``quiet`` seconds (gunicorn's own
    timeout bounds any request to 30 s)."""
    deadline = time.monotonic() + limit + quiet
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        current = log_path.stat().st_size if log_path.exists() else 0
        if current != size:
            size, since = current, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)


def warm_workers(port: int, page: dict, *, count: int, concurrency: int) -> None:
    """Every worker process has its own cache (Django's local-memory cache, unless
    Redis is configured), and wrk's kept-alive connections stay with the workers
    that accepted them: ``count`` requests on fresh connections, so that each
    worker has served the page before the measurement."""
    paths = page["paths"] or [page["path"]]
    nonce = secrets.token_hex(4)

    def one(number: int) -> None:
        path = paths[number % len(paths)]
        if page["mode"] != "plain":
            path += ("&" if "?" in path else "?") + f"_bench=warm-{nonce}-{number}"
        with contextlib.suppress(OSError):
            fetch(port, path)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(count)))


def settle(result: dict) -> float:
    """How long the server's log must be quiet before it counts as idle: longer
    than a request of the page just loaded takes (its p99), 1 to 30 s."""
    if not result.get("requests"):
        return 30.0  # none finished: each takes longer than the run
    return min(30.0, max(1.0, 1.2 * (result.get("p99_ms") or 0) / 1000))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- the load -----------------------------------------------------------------------


def wrk(port: int, page: dict, seconds: float, connections: int, threads: int) -> dict:
    """wrk on one page for ``seconds``; requests/s, latency percentiles, errors."""
    script = ["-s", str(BENCH / "wrk.lua")]
    url = f"http://{HOST}:{port}{page['path']}"
    nonce = secrets.token_hex(4)
    args = [page["mode"], nonce]
    if page["mode"] == "rotate":
        paths_file = DATA / "rotate-paths.txt"
        paths_file.write_text("\n".join(page["paths"]) + "\n")
        args += [str(paths_file), str(threads)]
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds:g}s",
        "--timeout=30s",
        "--latency",
        *script,
        url,
        "--",
        *args,
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    return parse_wrk(out)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(out: str) -> dict:
    def latency(percent: str) -> float | None:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
        return round(float(match.group(1)) * UNITS_MS[match.group(2)], 2) if match else None

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", out, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": round(float(rps.group(1)), 1) if rps else None,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(total.group(1)) if total else 0,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(g) for g in sockets.groups()) if sockets else 0),
    }


# -- one database, all pages ----------------------------------------------------------


def measure_in_process(
    db: Database, script: str, *args: str, timeout: float, env: dict[str, str] | None = None
) -> dict:
    """Runs bench/<script>.py with the server's environment; the JSON it writes."""
    out = DATA / f"{script}-{db.name}.json"
    subprocess.run(
        [PYTHON, str(BENCH / f"{script}.py"), *args, "--out", str(out)],
        cwd=ROOT,
        env=django_env(db, env),
        timeout=timeout,
        check=True,
    )
    return json.loads(out.read_text())


def bench_database(db: Database, args: argparse.Namespace) -> list[dict]:
    log(f"\n== {db.name}: {db.url}")
    manifest = prepare(db, args.n)
    seeded = manifest.get("seed_wall_seconds")
    log(
        f"[{db.name}] {manifest['n']:,} activities"
        + (f", seeded in {seeded} s" if seeded else f" (seeded {manifest.get('seeded_at')})")
        + f"; search index: {manifest.get('search_index')}"
    )
    log(f"[{db.name}] counting queries and timing SQL in-process (bench/probe.py)")
    probed = measure_in_process(
        db,
        "probe",
        "--manifest",
        str(DATA / f"manifest-{db.name}.json"),
        "--sweep-seconds",
        str(args.sweep_seconds),
        timeout=args.sweep_seconds + 900,
    )
    log(f"[{db.name}] the whole archive's CSV download, in a process of its own")
    downloaded = measure_in_process(db, "download", timeout=1800)
    log(f"[{db.name}] the archive index shared through Redis ({REDIS_URL})")
    shared = measure_in_process(
        db, "index_share", timeout=900, env={"CITYTIES_REDIS_URL": REDIS_URL}
    )
    per_edit = None
    if db.name == "postgresql":  # two servers share one database: PostgreSQL's
        log(f"[{db.name}] the index after an edit, with two servers (bench/cluster_index.py)")
        per_edit = measure_in_process(
            db, "cluster_index", timeout=900, env={"CITYTIES_REDIS_URL": REDIS_URL}
        )
    rows: list[dict] = []
    server_log = DATA / f"gunicorn-{db.name}.log"
    with server(db, server_log) as port:
        workers = max(1, server_log.read_text(errors="replace").count("Booting worker"))
        for page in probed["pages"]:
            status = fetch(port, page["paths"][0] if page["paths"] else page["path"])[0]
            row = {
                "page": page["name"],
                "db": db.name,
                "url": page["path"],
                "queries": page["queries"],
                "max_sql_ms": page["max_sql_ms"],
                "total_sql_ms": page["total_sql_ms"],
                "slowest_sql": page["slowest_sql"],
                "queries_warm": page["queries_warm"],
                "total_sql_ms_warm": page["total_sql_ms_warm"],
                "view_ms_warm": page["view_ms_warm"],
                "note": page["note"],
            }
            if status != 200:
                log(f"[{db.name}] {page['name']}: HTTP {status} over HTTP; not measured")
                rows.append({**row, "rps": None, "p50_ms": None, "p99_ms": None})
                continue
            drain(server_log)
            load_before = os.getloadavg()[0]
            # Warm-up: every worker has run the page (and filled its cache for the
            # cached hit) before the measured run.
            warm_workers(port, page, count=6 * workers, concurrency=args.connections)
            warm = wrk(port, page, args.warmup, args.connections, args.threads)
            drain(server_log, quiet=settle(warm))
            measured = wrk(port, page, args.seconds, args.connections, args.threads)
            drain(server_log, quiet=settle(measured))
            rows.append({**row, **measured, "load_before": round(load_before, 2)})
            log(
                f"[{db.name}] {page['name']:<22} {measured['rps'] or 0:>8.1f} req/s  "
                f"p50 {measured['p50_ms']} ms  p99 {measured['p99_ms']} ms"
                + (f"  ({measured['errors']} errors)" if measured["errors"] else "")
            )
    healthz = next((r["rps"] for r in rows if r["page"] == "healthz"), None)
    for row in rows:
        row["pct_of_healthz"] = (
            round(100 * row["rps"] / healthz, 1) if row.get("rps") and healthz else None
        )
        row["n"] = args.n
        row["seconds"] = args.seconds
        row["connections"] = args.connections

    def unloaded(page: str, **figures) -> dict:
        """A row measured in-process only: no load, so no throughput or latency."""
        return {
            "page": page,
            "db": db.name,
            "url": None,
            "rps": None,
            "pct_of_healthz": None,
            "p50_ms": None,
            "p99_ms": None,
            "n": args.n,
            **figures,
        }

    if probed.get("index_build"):
        built = probed["index_build"]
        rows.append(
            unloaded(
                "index build (once a change)",
                queries=built["queries"],
                max_sql_ms=built["sql_ms"],
                total_ms=built["total_ms"],
                note=f"the in-memory index of {built['activities']:,} activities and "
                f"{built['values']} values of filters and mapped venues (activities/facets.py), "
                f"built by each process on its first request after a change: "
                f"{built['total_ms']} ms in all, {built['sql_ms']} ms of it SQL",
            )
        )
    rows.append(
        unloaded(
            "CSV download (whole archive)",
            url=downloaded["path"],
            total_ms=round(downloaded["seconds"] * 1000),
            peak_mb=downloaded["growth_mb"],
            note=f"{downloaded['activities']:,} activities, "
            f"{downloaded['bytes'] / 1e6:.1f} MB in {downloaded['seconds']} s; the "
            f"process's peak memory {downloaded['peak_mb']} MB, "
            f"{downloaded['growth_mb']} MB above its peak before the download "
            f"(bench/download.py)",
        )
    )
    rows.append(
        unloaded(
            "index read from Redis",
            total_ms=shared["read_ms"],
            max_sql_ms=shared["read_sql_ms"],
            note=f"with Redis, after a change one process builds the index and keeps it "
            f"there ({shared['build_ms']} ms, {shared['build_sql_ms']} ms of it SQL, "
            f"{shared['megabytes']} MB); every other process, on any server, reads it: "
            f"{shared['read_ms']} ms, {shared['read_sql_ms']} ms of SQL (bench/index_share.py)",
        )
    )
    if per_edit:
        rows.append(
            unloaded(
                "index per edit, 2 servers",
                total_ms=per_edit["build_ms"],
                note=f"make cluster (nginx, 2 gunicorns, {per_edit['workers']} workers, one "
                f"Redis) on this database, one activity saved, then visitors: "
                f"{per_edit['built']} build in the cluster ({per_edit['build_ms']} ms), "
                f"{per_edit['read']} workers read it from Redis "
                f"({per_edit['read_ms_each']} ms each); "
                f"{per_edit['built'] + per_edit['read']} of {per_edit['workers']} workers "
                f"served the archive in {per_edit['seconds']} s; a worker's resident memory "
                f"{per_edit['worker_rss_mb_median']} MB (median), at most "
                f"{per_edit['worker_rss_mb_max']} MB (bench/cluster_index.py)",
            )
        )
    if probed.get("sweep"):
        swept = probed["sweep"]
        worst = swept["slowest"][0] if swept["slowest"] else {}
        rows.append(
            unloaded(
                f"filter sweep ({swept['swept']} of {swept['urls']} URLs)",
                url=worst.get("url"),
                queries=swept["max_queries"],
                max_sql_ms=worst.get("max_sql_ms"),
                slowest_sql=worst.get("slowest_sql", ""),
                note="every single filter value on an empty cache; the slowest shown"
                + (f"; errors on {len(swept['errors'])} URLs" if swept["errors"] else ""),
            )
        )
    return rows


# -- the report -----------------------------------------------------------------------

COLUMNS = (
    ("page", "page", "<30"),
    ("db", "db", "<10"),
    ("rps", "req/s", ">8"),
    ("pct_of_healthz", "% healthz", ">9"),
    ("p50_ms", "p50 ms", ">8"),
    ("p99_ms", "p99 ms", ">8"),
    ("queries", "queries", ">7"),
    ("max_sql_ms", "max SQL ms", ">10"),
)


WARM_COLUMNS = (
    ("page", "page", "<30"),
    ("db", "db", "<10"),
    ("queries_warm", "queries", ">7"),
    ("total_sql_ms_warm", "SQL ms", ">8"),
    ("view_ms_warm", "view ms", ">8"),
)


def table(rows: list[dict], columns=COLUMNS, show=lambda row: True) -> str:
    def cell(value, fmt: str) -> str:
        if value is None:
            value = "-"
        elif isinstance(value, float):
            value = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
        return format(str(value), fmt)

    lines = ["  ".join(cell(title, fmt) for _, title, fmt in columns)]
    lines.append("  ".join("-" * int(fmt[1:]) for _, _, fmt in columns))
    for row in filter(show, rows):
        lines.append("  ".join(cell(row.get(key), fmt) for key, _, fmt in columns))
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[str]:
    """The issue's targets against the figures: met or missed, with the figure."""
    out = []
    for db in dict.fromkeys(row["db"] for row in rows):
        mine = {row["page"]: row for row in rows if row["db"] == db}

        def verdict(ok: bool | None) -> str:
            return "met   " if ok else ("MISSED" if ok is not None else "n/a   ")

        for page, pct in TARGET_PCT.items():
            got = mine.get(page, {}).get("pct_of_healthz")
            out.append(
                f"{db:<10} {verdict(got >= pct if got is not None else None)} "
                f"{page}: {got}% of /healthz (target {pct}%)"
            )
        deep, first = (
            mine.get("deep page", {}).get("rps"),
            mine.get("archive page 1", {}).get("rps"),
        )
        share = round(100 * deep / first, 1) if deep and first else None
        out.append(
            f"{db:<10} {verdict(share >= TARGET_DEEP_OF_PAGE1 if share else None)} "
            f"deep page: {share}% of page 1 (target {TARGET_DEEP_OF_PAGE1}%)"
        )
        counted = [r for r in mine.values() if r.get("queries") is not None]
        most = max(counted, key=lambda r: r["queries"], default=None)
        if most:
            out.append(
                f"{db:<10} {verdict(most['queries'] <= TARGET_QUERIES)} "
                f"queries: at most {most['queries']} ({most['page']}; target {TARGET_QUERIES})"
            )
        timed = [r for r in mine.values() if r.get("max_sql_ms") is not None]
        slowest = max(timed, key=lambda r: r["max_sql_ms"], default=None)
        if slowest:
            out.append(
                f"{db:<10} {verdict(slowest['max_sql_ms'] <= TARGET_SQL_MS)} "
                f"slowest SQL statement: {slowest['max_sql_ms']} ms ({slowest['page']}; "
                f"target {TARGET_SQL_MS:g} ms)"
            )
        rare = mine.get("search, rare term", {})
        cold, warm = rare.get("total_sql_ms"), rare.get("total_sql_ms_warm")
        out.append(
            f"{db:<10} {verdict(cold <= TARGET_RARE_SQL_MS if cold is not None else None)} "
            f"rare-term search: {cold} ms of SQL on an empty cache, {warm} ms with the "
            f"filter counts cached (target {TARGET_RARE_SQL_MS:g} ms)"
        )
        spread = [
            (r["page"], round(r["p99_ms"] / r["p50_ms"], 1))
            for r in mine.values()
            if r.get("p99_ms") and r.get("p50_ms")
        ]
        wide = [f"{page} {ratio}" for page, ratio in spread if ratio > TARGET_P99_OVER_P50]
        out.append(
            f"{db:<10} {verdict(not wide if spread else None)} p99 within "
            f"{TARGET_P99_OVER_P50:g} x p50" + (f": not on {', '.join(wide)}" if wide else "")
        )
    return out


def write_results(rows: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    (RESULTS / "latest.json").write_text(text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = RESULTS / f"{stamp}.json"
    copy.write_text(text)
    return copy


def main() -> int:
    from psycopg2 import Error as DatabaseError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N", 100_000)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", 3)))
    parser.add_argument(
        "--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 8))
    )
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 2)))
    parser.add_argument(
        "--sweep-seconds", type=float, default=float(os.environ.get("BENCH_SWEEP_SECONDS", 60))
    )
    parser.add_argument(
        "--db",
        action="append",
        choices=("sqlite", "postgresql"),
        help="Only this database (repeatable); default: both.",
    )
    args = parser.parse_args()
    if args.n < 1 or args.seconds <= 0 or args.connections < 1:
        parser.error("--n, --seconds and --connections must be positive")
    if urlsplit(POSTGRES_URL).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("BENCH_POSTGRES_URL must point at this machine (127.0.0.1)")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (make bench installs it: apt-get install wrk)")

    def on_term(signum, frame):
        raise Stop

    signal.signal(signal.SIGTERM, on_term)
    databases = [
        Database("sqlite", f"sqlite:///{SQLITE_PATH}"),
        Database("postgresql", POSTGRES_URL),
    ]
    databases = [db for db in databases if not args.db or db.name in args.db]
    rows: list[dict] = []
    failed: list[str] = []
    started = time.monotonic()
    try:
        DATA.mkdir(parents=True, exist_ok=True)
        log("collecting static files (the production storage needs its manifest)")
        manage(databases[0], "collectstatic", "--noinput", "-v", "0", timeout=300)
        for db in databases:
            try:
                rows += bench_database(db, args)
            except (RuntimeError, OSError, subprocess.SubprocessError, DatabaseError) as error:
                failed.append(db.name)
                log(f"[{db.name}] FAILED: {error}")
    except (KeyboardInterrupt, Stop):
        log("\nstopped")
        return 130
    if rows:
        log(
            f"\nN={args.n:,} activities; {args.seconds:g} s a page, {args.connections} "
            f"connections, {args.threads} wrk threads, after {args.warmup:g} s of warm-up; "
            f"{time.monotonic() - started:.0f} s in all\n"
        )
        log(table(rows))
        log("\nTargets (figures, not tests):")
        for line in targets(rows):
            log("  " + line)
        log(
            "\nIn-process, page cache missed and the rest of the cache warm (as under "
            "load): queries, SQL and the view's own time, median of 3:"
        )
        log(table(rows, WARM_COLUMNS, lambda row: row.get("view_ms_warm") is not None))
        notes: dict[str, dict[str, str]] = {}
        for row in rows:
            notes.setdefault(row["page"], {})[row["db"]] = row.get("note", "")
        log("\nNotes:")
        for page, by_db in notes.items():
            if len(set(by_db.values())) == 1:
                log(f"  {page}: {next(iter(by_db.values()))}")
            else:
                for db, note in by_db.items():
                    log(f"  {page} ({db}): {note}")
        busy = [r for r in rows if (r.get("load_before") or 0) > 1.0]
        if busy:
            log(
                f"\n  Other processes were busy during {len(busy)} measurements (load average "
                f"up to {max(r['load_before'] for r in busy):.1f} on {os.cpu_count()} cores): "
                "those figures are low."
            )
        copy = write_results(rows)
        log(
            f"\nWritten: {(RESULTS / 'latest.json').relative_to(ROOT)} and {copy.relative_to(ROOT)}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
