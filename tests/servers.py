"""Real servers that tests start and stop themselves, on 127.0.0.1 only.

- ``ServedArchive``: the site on a database of its own, served by gunicorn as in
  production, with ``manage.py`` commands run against it as an operator would;
  ``StaffBrowser`` signs in to its admin and posts its forms.

- ``ObjectStore``: moto's S3-compatible server with a bucket, for photos in
  object storage.
- ``RedisServer``: a redis-server of the test's own on a free port, keeping
  nothing on disk, so that a test may stop it, restart it or cut it off.
- ``TcpProxy``: a TCP relay in front of a server, which a test can cut (the
  server keeps running and keeps its data, as in a network partition) and
  mend again.

A part that cannot start fails the test; nothing here skips.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.html_forms import form_data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {seconds} s")


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def cli(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def keys(self) -> list[str]:
        return [line for line in self.cli("--scan").splitlines() if line]


def public_read(bucket: str) -> dict:
    """The bucket policy the README's deployment guide gives: anyone may read an
    object; nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicReadPhotos",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


class ObjectStore:
    """moto's S3-compatible server on a free port of 127.0.0.1, keeping everything
    in its memory, with a bucket for the photos; ``env`` is what the site needs to
    keep its photos there (config/storage.py)."""

    def __init__(self, folder: Path, bucket: str = "cityties-photos", port: int = 0) -> None:
        self.folder = folder
        self.bucket = bucket
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, bucket: str | None = None, **more: str) -> dict[str, str]:
        return {
            "DJANGO_S3_BUCKET": bucket or self.bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_REGION": "ap-northeast-1",
            "AWS_ACCESS_KEY_ID": "cityties-tests",
            "AWS_SECRET_ACCESS_KEY": "cityties-tests-secret",
            **more,
        }

    def start(self) -> ObjectStore:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "moto.log").open("ab"),
        )
        wait_for_port(self.port, seconds=30)
        self.create_bucket(self.bucket)
        return self

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="ap-northeast-1",
            aws_access_key_id="cityties-tests",
            aws_secret_access_key="cityties-tests-secret",
        )

    def create_bucket(self, bucket: str) -> None:
        """A bucket whose objects anyone may read, as the site's photo URLs are not
        signed (config/storage.py); writing takes the keys."""
        client = self.client()
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
        )
        client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))

    def objects(self, bucket: str | None = None) -> dict[str, bytes]:
        """Every object in the bucket, by key, with its bytes."""
        client, name = self.client(), bucket or self.bucket
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=name, Key=item["Key"])["Body"]
                found[item["Key"]] = body.read()
        return found

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class TcpProxy:
    """Relays 127.0.0.1:<port> to a server. ``cut()`` closes the listener and every
    open connection, so clients are refused; ``mend()`` listens again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()

    def mend(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            connections, self.connections = self.connections, []
        if listener is not None:
            listener.close()
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), 2)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:
                    client.close()
                    server.close()
                    return
                self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


# -- the site itself, served as in production --------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    set_cookies: list[str]


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_CONF = ROOT / "config" / "nginx.conf"


class Nginx:
    """Debian's nginx with the project's configuration (config/nginx.conf) on a free
    port of 127.0.0.1, in front of app servers on 127.0.0.1, passing the photos on
    from their bucket (``bucket``: its server's URL, and ``bucket_path``: the
    bucket's path on it, "/<bucket>/"); everything of its own (pid, logs, temporary
    files) in ``folder``."""

    def __init__(self, folder: Path, upstreams: list[int], bucket: str, bucket_path: str) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.bucket, self.bucket_path = bucket, bucket_path
        self.conf = folder / "nginx.conf"
        self.upstreams(upstreams)

    def upstreams(self, ports: list[int]) -> Nginx:
        """The app servers' ports (its own port is chosen first, for their settings)."""
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in ports
        )
        self.conf.write_text(
            NGINX_CONF.read_text()
            .replace("@PREFIX@", str(self.folder))
            .replace("@LISTEN@", f"127.0.0.1:{self.port}")
            .replace("@UPSTREAMS@", servers)
            .replace("@BUCKET@", self.bucket)
            .replace("@BUCKET_PATH@", self.bucket_path)
            .replace("@USER@", getpass.getuser())
        )
        return self

    def start(self) -> Nginx:
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "stderr.log").open("ab"),
        )
        wait_for_port(self.port)
        return self

    def get(self, path: str, headers: dict | None = None) -> Response:
        return request(self.port, "GET", path, headers=headers)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: requests in flight finish
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None


