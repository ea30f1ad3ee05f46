"""The audit log: who did what and when, never personal data (ids, states, error classes, staff reasons)."""

from __future__ import annotations

import sqlite3
from typing import Any

MAX_STAFF_ID = 64


def clean_staff_id(staff_id: str) -> str:
    """The staff id as the audit log keeps it; ValueError if it is empty, too long or unprintable."""
    staff_id = (staff_id or "").strip()
    if not staff_id or len(staff_id) > MAX_STAFF_ID or not staff_id.isprintable():
        raise ValueError("a staff id is needed (at most 64 printable characters)")
    return staff_id


class AuditLog:
    """The `audit` table. Entries are written inside the caller's transaction, with its change."""

    def __init__(self, conn: sqlite3.Connection, install_id: str) -> None:
        self.conn = conn
        self.install_id = install_id

    def write(
        self,
        c: sqlite3.Connection,
        action: str,
        subject: str | None,
        now: float,
        *,
        actor: str = "kiosk",
        staff_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        """One entry, in the open transaction `c`."""
        c.execute(
            "INSERT INTO audit (at, actor, action, subject, kiosk, staff_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, actor, action, subject, self.install_id, staff_id, detail),
        )

    def entries(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM audit ORDER BY id")]


__all__ = ["MAX_STAFF_ID", "AuditLog", "clean_staff_id"]
