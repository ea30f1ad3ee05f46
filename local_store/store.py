"""The kiosk's SQLite database: one Store opens the file and offers its parts.

One file in the data directory, WAL, numbered migrations (local_store/migrations.py), checked
at every open. The parts share the Store's connection: `outbox` (submissions and their delivery),
`state` (the typed kiosk state), `cache` (catalogue and journeys), `alerts`, `audit`, `staff`,
`retention`, `watermark` (acknowledged submissions, kept beside the file) and `vault()` (the
encryption key). Every multi-step write is one transaction, so
nothing is ever half-written.

Durability: the submit commit (and every staff action) runs with `synchronous=FULL`, so when
`submit()` returns the submission survives a power cut. The sync bookkeeping (claim, retry,
delivered, needs attention) commits with `synchronous=NORMAL`: a power cut can only undo the most
recent of those, which sends a submission again with the same idempotency key, and the portal
answers that with its first response. Exactly once is kept either way.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils

from local_store import migrations
from local_store.alerts import Alerts
from local_store.audit import AuditLog
from local_store.cache import Cache
from local_store.db import DatabaseUnavailable, MovedAside, StoreUnavailable, WriteFailed, WrongMode, open_checked
from local_store.db import transaction as _transaction
from local_store.help import HelpRequests
from local_store.outbox import Outbox, uuid7
from local_store.remote import RemoteSends
from local_store.retention import Retention
from local_store.staff import StaffTable
from local_store.state import State
from local_store.steps import Steps
from local_store.vault import Vault, open_vault
from local_store.watermark import ALERT_KIND, Watermark


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
            migrations.apply(self.db, self.path)
            self.install_id = self._meta_init()
            self.audit = AuditLog(conn, self.install_id)
            self.alerts = Alerts(conn, self.audit, self.path)
            self.cache = Cache(conn, self.alerts)
            self.state = State(conn, self.cache)
            self.retention = Retention(conn, self.audit)
            self.outbox = Outbox(
                conn, path=self.path, training=training, audit=self.audit, alerts=self.alerts,
                retention=self.retention, vault=self.vault,
            )  # fmt: skip
            self.staff = StaffTable(self)
            self.help = HelpRequests(conn, self.audit)  # citizens' requests for a member of staff
            self.remote = RemoteSends(conn)  # what went to a target with no idempotency key (Open311)
            self.steps = Steps(conn, self.audit)  # payments and appointments started here (no personal data)
            self.watermark = Watermark(self.path, conn, self.install_id, enabled=not training)
            self.outbox.after_submit = self.watermark.saved
            if moved is not None:
                self._record_moved_aside(moved)
            self._compare_watermark(moved is not None)
            if retention_days is not None:
                self.retention.set_days(retention_days)
            self.retention.purge_expired()
        except (sqlite3.Error, WriteFailed) as exc:
            self.close()
            raise DatabaseUnavailable(f"cannot prepare the database {self.path}: {exc}") from None
        except BaseException:
            self.close()
            raise

    def _meta_init(self) -> str:
        mode = "training" if self.training else "live"
        with self.transaction() as c:
            rows = dict(c.execute("SELECT key, value FROM meta").fetchall())
            if "install_id" not in rows:
                rows = {"install_id": uuid7(), "mode": mode}
                c.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
        if rows["mode"] != mode:
            raise WrongMode(
                f"{self.path} holds {rows['mode']} data and cannot be opened in {mode} mode; "
                "use a separate data directory"
            )
        return str(rows["install_id"])

    def _record_moved_aside(self, moved: MovedAside) -> None:
        self.alerts.raise_alert(
            "database_moved_aside",
            f"The kiosk's database was damaged and has been moved aside to {moved.moved_to} "
            f"(with its side files). A new, empty database was started. Submissions not yet sent "
            f"may be in the old file: keep it and contact IT. Problem found: {moved.problem}",
        )

    def _compare_watermark(self, moved_aside: bool) -> None:
        """Acknowledged submissions missing from the database (see local_store/watermark.py) are an
        alert; the mark follows the database only once that alert is recorded."""
        lost = self.watermark.missing(moved_aside=moved_aside)
        if lost is None or self.alerts.raise_alert(ALERT_KIND, lost.message()):
            self.watermark.settle()

    def transaction(self, *, durable: bool = True) -> AbstractContextManager[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT on this Store's connection (see local_store.db.transaction)."""
        return _transaction(self.conn, durable=durable)

    def vault(self) -> Vault:
        """The vault for this database (see local_store.vault.open_vault), opened once per Store."""
        if self._vault is None:
            self._vault = open_vault(self.conn, self.install_id)
        return self._vault

    def close(self) -> None:
        if hasattr(self, "watermark"):
            self.watermark.close()
        self.conn.close()


__all__ = ["Store"]
