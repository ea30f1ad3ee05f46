"""Recovery of what a moved-aside database still holds (`dcp-kiosk outbox recover FILE`).

When the database is found damaged at start it is renamed to `<name>.corrupt-<time>` (see
local_store/db.py) and a new one is started, so submissions that were waiting in it stay there.
`recover(store, old_file)` reads that file without ever changing it (it works on a copy, so that
SQLite may replay the copied WAL), takes every submission that was never delivered (pending,
sending, needs attention) and adds it to `store`'s outbox with the SAME submission id and reference:
the portal's Idempotency-Key then makes a re-delivery of one that did arrive harmless, and the
reference the citizen was given stays valid. The answers are opened with the old database's key
(still in the keyring under the old install id) and sealed again under the current one.

Refused with RecoveryRefused (a clear message, nothing changed) when the file is not a kiosk
database, is of the other mode (training or live), is the current database itself, or its key is
not in this machine's keyring. The device token is never copied: if only the old file was
enrolled, the result says so and IT re-enrols.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from local_store import migrations
from local_store.audit import clean_staff_id
from local_store.db import StoreError, WriteFailed
from local_store.outbox import OutboxItem
from local_store.store import Store
from local_store.vault import RecordUnreadable, Vault, VaultError, open_vault

log = logging.getLogger("store")

WAITING = ("pending", "sending", "needs_attention")


class RecoveryRefused(StoreError):
    """The file cannot be recovered from (not a kiosk database, other mode, no key): nothing changed."""


@dataclass(frozen=True)
class RecoveryResult:
    source: Path
    recovered: int  # added to this database's outbox
    skipped: int  # already in this database (by id or reference)
    unreadable: int  # damaged rows or records the old key does not open: left in the old file
    old_enrolment: str | None  # "kiosk K at URL" when the old file was enrolled and this one is not


def recover(store: Store, old_file: Path, *, staff_id: str = "it", now: float | None = None) -> RecoveryResult:
    """Add what `old_file` holds that was never delivered to `store`'s outbox (see the module)."""
    staff_id = clean_staff_id(staff_id)
    old_file = Path(old_file)
    if not old_file.is_file():
        raise RecoveryRefused(f"{old_file} is not a file")
    if old_file.resolve() == store.path.resolve():
        raise RecoveryRefused(f"{old_file} is this kiosk's current database: give the moved-aside file")
    with tempfile.TemporaryDirectory(prefix="dcp-kiosk-recover-") as tmp:
        conn = _open_copy(old_file, Path(tmp))
        try:
            return _recover_from(store, conn, old_file, staff_id, time.time() if now is None else now)
        finally:
            conn.close()


def _open_copy(old_file: Path, tmp: Path) -> sqlite3.Connection:
    """A connection on a copy of the file and its WAL (the original is only ever read)."""
    copy = tmp / "old.sqlite3"
    try:
        shutil.copyfile(old_file, copy)
        for suffix in ("-wal", "-journal"):  # not -shm: SQLite rebuilds it from the WAL
            side = Path(str(old_file) + suffix)
            if side.is_file():
                shutil.copyfile(side, Path(str(copy) + suffix))
    except OSError as exc:
        raise RecoveryRefused(f"cannot read {old_file}: {exc.strerror}") from None
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _meta(conn: sqlite3.Connection, old_file: Path) -> dict[str, str]:
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"meta", "submissions", "outbox"} <= tables:
            raise RecoveryRefused(f"{old_file} is not a kiosk database (it has no outbox)")
        meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise RecoveryRefused(f"{old_file} is not a kiosk database, or too damaged to read ({exc})") from None
    if "install_id" not in meta or meta.get("mode") not in ("training", "live"):
        raise RecoveryRefused(f"{old_file} is not a kiosk database (it has no install id or mode)")
    return meta


