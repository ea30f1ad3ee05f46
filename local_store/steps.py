"""Payments and appointments this kiosk started: what staff see waiting, and what they did about it.

Nothing personal: a payment is its portal id (or ``due-<submission>`` for one left to pay later),
the kiosk reference, the amount in pence, how it is paid and its state; a booking is its reference,
whether it was booked or only requested, and the slot's start. The citizen's answers stay in the
encrypted outbox. Every staff action is audited with the staff id.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from local_store.audit import AuditLog, clean_staff_id
from local_store.db import transaction

__all__ = ["WAITING", "Booking", "PaymentRecord", "Steps"]

# A payment in one of these is not finished: staff may cancel an online one, or take a due one at the counter.
WAITING = ("created", "started", "submitted", "capturable", "due")


@dataclass(frozen=True)
class PaymentRecord:
    id: str
    submission_id: str
    reference: str
    amount: int
    method: str  # online, counter, later
    status: str  # the portal's (created ... success, failed, cancelled, error), or due, or paid_at_counter
    created_at: float
    updated_at: float
    closed_by: str | None


@dataclass(frozen=True)
class Booking:
    submission_id: str
    reference: str
    kind: str  # booked, request
    starts_at: str | None
    created_at: float


class Steps:
    """The `payments` and `bookings` tables."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditLog) -> None:
        self.conn = conn
        self.audit = audit

    def payment_started(
        self, payment_id: str, submission_id: str, reference: str, amount: int, status: str, now: float | None = None
    ) -> None:
        """An online payment the portal created (recorded before its QR code is shown)."""
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute(
                "INSERT OR IGNORE INTO payments VALUES (?, ?, ?, ?, 'online', ?, ?, ?, NULL)",
                (payment_id, submission_id, reference, amount, status, now, now),
            )
            self.audit.write(c, "payment_created", submission_id, now, detail=f"{amount}p")

    def payment_status(self, payment_id: str, status: str, now: float | None = None) -> None:
        """What the portal last said of a payment (a finished state is not overwritten)."""
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute(
                "UPDATE payments SET status=?, updated_at=? WHERE id=? AND status IN (" + _marks(WAITING) + ")",
                (status, now, payment_id, *WAITING),
            )

    def payment_due(
        self, submission_id: str, reference: str, amount: int, method: str, now: float | None = None
    ) -> None:
        """A request sent unpaid: to pay later, or at the counter (in the submission's own transaction is not
        needed: the submission carries the same facts; this is the staff console's list)."""
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute(
                "INSERT OR IGNORE INTO payments VALUES (?, ?, ?, ?, ?, 'due', ?, ?, NULL)",
                (f"due-{submission_id}", submission_id, reference, amount, method, now, now),
            )

    def close_payment(self, payment_id: str, status: str, staff_id: str, now: float | None = None) -> None:
        """Staff cancelled a stale payment, or took a due one at the counter. KeyError if it is not waiting."""
        now = time.time() if now is None else now
        staff = clean_staff_id(staff_id)
        with transaction(self.conn) as c:
            row = c.execute(
                "UPDATE payments SET status=?, updated_at=?, closed_by=? WHERE id=? AND status IN ("
                + _marks(WAITING)
                + ") RETURNING submission_id, amount",
                (status, now, staff, payment_id, *WAITING),
            ).fetchone()
            if row is None:
                raise KeyError(payment_id)
            self.audit.write(
                c,
                f"payment_{status}",
                row["submission_id"],
                now,
                actor="staff",
                staff_id=staff,
                detail=f"{row['amount']}p",
            )

    def payment(self, payment_id: str) -> PaymentRecord:
        row = self.conn.execute("SELECT * FROM payments WHERE id=?", (payment_id,)).fetchone()
        if row is None:
            raise KeyError(payment_id)
        return PaymentRecord(**dict(row))

    def payments(self, *, waiting_only: bool = False, limit: int = 50) -> list[PaymentRecord]:
        """Newest first; with waiting_only, those not finished."""
        where = f" WHERE status IN ({_marks(WAITING)})" if waiting_only else ""
        rows = self.conn.execute(
            f"SELECT * FROM payments{where} ORDER BY created_at DESC LIMIT ?",
            (*(WAITING if waiting_only else ()), limit),
        ).fetchall()
        return [PaymentRecord(**dict(r)) for r in rows]

    def booking(
        self, submission_id: str, reference: str, kind: str, starts_at: str | None, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute(
                "INSERT OR IGNORE INTO bookings VALUES (?, ?, ?, ?, ?)",
                (submission_id, reference, kind, starts_at, now),
            )

    def bookings(self, limit: int = 50) -> list[Booking]:
        rows = self.conn.execute("SELECT * FROM bookings ORDER BY created_at DESC LIMIT ?", (limit,)).fetchall()
        return [Booking(**dict(r)) for r in rows]


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)
