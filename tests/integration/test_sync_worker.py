"""The SyncWorker on its QThread against the reference portal: the UI hears progress during a
long drain, and stopping interrupts the pass without losing or stranding a submission."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal, Slot
from pytestqt.qtbot import QtBot

from app.kiosk import build_sync_engine
from local_store.store import Store
from tests.helpers import enrolled_kiosk
from ui.sync_worker import SyncStatus, SyncThread, SyncWorker

pytestmark = pytest.mark.integration

ANSWERS = {"bin-type": "recycling", "collection-date": "2026-11-03", "postcode": "LS1 4AP"}


class Relay(QObject):
    """Receives the worker's status on the UI thread (a queued connection to a slot, as the window
    does) and re-emits it there, so that qtbot waits on a signal of its own thread."""

    relayed = Signal(object)

    @Slot(object)
    def forward(self, status: SyncStatus) -> None:
        self.relayed.emit(status)


def test_progress_during_a_drain_and_a_stop_that_loses_nothing(qtbot: QtBot, tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    answers = dict(ANSWERS, **{"address-line": "12 Park Row", "full-name": "Ada Lovelace"})
    for _ in range(400):
        kiosk.store.submit("missed-bin", 1, answers)
    portal.set_faults(latency_ms=10, paths=["/api/v1/submissions"])  # about 4 s to drain them all
    config = kiosk.config

    def open_store() -> Store:
        return Store(config.db_path, training=config.training)

    worker = SyncWorker(open_store, lambda store: build_sync_engine(config, store), interval_ms=60_000)
    thread = SyncThread(worker)
    relay = Relay()
    worker.status.connect(relay.forward)
    with qtbot.waitSignal(
        relay.relayed, timeout=20_000, check_params_cb=lambda s: s.in_progress and 0 < s.waiting < 400
    ) as blocker:
        thread.start()
    first: SyncStatus = blocker.args[0]
    assert first.online and first.delivered_references  # the confirmation screen can say "sent" already
    thread.stop()  # mid-drain: the pass ends after the row on the wire
    assert not thread.thread.isRunning()
    counts = kiosk.store.counts().by_state
    assert counts["sending"] == 0  # nothing stranded in 'sending'
    assert 0 < counts["pending"] < 400
    received = {r["submission_id"] for r in portal.export()}
    delivered = {i.submission_id for i in kiosk.store.items("delivered")}
    assert delivered == received  # what the portal has is exactly what the kiosk marked delivered
    kiosk.close()
