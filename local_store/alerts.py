"""Staff alerts: what staff or IT must act on (a damaged database moved aside, no keyring, a full disk,
a kiosk that must be re-enrolled). One open alert per kind, counted; never personal data."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from local_store.audit import AuditLog, clean_staff_id
from local_store.db import WriteFailed, transaction

log = logging.getLogger("store")


@dataclass(frozen=True)
class Alert:
    """Something staff or IT must act on. Never holds personal data."""

    id: int
    kind: str
    message: str
    raised_at: float
    last_at: float
    count: int
    acknowledged_at: float | None
    acknowledged_by: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Alerts:
    """The `alerts` table of one Store."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditLog) -> None:
        self.conn = conn
        self.audit = audit

    def raise_alert(self, kind: str, message: str, now: float | None = None) -> bool:
        """Record something staff or IT must act on (no personal data in `message`).

        An open alert of the same kind is updated (count, time, message) rather than repeated.
        Returns False if even the alert could not be written (e.g. the disk is full)."""
        now = time.time() if now is None else now
        try:
            with transaction(self.conn) as c:
                changed = c.execute(
                    """UPDATE alerts SET count=count+1, last_at=?, message=?
                       WHERE kind=? AND acknowledged_at IS NULL""",
                    (now, message, kind),
                ).rowcount
                if not changed:
                    c.execute(
                        "INSERT INTO alerts (kind, message, raised_at, last_at) VALUES (?, ?, ?, ?)",
                        (kind, message, now, now),
                    )
                    self.audit.write(c, "alert", None, now, detail=kind)
        except (sqlite3.Error, WriteFailed) as exc:
            log.error("could not record a %s alert: %s", kind, getattr(exc, "errorname", type(exc).__name__))
            return False
        return True

    def list(self, *, include_acknowledged: bool = False) -> list[Alert]:
        """Open alerts, oldest first (and the acknowledged ones too, when asked)."""
        sql = "SELECT * FROM alerts"
        if not include_acknowledged:
            sql += " WHERE acknowledged_at IS NULL"
        return [Alert(**dict(r)) for r in self.conn.execute(sql + " ORDER BY id")]

    def acknowledge(self, alert_id: int, *, staff_id: str, now: float | None = None) -> None:
        staff_id = clean_staff_id(staff_id)
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            row = c.execute("SELECT kind FROM alerts WHERE id=? AND acknowledged_at IS NULL", (alert_id,)).fetchone()
            if row is None:
                raise KeyError(alert_id)
            c.execute("UPDATE alerts SET acknowledged_at=?, acknowledged_by=? WHERE id=?", (now, staff_id, alert_id))
            self.audit.write(
                c, "alert_acknowledged", str(alert_id), now, actor="staff", staff_id=staff_id, detail=row["kind"]
            )


__all__ = ["Alert", "Alerts"]
