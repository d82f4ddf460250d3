"""`make cluster`: the site as several servers run it, on this machine — Debian's
nginx (config/nginx.conf) on 127.0.0.1:CLUSTER_PORT (8100) in front of two
gunicorns (config/gunicorn.conf.py, DEBUG off) on 8101 and 8102, sharing one
PostgreSQL database (CLUSTER_DATABASE_URL, default cityties_cluster, created when
missing, migrated, the demo archive loaded), one Redis database
(CLUSTER_REDIS_URL, default redis://127.0.0.1:6379/14) and one S3-compatible
bucket for the photos: moto's server on 8103, keeping them in its memory, read by
visitors through nginx at /media/. Ctrl-C or SIGTERM stops nginx and both
gunicorns, each finishing the requests it has, then the bucket's server; `make
loadtest URL=http://127.0.0.1:8100` loads it through the proxy. With --as-is the
database is served as it is, without the demo archive (bench/cluster_index.py).
"""

from __future__ import annotations

import getpass
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import ObjectStore  # noqa: E402  (the tests' S3-compatible server)

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
FOLDER = ROOT / "var" / "cluster"
PORT = int(os.environ.get("CLUSTER_PORT", "8100"))
APP_PORTS = (PORT + 1, PORT + 2)
BUCKET_PORT = PORT + 3
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cityties_cluster"
)
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")


class Stop(Exception):
    pass


def log(message: str) -> None:
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def environment(photos: ObjectStore, port: int | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "cluster-on-this-machine-only"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": DATABASE_URL,
        "CITYTIES_REDIS_URL": REDIS_URL,
        **photos.env(DJANGO_S3_PUBLIC_URL=f"http://127.0.0.1:{PORT}/media/"),
        "HOST": "127.0.0.1",
    }
    if port is not None:
        env["PORT"] = str(port)
    return env


def manage(photos: ObjectStore, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(photos), check=True)


def create_database() -> None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def nginx_conf(photos: ObjectStore) -> Path:
    folder = FOLDER / "nginx"
    folder.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in APP_PORTS
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        (ROOT / "config" / "nginx.conf")
        .read_text()
        .replace("@PREFIX@", str(folder))
        .replace("@LISTEN@", f"127.0.0.1:{PORT}")
        .replace("@UPSTREAMS@", servers)
        .replace("@BUCKET@", photos.endpoint)
        .replace("@BUCKET_PATH@", f"/{photos.bucket}/")
        .replace("@USER@", getpass.getuser())
    )
    return conf


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def main() -> int:
    if urlsplit(DATABASE_URL).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("CLUSTER_DATABASE_URL must point at this machine")

    def on_term(signum, frame):
        raise Stop

    signal.signal(signal.SIGTERM, on_term)
    create_database()
    photos = ObjectStore(FOLDER / "bucket", port=BUCKET_PORT).start()
    processes: list[subprocess.Popen] = []
    try:
        manage(photos, "migrate", "--noinput", "-v", "0")
        if "--as-is" not in sys.argv[1:]:  # bench/cluster_index.py: the bench's data
            manage(photos, "load_demo")  # the demo's photos, into the new bucket
        manage(photos, "collectstatic", "--noinput", "-v", "0")
        for port in APP_PORTS:
            log_file = (FOLDER / f"gunicorn-{port}.log").open("ab")
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "--config", "config/gunicorn.conf.py", "config.wsgi"],
                    cwd=ROOT,
                    env=environment(photos, port),
                    stdout=log_file,
                    stderr=log_file,
                )  # fmt: skip
            )
        for port in APP_PORTS:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        conf = nginx_conf(photos)
        processes.append(
            subprocess.Popen(
                ["nginx", "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"]
            )
        )
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        log(
            f"http://127.0.0.1:{PORT}/ (nginx) in front of 127.0.0.1:{APP_PORTS[0]} and "
            f"127.0.0.1:{APP_PORTS[1]} (gunicorn); {DATABASE_URL}, {REDIS_URL}, "
            f"photos in the bucket {photos.bucket} at {photos.endpoint}. Ctrl-C stops them."
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        log("a part of the cluster stopped: stopping the others")
        return 1
    except (KeyboardInterrupt, Stop):
        log("stopping: nginx, then both gunicorns, each finishing its requests")
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                # nginx: SIGQUIT is its graceful stop; gunicorn: SIGTERM.
                process.send_signal(
                    signal.SIGQUIT if process.args[0] == "nginx" else signal.SIGTERM
                )
        for process in processes:
            try:
                process.wait(40)
            except subprocess.TimeoutExpired:
                process.kill()
        photos.stop()


if __name__ == "__main__":
    sys.exit(main())
