"""The SyncWorker on its QThread against the reference portal: the UI hears progress during a
long drain, and stopping interrupts the pass without losing or stranding a submission."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal, Slot
from pytestqt.qtbot import QtBot

from app.sync_runner import SyncStatus
from tests.helpers import enrolled_kiosk
from ui.sync_thread import SyncThread, SyncWorker

pytestmark = pytest.mark.integration

ANSWERS = {"bin-type": "recycling", "collection-date": "2026-11-03", "postcode": "LS1 4AP"}
FULL = dict(ANSWERS, **{"address-line": "12 Park Row", "full-name": "Ada Lovelace"})


class Trigger(QObject):
    """Asks the worker for a pass from the UI thread, as the window's outbox_grew signal does."""

    go = Signal()


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
    for _ in range(400):
        kiosk.store.outbox.submit("missed-bin", 1, FULL)
    portal.set_faults(latency_ms=10, paths=["/api/v1/submissions"])  # about 4 s to drain them all
    worker = SyncWorker(kiosk.sync_runner(), interval_ms=60_000)
    thread = SyncThread(worker)
    relay = Relay()
    worker.status.connect(relay.forward)
    with qtbot.waitSignal(
        relay.relayed, timeout=20_000, check_params_cb=lambda s: s.in_progress and 0 < s.waiting < 400
    ) as blocker:
        thread.start()
    first: SyncStatus = blocker.args[0]
    assert first.online and first.delivered_references  # the confirmation screen can say "sent" already
    assert len(first.delivered_ids) == len(first.delivered_references)
    assert set(first.delivered_ids) <= {i.submission_id for i in kiosk.store.outbox.items("delivered")}
    thread.stop()  # mid-drain: the pass ends after the row on the wire
    assert not thread.thread.isRunning()
    counts = kiosk.store.outbox.counts().by_state
    assert counts["sending"] == 0  # nothing stranded in 'sending'
    assert 0 < counts["pending"] < 400
    received = {r["submission_id"] for r in portal.export()}
    delivered = {i.submission_id for i in kiosk.store.outbox.items("delivered")}
    assert delivered == received  # what the portal has is exactly what the kiosk marked delivered
    kiosk.close()


def test_a_503_pass_on_the_sync_thread_is_not_a_sync_and_a_good_pass_is(qtbot: QtBot, tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    portal.set_faults(kind="http_503")
    saved = kiosk.store.outbox.submit("missed-bin", 1, FULL)
    worker = SyncWorker(kiosk.sync_runner(), interval_ms=60_000)
    thread = SyncThread(worker)
    relay, trigger = Relay(), Trigger()
    worker.status.connect(relay.forward)
    trigger.go.connect(worker.run_pass)

    def after_a_pass(start: bool = False) -> SyncStatus:
        with qtbot.waitSignal(relay.relayed, timeout=20_000, check_params_cb=lambda s: not s.in_progress) as b:
            thread.start() if start else trigger.go.emit()
        status: SyncStatus = b.args[0]
        return status

    try:
        failed = after_a_pass(start=True)
        assert not failed.online and failed.last_error_class == "http_503" and failed.waiting == 1
        assert kiosk.status().last_sync_at is None
        portal.clear_faults()
        sent = after_a_pass()
        assert sent.online and sent.delivered_ids == (saved.submission_id,)
        good = kiosk.status().last_sync_at
        assert good is not None
        portal.set_faults(kind="http_503", paths=["/api/v1/submissions"])
        kiosk.store.outbox.submit("missed-bin", 1, FULL)
        refused = after_a_pass()
        assert refused.online and refused.last_error_class == "http_503" and refused.waiting == 1
        assert kiosk.status().last_sync_at == good
    finally:
        thread.stop()
        kiosk.close()


def test_closing_never_waits_long_on_a_stuck_request(qtbot: QtBot, tmp_path: Path) -> None:
    """A portal that takes the request and never answers (the client's timeouts are a minute here):
    stopping the sync thread cuts it within a few seconds, and the row is pending again."""
    import threading
    import time

    import httpx

    from app.sync_runner import SyncRunner
    from sync.client import PortalClient
    from sync.engine import SyncEngine
    from tests.helpers import make_kiosk
    from tests.reliability.misbehaving_server import Fault, misbehaving

    kiosk = make_kiosk(tmp_path / "kiosk")
    saved = kiosk.store.outbox.submit("missed-bin", 1, FULL)
    with misbehaving(tmp_path, fault=Fault("hang")) as server:

        def engine(store):  # type: ignore[no-untyped-def]
            client = PortalClient(server.url, "tok", timeout=httpx.Timeout(60.0), deadline=60.0)
            return SyncEngine(store, client, kiosk_id="kiosk-1", training=True)

        thread = SyncThread(SyncWorker(SyncRunner(kiosk.config, make_engine=engine), interval_ms=60_000))
        thread.start()
        assert server.arrived.wait(20)  # the submission is on the wire, unanswered
        stopper = threading.Thread(target=thread.stop, daemon=True)
        started = time.monotonic()
        stopper.start()
        stopper.join(timeout=15)
        took = time.monotonic() - started
        assert not stopper.is_alive(), "stopping the sync thread waited on the stuck request"
        assert not thread.thread.isRunning() and took < 15
    assert kiosk.store.outbox.item(saved.submission_id).state == "pending"
    kiosk.close()
