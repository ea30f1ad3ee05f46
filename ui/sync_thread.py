"""SyncWorker: the thin Qt adapter around app's Qt-free SyncRunner, on its own QThread.

The runner owns its own database connection and HTTP client, so the UI thread never waits on
the network. The worker runs a pass on a timer and whenever the window says the outbox grew, and
emits the runner's frozen SyncStatus after every pass and, during a long pass, a few times a
second (so the "waiting" count and a confirmation's "sent" banner move while a backlog drains).

Shutdown (DESIGN.md section 9): request stop (the engine stops after the row it is sending),
quit(), wait(), bounded: after STOP_GRACE_MS the request on the wire is cut (the row goes back
to pending), and closing never waits more than STOP_GRACE_MS + STOP_LIMIT_MS on the network.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from app.sync_runner import SyncRunner, SyncStatus

log = logging.getLogger("sync")

STOP_GRACE_MS = 2000  # the row on the wire may finish in this time
STOP_LIMIT_MS = 3000  # after the request is cut, the pass records what it did
_unstopped: list[QThread] = []  # kept alive (a QThread destroyed while running ends the process)


class SyncWorker(QObject):
    status = Signal(object)  # SyncStatus

    def __init__(self, runner: SyncRunner, interval_ms: int) -> None:
        super().__init__()
        self._runner = runner
        runner.on_status = self._emit  # progress during a pass, from the sync thread
        self._interval_ms = interval_ms
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        """Runs on the worker thread: the runner opens its store there, then syncs at once."""
        self._runner.open()
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval_ms)
        self._timer.timeout.connect(self.run_pass)
        self._timer.start()
        self.run_pass()

    def request_stop(self) -> None:
        """Called from the UI thread: the running pass stops after the row it is sending."""
        self._runner.request_stop()

    def abort(self) -> None:
        """Called from the UI thread: cut the request on the wire (the runner's HTTP client)."""
        self._runner.abort()

    @Slot()
    def run_pass(self) -> None:
        status = self._runner.run_pass()
        if status is not None:
            self._emit(status)

    def _emit(self, status: SyncStatus) -> None:
        self.status.emit(status)

    @Slot()
    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._runner.close()


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
        if self.thread.wait(STOP_GRACE_MS):
            return
        log.warning("sync still busy %d ms after stop: cutting the request on the wire", STOP_GRACE_MS)
        self.worker.abort()
        if not self.thread.wait(STOP_LIMIT_MS):
            log.error("the sync thread did not stop; rows it held are sent again after the next start")
            _unstopped.append(self.thread)


__all__ = ["SyncStatus", "SyncThread", "SyncWorker"]
