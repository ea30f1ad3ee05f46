"""The schema, as numbered migrations (sqlite-utils), each applied once in its own transaction.

The names are recorded in every database (`_sqlite_migrations`): never rename or change one that
has shipped; add the next number instead. `check_not_newer()` refuses a database written by a
newer kiosk (a migration this code does not know).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from local_store.db import SchemaTooNew

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
    # Staff who may sign in on this kiosk: a salted PIN hash, never the PIN, and the
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


@migrations()
def m005_epoch_keys(db: sqlite_utils.Database) -> None:
    # One data key per epoch, in the keyring only; `data_keys` lists the epochs whose key may
    # still be there: `dirty` once a record sealed under it was purged or replaced (its key must
    # go), `retired` once its live records were re-sealed (the key is deleted after the commit).
    # See local_store/shred.py. A database from before keeps its single key as epoch 0, dirty.
    db.execute(
        """CREATE TABLE data_keys (
            epoch INTEGER PRIMARY KEY,
            uses INTEGER NOT NULL DEFAULT 0,
            dirty INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("ALTER TABLE submissions ADD COLUMN epoch INTEGER")
    db.execute("UPDATE submissions SET epoch = 0 WHERE sealed IS NOT NULL")
    db.execute("CREATE INDEX submissions_epoch ON submissions(epoch) WHERE sealed IS NOT NULL")
    if db.execute("SELECT 1 FROM meta WHERE key='key_check'").fetchone() is not None:
        db.execute("INSERT INTO data_keys (epoch, dirty) VALUES (0, 1)")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('epoch', '0')")
    for event, old in (("UPDATE OF sealed", "OLD.sealed IS NOT NEW.sealed AND "), ("DELETE", "")):
        db.execute(
            f"""CREATE TRIGGER submissions_shred_{event.split()[0].lower()} AFTER {event} ON submissions
                WHEN {old}OLD.sealed IS NOT NULL AND OLD.epoch IS NOT NULL
                BEGIN UPDATE data_keys SET dirty = 1 WHERE epoch = OLD.epoch AND dirty = 0; END"""
        )


@migrations()
def m006_help_requests(db: sqlite_utils.Database) -> None:
    # A citizen pressed "Get help": nothing personal (when, the journey at most). See local_store/help.py.
    db.execute(
        """CREATE TABLE help_requests (
            id TEXT PRIMARY KEY,
            asked_at REAL NOT NULL,
            journey_id TEXT,
            delivered_at REAL,
            dealt_with_at REAL,
            dealt_with_by TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL
        )"""
    )


@migrations()
def m007_help_refused(db: sqlite_utils.Database) -> None:
    # A help request the portal refused is not sent again (and no longer holds up the ones after it).
    db.execute("ALTER TABLE help_requests ADD COLUMN refused_at REAL")


@migrations()
def m008_payments_bookings(db: sqlite_utils.Database) -> None:
    # Payments and appointments this kiosk started (local_store/steps.py): amounts, states and times,
    # nothing personal, so staff can see what is waiting and act on it.
    db.execute(
        """CREATE TABLE payments (
            id TEXT PRIMARY KEY,
            submission_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            amount INTEGER NOT NULL,
            method TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            closed_by TEXT
        )"""
    )
    db.execute("CREATE INDEX payments_status ON payments (status, created_at)")
    db.execute(
        """CREATE TABLE bookings (
            submission_id TEXT PRIMARY KEY,
            reference TEXT NOT NULL,
            kind TEXT NOT NULL,
            starts_at TEXT,
            created_at REAL NOT NULL
        )"""
    )


@migrations()
def m009_remote_sends(db: sqlite_utils.Database) -> None:
    # Reports sent to a target with no idempotency key (Open311): reconcile before any retry (local_store/remote.py).
    db.execute(
        """CREATE TABLE remote_sends (
            submission_id TEXT PRIMARY KEY,
            target TEXT NOT NULL,
            first_sent_at REAL NOT NULL,
            token TEXT
        )"""
    )


def check_not_newer(db: sqlite_utils.Database, path: Path) -> None:
    """SchemaTooNew if the database has a migration this code does not know."""
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    if applied - known:
        raise SchemaTooNew(
            f"the database {path} was written by a newer dcp-kiosk "
            f"(unknown migrations: {', '.join(sorted(applied - known))}); upgrade the kiosk"
        )


def apply(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse a newer database, then apply the migrations it has not had yet."""
    check_not_newer(db, path)
    migrations.apply(db)


__all__ = ["apply", "check_not_newer", "migrations"]
