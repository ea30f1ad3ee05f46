"""The kiosk's SQLite database: outbox, encrypted answers, catalogue cache, audit log.

One file in the data directory, WAL, durable commits (synchronous=FULL), numbered migrations.
Every multi-step write is one transaction, so nothing is ever half-written.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from local_store.vault import Vault, VaultError

STATES = ("pending", "sending", "delivered", "needs_attention", "discarded")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

migrations = Migrations("dcp-kiosk")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            journey_id TEXT NOT NULL,
            journey_version INTEGER NOT NULL,
            created_at REAL NOT NULL,
            assisted_by TEXT,
            sealed BLOB
        )"""
    )
    db.execute(
        """CREATE TABLE outbox (
            submission_id TEXT PRIMARY KEY REFERENCES submissions(id),
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'sending', 'delivered', 'needs_attention', 'discarded')),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            last_error_class TEXT,
            last_error_message TEXT,
            server_reference TEXT,
            delivered_at REAL
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox(state, next_attempt_at, created_at)")
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE cache (
            key TEXT PRIMARY KEY,
            etag TEXT,
            body TEXT NOT NULL,
            fetched_at REAL NOT NULL
        )"""
    )


class StoreError(RuntimeError):
    """Base class for problems with the local database."""


class SaveFailed(StoreError):
    """A submission could not be saved (disk full, read-only, locked). Nothing was written."""


class WrongMode(StoreError):
    """A training database opened as live, or the other way round."""


class SchemaTooNew(StoreError):
    """The database was written by a newer version of dcp-kiosk."""


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit Unix milliseconds, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def new_reference(training: bool) -> str:
    """A reference a person can read out and type: no 0/O or 1/I confusion (Crockford)."""
    chars = "".join(secrets.choice(_CROCKFORD[2:]) for _ in range(8))
    return f"{'TRN' if training else 'DCP'}-{chars[:4]}-{chars[4:]}"


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