def _waiting_ids(conn: sqlite3.Connection, old_file: Path) -> list[str]:
    marks = ", ".join("?" * len(WAITING))
    try:
        rows = conn.execute(
            f"SELECT submission_id FROM outbox WHERE state IN ({marks}) ORDER BY created_at", WAITING
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise RecoveryRefused(f"the outbox of {old_file} is too damaged to read ({exc})") from None
    return [str(r[0]) for r in rows]


def _old_item(conn: sqlite3.Connection, submission_id: str) -> tuple[OutboxItem, bytes] | None:
    """The old row and its sealed answers, or None if the row is damaged or has no answers."""
    try:
        row = conn.execute(
            """SELECT o.*, s.reference, s.journey_id, s.journey_version, s.assisted_by, s.sealed
               FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.submission_id = ?""",
            (submission_id,),
        ).fetchone()
    except sqlite3.DatabaseError:
        return None
    if row is None or not isinstance(row["sealed"], bytes):
        return None
    fields = OutboxItem.__dataclass_fields__
    return OutboxItem(**{name: row[name] for name in fields}), row["sealed"]


def _old_vault(conn: sqlite3.Connection, meta: dict[str, str], old_file: Path) -> Vault:
    try:  # a file from an older kiosk has its single key as epoch 0 once migrated (this is a copy)
        migrations.apply(sqlite_utils.Database(conn), old_file)
    except (StoreError, sqlite3.Error) as exc:
        log.warning("recovery: %s could not be brought up to date (%s); reading it as it is", old_file.name, exc)
    try:
        return open_vault(conn, meta["install_id"])
    except (VaultError, WriteFailed, sqlite3.Error) as exc:
        raise RecoveryRefused(
            f"the key that opens {old_file} (install id {meta['install_id']}) is not usable in this "
            f"machine's keyring ({exc}); restore that keyring entry, then try again"
        ) from None


def _recover_from(store: Store, conn: sqlite3.Connection, old_file: Path, staff_id: str, now: float) -> RecoveryResult:
    meta = _meta(conn, old_file)
    mode = "training" if store.training else "live"
    if meta["mode"] != mode:
        raise RecoveryRefused(f"{old_file} holds {meta['mode']} data; this kiosk is in {mode} mode")
    ids = _waiting_ids(conn, old_file)
    present = {r[0] for r in store.conn.execute("SELECT id FROM submissions")}
    todo = [i for i in ids if i not in present]
    recovered = unreadable = 0
    skipped = len(ids) - len(todo)
    vault = _old_vault(conn, meta, old_file) if todo else None
    for submission_id in todo:
        old = _old_item(conn, submission_id)
        try:
            plaintext = vault.open(old[1], submission_id) if vault and old else None
        except RecordUnreadable:
            plaintext = None
        if old is None or plaintext is None:
            unreadable += 1
            log.error("recovery: submission %s in %s cannot be read; left there", submission_id, old_file.name)
        elif _restore(store, old[0], plaintext, staff_id=staff_id, source=old_file.name, now=now):
            recovered += 1
        else:
            skipped += 1
    store.watermark.saved(now)
    result = RecoveryResult(old_file, recovered, skipped, unreadable, _lost_enrolment(store, meta))
    with store.transaction() as c:
        store.audit.write(
            c, "recover", None, now, actor="staff", staff_id=staff_id,
            detail=f"{old_file.name}: {recovered} recovered, {skipped} skipped, {unreadable} unreadable",
        )  # fmt: skip
    log.info("recovered %d submission(s) from %s (%d skipped, %d unreadable)", recovered, old_file, skipped, unreadable)
    return result


def _restore(store: Store, item: OutboxItem, plaintext: bytes, *, staff_id: str, source: str, now: float) -> bool:
    """Add a recovered submission with its own id and reference, sealed under this database's
    current key inside the write transaction: pending again, or still needing attention.
    False (nothing written) if this database already holds that id or reference."""
    state = "needs_attention" if item.state == "needs_attention" else "pending"
    store.vault()  # opened (a new database's first epoch made) before the write lock is taken
    try:
        with store.transaction() as c:
            c.execute(
                "INSERT INTO submissions (id, reference, journey_id, journey_version, created_at, assisted_by)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (item.submission_id, item.reference, item.journey_id, item.journey_version,
                 item.created_at, item.assisted_by),
            )  # fmt: skip
            store.outbox.reseal(c, item.submission_id, plaintext)
            c.execute(
                "INSERT INTO outbox (submission_id, state, created_at, updated_at, next_attempt_at,"
                " last_error_class) VALUES (?, ?, ?, ?, ?, ?)",
                (item.submission_id, state, item.created_at, now, now, item.last_error_class),
            )
            store.audit.write(c, "recovered", item.submission_id, now, actor="staff", staff_id=staff_id, detail=source)
    except sqlite3.IntegrityError:
        return False
    return True


def _lost_enrolment(store: Store, meta: dict[str, str]) -> str | None:
    if store.state.read().enrolment is not None or not (meta.get("kiosk_id") and meta.get("portal_url")):
        return None
    return f"kiosk {meta['kiosk_id']} at {meta['portal_url']}"


__all__ = ["RecoveryRefused", "RecoveryResult", "recover"]
