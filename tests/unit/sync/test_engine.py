"""SyncEngine on a real SQLite store, against a scripted stand-in for the portal (no network).

The rules of DESIGN.md section 5: oldest first with no head-of-line blocking, transient versus
permanent, full-jitter backoff that honours Retry-After and never gives up, a stop on 401/403,
connectivity from the health call only, the catalogue by ETag, and the heartbeat.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from local_store.store import Store
from sync.client import AuthFailed, Delivered, Permanent, Transient
from sync.engine import BACKOFF_CAP, SyncEngine, backoff

ANSWERS = {"bin-type": "recycling", "full-name": "Ada Lovelace"}
CATALOGUE = {
    "schema_version": 1,
    "journeys": [
        {
            "id": "missed-bin",
            "version": 1,
            "title": {"en": "Report a missed bin"},
            "summary": {"en": "s"},
            "category": "bins",
        }
    ],
}
JOURNEY = json.loads((Path(__file__).resolve().parents[3] / "journeys" / "training" / "missed-bin.json").read_text())

Outcome = Callable[[dict[str, Any]], Delivered]


class FakePortal:
    """Answers like the portal; `outcome` decides what a submission gets, by its payload."""

    def __init__(self) -> None:
        self.health_error: Exception | None = None
        self.outcome: Outcome = lambda p: Delivered(p["reference"], "received")
        self.submitted: list[str] = []
        self.heartbeats: list[dict[str, Any]] = []
        self.etags_sent: list[str | None] = []
        self.catalogue_body: dict[str, Any] = CATALOGUE
        self.closed = False

    def health(self) -> dt.datetime:
        if self.health_error:
            raise self.health_error
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)

    def catalogue(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]:
        self.etags_sent.append(etag)
        tag = '"' + str(hash(json.dumps(self.catalogue_body, sort_keys=True))) + '"'
        return (None, etag) if etag == tag else (self.catalogue_body, tag)

    def journey(self, journey_id: str, version: int) -> dict[str, Any]:
        return JOURNEY

    def submit(self, payload: dict[str, Any], idempotency_key: str) -> Delivered:
        assert idempotency_key == payload["submission_id"]
        self.submitted.append(payload["reference"])
        return self.outcome(payload)

    def heartbeat(self, kiosk_id: str, beat: dict[str, Any]) -> dt.datetime:
        self.heartbeats.append(beat)
        return dt.datetime.now(dt.UTC)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "kiosk.sqlite3", training=True)
    yield s
    s.close()


@pytest.fixture
def portal() -> FakePortal:
    return FakePortal()


def engine_for(store: Store, portal: FakePortal, **kw: Any) -> SyncEngine:
    """An engine whose backoff jitter is fixed (the same draws every run)."""
    return SyncEngine(store, portal, kiosk_id="kiosk-1", training=True, rng=random.Random(4), **kw)


def queue(store: Store, n: int, start: float = 1000.0) -> list[str]:
    return [store.outbox.submit("missed-bin", 1, ANSWERS, now=start + i).reference for i in range(n)]


def test_drains_oldest_first_and_purges_the_answers(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 3)
    report = engine_for(store, portal).run_once()
    assert report.online and report.delivered == 3 and report.delivered_references == refs
    assert portal.submitted == refs
    for item in store.outbox.items():
        assert item.state == "delivered" and store.outbox.answers(item.submission_id) is None


def test_one_failing_row_does_not_block_the_rest(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 3)

    def first_fails(p: dict[str, Any]) -> Delivered:
        if p["reference"] == refs[0]:
            raise Transient("http_500", "the portal answered HTTP 500")
        return Delivered(p["reference"], "received")

    portal.outcome = first_fails
    report = engine_for(store, portal).drain(now=5000.0)
    assert report.delivered == 2 and report.retrying == 1
    first = store.outbox.items()[0]
    assert first.state == "pending" and first.last_error_class == "http_500"
    assert 5000.0 <= first.next_attempt_at <= 5000.0 + 2.0  # attempt 1: jitter in [0, base]


def test_permanent_failure_waits_for_staff_with_the_portals_message(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 2)

    def refuse_first(p: dict[str, Any]) -> Delivered:
        if p["reference"] == refs[0]:
            raise Permanent("invalid_answers", "Answers do not match: Postcode: an answer is required", 422, [])
        return Delivered(p["reference"], "received")

    portal.outcome = refuse_first
    report = engine_for(store, portal).run_once()
    assert report.needs_attention == 1 and report.delivered == 1
    refused = store.outbox.items("needs_attention")[0]
    assert refused.last_error_class == "invalid_answers"
    assert "Postcode: an answer is required" in (refused.last_error_message or "")
    assert store.outbox.answers(refused.submission_id) == ANSWERS  # kept for staff to correct


def test_503_with_retry_after_stops_the_pass_and_nothing_is_sent_before_it(store: Store, portal: FakePortal) -> None:
    queue(store, 3)
    portal.outcome = lambda p: (_ for _ in ()).throw(Transient("http_503", "busy", retry_after=30.0))
    engine = engine_for(store, portal)
    report = engine.run_once(now=10_000.0)
    assert portal.submitted and len(portal.submitted) == 1  # the pass stopped at the first 503
    assert report.held_until == 10_030.0
    assert store.outbox.items()[0].next_attempt_at >= 10_030.0
    portal.outcome = lambda p: Delivered(p["reference"], "received")
    assert engine.run_once(now=10_029.0).delivered == 0  # still inside Retry-After: not even health
    assert len(portal.submitted) == 1
    assert engine.run_once(now=10_031.0).delivered == 3  # Retry-After has passed: the refused one too


def test_transient_failures_never_give_up(store: Store, portal: FakePortal) -> None:
    queue(store, 1)
    portal.outcome = lambda p: (_ for _ in ()).throw(Transient("http_500", "x"))
    engine = engine_for(store, portal, backoff_base=0.001, backoff_cap=0.002)
    now = 20_000.0
    for _ in range(60):
        engine.drain(now=now)
        now += 1.0
    (item,) = store.outbox.items()
    assert item.state == "pending" and item.attempts == 60


def test_unreachable_portal_is_offline_and_nothing_is_sent(store: Store, portal: FakePortal) -> None:
    queue(store, 2)
    portal.health_error = Transient("not_contract", "HTTP 200 with text/html, not JSON")
    report = engine_for(store, portal).run_once()
    assert not report.online and report.last_error_class == "not_contract"
    assert portal.submitted == []
    assert store.outbox.counts().waiting == 2


def test_401_stops_syncing_and_raises_an_alert(store: Store, portal: FakePortal) -> None:
    queue(store, 2)
    portal.outcome = lambda p: (_ for _ in ()).throw(AuthFailed("auth", "revoked", 403))
    engine = engine_for(store, portal)
    report = engine.run_once()
    assert report.auth_failed
    assert [i.state for i in store.outbox.items()] == ["pending", "pending"]  # released, nothing lost
    assert any(a.kind == "re_enrol" and "403" in a.message for a in store.alerts.list())
    portal.outcome = lambda p: Delivered(p["reference"], "received")
    assert engine.run_once().auth_failed and len(portal.submitted) == 1  # stays stopped
    again = engine_for(store, portal)  # a new engine (a restart) on the same database
    assert again.auth_blocked and again.run_once().auth_failed and len(portal.submitted) == 1
    stop = store.state.read().auth_stop
    assert stop is not None and stop.status == 403
    store.state.enrol("https://portal.example", "kiosk-1", "site-1")  # re-enrolment clears the stop
    assert engine_for(store, portal).run_once().delivered == 2


def test_a_portal_that_numbers_its_own_cases(store: Store, portal: FakePortal) -> None:
    ids = [store.outbox.submit("missed-bin", 1, ANSWERS, now=1000.0 + i).submission_id for i in range(3)]
    numbers = iter(range(1, 100))
    portal.outcome = lambda p: Delivered(f"CASE-{next(numbers):06d}", "received")
    report = engine_for(store, portal).run_once()
    assert report.delivered_ids == ids  # what the confirmation screen matches on
    assert report.delivered_references == ["CASE-000001", "CASE-000002", "CASE-000003"]
    assert [store.outbox.item(i).server_reference for i in ids] == report.delivered_references


def test_catalogue_by_etag_and_a_bad_one_keeps_the_last_good(store: Store, portal: FakePortal) -> None:
    engine = engine_for(store, portal, catalogue_interval=0)
    assert engine.run_once().catalogue_changed
    assert store.cache.journey("missed-bin", 1) is not None
    assert not engine.run_once().catalogue_changed
    assert portal.etags_sent[1] is not None  # If-None-Match on the second pass
    portal.catalogue_body = {"schema_version": 1, "journeys": [{"id": "Not An Id", "version": 0}]}
    report = engine.run_once()
    assert report.last_error_class == "bad_catalogue" and not report.catalogue_changed
    assert store.cache.catalogue()[0] == CATALOGUE


def test_heartbeat_says_how_the_kiosk_is_and_nothing_personal(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 2)
    portal.outcome = lambda p: (_ for _ in ()).throw(Permanent("invalid_answers", "no", 422, []))
    engine = engine_for(store, portal, heartbeat_interval=300)
    engine.run_once(now=50_000.0)
    (beat,) = portal.heartbeats
    assert beat["needs_attention"] == 2 and beat["outbox_depth"] == 0
    assert beat["clock_skew_s"] == pytest.approx(30, abs=2)
    assert beat["free_disk_bytes"] > 0 and beat["app_version"]
    text = json.dumps(beat)
    assert not any(ref in text for ref in refs) and "Ada" not in text and "missed-bin" not in text
    engine.run_once(now=50_100.0)
    assert len(portal.heartbeats) == 1  # not due yet
    engine.run_once(now=50_301.0)
    assert len(portal.heartbeats) == 2


def test_status_figures_are_recorded(store: Store, portal: FakePortal) -> None:
    queue(store, 1)
    engine_for(store, portal).run_once()
    state = store.state.read()
    assert (state.last_sync_at or 0) > 0
    assert state.last_error_class is None
    assert abs((state.clock_skew_s or 0) - 30) < 2


def test_request_stop_ends_a_long_pass(store: Store, portal: FakePortal) -> None:
    queue(store, 10)
    engine = engine_for(store, portal)

    def stop_after_three(p: dict[str, Any]) -> Delivered:
        if len(portal.submitted) == 3:
            engine.request_stop()
        return Delivered(p["reference"], "received")

    portal.outcome = stop_after_three
    assert engine.drain().delivered == 3
    assert store.outbox.counts().waiting == 7


def test_progress_is_reported_during_a_pass(store: Store, portal: FakePortal, monkeypatch) -> None:
    import sync.engine

    monkeypatch.setattr(sync.engine, "PROGRESS_INTERVAL", 0.0)
    refs = queue(store, 4)
    seen: list[list[str]] = []
    seen_ids: list[str] = []
    engine_for(store, portal).drain(on_progress=lambda ids, r: (seen.append(list(r)), seen_ids.extend(ids)))
    assert [r for batch in seen for r in batch] == refs
    assert [store.outbox.item(i).reference for i in seen_ids] == refs


@given(attempts=st.integers(min_value=0, max_value=10_000), retry_after=st.none() | st.floats(0, 7200))
def test_backoff_is_full_jitter_capped_and_never_under_retry_after(attempts: int, retry_after: float | None) -> None:
    delay = backoff(attempts, retry_after, random.Random(attempts))
    assert delay >= (retry_after or 0.0)
    assert delay <= max(BACKOFF_CAP, retry_after or 0.0)
    assert delay <= max(2.0 * 2 ** min(max(0, attempts - 1), 30), retry_after or 0.0)


def test_backoff_spreads_out(rng: random.Random) -> None:
    delays = [backoff(10, None, rng) for _ in range(200)]
    assert min(delays) < 60 and max(delays) > 240  # full jitter over [0, 300]


def test_batch_claim_and_record_follow_the_single_row_rules(store: Store) -> None:
    """Store.claim_due / mark_delivered_many, which the drain uses: oldest first, due only,
    answers destroyed and audited on delivery, a delivered row never delivered twice."""
    refs = queue(store, 5)
    later = store.outbox.submit("missed-bin", 1, ANSWERS, now=999.0)
    store.outbox.mark_retry(later.submission_id, "http_500", "x", next_attempt_at=10**10)
    claimed = store.outbox.claim_due(3, now=2000.0)
    assert [i.reference for i in claimed] == refs[:3]
    assert all(i.state == "sending" and i.attempts == 1 for i in claimed)
    store.outbox.mark_delivered_many([(i.submission_id, i.reference) for i in claimed])
    store.outbox.mark_delivered_many([(claimed[0].submission_id, "AGAIN")])  # no second delivery
    delivered = store.outbox.items("delivered")
    assert [i.server_reference for i in delivered] == refs[:3]
    assert all(store.outbox.answers(i.submission_id) is None for i in delivered)
    audited = [e for e in store.audit.entries() if e["action"] == "delivered"]
    assert len(audited) == 3
    assert [i.reference for i in store.outbox.claim_due(10, now=2000.0)] == refs[3:]  # not the one backing off
