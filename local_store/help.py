"""Help requests: a citizen pressed "Get help". Recorded here first (so the kiosk only says it
asked once it has), shown on this kiosk's staff console until staff mark it dealt with, and
delivered to the portal once (sync/help_requests.py; the id is the Idempotency-Key).

A help request holds nothing personal: when, and at most the journey the citizen was on.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from local_store.audit import AuditLog, clean_staff_id
from local_store.db import transaction
from local_store.ids import uuid7

__all__ = ["HelpRequest", "HelpRequests"]


@dataclass(frozen=True)
class HelpRequest:
    id: str
    asked_at: float
    journey_id: str | None
    delivered_at: float | None  # the portal accepted it
    dealt_with_at: float | None
    dealt_with_by: str | None
    attempts: int
    next_attempt_at: float
    refused_at: float | None = None  # the portal refused it: never sent again; staff here still see it


class HelpRequests:
    """The `help_requests` table."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditLog) -> None:
        self.conn = conn
        self.audit = audit

    def ask(self, journey_id: str | None, now: float | None = None) -> HelpRequest:
        """Record a request (durably: it is on disk when this returns)."""
        now = time.time() if now is None else now
        request_id = uuid7()
        with transaction(self.conn) as c:
            c.execute(
                "INSERT INTO help_requests (id, asked_at, journey_id, next_attempt_at) VALUES (?, ?, ?, ?)",
                (request_id, now, journey_id, now),
            )
            self.audit.write(c, "help_asked", request_id, now)
        return self.get(request_id)

    def get(self, request_id: str) -> HelpRequest:
        row = self.conn.execute("SELECT * FROM help_requests WHERE id=?", (request_id,)).fetchone()
        if row is None:
            raise KeyError(request_id)
        return _request(row)

    def open(self) -> list[HelpRequest]:
        """Not yet dealt with, oldest first (what the staff console shows)."""
        rows = self.conn.execute("SELECT * FROM help_requests WHERE dealt_with_at IS NULL ORDER BY asked_at, id")
        return [_request(r) for r in rows]

    def due(self, now: float | None = None) -> list[HelpRequest]:
        """Not yet delivered and due for a try, oldest first."""
        now = time.time() if now is None else now
        rows = self.conn.execute(
            """SELECT * FROM help_requests WHERE delivered_at IS NULL AND refused_at IS NULL AND next_attempt_at <= ?
               ORDER BY asked_at, id""",
            (now,),
        )
        return [_request(r) for r in rows]

    def mark_delivered(self, request_id: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            c.execute("UPDATE help_requests SET delivered_at=? WHERE id=? AND delivered_at IS NULL", (now, request_id))

    def mark_retry(self, request_id: str, next_attempt_at: float) -> None:
        with transaction(self.conn, durable=False) as c:
            c.execute(
                "UPDATE help_requests SET attempts = attempts + 1, next_attempt_at=? WHERE id=?",
                (next_attempt_at, request_id),
            )

    def mark_refused(self, request_id: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            c.execute(
                "UPDATE help_requests SET attempts = attempts + 1, refused_at=? WHERE id=? AND refused_at IS NULL",
                (now, request_id),
            )

    def deal_with(self, request_id: str, staff_id: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        staff_id = clean_staff_id(staff_id)
        with transaction(self.conn) as c:
            done = c.execute(
                "UPDATE help_requests SET dealt_with_at=?, dealt_with_by=? WHERE id=? AND dealt_with_at IS NULL",
                (now, staff_id, request_id),
            ).rowcount
            if not done:
                raise KeyError(request_id)
            self.audit.write(c, "help_dealt_with", request_id, now, actor="staff", staff_id=staff_id)


def _request(row: sqlite3.Row) -> HelpRequest:
    return HelpRequest(
        id=row["id"],
        asked_at=row["asked_at"],
        journey_id=row["journey_id"],
        delivered_at=row["delivered_at"],
        dealt_with_at=row["dealt_with_at"],
        dealt_with_by=row["dealt_with_by"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        refused_at=row["refused_at"],
    )
