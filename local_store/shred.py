"""Crypto-shredding: after a purge, destroy every key that could open a purged record.

SQLite keeps old copies of pages (older WAL frames, the main file until a checkpoint, a rollback
journal), and `secure_delete` does not reach them; so a purged record is made unreadable by
destroying its key instead. A record's epoch becomes `dirty` (a trigger, see m005) once a record
sealed under it is purged or replaced. A rotation then, in one write transaction, starts a new
epoch and re-seals there every live record of the dirty epochs, and marks those epochs `retired`;
the WAL is checkpointed and truncated (which syncs the commit to disk; if another connection holds
the checkpoint up, a durable commit does), and only then are their keys deleted from the keyring. A key the keyring will not delete stays listed as retired: it is tried again at the
next rotation (and at every Store's start) and reported to staff until it is gone. Nothing is lost
on the way: until the commit is on disk the old keys are all there; after, no live record needs them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from local_store.alerts import Alerts
from local_store.db import WriteFailed, transaction
from local_store.keys import RecordUnreadable, VaultError, delete_key
from local_store.vault import Vault

log = logging.getLogger("store")


@dataclass(frozen=True)
class Rotation:
    resealed: int  # live records moved to the new epoch
    unreadable: int  # live records of a retired epoch that did not open (they were already unreadable)
    deleted: tuple[int, ...]  # epochs whose key is now gone from the keyring
    leftover: tuple[int, ...]  # retired epochs whose key the keyring would not delete


def rotate(conn: sqlite3.Connection, vault: Vault) -> tuple[int, int]:
    """Re-seal the live records of every dirty epoch under a new epoch, in one write transaction.
    Returns (re-sealed, unreadable). VaultError (nothing changed) if a key cannot be had."""
    resealed = unreadable = 0
    with transaction(conn, durable=False) as c:  # made durable by the checkpoint (see Shredder.run)
        dirty = [r[0] for r in c.execute("SELECT epoch FROM data_keys WHERE dirty=1 AND retired=0")]
        if not dirty:
            return 0, 0
        new = vault.new_epoch(c)
        marks = ",".join("?" * len(dirty))
        live = c.execute(
            f"SELECT id, sealed FROM submissions WHERE sealed IS NOT NULL AND epoch IN ({marks})", dirty
        ).fetchall()
        for row in live:
            try:
                plaintext = vault.open(row["sealed"], row["id"])
            except RecordUnreadable:
                unreadable += 1  # damaged: no key opens it, so destroying this one loses nothing
                continue
            sealed = vault.seal_in(new, plaintext, row["id"])
            c.execute("UPDATE submissions SET sealed=?, epoch=? WHERE id=?", (sealed, new, row["id"]))
            resealed += 1
        c.execute("UPDATE data_keys SET uses=? WHERE epoch=?", (resealed, new))
        c.execute(f"UPDATE data_keys SET retired=1 WHERE epoch IN ({marks})", dirty)
    return resealed, unreadable


def delete_retired(conn: sqlite3.Connection, vault: Vault) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Delete the keys of retired epochs from the keyring; forget the ones that are gone.
    Returns (deleted, leftover)."""
    retired = [r[0] for r in conn.execute("SELECT epoch FROM data_keys WHERE retired=1")]
    vault.forget(retired)
    deleted = [e for e in retired if delete_key(vault.install_id, e)]
    if deleted:
        with transaction(conn, durable=False) as c:
            c.executemany("DELETE FROM data_keys WHERE epoch=? AND retired=1", [(e,) for e in deleted])
    return tuple(deleted), tuple(e for e in retired if e not in deleted)


def checkpoint(conn: sqlite3.Connection) -> bool:
    """Copy the WAL into the file (both synced to disk) and truncate it, so its old frames are gone
    too. True when that completed; another connection in the middle of a read can stop it for now
    (the next checkpoint finishes it)."""
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError as exc:
        log.warning("checkpoint after a purge did not run: %s", type(exc).__name__)
        return False
    if busy:
        log.info("checkpoint after a purge was busy; the next one finishes it")
    return not busy


def make_durable(conn: sqlite3.Connection) -> None:
    """A durable commit (synchronous=FULL syncs the WAL), for when the checkpoint did not complete:
    the re-sealed records must be on disk before the old keys go."""
    with transaction(conn) as c:
        c.execute("INSERT OR REPLACE INTO meta SELECT key, value FROM meta WHERE key='epoch'")


class Shredder:
    """Runs the rotation for one Store after each purge (and at start, for what is left over)."""

    def __init__(self, conn: sqlite3.Connection, vault: Callable[[], Vault], alerts: Alerts) -> None:
        self.conn = conn
        self._vault = vault
        self.alerts = alerts

    def pending(self) -> bool:
        return self.conn.execute("SELECT 1 FROM data_keys WHERE dirty=1 OR retired=1 LIMIT 1").fetchone() is not None

    def run(self, *, purged: bool = True) -> Rotation | None:
        """Rotate and destroy what a purge left. Never raises: a key that cannot be had or
        deleted, or a database that cannot be written, is reported and left for the next run."""
        if not self.pending():
            if purged:
                checkpoint(self.conn)
            return None
        try:
            vault = self._vault()
            resealed, unreadable = rotate(self.conn, vault)
            if not checkpoint(self.conn):  # a complete checkpoint has synced the file and the WAL
                make_durable(self.conn)
            deleted, leftover = delete_retired(self.conn, vault)
        except VaultError as exc:
            self._incomplete(f"the keyring could not be used ({exc})")
            return None
        except (WriteFailed, sqlite3.Error) as exc:
            log.error("rotation after a purge failed: %s", type(exc).__name__)
            return None
        if leftover:
            self._incomplete(f"the keyring would not delete {len(leftover)} old key(s)")
        if unreadable:
            log.warning("%d unreadable record(s) left under a destroyed key", unreadable)
        return Rotation(resealed, unreadable, deleted, leftover)

    def _incomplete(self, why: str) -> None:
        log.error("delivered answers not yet made unreadable: %s", why)
        self.alerts.raise_alert(
            "shred_incomplete",
            f"The answers of delivered or discarded submissions could not yet be made unreadable: {why}. "
            "The kiosk tries again after every delivery and at start. If this stays, IT must check the "
            "kiosk's keyring (see docs/privacy.md).",
        )


__all__ = ["Rotation", "Shredder", "checkpoint", "delete_retired", "make_durable", "rotate"]
