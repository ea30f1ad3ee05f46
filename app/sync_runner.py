"""The sync loop's body, Qt-free: what the UI's sync thread runs, and the status it shows.

A SyncRunner is made on the UI thread (it opens nothing there) and used on the sync thread:
`open()` opens its own Store (a connection belongs to one thread) and puts back rows a crash
left in 'sending'; `run_pass()` builds the engine on first use and runs one pass, telling
`on_status` a few times a second during a long drain and returning the pass's SyncStatus;
`request_stop()` (from any thread) ends a pass after the row on the wire; `abort()` (from any
thread) cuts the request on the wire too, for a bounded shutdown (the row goes back to pending,
and anything a crash leaves in 'sending' is requeued at the next `open()`); `close()`.
The UI needs no import of local_store or sync: it is handed a runner by Kiosk.sync_runner().
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config import KioskConfig
from local_store import Store

if TYPE_CHECKING:  # imported on the sync thread, after the first paint (httpx is slow to import)
    from sync.engine import SyncEngine, SyncReport

log = logging.getLogger("sync")


@dataclass(frozen=True)
class SyncStatus:
    """What the window is told after every pass and, during a long one, a few times a second."""

    online: bool
    waiting: int
    needs_attention: int
    auth_failed: bool
    catalogue_changed: bool
    delivered_references: tuple[str, ...] = field(default_factory=tuple)  # the portal's references
    in_progress: bool = False  # True for the updates sent during a pass
    last_error_class: str | None = None
    oldest_pending_age_s: float | None = None
    held_until: float | None = None  # the portal asked for patience (Retry-After) until then
    delivered_ids: tuple[str, ...] = field(default_factory=tuple)  # the kiosk's submission ids


class SyncRunner:
    def __init__(
        self,
        config: KioskConfig,
        on_status: Callable[[SyncStatus], None] | None = None,
        make_engine: Callable[[Store], SyncEngine] | None = None,
    ) -> None:
        self.config = config
        self.on_status = on_status
        self._make_engine = make_engine
        self._store: Store | None = None
        self._engine: SyncEngine | None = None
        self._stopping = False

    def open(self) -> None:
        """On the sync thread: its own Store; rows left in 'sending' by a crash go back to pending."""
        self._store = Store(self.config.db_path, training=self.config.training)
        self._store.outbox.requeue_stuck()

    def run_pass(self) -> SyncStatus | None:
        """One pass; None when stopping, not open, or the pass failed (a bug is logged, the outbox stays)."""
        if self._store is None or self._stopping:
            return None
        try:
            if self._engine is None:
                self._engine = self._new_engine(self._store)
            report = self._engine.run_once(on_progress=self._progress)
        except Exception:  # a bug must not kill the sync thread; the outbox stays as it is
            log.exception("sync pass failed")
            return None
        return self._status(report, report.delivered_ids, report.delivered_references)

    def request_stop(self) -> None:
        """From any thread: the running pass stops after the row it is sending."""
        self._stopping = True
        engine = self._engine
        if engine is not None:
            engine.request_stop()

    def abort(self) -> None:
        """From any thread: stop at once, cutting a request that is stuck on the wire."""
        self._stopping = True
        engine = self._engine
        if engine is not None:
            engine.abort()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def _new_engine(self, store: Store) -> SyncEngine:
        if self._make_engine is not None:
            return self._make_engine(store)
        from app.kiosk import build_sync_engine

        return build_sync_engine(self.config, store)

    def _progress(self, ids: list[str], references: list[str]) -> None:
        if self.on_status is not None:
            self.on_status(self._status(None, ids, references))

    def _status(self, report: SyncReport | None, ids: list[str], references: list[str]) -> SyncStatus:
        assert self._store is not None
        counts = self._store.outbox.counts()
        return SyncStatus(
            online=True if report is None else report.online and not report.auth_failed,
            waiting=counts.waiting,
            needs_attention=counts.needs_attention,
            auth_failed=bool(report and report.auth_failed),
            catalogue_changed=bool(report and report.catalogue_changed),
            delivered_references=tuple(references),
            in_progress=report is None,
            last_error_class=report.last_error_class if report else None,
            oldest_pending_age_s=counts.oldest_pending_age_s(time.time()),
            held_until=report.held_until if report else None,
            delivered_ids=tuple(ids),
        )


__all__ = ["SyncRunner", "SyncStatus"]
