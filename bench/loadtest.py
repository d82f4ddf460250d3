"""Load test: a mix of good and malformed URLs against gunicorn, on this machine only.

    python bench/loadtest.py --serve          # what `make loadtest` runs
    python bench/loadtest.py --url http://127.0.0.1:8000   # a server already running

With --serve it prepares the database named by DATABASE_URL (creates a missing
PostgreSQL database, migrates, loads the demo archive, collects static files),
starts gunicorn with config/gunicorn.conf.py on 127.0.0.1, waits for /healthz,
runs the load, and stops gunicorn again.

CONNECTIONS threads each keep one HTTP/1.1 connection and send requests back to
back for DURATION seconds (at most MAX_REQUESTS in all). Every request says it
came through a TLS-terminating proxy (X-Forwarded-Proto: https), as in
production, so the answers are the real pages and not redirects to https.
Reported: requests, answers by status class, server errors (5xx), socket errors
(refused, reset, timed out), and latency percentiles. The exit status is 1 if
there was any server or socket error, or fewer than --min-requests requests.

Only loopback addresses are accepted as targets.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

GOOD_PATHS = [
    "/ja/",
    "/en/",
    "/ja/activities/",
    "/en/activities/",
    "/ja/activities/?year=2018",
    "/ja/activities/?partner=iclei",
    "/ja/activities/?partner_kind=national-government",
    "/ja/activities/?theme=decarbonization",
    "/ja/activities/?country=CH",
    "/en/activities/?year=2019&partner=iclei",
    "/ja/activities/?q=ICLEI",
    "/ja/partners/",
    "/en/partners/",
    "/ja/partners/iclei/",
    "/ja/partners/mofa/",
    "/ja/themes/decarbonization/",
    "/healthz",
]

LONG = "x" * 3000
MALFORMED_PATHS = [
    "/ja/activities/?year=0",
    "/ja/activities/?year=-1",
    "/ja/activities/?year=10000",
    "/ja/activities/?year=99999999999",
    "/ja/activities/?year=%00",
    "/ja/activities/?year=%ff%fe",
    "/ja/activities/?partner=no-such-partner",
    "/ja/activities/?partner=%00",
    "/ja/activities/?theme=%E3%81",
    "/ja/activities/?kind=%3Cscript%3E",
    f"/ja/activities/?kind={LONG}",
    "/ja/activities/?country=ZZ",
    "/ja/activities/?page=abc",
    "/ja/activities/?page=-1",
    "/ja/activities/?page=99999999999999999999",
    "/ja/activities/?page=2&page=3",
    "/ja/activities/?q=%22unterminated",
    "/ja/activities/?q=a%20AND%20b%20OR%20NOT%20c",
    "/ja/activities/?q=%00",
    f"/ja/activities/?q={LONG}",
    "/ja/activities/?%ff%fe=1&%=%&&&",
    "/ja/activities/?" + "&".join(f"p{n}=1" for n in range(300)),
    "/en/activities/?year=2019&year=abc&partner=%00&theme=%27",
    "/ja/partners/?page=%00",
    "/ja/themes/decarbonization/?page=-1",
    "/xx/activities/",
    "/ja/activities/no-such-activity/",
    "/ja/activities/2018-10-22-renewable-energy-conference-basel-freiburg/junk/",
    "/ja/activities/%ff%fe/",
    "/ja/partners/%00/",
    "/ja/themes/no-such-theme/",
    "/healthz?%00",
    "/admin/login/?next=%00",
    "/static/../config/settings.py",
]


def loopback_only(host: str) -> str:
    """Refuse any target that is not this machine."""
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        raise SystemExit(f"cannot resolve {host!r}") from None
    if not address.is_loopback:
        raise SystemExit(f"{host} is not a loopback address: this tool only tests this machine")
    return host


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


class Load:
    def __init__(self, host: str, port: int, paths: list[tuple[str, str]], timeout: float):
        self.host, self.port, self.paths, self.timeout = host, port, paths, timeout
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()
        self.socket_errors: Counter[str] = Counter()
        self.server_errors: list[str] = []
        self.sent = 0

    def take_ticket(self, max_requests: int) -> bool:
        with self.lock:
            if self.sent >= max_requests:
                return False
            self.sent += 1
            return True

    def worker(self, seed: int, deadline: float, max_requests: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", "User-Agent": "loadtest"}
        while time.monotonic() < deadline and self.take_ticket(max_requests):
            kind, path = rng.choice(self.paths)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                with self.lock:
                    self.socket_errors[type(exc).__name__] += 1
                continue
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[response.status] += 1
                self.kinds[kind] += 1
                if response.status >= 500:
                    self.server_errors.append(f"{response.status} {path[:200]}")
        connection.close()

    def run(self, connections: int, duration: float, max_requests: int) -> float:
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(target=self.worker, args=(n, deadline, max_requests), daemon=True)
            for n in range(connections)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration + self.timeout + 10)
        return time.monotonic() - started


def discover_activity_paths(host: str, port: int) -> list[str]:
    """A few real record pages, taken from the archive's first page."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", "/ja/activities/", headers={"X-Forwarded-Proto": "https"})
    body = connection.getresponse().read().decode("utf-8", "replace")
    connection.close()
    slugs = sorted(set(re.findall(r'href="/ja/activities/([\w-]+)/"', body)))
    return [f"/{lang}/activities/{slug}/" for slug in slugs[:8] for lang in ("ja", "en")]


