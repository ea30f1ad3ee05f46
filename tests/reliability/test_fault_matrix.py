"""The fault matrix: the real PortalClient, SyncEngine and Store against a portal that misbehaves
on loopback (tests/reliability/misbehaving_server.py), one fault per case.

For each: the pass ends within a bounded time (10x the client's deadline), with the right error
class and a clear message on the row; no row is left in 'sending'; and once the fault is gone,
every submission reaches the portal exactly once (the server counts commits per Idempotency-Key).
A random run of faults over many passes is the long version (`pytest -m reliability`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local_store.store import Store
from sync.client import PortalClient
from sync.engine import SyncEngine, SyncReport
from tests.reliability.misbehaving_server import Fault, Misbehaving, misbehaving
from tests.reliability.test_sync_kill import kill_count

ANSWERS = {"bin-type": "recycling", "full-name": "Ada Lovelace"}
DEADLINE = 2.0  # the client's total time per request, in these tests
BOUND = 10 * DEADLINE
HOURS = 3 * 3600.0
HEALTH = "/api/v1/health"
EVERYWHERE = "/api/v1"

# id: (server options, fault, error class of the pass, words in the message, the pass is online)
CASES: dict[str, tuple[dict[str, object], Fault | None, str | None, str, bool]] = {
    "timeout": ({}, Fault("hang"), "timeout", "in time", False),
    "slow drip of the answer": ({}, Fault("drip", delay=0.4), "timeout", "in time", False),
    "slow drip of health": ({}, Fault("drip", path=HEALTH, delay=0.4), "timeout", "", False),
    "reset before commit": ({}, Fault("reset_before"), "unreachable", "could not reach", False),
    "reset after commit (answer lost)": ({}, Fault("reset_after"), "unreachable", "could not reach", False),
    "500 for one": ({}, Fault("status", status=500, count=1), "http_500", "HTTP 500", True),
    "503 Retry-After seconds": ({}, Fault("status", retry_after="1"), "http_503", "HTTP 503", True),
    "429 Retry-After nonsense": ({}, Fault("status", status=429, retry_after="soon"), "http_429", "HTTP 429", True),
    "captive portal 200 page": ({}, Fault("captive", path=EVERYWHERE), "not_contract", "", False),
    "captive portal on submit only": ({}, Fault("captive"), "not_contract", "text/html", False),
    "malformed 201": ({}, Fault("malformed"), "not_contract", "not JSON", False),
    "wrong-shaped 201": ({}, Fault("wrong_shape"), "not_contract", "no reference", False),
    "redirect": ({}, Fault("redirect"), "not_contract", "redirect", False),
    "201 nested 100,000 deep": ({}, Fault("deep"), "not_contract", "nested too deep", False),
    "endless answer": ({}, Fault("huge"), "too_large", "larger than the limit", False),
    "endless catalogue": ({}, Fault("huge", path="/api/v1/catalogue"), "bad_catalogue", "", True),
    "server_time of year 1": (
        {},
        Fault("body", path=HEALTH, body={"status": "ok", "server_time": "0001-01-01T00:00:00"}),
        "not_contract",
        "",
        False,
    ),
    "TLS self-signed": ({"tls": "self_signed"}, None, "tls", "", False),
    "TLS wrong host": ({"tls": "wrong_host"}, None, "tls", "", False),
    "TLS expired": ({"tls": "expired"}, None, "tls", "", False),
    "TLS unknown CA": ({"tls": "unknown_ca"}, None, "tls", "", False),
    "clock hours off": ({"clock_offset": HOURS, "tls": "good"}, None, None, "", True),
}


def engine_for(store: Store, server: Misbehaving) -> SyncEngine:
    ca = str(server.ca_file) if server.ca_file else None
    client = PortalClient(server.url, "tok", ca_bundle=ca, timeout=httpx.Timeout(DEADLINE), deadline=DEADLINE)
    return SyncEngine(store, client, kiosk_id="kiosk-1", training=True, backoff_base=0.01, backoff_cap=0.02)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.sqlite3", training=True)
    yield s
    s.close()


def settle(engine: SyncEngine, store: Store, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while store.outbox.counts().waiting and time.monotonic() < deadline:
        engine.run_once()
        time.sleep(0.05)


def timed_pass(engine: SyncEngine) -> tuple[SyncReport, float]:
    started = time.monotonic()
    report = engine.run_once()
    return report, time.monotonic() - started


def assert_exactly_once(server: Misbehaving, store: Store, ids: list[str]) -> None:
    assert {i.state for i in store.outbox.items()} == {"delivered"}
    assert sorted(server.committed) == sorted(ids)  # nothing lost
    assert set(server.commits.values()) == {1}  # nothing duplicated


@pytest.mark.parametrize("case", list(CASES))
def test_each_fault_has_the_right_outcome_and_loses_nothing(tmp_path: Path, store: Store, case: str) -> None:
    options, fault, error_class, words, online = CASES[case]
    ids = [store.outbox.submit("missed-bin", 1, ANSWERS, now=1000.0 + i).submission_id for i in range(3)]
    with misbehaving(tmp_path, fault=fault, **options) as server:  # type: ignore[arg-type]
        engine = engine_for(store, server)
        report, took = timed_pass(engine)
        assert took < BOUND, f"{case}: the pass took {took:.1f} s"
        assert report.last_error_class == error_class, report
        assert report.online == online, report
        assert store.outbox.counts().by_state["sending"] == 0  # nothing stranded
        assert store.outbox.counts().by_state["needs_attention"] == 0  # none of these is staff's to fix
        failed = [i for i in store.outbox.items() if i.last_error_class]
        if words and failed:
            assert words in (failed[0].last_error_message or ""), failed[0].last_error_message
        if case.startswith("TLS"):
            assert server.committed == {}  # nothing went out over a connection that was not safe
            return
        if case == "clock hours off":
            assert report.delivered == 3 and report.clock_skew == pytest.approx(HOURS, abs=60)
        server.set_fault(None)
        settle(engine, store)
        engine.close()
        assert_exactly_once(server, store, ids)


def test_a_retry_after_date_is_read_on_the_portals_clock(tmp_path: Path, store: Store) -> None:
    """The portal's clock is three hours ahead and asks for 2 s: the kiosk holds about 2 s, not an hour."""
    store.outbox.submit("missed-bin", 1, ANSWERS)
    with misbehaving(tmp_path, clock_offset=HOURS) as server:
        server.set_fault(Fault("status", status=429, retry_after=server.http_date(2)))
        engine = engine_for(store, server)
        report = engine.run_once()
        assert report.last_error_class == "http_429" and report.held_until is not None
        assert 0 <= report.held_until - time.time() <= 10
        server.set_fault(None)
        settle(engine, store)
        engine.close()
        assert len(server.committed) == 1


