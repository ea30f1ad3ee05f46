"""Staff alerts: what staff or IT must act on (a damaged database moved aside, no keyring, a full disk,
a kiosk that must be re-enrolled). One open alert per kind, counted; never personal data.

An alert that cannot be written (the disk is full, the file read-only) is logged and held in
memory, for every Store of this process on the same file: `list()` shows it (with a negative id)
and it is written, once, as soon as the database takes writes again."""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
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


_HELD: dict[str, dict[str, Alert]] = {}  # database path -> kind -> an alert not yet written
_HELD_LOCK = threading.Lock()
_HELD_IDS = itertools.count(1)


class Alerts:
    """The `alerts` table of one Store (and the alerts of its file held in memory, see above)."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditLog, path: Path | None = None) -> None:
        self.conn = conn
        self.audit = audit
        self._key = str(Path(path).resolve()) if path is not None else f"connection:{id(conn)}"

    def raise_alert(self, kind: str, message: str, now: float | None = None) -> bool:
        """Record something staff or IT must act on (no personal data in `message`).

        An open alert of the same kind is updated (count, time, message) rather than repeated.
        Returns False if the alert could not be written (e.g. the disk is full): it is then held
        in memory, shown by `list()`, and written when the database takes writes again."""
        now = time.time() if now is None else now
        self._write_held()
        try:
            self._write(kind, message, now, now, 1)
        except (sqlite3.Error, WriteFailed) as exc:
            log.error("could not record a %s alert: %s", kind, getattr(exc, "errorname", type(exc).__name__))
            with _HELD_LOCK:
                held = _HELD.setdefault(self._key, {})
                old = held.get(kind)
                held[kind] = (
                    replace(old, message=message, last_at=now, count=old.count + 1)
                    if old
                    else Alert(-next(_HELD_IDS), kind, message, now, now, 1, None, None)
                )
            return False
        return True

    def _write(self, kind: str, message: str, raised_at: float, now: float, count: int) -> None:
        with transaction(self.conn) as c:
            changed = c.execute(
                """UPDATE alerts SET count=count+?, last_at=?, message=?
                   WHERE kind=? AND acknowledged_at IS NULL""",
                (count, now, message, kind),
            ).rowcount
            if not changed:
                c.execute(
                    "INSERT INTO alerts (kind, message, raised_at, last_at, count) VALUES (?, ?, ?, ?, ?)",
                    (kind, message, raised_at, now, count),
                )
                self.audit.write(c, "alert", None, now, detail=kind)

    def _write_held(self) -> None:
        """Write the alerts held in memory, oldest first; stop at the first that still cannot be."""
        with _HELD_LOCK:
            held = sorted(_HELD.get(self._key, {}).values(), key=lambda a: a.raised_at)
        for alert in held:
            try:
                self._write(alert.kind, alert.message, alert.raised_at, alert.last_at, alert.count)
            except (sqlite3.Error, WriteFailed):
                return
            with _HELD_LOCK:
                _HELD.get(self._key, {}).pop(alert.kind, None)
            log.info("the %s alert held in memory is now recorded", alert.kind)

    def list(self, *, include_acknowledged: bool = False) -> list[Alert]:
        """Open alerts, oldest first (and the acknowledged ones too, when asked), then those that
        could not be written yet (negative ids)."""
        self._write_held()
        sql = "SELECT * FROM alerts"
        if not include_acknowledged:
            sql += " WHERE acknowledged_at IS NULL"
        alerts = [Alert(**dict(r)) for r in self.conn.execute(sql + " ORDER BY id")]
        with _HELD_LOCK:
            held = dict(_HELD.get(self._key, {}))
        # One open alert per kind: what is held in memory adds to the open one on disk, if there is one.
        for i, alert in enumerate(alerts):
            extra = held.pop(alert.kind, None) if alert.acknowledged_at is None else None
            if extra is not None:
                alerts[i] = replace(
                    alert, message=extra.message, last_at=extra.last_at, count=alert.count + extra.count
                )
        return alerts + sorted(held.values(), key=lambda a: -a.id)

    def acknowledge(self, alert_id: int, *, staff_id: str, now: float | None = None) -> None:
        staff_id = clean_staff_id(staff_id)
        now = time.time() if now is None else now
        if alert_id < 0:
            with _HELD_LOCK:
                held = _HELD.get(self._key, {})
                kind = next((k for k, a in held.items() if a.id == alert_id), None)
                if kind is None:
                    raise KeyError(alert_id)
                del held[kind]
            log.info("alert %s (%s, never written: the disk was full) acknowledged by %s", alert_id, kind, staff_id)
            return
        with transaction(self.conn) as c:
            row = c.execute("SELECT kind FROM alerts WHERE id=? AND acknowledged_at IS NULL", (alert_id,)).fetchone()
            if row is None:
                raise KeyError(alert_id)
            c.execute("UPDATE alerts SET acknowledged_at=?, acknowledged_by=? WHERE id=?", (now, staff_id, alert_id))
            with _HELD_LOCK:  # the repeats held in memory were shown as part of it
                _HELD.get(self._key, {}).pop(row["kind"], None)
            self.audit.write(
                c, "alert_acknowledged", str(alert_id), now, actor="staff", staff_id=staff_id, detail=row["kind"]
            )


__all__ = ["Alert", "Alerts"]
