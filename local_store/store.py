"""The kiosk's SQLite database: outbox, encrypted answers, catalogue cache, audit log, staff alerts.

One file in the data directory, WAL, numbered migrations (sqlite-utils), checked at every open.
Every multi-step write is one transaction, so nothing is ever half-written.

Durability: the submit commit (and every staff action) runs with `synchronous=FULL`, so when
`submit()` returns the submission survives a power cut. The sync bookkeeping (claim, retry,
delivered, needs attention) commits with `synchronous=NORMAL`: a power cut can only undo the most
recent of those, which sends a submission again with the same idempotency key, and the portal
answers that with its first response. Exactly once is kept either way.
"""

from __future__ import annotations

import json
import logging
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

from local_store import retention
from local_store.integrity import MovedAside, StoreUnavailable, open_checked
from local_store.vault import Vault, VaultError, create_key, load_key

log = logging.getLogger("store")

STATES = ("pending", "sending", "delivered", "needs_attention", "discarded")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_ERROR_MESSAGE = 500
MAX_REASON = 200
MAX_STAFF_ID = 64

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


@migrations()
def m002_alerts_audit_who(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            raised_at REAL NOT NULL,
            last_at REAL NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            acknowledged_at REAL,
            acknowledged_by TEXT
        )"""
    )
    db.execute("CREATE INDEX alerts_open ON alerts(acknowledged_at, kind)")
    db.execute("ALTER TABLE audit ADD COLUMN kiosk TEXT")
    db.execute("ALTER TABLE audit ADD COLUMN staff_id TEXT")
    db.execute("ALTER TABLE audit ADD COLUMN detail TEXT")
    db.execute("CREATE INDEX outbox_finished ON outbox(state, delivered_at)")


@migrations()
def m003_queue_index(db: sqlite_utils.Database) -> None:
    # Claim walks pending rows oldest first and stops at the first due one; the old index on
    # (state, next_attempt_at, created_at) made SQLite sort every due row on each claim.
    db.execute("DROP INDEX outbox_due")
    db.execute("CREATE INDEX outbox_queue ON outbox(state, created_at, next_attempt_at)")


@migrations()
def m004_staff(db: sqlite_utils.Database) -> None:
    # Staff who may sign in on this kiosk (issue 8): a salted PIN hash, never the PIN, and the
    # lock-out counters, kept here so sign-in works offline. See local_store/staff.py.
    db.execute(
        """CREATE TABLE staff (
            staff_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until REAL
        )"""
    )


class StoreError(RuntimeError):
    """Base class for problems with the local database."""


class WriteFailed(StoreError):
    """A write could not be made because of the environment (disk full, read-only, I/O error,
    busy): it was rolled back, nothing was half-written. `errorname` is SQLite's, e.g. SQLITE_FULL."""

    def __init__(self, message: str, errorname: str) -> None:
        super().__init__(message)
        self.errorname = errorname


# SQLite error names (and their extended forms, e.g. SQLITE_IOERR_WRITE) caused by the machine, not a bug.
ENVIRONMENT_ERRORS = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
)


def environment_error(exc: BaseException) -> str | None:
    """SQLite's error name if `exc` is an environment problem (see ENVIRONMENT_ERRORS), else None."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name if isinstance(exc, sqlite3.OperationalError) and name.startswith(ENVIRONMENT_ERRORS) else None


class SaveFailed(StoreError):
    """A submission could not be saved (disk full, read-only, locked). Nothing was written."""


class WrongMode(StoreError):
    """A training database opened as live, or the other way round."""


class SchemaTooNew(StoreError):
    """The database was written by a newer version of dcp-kiosk."""


class InvalidTransition(StoreError):
    """A staff action that the submission's state does not allow (e.g. discarding a delivered one)."""


class DatabaseUnavailable(StoreError, StoreUnavailable):
    """The database cannot be opened (read-only or missing directory, permissions)."""


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


def _clean_staff_id(staff_id: str) -> str:
    staff_id = (staff_id or "").strip()
    if not staff_id or len(staff_id) > MAX_STAFF_ID or not staff_id.isprintable():
        raise ValueError("a staff id is needed (at most 64 printable characters)")
    return staff_id


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


