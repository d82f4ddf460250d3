"""What the open transaction has queued for its commit: the follow-ups that run
once per transaction (activities/changes.py) find the one they queued at its
first change, and add to it."""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def queued(kind: type[T], using: str | None = None) -> T | None:
    """The callback of this kind that the connection's open transaction has
    queued with ``transaction.on_commit`` and that has not run; None outside a
    transaction (where on_commit runs a callback at once)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return None
    for _, func, _ in reversed(connection.run_on_commit):
        if isinstance(func, kind) and not getattr(func, "done", False):
            return func
    return None