class Store:
    """The local database. Not thread-safe: each thread opens its own Store on the same file."""

    def __init__(self, path: Path, *, training: bool) -> None:
        self.path = Path(path)
        self.training = training
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._check_schema()
        migrations.apply(self.db)
        self.install_id = self._meta_init()
        self._vault: Vault | None = None

    # -- set-up ---------------------------------------------------------------------------

    def _check_schema(self) -> None:
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(self.db)}
        if applied - known:
            raise SchemaTooNew(
                f"the database {self.path} was written by a newer dcp-kiosk "
                f"(unknown migrations: {', '.join(sorted(applied - known))}); upgrade the kiosk"
            )

    def _meta_init(self) -> str:
        mode = "training" if self.training else "live"
        with self.transaction():
            rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            if not rows:
                rows = {"install_id": uuid7(), "mode": mode}
                self.conn.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
        if rows["mode"] != mode:
            raise WrongMode(
                f"{self.path} holds {rows['mode']} data and cannot be opened in {mode} mode; "
                "use a separate data directory"
            )
        return str(rows["install_id"])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so no deadlock later."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def vault(self) -> Vault:
        if self._vault is None:
            has_data = self.conn.execute("SELECT 1 FROM submissions WHERE sealed IS NOT NULL LIMIT 1")
            self._vault = Vault.from_keyring(self.install_id, create=has_data.fetchone() is None)
        return self._vault

    def close(self) -> None:
        self.conn.close()

    # -- outbox ---------------------------------------------------------------------------

    def submit(
        self,
        journey_id: str,
        journey_version: int,
        answers: dict[str, Any],
        *,
        assisted_by: str | None = None,
        now: float | None = None,
    ) -> Saved:
        """Save a submission, its outbox row and its audit entry in one durable transaction.

        Raises SaveFailed (nothing written) or VaultError (no key: nothing written).
        """
        now = time.time() if now is None else now
        submission_id = uuid7()
        reference = new_reference(self.training)
        sealed = self.vault().seal(json.dumps(answers, sort_keys=True).encode(), submission_id)
        try:
            with self.transaction() as c:
                c.execute(
                    "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (submission_id, reference, journey_id, journey_version, now, assisted_by, sealed),
                )
                c.execute(
                    "INSERT INTO outbox (submission_id, state, created_at, updated_at, next_attempt_at)"
                    " VALUES (?, 'pending', ?, ?, ?)",
                    (submission_id, now, now, now),
                )
                self._audit(c, assisted_by or "citizen", "submit", submission_id, now)
        except sqlite3.OperationalError as exc:
            raise SaveFailed(f"could not save the submission: {exc}") from exc
        return Saved(submission_id, reference)

    def _audit(self, c: sqlite3.Connection, actor: str, action: str, subject: str | None, now: float) -> None:
        c.execute(
            "INSERT INTO audit (at, actor, action, subject) VALUES (?, ?, ?, ?)",
            (now, actor, action, subject),
        )

    def requeue_stuck(self) -> int:
        """Rows left in 'sending' by a crash go back to 'pending'. Call once at start."""
        with self.transaction() as c:
            return c.execute("UPDATE outbox SET state='pending' WHERE state='sending'").rowcount

    def claim_next(self, now: float | None = None) -> OutboxItem | None:
        """Take the oldest due pending row and mark it 'sending'."""
        now = time.time() if now is None else now
        with self.transaction() as c:
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
        return OutboxItem(
            submission_id=row["submission_id"],
            reference=row["reference"],
            journey_id=row["journey_id"],
            journey_version=row["journey_version"],
            state=row["state"],
            attempts=row["attempts"],
            created_at=row["created_at"],
            next_attempt_at=row["next_attempt_at"],
            last_error_class=row["last_error_class"],
            last_error_message=row["last_error_message"],
            server_reference=row["server_reference"],
            assisted_by=row["assisted_by"],
        )

    def answers(self, submission_id: str) -> dict[str, Any] | None:
        """The decrypted answers, or None once they have been purged after delivery."""
        row = self.conn.execute("SELECT sealed FROM submissions WHERE id=?", (submission_id,)).fetchone()
        if row is None:
            raise KeyError(submission_id)
        if row["sealed"] is None:
            return None
        result: dict[str, Any] = json.loads(self.vault().open(row["sealed"], submission_id))
        return result

    def mark_delivered(self, submission_id: str, server_reference: str, now: float | None = None) -> None:
        """Delivered: keep the reference and times, destroy the personal data (retention 0 days)."""
        now = time.time() if now is None else now
        with self.transaction() as c:
            c.execute(
                """UPDATE outbox SET state='delivered', server_reference=?, delivered_at=?, updated_at=?,
                   last_error_class=NULL, last_error_message=NULL WHERE submission_id=?""",
                (server_reference, now, now, submission_id),
            )
            c.execute("UPDATE submissions SET sealed=NULL WHERE id=?", (submission_id,))
            self._audit(c, "sync", "delivered", submission_id, now)

    def mark_retry(
        self, submission_id: str, error_class: str, message: str, next_attempt_at: float, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with self.transaction() as c:
            c.execute(
                """UPDATE outbox SET state='pending', next_attempt_at=?, last_error_class=?,
                   last_error_message=?, updated_at=? WHERE submission_id=?""",
                (next_attempt_at, error_class, message[:500], now, submission_id),
            )

    def mark_needs_attention(
        self, submission_id: str, error_class: str, message: str, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with self.transaction() as c:
            c.execute(
                """UPDATE outbox SET state='needs_attention', last_error_class=?, last_error_message=?,
                   updated_at=? WHERE submission_id=?""",
                (error_class, message[:500], now, submission_id),
            )
            self._audit(c, "sync", "needs_attention", submission_id, now)

    def release(self, submission_id: str) -> None:
        """Put a claimed row back to pending untouched (sync stopped before sending it)."""
        with self.transaction() as c:
            c.execute("UPDATE outbox SET state='pending' WHERE submission_id=? AND state='sending'", (submission_id,))

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

    def items(self, state: str | None = None) -> list[OutboxItem]:
        sql = "SELECT submission_id FROM outbox"
        args: tuple[str, ...] = ()
        if state:
            sql += " WHERE state=?"
            args = (state,)
        return [self.item(r["submission_id"]) for r in self.conn.execute(sql + " ORDER BY created_at", args)]

    # -- meta, cache, audit ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def cache_put(self, key: str, body: Any, etag: str | None = None, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)", (key, etag, json.dumps(body), now))

    def cache_get(self, key: str) -> tuple[Any, str | None] | None:
        row = self.conn.execute("SELECT body, etag FROM cache WHERE key=?", (key,)).fetchone()
        return (json.loads(row["body"]), row["etag"]) if row else None

    def audit_entries(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM audit ORDER BY id")]


__all__ = [
    "OutboxCounts",
    "OutboxItem",
    "SaveFailed",
    "Saved",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "VaultError",
    "WrongMode",
    "new_reference",
    "uuid7",
]
