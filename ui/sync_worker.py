"""SyncWorker: the Qt adapter around the Qt-free SyncEngine, on its own QThread.

It owns its own database connection and HTTP client, so the UI thread never waits on the
network. It runs a pass on a timer and whenever the window says the outbox grew, and emits a
frozen SyncStatus after every pass and, during a long pass, a few times a second (so the
"waiting" count and a confirmation's "sent" banner move while a backlog drains).

Shutdown (DESIGN.md section 9): request stop (the engine stops after the row it is sending),
quit(), wait().
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from local_store.store import Store

if TYPE_CHECKING:  # imported on the sync thread, after the first paint (httpx is slow to import)
    from sync.engine import SyncEngine, SyncReport

log = logging.getLogger("sync")


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    waiting: int
    needs_attention: int
    auth_failed: bool
    catalogue_changed: bool
    delivered_references: tuple[str, ...] = field(default_factory=tuple)
    in_progress: bool = False  # True for the updates sent during a pass
    last_error_class: str | None = None
    oldest_pending_age_s: float | None = None
    held_until: float | None = None  # the portal asked for patience (Retry-After) until then


class SyncWorker(QObject):
    status = Signal(object)  # SyncStatus

    def __init__(
        self, open_store: Callable[[], Store], make_engine: Callable[[Store], SyncEngine], interval_ms: int
    ) -> None:
        super().__init__()
        self._open_store = open_store
        self._make_engine = make_engine
        self._interval_ms = interval_ms
        self._store: Store | None = None
        self._engine: SyncEngine | None = None
        self._timer: QTimer | None = None
        self._online = False
        self._stopping = False

    @Slot()
    def start(self) -> None:
        """Runs on the worker thread: open the store and client there, then sync at once."""
        self._store = self._open_store()
        self._store.requeue_stuck()
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval_ms)
        self._timer.timeout.connect(self.run_pass)
        self._timer.start()
        self.run_pass()

    def request_stop(self) -> None:
        """Called from the UI thread: the running pass stops after the row it is sending."""
        self._stopping = True
        engine = self._engine
        if engine is not None:
            engine.request_stop()

    @Slot()
    def run_pass(self) -> None:
        if self._store is None or self._stopping:
            return
        try:
            if self._engine is None:
                self._engine = self._make_engine(self._store)
            report = self._engine.run_once(on_progress=self._progress)
        except Exception:  # a bug must not kill the thread; the outbox stays as it is
            log.exception("sync pass failed")
            return
        self._online = report.online and not report.auth_failed
        self._emit(report, report.delivered_references, in_progress=False)

    def _progress(self, references: list[str]) -> None:
        self._emit(None, references, in_progress=True)

    def _emit(self, report: SyncReport | None, references: list[str], *, in_progress: bool) -> None:
        assert self._store is not None
        counts = self._store.counts()
        self.status.emit(
            SyncStatus(
                online=True if in_progress else self._online,
                waiting=counts.waiting,
                needs_attention=counts.by_state.get("needs_attention", 0),
                auth_failed=bool(report and report.auth_failed),
                catalogue_changed=bool(report and report.catalogue_changed),
                delivered_references=tuple(references),
                in_progress=in_progress,
                last_error_class=report.last_error_class if report else None,
                oldest_pending_age_s=(time.time() - counts.oldest_pending_at) if counts.oldest_pending_at else None,
                held_until=report.held_until if report else None,
            )
        )

    @Slot()
    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        if self._store is not None:
            self._store.close()
            self._store = None


class SyncThread:
    """Owns the QThread and the worker; stop() is: request stop, quit(), wait()."""

    def __init__(self, worker: SyncWorker) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName("sync")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.start)
        self.thread.finished.connect(worker.shutdown)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.worker.request_stop()
        self.thread.quit()
        self.thread.wait()
