"""What follows a change to the archive's data: one function, ``archive_changed()``.

Every path that writes the archive calls it: the model signals (activities/signals.py)
for saves, deletions and relation changes made through the ORM, loaddata's raw saves
included; and, because ``QuerySet.update()``, ``bulk_create()`` and other programs
send no signals, every management command and bulk update that writes that way.

Once the transaction commits, the cache generation moves on (activities/cache.py),
once however many rows it wrote; every process then drops its cached pages and
rebuilds its archive index. A transaction that is rolled back moves nothing on.
Until it commits, the transaction reads the archive through a generation of its
own, so nothing it renders from its uncommitted rows is served to anyone else.
"""

from __future__ import annotations

from activities import cache


def archive_changed(using: str | None = None) -> None:
    """Note that the current transaction changed the archive's data; outside a
    transaction, the change is already committed and takes effect at once."""
    cache.invalidate_on_commit(using)
