"""What IT sees of a kiosk: the heartbeat's content and interval, and logs with no personal data.

The canary test runs a whole journey with distinctive answers (submit through app.kiosk.Kiosk,
deliver with the sync engine, a refused submission, a revoked token, the command line's own
paths) with logging at DEBUG, then searches every log file and every heartbeat for the canary.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli import main
from app.config import load_config
from app.kiosk import Kiosk
from app.logs import shutdown_logging
from journeys.models import Journey
from tests.helpers import MISSED_BIN_RAW

pytestmark = pytest.mark.integration

CANARY = "Zqx-Canary-7741"
CANARY_ANSWERS = {
    **MISSED_BIN_RAW,
    "full-name": f"Ada {CANARY}",
    "address-line": f"12 {CANARY} Row",
    "email": "zqx.canary.7741@example.com",
}
CANARY_PARTS = (CANARY, CANARY.lower(), "zqx.canary.7741", "Ada Zqx")


def enrolled(data: Path, portal, monkeypatch, capsys, **env: str) -> Kiosk:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    token = portal.token("kiosk-1")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(token))
    assert (
        main(
            [
                "enrol",
                "--training",
                "--portal",
                portal.url,
                "--kiosk-id",
                "kiosk-1",
                "--site",
                "s1",
                "--data-dir",
                str(data),
            ]
        )
        == 0
    )
    capsys.readouterr()
    return Kiosk(load_config(data_dir=data, training=True))


def missed_bin(kiosk: Kiosk) -> Journey:
    journey = kiosk.journey("missed-bin", next(e.version for e in kiosk.catalogue() if e.id == "missed-bin"))
    assert journey is not None
    return journey


def test_the_heartbeat_says_how_the_kiosk_is_and_nothing_personal(tmp_path: Path, portal, monkeypatch, capsys) -> None:
    kiosk = enrolled(tmp_path / "k", portal, monkeypatch, capsys)
    journey = missed_bin(kiosk)
    with kiosk.sync_engine() as engine:
        engine.run_once()  # delivers nothing, sends the first heartbeat
        kiosk.submit_raw(journey, CANARY_ANSWERS)
        kiosk.submit_raw(journey, CANARY_ANSWERS)
        portal.stop()  # offline: both wait
        assert engine.send_heartbeat() is False
        portal.start()  # same port
        engine.portal.health()
        before = dt.datetime.now(dt.UTC)
        assert engine.send_heartbeat() is True
    beats = portal.heartbeats("kiosk-1")
    assert len(beats) == 2
    beat = beats[-1]
    assert set(beat) == {
        "kiosk_id",
        "received_at",
        "app_version",
        "outbox_depth",
        "oldest_pending_age_s",
        "needs_attention",
        "last_sync_at",
        "clock_skew_s",
        "free_disk_bytes",
        "sent_at",
    }
    assert beat["app_version"] == "0.1.0"
    assert beat["outbox_depth"] == 2 and beat["needs_attention"] == 0
    assert isinstance(beat["oldest_pending_age_s"], float) and 0 <= beat["oldest_pending_age_s"] < 60
    assert beat["last_sync_at"] is not None and abs(beat["clock_skew_s"]) < 5
    assert beat["free_disk_bytes"] > 0
    assert dt.datetime.fromisoformat(beat["sent_at"]) >= before - dt.timedelta(seconds=1)
    text = json.dumps(beats)
    assert not any(part in text for part in CANARY_PARTS)
    assert not any(ref in text for ref in [i.reference for i in kiosk.store.outbox.items()])  # no references either
    kiosk.close()


def test_the_heartbeat_interval_is_configurable(tmp_path: Path, portal, monkeypatch, capsys) -> None:
    kiosk = enrolled(tmp_path / "k", portal, monkeypatch, capsys, DCP_KIOSK_HEARTBEAT_INTERVAL_S="60")
    assert kiosk.config.heartbeat_interval_s == 60
    with kiosk.sync_engine() as engine:
        assert engine.heartbeat_interval == 60
        assert engine.run_once(now=1_000_000.0).heartbeat_sent is True
        assert engine.run_once(now=1_000_059.0).heartbeat_sent is False
        assert engine.run_once(now=1_000_060.0).heartbeat_sent is True
    assert len(portal.heartbeats("kiosk-1")) == 2
    kiosk.close()


def test_no_personal_data_in_any_log_after_a_whole_journey(tmp_path: Path, portal, monkeypatch, capsys) -> None:
    data = tmp_path / "k"
    kiosk = enrolled(data, portal, monkeypatch, capsys, DCP_KIOSK_LOG_LEVEL="DEBUG")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(CANARY_ANSWERS), encoding="utf-8")
    try:
        # Through the command line (its logging set-up) and through Kiosk + SyncEngine directly.
        assert (
            main(
                ["submit", "--training", "--data-dir", str(data), "--journey", "missed-bin", "--answers", str(answers)]
            )
            == 0
        )
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**CANARY_ANSWERS, "postcode": CANARY}), encoding="utf-8")
        assert (
            main(["submit", "--training", "--data-dir", str(data), "--journey", "missed-bin", "--answers", str(bad)])
            == 1
        )
        assert main(["sync", "--once", "--training", "--data-dir", str(data)]) == 0
        journey = missed_bin(kiosk)
        receipt = kiosk.submit_raw(journey, CANARY_ANSWERS)
        assert not isinstance(receipt, list)
        portal.set_faults(kind="http_503", retry_after=0, count=1)
        with kiosk.sync_engine() as engine:
            engine.run_once()  # a transient failure is logged
            engine.held_until = None
            report = engine.run_once()
            assert report.delivered == 1
        assert main(["status", "--training", "--data-dir", str(data)]) == 0
        assert main(["doctor", "--training", "--data-dir", str(data)]) in (0, 1)
        portal.revoke("kiosk-1")
        kiosk.submit_raw(journey, CANARY_ANSWERS)
        assert main(["sync", "--once", "--training", "--data-dir", str(data)]) == 1  # re-enrol: logged as an error
    finally:
        kiosk.close()
        shutdown_logging()
    capsys.readouterr()
    logs = [p for p in data.rglob("*") if p.is_file() and ".log" in p.name]
    assert logs, "the journey wrote no log at all"
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    entries = [json.loads(line) for line in text.splitlines()]
    loggers = {e["logger"] for e in entries}
    assert {"init", "kiosk", "sync", "store"} & loggers >= {"kiosk", "sync"}
    assert any(e["level"] == "ERROR" and e["logger"] == "sync" for e in entries)  # the revoked token
    leaked = [part for part in CANARY_PARTS if part in text]
    assert leaked == [], f"personal data in the logs: {leaked}"