class ServedArchive:
    """A database of its own — a SQLite file, or a new PostgreSQL database beside the
    test database when the tests run on PostgreSQL — migrated and served by gunicorn
    with the production configuration (config/gunicorn.conf.py, DEBUG off) on a free
    port of 127.0.0.1. ``manage()`` runs management commands against the same
    database and media, in processes of their own, as an operator would."""

    def __init__(
        self,
        folder: Path,
        *,
        workers: int = 3,
        redis_url: str = "",
        database_url: str = "",
        photos: dict[str, str] | None = None,
    ) -> None:
        """``database_url``: another server's, to share (a cluster); by default a
        database of its own. ``photos``: the environment of an object storage to
        keep the photos in (``ObjectStore.env``); by default a folder of its own."""
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        if database_url:
            self.database_url, self.drop = database_url, lambda: None
        else:
            self.database_url, self.drop = _new_database(folder)
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "served-archive-tests-only",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.database_url,
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            **(photos or {}),
            "CITYTIES_GENERATION_FILE": str(folder / "cache-generation"),
            "CITYTIES_REDIS_URL": redis_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            # Where Django would spool an upload: a test can see that nothing was.
            "TMPDIR": str(folder / "tmp"),
        }
        (folder / "tmp").mkdir(exist_ok=True)

    # -- the operator's side

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def start(self) -> ServedArchive:
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        with self.access_log.open("ab") as out, self.error_log.open("ab") as err:
            self.process = subprocess.Popen(
                [GUNICORN, "--config", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=err,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.error_log.read_text()}")
            with contextlib.suppress(OSError):
                if self.get("/healthz").status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.error_log.read_text()}")

    def stop(self) -> None:
        self.terminate()
        self.drop()

    def terminate(self) -> None:
        """Stops gunicorn as a deploy does (SIGTERM: the requests it has are
        finished, no new one is taken); the database stays."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        listed = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return {int(pid) for pid in listed.split()}

    def server_errors(self) -> list[dict]:
        """Every request answered with a 5xx, from gunicorn's access log."""
        return [entry for entry in self.access_entries() if (entry.get("status_code") or 0) >= 500]

    def access_entries(self) -> list[dict]:
        entries = []
        for line in self.access_log.read_text().splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if entry.get("message") == "request":
                    entries.append(entry)
        return entries

    # -- the visitor's side

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        """One request on a connection of its own."""
        return request(self.port, method, path, body=body, headers=headers)

    def on_every_worker(
        self, path: str, expect: Callable[[str], bool], *, attempts: int = 40
    ) -> None:
        """Ask for ``path`` in rounds of simultaneous requests until every worker
        process has answered it; every answer must satisfy ``expect``."""
        workers, served = self.worker_pids(), set()
        for _ in range(attempts):
            seen = len(self.access_entries())
            with ThreadPoolExecutor(self.workers * 2) as pool:
                answers = list(pool.map(lambda _: self.get(path), range(self.workers * 2)))
            for answer in answers:
                assert answer.status == 200, (path, answer.status)
                assert expect(answer.body), f"{path}: an answer is not as expected"
            deadline = time.monotonic() + 5
            while len(self.access_entries()) < seen + len(answers):
                assert time.monotonic() < deadline, "gunicorn logged fewer requests than made"
                time.sleep(0.02)
            served |= {
                int(str(entry["pid"]).strip("<>"))
                for entry in self.access_entries()[seen:]
                if entry.get("path") == path.split("?")[0]
            }
            if workers <= served:
                return
        raise AssertionError(f"{path}: workers {workers - served} never answered")


class StaffBrowser:
    """A signed-in staff member's browser, without the browser: cookies, the CSRF
    token, and forms posted back as the page gave them (tests/html_forms.py)."""

    def __init__(self, archive: ServedArchive, username: str, password: str) -> None:
        self.archive = archive
        self.cookies: dict[str, str] = {}
        page = self.get("/admin/login/")
        data = form_data(page.body, "login-form")
        answer = self.post(
            "/admin/login/?next=/admin/", {**data, "username": username, "password": password}
        )
        assert answer.status == 302, f"{username} could not sign in"

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Response:
        answer = self.archive.request(
            method, path, body=body, headers={**self._headers(), **headers}
        )
        for header in answer.set_cookies:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def get(self, path: str) -> Response:
        return self._send("GET", path, None, {})

    def form(self, path: str, form_id: str) -> dict[str, list[str]]:
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        return form_data(page.body, form_id)

    def post(
        self, path: str, data: dict, files: dict[str, tuple[str, bytes]] | None = None
    ) -> Response:
        """The form's fields, and ``files`` (field name: file name and bytes) as a
        browser sends chosen files: multipart."""
        pairs = [
            (name, value)
            for name, values in data.items()
            for value in (values if isinstance(values, list) else [values])
        ]
        if not files:
            body = urllib.parse.urlencode(pairs).encode()
            return self._send(
                "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
            )
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in pairs:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._send(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def request(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
) -> Response:
    """One request to 127.0.0.1:``port`` on a connection of its own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, _ascii(path), body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(
            answer.status,
            {k.lower(): v for k, v in answer.getheaders()},
            answer.read().decode("utf-8", "replace"),
            answer.headers.get_all("Set-Cookie") or [],
        )
    finally:
        connection.close()


def _ascii(path: str) -> str:
    """The path as a browser sends it: anything beyond ASCII percent-encoded."""
    return urllib.parse.quote(path, safe="/?=&%:+;,#")


def _new_database(folder: Path) -> tuple[str, Callable[[], None]]:
    """A database URL of its own, and how to drop it."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{folder / 'archive.sqlite3'}", lambda: None
    import psycopg2

    name = f"cityties_served_{secrets.token_hex(4)}"
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with contextlib.closing(psycopg2.connect(**params)) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with contextlib.closing(psycopg2.connect(**params)) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{params['host']}:{params['port']}/{name}"
    return url, drop