# --- Starting and stopping the server (--serve) ------------------------------------


def ensure_postgres_database(url: str) -> None:
    """Create the database named in DATABASE_URL if it does not exist."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    connection = psycopg2.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def wait_for(host: str, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server on {host}:{port} did not answer /healthz within {seconds} s")


def start_server(host: str, port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "HOST": host, "PORT": str(port)}
    log = log_path.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- Main -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765", help="loopback only")
    parser.add_argument("--serve", action="store_true", help="start and stop gunicorn")
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 8)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", 60)))
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--malformed-share", type=float, default=0.4)
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    parser.add_argument("--min-requests", type=int, default=3000)
    args = parser.parse_args()

    if args.connections < 1 or not 0 < args.duration <= 600:
        raise SystemExit("--connections must be at least 1 and --duration at most 600 s")
    target = urllib.parse.urlsplit(args.url)
    host, port = loopback_only(target.hostname or ""), target.port or 80
    RESULTS.mkdir(parents=True, exist_ok=True)

    server = None
    try:
        if args.serve:
            ensure_postgres_database(os.environ.get("DATABASE_URL", ""))
            manage("migrate", "--noinput", "-v", "0")
            manage("load_demo")
            manage("collectstatic", "--noinput", "-v", "0")
            server = start_server(host, port, RESULTS / "gunicorn.log")
        wait_for(host, port, 60)

        good = GOOD_PATHS + discover_activity_paths(host, port)
        # The malformed share of the mix, by repeating the good paths as needed.
        repeat = max(1, round(len(MALFORMED_PATHS) * (1 - args.malformed_share) / len(good)))
        mix = [("good", p) for p in good * repeat] + [("malformed", p) for p in MALFORMED_PATHS]
        load = Load(host, port, mix, args.timeout)
        elapsed = load.run(args.connections, args.duration, args.max_requests)
    finally:
        if server is not None:
            stop_server(server)

    latencies = sorted(load.latencies)
    answered = len(latencies)
    by_class = Counter(f"{status // 100}xx" for status in load.statuses.elements())
    report = {
        "target": f"{host}:{port}",
        "connections": args.connections,
        "seconds": round(elapsed, 1),
        "requests": answered + sum(load.socket_errors.values()),
        "answered": answered,
        "requests_per_second": round(answered / elapsed, 1) if elapsed else 0,
        "good": load.kinds["good"],
        "malformed": load.kinds["malformed"],
        "status_classes": dict(sorted(by_class.items())),
        "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "server_errors": len(load.server_errors),
        "socket_errors": sum(load.socket_errors.values()),
        "socket_error_kinds": dict(load.socket_errors),
        "latency_ms": {
            name: round(percentile(latencies, q) * 1000, 1)
            for name, q in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0))
        },
    }
    (RESULTS / "loadtest.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))  # noqa: T201
    for line in load.server_errors[:20]:
        print("server error:", line, file=sys.stderr)  # noqa: T201

    failed = report["server_errors"] or report["socket_errors"] or answered < args.min_requests
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
