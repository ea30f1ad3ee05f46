"""Retention: after delivery (or a staff discard) the personal data is destroyed.

What is destroyed is the sealed answers of the submission and the portal's last error message
(which may quote an answer); the reference, journey id and version, times, state and audit entries
stay. The blob is removed here; the key that could open any copy of it is destroyed right after
(local_store/shred.py). The period is configurable (`retention_days`, default 0: destroyed in the
same transaction that records the delivery). See docs/privacy.md.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from local_store.audit import AuditLog
from local_store.db import get_meta, set_meta, transaction

DAY = 86400.0
FINISHED = ("delivered", "discarded")


def cutoff(retention_days: int, now: float) -> float:
    return now - retention_days * DAY


def purge_due(c: sqlite3.Connection, retention_days: int, now: float) -> int:
    """Destroy the answers of every finished submission older than the period. Returns how many.

    Call inside a write transaction. Finished means delivered (timed from delivery) or discarded
    (timed from the discard)."""
    limit = cutoff(retention_days, now)
    due = """SELECT submission_id FROM outbox
             WHERE state IN ('delivered', 'discarded') AND coalesce(delivered_at, updated_at) <= ?"""
    c.execute(
        f"UPDATE outbox SET last_error_message = NULL WHERE last_error_message IS NOT NULL AND submission_id IN ({due})",
        (limit,),
    )
    return c.execute(
        f"UPDATE submissions SET sealed = NULL WHERE sealed IS NOT NULL AND id IN ({due})", (limit,)
    ).rowcount


def purge_one(c: sqlite3.Connection, submission_id: str) -> int:
    c.execute("UPDATE outbox SET last_error_message = NULL WHERE submission_id = ?", (submission_id,))
    return c.execute(
        "UPDATE submissions SET sealed = NULL WHERE id = ? AND sealed IS NOT NULL", (submission_id,)
    ).rowcount


class Retention:
    """The retention period of one database (kept in `meta`, so every Store on the file, such as
    the sync thread's, applies the same one) and the purge of what is past it."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditLog) -> None:
        self.conn = conn
        self.audit = audit
        self.after_purge: Callable[..., object] | None = None  # the Outbox's shredder (destroys keys)

    def days(self) -> int:
        value = get_meta(self.conn, "retention_days")
        return int(value) if value else 0

    def set_days(self, days: int) -> None:
        if not isinstance(days, int) or days < 0:
            raise ValueError("retention_days must be a whole number of days, 0 or more")
        if get_meta(self.conn, "retention_days") != str(days):
            set_meta(self.conn, {"retention_days": str(days)})

    def purge_expired(self, now: float | None = None) -> int:
        """Destroy the answers of finished submissions past the retention period. Returns how many."""
        now = time.time() if now is None else now
        days = self.days()
        with transaction(self.conn, durable=False) as c:
            n = purge_due(c, days, now)
            if n:
                self.audit.write(c, "purge", None, now, detail=f"{n} submissions, retention {days} days")
        if self.after_purge is not None:
            self.after_purge(purged=bool(n))  # also finishes a rotation left over from before
        return n


__all__ = ["Retention", "purge_due", "purge_one"]
