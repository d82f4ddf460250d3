"""Log records as one JSON object per line, for log collectors to parse."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

# Attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message; for Django's request log also method, path and
    status; for gunicorn's access log the request's fields; with an exception its
    type, message and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
        request: Any = getattr(record, "request", None)
        # django.server passes a socket as `request`; only an HttpRequest has a path.
        if hasattr(request, "path") and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path[:1000]
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = {
                "type": record.exc_info[0].__name__,
                "message": str(record.exc_info[1])[:1000],
                "traceback": self.formatException(record.exc_info),
            }
        return json.dumps(entry, ensure_ascii=False, default=str)


class DisallowedHostFilter(logging.Filter):
    """Django's record of a request for a host not in ALLOWED_HOSTS, made one warning.

    Django logs it as an error with the exception's traceback, which says nothing
    about the app: such requests come from scanners and from proxies that pass on
    a wrong Host. The record becomes a WARNING with the host (and, through the
    request, the method and path), and no traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        meta = getattr(request, "META", {})
        host = str(meta.get("HTTP_HOST") or meta.get("SERVER_NAME") or "")[:300]
        record.host = host
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.msg, record.args = "Request for a host this site does not serve: %r", (host,)
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def _access_fields(atoms: dict) -> dict:
    """The parts of gunicorn's access-log atoms worth keeping."""
    return {
        "message": "request",
        "remote": atoms.get("h"),
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "query": atoms.get("q"),
        "status_code": _int(atoms.get("s")),
        "bytes": _int(atoms.get("B")),
        "duration_ms": _int(atoms.get("M")),
        "user_agent": atoms.get("a"),
        # Which worker process answered: "<1234>".
        "pid": atoms.get("p"),
    }


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
