"""Staff records and staff actions on the kiosk's database.

What is kept: the staff id, the name shown in the "Assisted by" banner, a salted PIN hash
(made and checked in app/staff.py; this module never sees a PIN) and the lock-out counters.
Every sign-in, failure, lock-out and staff action is written to the audit log with the staff id
and never with personal data: a correction records which answers changed, not what they say.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from local_store.audit import MAX_STAFF_ID, clean_staff_id
from local_store.db import InvalidTransition, SaveFailed

if TYPE_CHECKING:
    from local_store.store import Store

MAX_NAME = 80


class StaffExists(ValueError):
    """`add` of a staff id that is already on this kiosk (use replace=True to change the PIN)."""


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to: ok, wrong, locked_now (this failure locked the id), locked, or unknown."""

    outcome: Literal["ok", "wrong", "locked_now", "locked", "unknown"]
    record: StaffRecord | None
    locked_until: float | None


@dataclass(frozen=True)
class StaffRecord:
    staff_id: str
    name: str
    pin_hash: str
    created_at: float
    updated_at: float
    failures: int
    locked_until: float | None

    def locked(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise ValueError(f"a name is needed (at most {MAX_NAME} printable characters)")
    return name


class StaffTable:
    """The `staff` table of one Store (same connection, same thread)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, staff_id: str) -> StaffRecord | None:
        row = self.store.conn.execute("SELECT * FROM staff WHERE staff_id=?", ((staff_id or "").strip(),)).fetchone()
        return StaffRecord(**dict(row)) if row else None

    def all(self) -> list[StaffRecord]:
        return [StaffRecord(**dict(r)) for r in self.store.conn.execute("SELECT * FROM staff ORDER BY staff_id")]

    def add(self, staff_id: str, name: str, pin_hash: str, *, replace: bool = False, now: float | None = None) -> None:
        staff_id = clean_staff_id(staff_id)
        name = clean_name(name)
        now = time.time() if now is None else now
        with self.store.transaction() as c:
            exists = c.execute("SELECT 1 FROM staff WHERE staff_id=?", (staff_id,)).fetchone() is not None
            if exists and not replace:
                raise StaffExists(f"staff id {staff_id} is already on this kiosk")
            c.execute(
                """INSERT INTO staff (staff_id, name, pin_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(staff_id) DO UPDATE SET name=excluded.name, pin_hash=excluded.pin_hash,
                   updated_at=excluded.updated_at, failures=0, locked_until=NULL""",
                (staff_id, name, pin_hash, now, now),
            )
            self.store.audit.write(c, "staff_pin_replaced" if exists else "staff_added", staff_id, now, actor="it")

    def remove(self, staff_id: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self.store.transaction() as c:
            gone = c.execute("DELETE FROM staff WHERE staff_id=?", ((staff_id or "").strip(),)).rowcount
            if gone:
                self.store.audit.write(c, "staff_removed", staff_id.strip(), now, actor="it")
        return bool(gone)

    def attempt(
        self,
        staff_id: str,
        check: Callable[[StaffRecord | None], bool],
        *,
        lock_after: int,
        lock_seconds: float,
        now: float | None = None,
    ) -> Attempt:
        """One sign-in attempt as one write transaction (BEGIN IMMEDIATE): read, refuse if locked, check, count.

        Attempts at once wait for each other here, so none passes the lock check before another's failure is
        counted, and a right PIN is never accepted while a wrong one is locking the id. ``check`` (the PIN
        check, made in app/staff_auth.py: this module never sees a PIN) is called exactly once on every path:
        with the record, or with None for an unknown or locked id, so each path does the same work.
        An unknown id is audited without the id (what was typed could be anything)."""
        now = time.time() if now is None else now
        with self.store.transaction() as c:
            row = c.execute("SELECT * FROM staff WHERE staff_id=?", (staff_id,)).fetchone() if staff_id else None
            record = StaffRecord(**dict(row)) if row else None
            if record is not None and record.locked(now):
                check(None)
                self.store.audit.write(
                    c, "staff_sign_in_refused", None, now, actor="staff", staff_id=record.staff_id, detail="locked"
                )
                return Attempt("locked", record, record.locked_until)
            good = check(record)
            if record is None:
                self.store.audit.write(c, "staff_sign_in_failed", None, now, actor="staff", detail="unknown staff id")
                return Attempt("unknown", None, None)
            if good:
                c.execute("UPDATE staff SET failures=0, locked_until=NULL WHERE staff_id=?", (record.staff_id,))
                self.store.audit.write(c, "staff_sign_in", None, now, actor="staff", staff_id=record.staff_id)
                return Attempt("ok", record, None)
            failures = record.failures + 1
            locked_until = now + lock_seconds if failures >= lock_after else None
            c.execute(
                "UPDATE staff SET failures=?, locked_until=? WHERE staff_id=?",
                (0 if locked_until else failures, locked_until, record.staff_id),
            )
            self.store.audit.write(
                c,
                "staff_sign_in_failed",
                None,
                now,
                actor="staff",
                staff_id=record.staff_id,
                detail=f"failure {failures}",
            )
            if locked_until is None:
                return Attempt("wrong", record, None)
            self.store.audit.write(
                c,
                "staff_locked_out",
                None,
                now,
                actor="staff",
                staff_id=record.staff_id,
                detail=f"{lock_seconds:.0f} s",
            )
            return Attempt("locked_now", record, locked_until)

    def audit(
        self,
        action: str,
        *,
        staff_id: str,
        subject: str | None = None,
        detail: str | None = None,
        now: float | None = None,
    ) -> None:
        """A staff action with no state change of its own (sign-out, viewing a submission's answers)."""
        staff_id = clean_staff_id(staff_id)
        now = time.time() if now is None else now
        with self.store.transaction() as c:
            self.store.audit.write(c, action, subject, now, actor="staff", staff_id=staff_id, detail=detail)


def correct_answers(
    store: Store, submission_id: str, answers: dict[str, Any], *, staff_id: str, now: float | None = None
) -> list[str]:
    """Staff correct a needs-attention submission's answers and send it again.

    The new answers are sealed in place of the old, the row goes back to pending (due now) and
    the audit entry names the question ids that changed (never their values). Returns those ids.
    InvalidTransition unless the submission needs attention and still has its answers."""
    staff_id = clean_staff_id(staff_id)
    now = time.time() if now is None else now
    try:
        plaintext = json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()
    except (TypeError, ValueError) as exc:
        raise SaveFailed(f"the answers cannot be stored ({type(exc).__name__})") from None
    before = store.outbox.answers(submission_id)
    item = store.outbox.item(submission_id)
    if item.state != "needs_attention" or before is None:
        raise InvalidTransition(f"a submission that is {item.state} cannot be corrected")
    changed = sorted(k for k in set(before) | set(answers) if before.get(k) != answers.get(k))
    with store.transaction() as c:
        row = c.execute("SELECT state FROM outbox WHERE submission_id=?", (submission_id,)).fetchone()
        if row is None or row["state"] != "needs_attention":
            raise InvalidTransition("the submission changed while it was being corrected")
        store.outbox.reseal(c, submission_id, plaintext)  # sealed under the epoch current at this lock
        c.execute(
            "UPDATE outbox SET state='pending', next_attempt_at=?, updated_at=? WHERE submission_id=?",
            (now, now, submission_id),
        )
        store.audit.write(
            c,
            "staff_correct",
            submission_id,
            now,
            actor="staff",
            staff_id=staff_id,
            detail="changed: " + (", ".join(changed) if changed else "nothing"),
        )
    return changed


__all__ = ["MAX_STAFF_ID", "Attempt", "StaffExists", "StaffRecord", "StaffTable", "clean_name", "correct_answers"]