@pytest.mark.reliability
def test_a_random_run_of_faults_loses_and_duplicates_nothing(
    tmp_path: Path, store: Store, request: pytest.FixtureRequest, rng: random.Random
) -> None:
    quick = [
        Fault("reset_before", count=1),
        Fault("reset_after", count=1),
        Fault("status", status=503, count=1, retry_after="0"),
        Fault("status", status=500, count=2),
        Fault("malformed", count=1),
        Fault("wrong_shape", count=1),
        Fault("captive", count=1),
        Fault("deep", count=1),
    ]
    rounds = kill_count(request.config) * 3
    ids: list[str] = []
    with misbehaving(tmp_path) as server:
        engine = engine_for(store, server)
        for _ in range(rounds):
            ids += [store.outbox.submit("missed-bin", 1, ANSWERS).submission_id for _ in range(rng.randint(1, 4))]
            chosen = rng.choice(quick)
            server.set_fault(
                Fault(chosen.kind, status=chosen.status, count=chosen.count, retry_after=chosen.retry_after)
            )
            _, took = timed_pass(engine)
            assert took < BOUND
            assert store.outbox.counts().by_state["sending"] == 0
        server.set_fault(None)
        settle(engine, store)
        engine.close()
        assert_exactly_once(server, store, ids)
