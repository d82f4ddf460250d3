"""gunicorn settings for production: `make serve`, `make loadtest`, or
`gunicorn --config config/gunicorn.conf.py config.wsgi`.

Read from the environment (see README, "Production"): HOST and PORT (bind
address), WEB_CONCURRENCY (worker processes), GUNICORN_THREADS (threads per
worker), GUNICORN_TIMEOUT (seconds a request may take before its worker is
replaced), FORWARDED_ALLOW_IPS (gunicorn's own: proxies trusted for
X-Forwarded-* headers; default 127.0.0.1).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {value!r}") from None


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"

# Requests wait on the database more than on the CPU: a few processes per core, and
# threads in each so that a slow client does not hold a whole process.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)

# A request still running after this is stuck: the worker is replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart or deploy, requests in flight get this long to finish.
graceful_timeout = 30
# Behind a load balancer that reuses connections, keep them open a little longer
# than nothing; its own idle timeout should be longer still.
keepalive = 5
# Replace each worker now and then, staggered, so that slow leaks cannot build up;
# not so often that rebuilding the archive index (below) becomes a load of its own.
max_requests = 20000
max_requests_jitter = 2000
# Load the application once, before forking: a broken deploy fails at start, and
# workers share the imported code.
preload_app = True
# gunicorn 27's runtime control socket is not used, and two servers on one machine
# would share its default path. (Older gunicorn ignores the setting.)
control_socket_disable = True
# Request line and headers: gunicorn's defaults; longer requests get a 400.
limit_request_line = 4094
limit_request_fields = 100

# Logs: one JSON object per line on stdout (access) and stderr (errors), as the
# application's own (config/logs.py).
accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def _build_archive_index(log, done: str, failed: str) -> None:
    """The in-memory index of the archive (activities/facets.py), built now if it
    is not the current one; no database connection is left open."""
    from django.db import connections

    from activities import facets

    try:
        facets.index()
        log.info(done)
    except Exception:  # whoever cannot build it now builds it on demand
        log.exception(failed)
    finally:
        connections.close_all()


def when_ready(server) -> None:
    """Build the index once, in the master process, before any worker is forked:
    the workers inherit it, and a worker that replaces another has it at once
    while the data has not changed since."""
    if preload_app:  # else the application is loaded by each worker, not here
        _build_archive_index(
            server.log,
            "archive index built in the master",
            "could not build the archive index in the master",
        )


def post_worker_init(worker) -> None:
    """Before a worker serves anything (at start, and when max_requests replaces
    it), make sure its index is the current one, so that no visitor waits the
    second or so a rebuild takes on a large archive."""
    _build_archive_index(
        worker.log, "archive index ready", "could not build the archive index at start"
    )