class Store:
    """The local database. Not thread-safe: each thread opens its own Store on the same file.

    `retention_days` (when given) is saved in the database, so every Store on the file, such as
    the sync thread's, applies the same period; when None, the saved value (default 0) is used.
    """

    def __init__(self, path: Path, *, training: bool, retention_days: int | None = None) -> None:
        self.path = Path(path)
        self.training = training
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn, moved = open_checked(self.path)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot use the data directory {self.path.parent}: {exc.strerror}") from None
        except StoreUnavailable as exc:
            raise DatabaseUnavailable(str(exc)) from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._vault: Vault | None = None
        try:
            self._check_schema()
            migrations.apply(self.db)
            self.install_id = self._meta_init()
            if moved is not None:
                self._record_moved_aside(moved)
            if retention_days is not None:
                self.set_retention_days(retention_days)
            self.purge_expired()
        except (sqlite3.Error, WriteFailed) as exc:
            conn.close()
            raise DatabaseUnavailable(f"cannot prepare the database {self.path}: {exc}") from None
        except BaseException:
            conn.close()
            raise

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
            if "install_id" not in rows:
                rows = {"install_id": uuid7(), "mode": mode}
                self.conn.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
        if rows["mode"] != mode:
            raise WrongMode(
                f"{self.path} holds {rows['mode']} data and cannot be opened in {mode} mode; "
                "use a separate data directory"
            )
        return str(rows["install_id"])

    def _record_moved_aside(self, moved: MovedAside) -> None:
        self.raise_alert(
            "database_moved_aside",
            f"The kiosk's database was damaged and has been moved aside to {moved.moved_to} "
            f"(with its side files). A new, empty database was started. Submissions not yet sent "
            f"may be in the old file: keep it and contact IT. Problem found: {moved.problem}",
        )

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so no deadlock later.

        `durable=False` commits with synchronous=NORMAL (see the module docstring for when)."""
        if not durable:
            self.conn.execute("PRAGMA synchronous=NORMAL")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            name = environment_error(exc)
            if name is None:
                raise
            raise WriteFailed(f"could not write to the database: {exc}", name) from exc
        finally:
            if not durable:
                self.conn.execute("PRAGMA synchronous=FULL")

    def vault(self) -> Vault:
        """The vault for this database. VaultError if the keyring is unusable or its key is wrong.

        Raises WriteFailed if the database cannot be written (disk full, read-only).
        The first call on a new database makes the key and stores a key check (a ciphertext only
        that key opens) in `meta`, under the write lock, so two Stores cannot make two keys."""
        if self._vault is not None:
            return self._vault
        check = self.get_meta("key_check")
        if check is None:
            with self.transaction() as c:
                row = c.execute("SELECT value FROM meta WHERE key='key_check'").fetchone()
                if row is None:
                    key = load_key(self.install_id)
                    if key is None:
                        has_data = c.execute("SELECT 1 FROM submissions WHERE sealed IS NOT NULL LIMIT 1")
                        if has_data.fetchone() is not None:
                            raise VaultError("the data key for this database is not in the keyring")
                        key = create_key(self.install_id)
                    vault = Vault(key)
                    check = vault.key_check(self.install_id).hex()
                    c.execute("INSERT INTO meta VALUES ('key_check', ?)", (check,))
                else:
                    check = row["value"]
        key = load_key(self.install_id)
        if key is None:
            raise VaultError("the data key for this database is not in the keyring")
        vault = Vault(key)
        vault.verify(bytes.fromhex(check), self.install_id)
        self._vault = vault
        return vault

    def _vault_or_alert(self) -> Vault:
        try:
            return self.vault()
        except VaultError as exc:
            self.raise_alert(
                "vault_unusable",
                f"Submissions cannot be saved or sent: {exc}. Nothing was stored unencrypted. "
                "IT must restore the kiosk's keyring (see the install guide).",
            )
            log.error("vault unusable: %s", exc)
            raise
        except (sqlite3.Error, WriteFailed) as exc:
            raise SaveFailed(f"could not prepare the encryption key: {exc}") from exc

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

        When this returns, the submission is on disk (synchronous=FULL). Raises SaveFailed
        (disk full, read-only, locked: nothing written) or VaultError (no usable key: nothing
        written, a staff alert raised)."""
        now = time.time() if now is None else now
        try:
            plaintext = json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()
        except (TypeError, ValueError) as exc:
            raise SaveFailed(f"the answers cannot be stored ({type(exc).__name__})") from None
        vault = self._vault_or_alert()
        submission_id = uuid7()
        sealed = vault.seal(plaintext, submission_id)
        for attempt in range(5):
            reference = new_reference(self.training)
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
                    self._audit(
                        c,
                        "submit",
                        submission_id,
                        now,
                        actor="citizen",
                        staff_id=assisted_by,
                        detail=f"{journey_id} v{journey_version}",
                    )
            except sqlite3.IntegrityError as exc:
                if "reference" in str(exc) and attempt < 4:
                    continue  # two references alike (1 in 6e11): draw again
                raise SaveFailed(f"could not save the submission: {exc}") from exc
            except WriteFailed as exc:
                self._save_failed(exc.errorname)
                raise SaveFailed(f"could not save the submission: {exc.__cause__}") from exc
            except sqlite3.Error as exc:
                self._save_failed(type(exc).__name__)
                raise SaveFailed(f"could not save the submission: {exc}") from exc
            return Saved(submission_id, reference)
        raise AssertionError("unreachable")  # pragma: no cover

    def _save_failed(self, name: str) -> None:
        log.error("submission not saved: %s", name)
        if name.startswith(ENVIRONMENT_ERRORS):
            what = "the disk is full" if name.startswith("SQLITE_FULL") else name
            what = "the data directory is read-only" if name.startswith("SQLITE_READONLY") else what
            self.raise_alert(
                "save_failed",
                f"A citizen's submission could not be saved: {what}. "
                f"They were asked to see a member of staff. Database: {self.path}",
            )

    def _audit(
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
        """Who did what and when. Never personal data: ids, states, error classes, staff reasons."""
        c.execute(
            "INSERT INTO audit (at, actor, action, subject, kiosk, staff_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, actor, action, subject, self.install_id, staff_id, detail),
        )

    def requeue_stuck(self) -> int:
        """Rows left in 'sending' by a crash go back to 'pending'. Call once at start."""
        with self.transaction() as c:
            n = c.execute("UPDATE outbox SET state='pending' WHERE state='sending'").rowcount
            if n:
                self._audit(c, "requeue_stuck", None, time.time(), detail=f"{n} rows")
            return n

    def claim_next(self, now: float | None = None) -> OutboxItem | None:
        """Take the oldest due pending row and mark it 'sending'."""
        now = time.time() if now is None else now
        with self.transaction(durable=False) as c:
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
        """The decrypted answers, or None once they have been destroyed (retention, discard).

        VaultError (and a staff alert) if the key is unusable or does not open the record."""
        row = self.conn.execute("SELECT sealed FROM submissions WHERE id=?", (submission_id,)).fetchone()
        if row is None:
            raise KeyError(submission_id)
        if row["sealed"] is None:
            return None
        vault = self._vault_or_alert()
        try:
            plaintext = vault.open(row["sealed"], submission_id)
        except VaultError as exc:
            self.raise_alert("vault_unusable", f"A stored submission could not be decrypted: {exc}.")
            raise
        result: dict[str, Any] = json.loads(plaintext)
        return result

    def mark_delivered(self, submission_id: str, server_reference: str, now: float | None = None) -> None:
        """Delivered: keep the reference and times; destroy the personal data when the retention
        period (default 0 days: now, in this transaction) has passed."""
        self.mark_delivered_many([(submission_id, server_reference)], now)

    def mark_retry(
        self, submission_id: str, error_class: str, message: str, next_attempt_at: float, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with self.transaction(durable=False) as c:
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
        with self.transaction(durable=False) as c:
            changed = c.execute(
                """UPDATE outbox SET state='needs_attention', last_error_class=?, last_error_message=?,
                   updated_at=? WHERE submission_id=? AND state NOT IN ('delivered', 'discarded')""",
                (error_class, message[:MAX_ERROR_MESSAGE], now, submission_id),
            ).rowcount
            if changed:
                self._audit(c, "needs_attention", submission_id, now, actor="sync", detail=error_class)

    def release(self, submission_id: str) -> None:
        """Put a claimed row back to pending untouched (sync stopped before sending it)."""
        with self.transaction(durable=False) as c:
            c.execute("UPDATE outbox SET state='pending' WHERE submission_id=? AND state='sending'", (submission_id,))

    def discard(self, submission_id: str, *, staff_id: str, reason: str, now: float | None = None) -> None:
        """Staff discard a submission that is waiting or needs attention: it will never be sent,
        its personal data is destroyed at once, and an audit entry keeps who, when and why.

        `reason` is staff's words (at most 200 characters); the console must ask for no personal
        data in it. InvalidTransition if the submission is being sent, delivered or discarded."""
        staff_id = _clean_staff_id(staff_id)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValueError("a reason is needed to discard a submission")
        if len(reason) > MAX_REASON:
            raise ValueError(f"the reason must be at most {MAX_REASON} characters")
        now = time.time() if now is None else now
        with self.transaction() as c:
            row = c.execute("SELECT state FROM outbox WHERE submission_id=?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            if row["state"] not in ("pending", "needs_attention"):
                raise InvalidTransition(f"a submission that is {row['state']} cannot be discarded")
            c.execute("UPDATE outbox SET state='discarded', updated_at=? WHERE submission_id=?", (now, submission_id))
            retention.purge_one(c, submission_id)
            self._audit(c, "discard", submission_id, now, actor="staff", staff_id=staff_id, detail=reason)

    def staff_retry(self, submission_id: str, *, staff_id: str, now: float | None = None) -> None:
        """Staff send a needs-attention submission again (after the portal side was put right)."""
        staff_id = _clean_staff_id(staff_id)
        now = time.time() if now is None else now
        with self.transaction() as c:
            row = c.execute("SELECT state FROM outbox WHERE submission_id=?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            if row["state"] != "needs_attention":
                raise InvalidTransition(f"a submission that is {row['state']} cannot be retried by staff")
            c.execute(
                "UPDATE outbox SET state='pending', next_attempt_at=?, updated_at=? WHERE submission_id=?",
                (now, now, submission_id),
            )
            self._audit(c, "staff_retry", submission_id, now, actor="staff", staff_id=staff_id)

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

    # -- retention ------------------------------------------------------------------------

    def retention_days(self) -> int:
        value = self.get_meta("retention_days")
        return int(value) if value else 0

    def set_retention_days(self, days: int) -> None:
        if not isinstance(days, int) or days < 0:
            raise ValueError("retention_days must be a whole number of days, 0 or more")
        if self.get_meta("retention_days") != str(days):
            self.set_meta("retention_days", str(days))

    def purge_expired(self, now: float | None = None) -> int:
        """Destroy the answers of finished submissions past the retention period. Returns how many."""
        now = time.time() if now is None else now
        days = self.retention_days()
        with self.transaction(durable=False) as c:
            n = retention.purge_due(c, days, now)
            if n:
                self._audit(c, "purge", None, now, detail=f"{n} submissions, retention {days} days")
        return n

    # -- staff alerts ---------------------------------------------------------------------

    def raise_alert(self, kind: str, message: str, now: float | None = None) -> bool:
        """Record something staff or IT must act on (no personal data in `message`).

        An open alert of the same kind is updated (count, time, message) rather than repeated.
        Returns False if even the alert could not be written (e.g. the disk is full)."""
        now = time.time() if now is None else now
        try:
            with self.transaction() as c:
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
                    self._audit(c, "alert", None, now, detail=kind)
        except (sqlite3.Error, WriteFailed) as exc:
            log.error("could not record a %s alert: %s", kind, getattr(exc, "errorname", type(exc).__name__))
            return False
        return True

    def alerts(self, *, include_acknowledged: bool = False) -> list[Alert]:
        sql = "SELECT * FROM alerts"
        if not include_acknowledged:
            sql += " WHERE acknowledged_at IS NULL"
        return [Alert(**dict(r)) for r in self.conn.execute(sql + " ORDER BY id")]

    def acknowledge_alert(self, alert_id: int, *, staff_id: str, now: float | None = None) -> None:
        staff_id = _clean_staff_id(staff_id)
        now = time.time() if now is None else now
        with self.transaction() as c:
            row = c.execute("SELECT kind FROM alerts WHERE id=? AND acknowledged_at IS NULL", (alert_id,)).fetchone()
            if row is None:
                raise KeyError(alert_id)
            c.execute("UPDATE alerts SET acknowledged_at=?, acknowledged_by=? WHERE id=?", (now, staff_id, alert_id))
            self._audit(
                c, "alert_acknowledged", str(alert_id), now, actor="staff", staff_id=staff_id, detail=row["kind"]
            )

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

    # -- batches for the sync engine (issue 4): the same rules as claim_next / mark_delivered ----

    def claim_due(self, limit: int, now: float | None = None) -> list[OutboxItem]:
        """Take up to `limit` of the oldest due pending rows and mark them 'sending', in one
        transaction; oldest first. A crash leaves them in 'sending' for requeue_stuck()."""
        now = time.time() if now is None else now
        with self.transaction(durable=False) as c:
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

    def mark_delivered_many(self, delivered: list[tuple[str, str]], now: float | None = None) -> None:
        """mark_delivered for several (submission id, server reference) pairs in one transaction."""
        if not delivered:
            return
        now = time.time() if now is None else now
        days = self.retention_days()
        with self.transaction(durable=False) as c:
            for submission_id, server_reference in delivered:
                changed = c.execute(
                    """UPDATE outbox SET state='delivered', server_reference=?, delivered_at=?, updated_at=?,
                       last_error_class=NULL, last_error_message=NULL
                       WHERE submission_id=? AND state NOT IN ('delivered', 'discarded')""",
                    (server_reference, now, now, submission_id),
                ).rowcount
                if not changed:
                    continue
                if days == 0:
                    retention.purge_one(c, submission_id)
                self._audit(c, "delivered", submission_id, now, actor="sync")
            if days != 0:
                retention.purge_due(c, days, now)


__all__ = [
    "Alert",
    "DatabaseUnavailable",
    "InvalidTransition",
    "OutboxCounts",
    "OutboxItem",
    "SaveFailed",
    "Saved",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "VaultError",
    "WriteFailed",
    "WrongMode",
    "new_reference",
    "uuid7",
]
