"""The sync engine against the reference portal on loopback, with each fault switched on while
it runs. Once the faults stop, every submission is at the portal exactly once (checked with
`dcp-kiosk portal export`), permanent failures sit in needs_attention with the portal's message,
and no request went out before a Retry-After had passed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from app.kiosk import Kiosk
from sync.client import PortalClient
from sync.engine import SyncEngine
from tests.helpers import MISSED_BIN_RAW, enrolled_kiosk

pytestmark = pytest.mark.integration

N = 6


def kiosk_with_queue(tmp_path: Path, portal: Any, n: int = N) -> tuple[Kiosk, list[str]]:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    journey = kiosk.journey("missed-bin", 1)
    assert journey is not None
    refs = []
    for _ in range(n):
        receipt = kiosk.submit_raw(journey, MISSED_BIN_RAW)
        assert not isinstance(receipt, list), receipt
        refs.append(receipt.reference)
    return kiosk, refs


def fast_engine(kiosk: Kiosk, portal: Any, read_timeout: float = 5.0) -> SyncEngine:
    client = PortalClient(portal.url, portal.token("kiosk-1"), timeout=httpx.Timeout(read_timeout, connect=2.0))
    return SyncEngine(kiosk.store, client, kiosk_id="kiosk-1", training=True, backoff_base=0.05, backoff_cap=0.25)


def sync_until_settled(engine: SyncEngine, kiosk: Kiosk, seconds: float = 30.0) -> None:
    """Passes as the SyncWorker's timer would run them, until nothing is waiting."""
    deadline = time.monotonic() + seconds
    while kiosk.store.outbox.counts().waiting and time.monotonic() < deadline:
        engine.run_once()
        time.sleep(0.05)
    assert kiosk.store.outbox.counts().waiting == 0, kiosk.store.outbox.counts()


def exported(portal: Any, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def assert_exactly_once(portal: Any, kiosk: Kiosk, refs: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    rows = exported(portal, capsys)
    assert sorted(r["reference"] for r in rows) == sorted(refs)  # each once, none missing, none extra
    assert {r["submission_id"] for r in rows} == {i.submission_id for i in kiosk.store.outbox.items()}
    assert set(rows[0]) >= {"submission_id", "reference", "journey_id", "journey_version", "received_at", "assisted_by"}
    assert all(i.state == "delivered" for i in kiosk.store.outbox.items())


FAULTS = {
    "http_500": {"kind": "http_500", "count": 4},
    "http_503_retry_after": {"kind": "http_503", "retry_after": 1, "count": 2},
    "http_429_retry_after": {"kind": "http_429", "retry_after": 1, "count": 2},
    "dropped_connection": {"kind": "drop", "count": 4},
    "response_lost_after_commit": {"kind": "lost_response", "count": 4, "paths": ["/api/v1/submissions"]},
    "captive_portal_page": {"kind": "captive", "count": 5},
    "intermittent_500": {"kind": "http_500", "rate": 0.5, "count": 6},
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_each_fault_then_every_submission_exactly_once(tmp_path: Path, portal, capsys, fault: str) -> None:
    kiosk, refs = kiosk_with_queue(tmp_path, portal)
    engine = fast_engine(kiosk, portal)
    portal.set_faults(**FAULTS[fault])
    since = len(portal.requests())
    sync_until_settled(engine, kiosk)
    log = portal.requests(since)
    faulted = [r for r in log if not isinstance(r["status"], int) or r["status"] >= 500 or r["status"] == 429]
    assert faulted, "the fault never happened"
    portal.clear_faults()
    assert_exactly_once(portal, kiosk, refs, capsys)
    if FAULTS[fault].get("retry_after"):
        # after each Retry-After answer, the kiosk sent nothing at all until it had passed
        for i, r in enumerate(log):
            if r["status"] in (429, 503) and i + 1 < len(log):
                assert log[i + 1]["at"] >= r["at"] + FAULTS[fault]["retry_after"] - 0.01, (r, log[i + 1])
    if fault == "response_lost_after_commit":
        # the portal committed, the kiosk never heard: the retry got the first answer, no second case
        lost = [r["key"] for r in log if str(r["status"]).startswith("lost_201")]
        assert lost and set(lost) <= {r["submission_id"] for r in exported(portal, capsys)}
    engine.close()
    kiosk.close()


def test_latency_beyond_the_clients_timeout(tmp_path: Path, portal, capsys) -> None:
    """A slow portal: the kiosk gives up waiting, the portal may still commit; retries replay."""
    kiosk, refs = kiosk_with_queue(tmp_path, portal, n=3)
    engine = fast_engine(kiosk, portal, read_timeout=0.3)
    portal.set_faults(latency_ms=600, count=3, paths=["/api/v1/submissions"])
    report = engine.run_once()
    assert report.last_error_class == "timeout"
    sync_until_settled(engine, kiosk)
    portal.clear_faults()
    assert_exactly_once(portal, kiosk, refs, capsys)
    engine.close()
    kiosk.close()


def test_portal_refusals_wait_for_staff_and_do_not_block_the_rest(tmp_path: Path, portal, capsys) -> None:
    kiosk, refs = kiosk_with_queue(tmp_path, portal, n=2)
    bad_answers = kiosk.store.outbox.submit("missed-bin", 1, {"bin-type": "purple"}, now=1.0)  # oldest of all
    retired = kiosk.store.outbox.submit("missed-bin", 99, {"bin-type": "general"}, now=2.0)
    engine = fast_engine(kiosk, portal)
    report = engine.run_once()
    assert report.delivered == 2 and report.needs_attention == 2
    refused = {i.submission_id: i for i in kiosk.store.outbox.items("needs_attention")}
    assert refused[bad_answers.submission_id].last_error_class == "invalid_answers"
    assert "not one of the options" in (refused[bad_answers.submission_id].last_error_message or "")
    assert refused[retired.submission_id].last_error_class == "journey_not_offered"
    assert sorted(r["reference"] for r in exported(portal, capsys)) == sorted(refs)
    engine.close()
    kiosk.close()


def test_revoked_token_stops_sync_with_an_alert_and_loses_nothing(tmp_path: Path, portal, capsys) -> None:
    kiosk, refs = kiosk_with_queue(tmp_path, portal, n=2)
    portal.revoke("kiosk-1")
    engine = kiosk.sync_engine()
    report = engine.run_once()
    assert report.auth_failed
    assert kiosk.store.outbox.counts().waiting == 2 and exported(portal, capsys) == []
    assert any(a.kind == "re_enrol" for a in kiosk.store.alerts.list())
    engine.close()
    # re-enrolled with a new token, everything goes, once
    kiosk.enrol(portal.url, "kiosk-1", "site-1", portal.token("kiosk-1"))
    with kiosk.sync_engine() as engine:
        assert engine.run_once().delivered == 2
    assert sorted(r["reference"] for r in exported(portal, capsys)) == sorted(refs)
    kiosk.close()


def test_heartbeat_reaches_the_portal(tmp_path: Path, portal) -> None:
    kiosk, _ = kiosk_with_queue(tmp_path, portal, n=1)
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
    assert report.heartbeat_sent
    (beat,) = portal.heartbeats("kiosk-1")
    assert beat["outbox_depth"] == 0 and beat["needs_attention"] == 0 and beat["last_sync_at"]
    kiosk.close()
