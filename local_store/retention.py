"""Retention: after delivery (or a staff discard) the personal data is destroyed.

What is destroyed is the sealed answers of the submission; the reference, journey id and version,
times, state and audit entries stay. The database runs with `secure_delete=ON`, so the freed
ciphertext is overwritten rather than left in free pages. The period is configurable
(`retention_days`, default 0: destroyed in the same transaction that records the delivery).
"""

from __future__ import annotations

import sqlite3

DAY = 86400.0
FINISHED = ("delivered", "discarded")


def cutoff(retention_days: int, now: float) -> float:
    return now - retention_days * DAY


def purge_due(c: sqlite3.Connection, retention_days: int, now: float) -> int:
    """Destroy the answers of every finished submission older than the period. Returns how many.

    Call inside a write transaction. Finished means delivered (timed from delivery) or discarded
    (timed from the discard)."""
    limit = cutoff(retention_days, now)
    return c.execute(
        """UPDATE submissions SET sealed = NULL
           WHERE sealed IS NOT NULL AND id IN (
               SELECT submission_id FROM outbox
               WHERE state IN ('delivered', 'discarded')
                 AND coalesce(delivered_at, updated_at) <= ?)""",
        (limit,),
    ).rowcount


def purge_one(c: sqlite3.Connection, submission_id: str) -> int:
    return c.execute(
        "UPDATE submissions SET sealed = NULL WHERE id = ? AND sealed IS NOT NULL", (submission_id,)
    ).rowcount
