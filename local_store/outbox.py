"""The outbox: each submission (its answers sealed), its delivery state and its audit trail.

States: pending -> sending -> delivered; needs_attention for what a person must look at
(staff correct, retry or discard it); discarded. A row left in sending by a crash goes back
to pending at start (`requeue_stuck`). See local_store/store.py for durability.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from local_store.alerts import Alerts
from local_store.audit import AuditLog, clean_staff_id
from local_store.db import ENVIRONMENT_ERRORS, InvalidTransition, SaveFailed, WriteFailed, transaction
from local_store.ids import new_reference, uuid7
from local_store.retention import Retention, purge_due, purge_one
from local_store.shred import Shredder
from local_store.vault import RecordUnreadable, Vault, VaultError

log = logging.getLogger("store")

STATES = ("pending", "sending", "delivered", "needs_attention", "discarded")
MAX_ERROR_MESSAGE = 500
MAX_REASON = 200


@dataclass(frozen=True)
class Saved:
    submission_id: str
    reference: str


@dataclass(frozen=True)
class OutboxItem:
    submission_id: str
    reference: str
    journey_id: str
    journey_version: int
    state: str
    attempts: int
    created_at: float
    next_attempt_at: float
    last_error_class: str | None
    last_error_message: str | None
    server_reference: str | None
    assisted_by: str | None


@dataclass(frozen=True)
class OutboxCounts:
    by_state: dict[str, int]
    oldest_pending_at: float | None

    @property
    def waiting(self) -> int:
        return self.by_state.get("pending", 0) + self.by_state.get("sending", 0)

    @property
    def needs_attention(self) -> int:
        return self.by_state.get("needs_attention", 0)

    def oldest_pending_age_s(self, now: float) -> float | None:
        """How long the oldest waiting submission has waited, or None when nothing waits."""
        return now - self.oldest_pending_at if self.oldest_pending_at is not None else None


class Outbox:
    """The `submissions` and `outbox` tables of one Store (same connection, same thread)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        path: Path,
        training: bool,
        audit: AuditLog,
        alerts: Alerts,
        retention: Retention,
        vault: Callable[[], Vault],
    ) -> None:
        self.conn = conn
        self.path = path
        self.training = training
        self.audit = audit
        self.alerts = alerts
        self.retention = retention
        self._vault = vault
        self.after_submit: Callable[[float], None] = lambda now: None  # the Store's watermark
        self.shredder = Shredder(conn, vault, alerts)
        retention.after_purge = self.shredder.run  # a retention purge destroys keys too

    def submit(
        self,
        journey_id: str,
        journey_version: int,
        answers: dict[str, Any],
        *,
        assisted_by: str | None = None,
        now: float | None = None,
        ids: Saved | None = None,
    ) -> Saved:
        """Save a submission, its outbox row and its audit entry in one durable transaction.

        When this returns, the submission is on disk (synchronous=FULL). Raises SaveFailed
        (disk full, read-only, locked: nothing written) or VaultError (no usable key: nothing
        written, a staff alert raised). ``ids`` are ones :meth:`reserve` gave earlier, when the
        portal already knows them (a payment or a held appointment carries them)."""
        now = time.time() if now is None else now
        try:
            plaintext = json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()
        except (TypeError, ValueError) as exc:
            raise SaveFailed(f"the answers cannot be stored ({type(exc).__name__})") from None
        vault = self._vault_or_alert()
        submission_id = ids.submission_id if ids else uuid7()
        for attempt in range(5):
            reference = ids.reference if ids else new_reference(self.training)
            try:
                with transaction(self.conn) as c:
                    sealed, epoch = vault.seal(c, plaintext, submission_id)  # the epoch as of this lock
                    c.execute(
                        "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (submission_id, reference, journey_id, journey_version, now, assisted_by, sealed, epoch),
                    )
                    c.execute(
                        "INSERT INTO outbox (submission_id, state, created_at, updated_at, next_attempt_at)"
                        " VALUES (?, 'pending', ?, ?, ?)",
                        (submission_id, now, now, now),
                    )
                    self.audit.write(
                        c,
                        "submit",
                        submission_id,
                        now,
                        actor="citizen",
                        staff_id=assisted_by,
                        detail=f"{journey_id} v{journey_version}",
                    )
            except VaultError as exc:
                self._vault_alert(exc)
                raise
            except sqlite3.IntegrityError as exc:
                if "reference" in str(exc) and attempt < 4 and ids is None:
                    continue  # two references alike (1 in 6e11): draw again
                raise SaveFailed(f"could not save the submission: {exc}") from exc
            except WriteFailed as exc:
                self._save_failed(exc.errorname)
                raise SaveFailed(f"could not save the submission: {exc.__cause__}") from exc
            except sqlite3.Error as exc:
                self._save_failed(type(exc).__name__)
                raise SaveFailed(f"could not save the submission: {exc}") from exc
            self.after_submit(now)
            return Saved(submission_id, reference)
        raise AssertionError("unreachable")  # pragma: no cover

    def reserve(self) -> Saved:
        """A submission id and a reference for a submission not saved yet, that the portal must know
        first (a payment's reference, a hold's submission); :meth:`submit` takes them as ``ids``."""
        return Saved(uuid7(), new_reference(self.training))

    def _save_failed(self, name: str) -> None:
        log.error("submission not saved: %s", name)
        if name.startswith(ENVIRONMENT_ERRORS):
            what = "the disk is full" if name.startswith("SQLITE_FULL") else name
            what = "the data directory is read-only" if name.startswith("SQLITE_READONLY") else what
            self.alerts.raise_alert(
                "save_failed",
                f"A citizen's submission could not be saved: {what}. "
                f"They were asked to see a member of staff. Database: {self.path}",
            )

    def requeue_stuck(self) -> int:
        """Rows left in 'sending' by a crash go back to 'pending'. Call once at start."""
        with transaction(self.conn) as c:
            n = c.execute("UPDATE outbox SET state='pending' WHERE state='sending'").rowcount
            if n:
                self.audit.write(c, "requeue_stuck", None, time.time(), detail=f"{n} rows")
            return n

    def claim_next(self, now: float | None = None) -> OutboxItem | None:
        """Take the oldest due pending row and mark it 'sending'."""
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            row = c.execute(
                """UPDATE outbox SET state='sending', attempts=attempts+1, updated_at=?
                   WHERE submission_id = (
                       SELECT submission_id FROM outbox
                       WHERE state='pending' AND next_attempt_at <= ?
                       ORDER BY created_at LIMIT 1)
                   RETURNING submission_id""",
                (now, now),
            ).fetchone()
        return self.item(row["submission_id"]) if row else None

    def item(self, submission_id: str) -> OutboxItem:
        row = self.conn.execute(
            """SELECT o.*, s.reference, s.journey_id, s.journey_version, s.assisted_by
               FROM outbox o JOIN submissions s ON s.id = o.submission_id
               WHERE o.submission_id = ?""",
            (submission_id,),
        ).fetchone()
        if row is None:
            raise KeyError(submission_id)
        return OutboxItem(**{f.name: row[f.name] for f in fields(OutboxItem)})

    def answers(self, submission_id: str) -> dict[str, Any] | None:
        """The decrypted answers, or None once they have been destroyed (retention, discard).

        VaultError (and a staff alert) if the key is unusable or does not open the record."""
        vault = self._vault_or_alert()
        for attempt in range(3):
            row = self.conn.execute("SELECT sealed FROM submissions WHERE id=?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            if row["sealed"] is None:
                return None
            try:
                plaintext = vault.open(row["sealed"], submission_id)
            except RecordUnreadable as exc:
                again = self.conn.execute("SELECT sealed FROM submissions WHERE id=?", (submission_id,)).fetchone()
                if attempt < 2 and again is not None and again["sealed"] != row["sealed"]:
                    continue  # another Store re-sealed it (and destroyed the old key) meanwhile
                self.alerts.raise_alert("vault_unusable", f"A stored submission could not be decrypted: {exc}.")
                raise
            except VaultError as exc:
                self._vault_alert(exc)
                raise
            result: dict[str, Any] = json.loads(plaintext)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def reseal(self, c: sqlite3.Connection, submission_id: str, plaintext: bytes) -> None:
        """Replace a submission's sealed answers, inside the caller's write transaction (the old
        blob's epoch becomes dirty: its key is destroyed at the next rotation)."""
        sealed, epoch = self._vault_or_alert().seal(c, plaintext, submission_id)
        c.execute("UPDATE submissions SET sealed=?, epoch=? WHERE id=?", (sealed, epoch, submission_id))

    def mark_delivered(self, submission_id: str, server_reference: str, now: float | None = None) -> None:
        """Delivered: keep the reference and times; destroy the personal data when the retention
        period (default 0 days: now, in this transaction) has passed."""
        self.mark_delivered_many([(submission_id, server_reference)], now)

    def mark_retry(
        self, submission_id: str, error_class: str, message: str, next_attempt_at: float, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            c.execute(
                """UPDATE outbox SET state='pending', next_attempt_at=?, last_error_class=?,
                   last_error_message=?, updated_at=?
                   WHERE submission_id=? AND state NOT IN ('delivered', 'discarded')""",
                (next_attempt_at, error_class, message[:MAX_ERROR_MESSAGE], now, submission_id),
            )

    def mark_needs_attention(
        self, submission_id: str, error_class: str, message: str, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            changed = c.execute(
                """UPDATE outbox SET state='needs_attention', last_error_class=?, last_error_message=?,
                   updated_at=? WHERE submission_id=? AND state NOT IN ('delivered', 'discarded')""",
                (error_class, message[:MAX_ERROR_MESSAGE], now, submission_id),
            ).rowcount
            if changed:
                self.audit.write(c, "needs_attention", submission_id, now, actor="sync", detail=error_class)

    def release(self, submission_id: str) -> None:
        """Put a claimed row back to pending untouched, its attempt not counted (sync stopped before sending it)."""
        with transaction(self.conn, durable=False) as c:
            c.execute(
                "UPDATE outbox SET state='pending', attempts=max(attempts-1, 0) WHERE submission_id=? AND state='sending'",
                (submission_id,),
            )

    def discard(self, submission_id: str, *, staff_id: str, reason: str, now: float | None = None) -> None:
        """Staff discard a submission that is waiting or needs attention: it will never be sent,
        its personal data is destroyed at once, and an audit entry keeps who, when and why.

        `reason` is staff's words (at most 200 characters); the console must ask for no personal
        data in it. InvalidTransition if the submission is being sent, delivered or discarded."""
        staff_id = clean_staff_id(staff_id)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValueError("a reason is needed to discard a submission")
        if len(reason) > MAX_REASON:
            raise ValueError(f"the reason must be at most {MAX_REASON} characters")
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            row = c.execute("SELECT state FROM outbox WHERE submission_id=?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            if row["state"] not in ("pending", "needs_attention"):
                raise InvalidTransition(f"a submission that is {row['state']} cannot be discarded")
            c.execute("UPDATE outbox SET state='discarded', updated_at=? WHERE submission_id=?", (now, submission_id))
            purge_one(c, submission_id)
            self.audit.write(c, "discard", submission_id, now, actor="staff", staff_id=staff_id, detail=reason)
        self.shredder.run()

    def staff_retry(self, submission_id: str, *, staff_id: str, now: float | None = None) -> None:
        """Staff send a needs-attention submission again (after the portal side was put right)."""
        staff_id = clean_staff_id(staff_id)
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            row = c.execute("SELECT state FROM outbox WHERE submission_id=?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            if row["state"] != "needs_attention":
                raise InvalidTransition(f"a submission that is {row['state']} cannot be retried by staff")
            c.execute(
                "UPDATE outbox SET state='pending', next_attempt_at=?, updated_at=? WHERE submission_id=?",
                (now, now, submission_id),
            )
            # staff checked the delivery target by hand (local_store/remote.py): the next attempt posts afresh
            c.execute("DELETE FROM remote_sends WHERE submission_id=?", (submission_id,))
            self.audit.write(c, "staff_retry", submission_id, now, actor="staff", staff_id=staff_id)

    def counts(self) -> OutboxCounts:
        by_state = {s: 0 for s in STATES}
        for row in self.conn.execute("SELECT state, count(*) AS n FROM outbox GROUP BY state"):
            by_state[row["state"]] = row["n"]
        oldest = self.conn.execute(
            "SELECT min(created_at) AS t FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()["t"]
        return OutboxCounts(by_state, oldest)

    def next_due_at(self) -> float | None:
        row = self.conn.execute("SELECT min(next_attempt_at) AS t FROM outbox WHERE state='pending'").fetchone()
        return row["t"] if row else None

    def by_reference(self, reference: str) -> OutboxItem | None:
        """The submission with this (kiosk) reference, or None."""
        row = self.conn.execute("SELECT id FROM submissions WHERE reference=?", (reference,)).fetchone()
        return self.item(row["id"]) if row else None

    def items(self, state: str | None = None) -> list[OutboxItem]:
        sql = "SELECT submission_id FROM outbox"
        args: tuple[str, ...] = ()
        if state:
            sql += " WHERE state=?"
            args = (state,)
        return [self.item(r["submission_id"]) for r in self.conn.execute(sql + " ORDER BY created_at", args)]

    def claim_due(self, limit: int, now: float | None = None) -> list[OutboxItem]:
        """Take up to `limit` of the oldest due pending rows and mark them 'sending', in one
        transaction; oldest first. A crash leaves them in 'sending' for requeue_stuck()."""
        now = time.time() if now is None else now
        with transaction(self.conn, durable=False) as c:
            ids = [
                row["submission_id"]
                for row in c.execute(
                    """UPDATE outbox SET state='sending', attempts=attempts+1, updated_at=?
                       WHERE submission_id IN (
                           SELECT submission_id FROM outbox
                           WHERE state='pending' AND next_attempt_at <= ?
                           ORDER BY created_at LIMIT ?)
                       RETURNING submission_id""",
                    (now, now, limit),
                ).fetchall()
            ]
        return sorted((self.item(i) for i in ids), key=lambda item: item.created_at)

    def mark_delivered_many(
        self, delivered: list[tuple[str, str]], now: float | None = None, *, shred: bool = True
    ) -> None:
        """mark_delivered for several (submission id, server reference) pairs in one transaction.

        `shred=False` leaves the rotation (local_store/shred.py) to a later `shred()`: the sync engine
        does so within a long pass and shreds every few seconds and at the end of it."""
        if not delivered:
            return
        now = time.time() if now is None else now
        days = self.retention.days()
        with transaction(self.conn, durable=False) as c:
            for submission_id, server_reference in delivered:
                changed = c.execute(
                    """UPDATE outbox SET state='delivered', server_reference=?, delivered_at=?, updated_at=?,
                       last_error_class=NULL, last_error_message=NULL
                       WHERE submission_id=? AND state NOT IN ('delivered', 'discarded')""",
                    (server_reference, now, now, submission_id),
                ).rowcount
                if not changed:
                    continue
                c.execute("DELETE FROM remote_sends WHERE submission_id=?", (submission_id,))
                if days == 0:
                    purge_one(c, submission_id)
                self.audit.write(c, "delivered", submission_id, now, actor="sync")
            if days != 0:
                purge_due(c, days, now)
        if shred:
            self.shredder.run()

    def shred(self) -> None:
        """Destroy the keys of what has been purged (see local_store/shred.py)."""
        self.shredder.run()

    def _vault_or_alert(self) -> Vault:
        try:
            return self._vault()
        except VaultError as exc:
            self._vault_alert(exc)
            raise
        except (sqlite3.Error, WriteFailed) as exc:
            raise SaveFailed(f"could not prepare the encryption key: {exc}") from exc

    def _vault_alert(self, exc: VaultError) -> None:
        self.alerts.raise_alert(
            "vault_unusable",
            f"Submissions cannot be saved or sent: {exc}. Nothing was stored unencrypted. "
            "IT must restore the kiosk's keyring (see the install guide).",
        )
        log.error("vault unusable: %s", exc)


__all__ = ["STATES", "Outbox", "OutboxCounts", "OutboxItem", "Saved", "new_reference", "uuid7"]
