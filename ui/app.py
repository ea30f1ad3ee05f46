"""Start the Qt application: the window, the sync thread, Ctrl+C handling."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.config import KioskConfig
from app.kiosk import Kiosk, NotEnrolled, build_sync_engine
from local_store.store import Store
from ui.screens import tr
from ui.sync_worker import SyncThread, SyncWorker
from ui.window import KioskWindow


def start_sync(kiosk: Kiosk, window: KioskWindow, interval_ms: int) -> SyncThread:
    config = kiosk.config
    if kiosk.enrolment() is None:
        raise NotEnrolled("this kiosk is not enrolled")

    def open_store() -> Store:
        return Store(config.db_path, training=config.training)

    worker = SyncWorker(open_store, lambda store: build_sync_engine(config, store), interval_ms)
    worker.status.connect(window.on_sync_status)
    window.outbox_grew.connect(worker.run_pass)
    thread = SyncThread(worker)
    thread.start()
    return thread


def run_kiosk(config: KioskConfig, *, windowed: bool, exit_after: float | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    kiosk = Kiosk(config)
    window = KioskWindow(kiosk)
    try:
        sync = start_sync(kiosk, window, config.sync_interval_s * 1000)
    except NotEnrolled:
        sync = None
        window.connection.setText(tr("Not enrolled: ask a member of staff"))
    if windowed:
        window.resize(1280, 900)
        window.show()
    else:
        window.showFullScreen()
    # Let Python see Ctrl+C while Qt's loop runs.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    ticker = QTimer()
    ticker.start(200)
    ticker.timeout.connect(lambda: None)
    if exit_after is not None:
        QTimer.singleShot(int(exit_after * 1000), app.quit)
    try:
        return app.exec()
    finally:
        if sync is not None:
            sync.stop()
        window.close()
        kiosk.close()
