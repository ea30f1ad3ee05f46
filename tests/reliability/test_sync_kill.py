"""SIGKILL the kiosk while it syncs, at random moments, many times: afterwards every submission
is at the portal exactly once, and nothing waits for staff.

Each round runs the real command, `dcp-kiosk sync --once`, as a child process against the
reference portal on loopback (which adds a little latency and now and then loses a response
after committing), and kills it at a random moment: while it starts, between a claim and a
send, between the portal's commit and the kiosk's "delivered". New submissions arrive between
rounds. At the end, one clean pass, then `portal export` must list each submission once.

A few kills by default; `pytest -m reliability` (`make soak`) does 500 (DCP_TEST_SYNC_KILLS=N sets N; not DCP_KIOSK_*, which conftest clears).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest

from app.cli import main
from app.kiosk import Kiosk
from sync.engine import BACKOFF_CAP
from tests.helpers import MISSED_BIN_RAW, synced_kiosk
from tests.reliability.counts import soak_count
from tests.reliability.file_keyring import FileKeyring

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KILLS = 4
FULL_KILLS = 500

pytestmark = [pytest.mark.reliability, pytest.mark.integration]


def kill_count(config: pytest.Config) -> int:
    return soak_count(config, "DCP_TEST_SYNC_KILLS", DEFAULT_KILLS, FULL_KILLS)


def kill_rounds(
    portal: Any, data: Path, keyfile: Path, kills: int, rng: random.Random, add: Callable[[int], None]
) -> int:
    """Run `dcp-kiosk sync --once` on `data` again and again, SIGKILLed at a random moment once it has begun
    talking to the portal (a child takes a second or more to start: a kill by the clock alone would land
    before any work); new work comes between the rounds (`add`). How many kills landed while it worked."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="tests.reliability.file_keyring.FileKeyring")
    env["DCP_TEST_KEYRING_FILE"] = str(keyfile)
    cmd = [sys.executable, "-m", "app", "sync", "--once", "--json", "--training", "--data-dir", str(data)]
    killed_mid_run = rounds = 0
    latest = 1.5  # the latest moment to kill after the first request; shortened when a pass finishes before it
    while killed_mid_run < kills and rounds < kills * 6:
        rounds += 1
        seen = len(portal.requests())  # the log so far: the child's first request comes after
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while child.poll() is None and not portal.requests(seen) and time.monotonic() < deadline:
            time.sleep(0.02)  # until its first request (the health check) reaches the portal
        started = time.monotonic()
        try:
            child.wait(timeout=rng.uniform(0.0, latest))
            latest = max(0.2, (time.monotonic() - started) * 0.9)  # it finished: kill sooner next time
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            killed_mid_run += 1
        assert child.stderr is not None
        err = child.stderr.read().decode()
        child.stderr.close()
        assert "Traceback" not in err, err
        add(rng.randint(10, 30))  # citizens keep coming between the crashes
    return killed_mid_run


def finish(kiosk: Kiosk, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clean run: requeue what a kill left in 'sending', then deliver what is due."""
    capsys.readouterr()
    code = main(["sync", "--once", "--json", "--training", "--data-dir", str(data)])
    said = capsys.readouterr()
    assert code == 0, said
    for _ in range(3):  # rows still in their backoff: passes as if it had elapsed
        if kiosk.store.outbox.counts().waiting:
            with kiosk.sync_engine() as engine:
                engine.run_once(now=time.time() + BACKOFF_CAP + 1)
    capsys.readouterr()


@pytest.mark.timeout(7200)
def test_sigkill_during_sync_delivers_each_submission_exactly_once(
    tmp_path: Path, portal, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], rng: random.Random
) -> None:
    """Randomised through `rng` (tests/plugins/seeds.py): DCP_TEST_SEED reruns the same draws."""
    kills = kill_count(request.config)
    keyfile = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyfile))  # the child reads the same token and data key
    data = tmp_path / "kiosk"
    kiosk, journey = synced_kiosk(data, portal)

    def add(n: int) -> None:
        for _ in range(n):
            receipt = kiosk.submit_raw(journey, MISSED_BIN_RAW)
            assert not isinstance(receipt, list)

    add(80)
    # slow enough that a kill lands mid-drain; now and then an answer is lost after the portal
    # committed (which also ends that pass: the connection is gone)
    portal.set_faults(kind="lost_response", rate=0.01, latency_ms=30, paths=["/api/v1/submissions"])
    killed_mid_run = kill_rounds(portal, data, keyfile, kills, rng, add)
    portal.clear_faults()
    finish(kiosk, data, capsys)
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    local = kiosk.store.outbox.items()
    assert Counter(i.state for i in local) == Counter(delivered=len(local))
    assert Counter(r["submission_id"] for r in rows) == Counter(i.submission_id for i in local)  # each once
    assert sorted(r["reference"] for r in rows) == sorted(i.reference for i in local)
    assert killed_mid_run == kills, f"only {killed_mid_run} of {kills} kills landed while the child ran"
    kiosk.close()


@pytest.mark.timeout(7200)
def test_sigkill_during_sync_delivers_each_open311_report_exactly_once(
    tmp_path: Path, portal, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], rng: random.Random
) -> None:
    """The same kills with the second delivery target: reports to the reference Open311 server (which has no
    idempotency key: the kiosk reconciles before any retry), some answered with tokens, mixed with the
    portal's own submissions. Afterwards each is at its own server exactly once."""
    from app.open311 import connect
    from reference_portal import db
    from sync.open311_delivery import SUBMISSION_ATTRIBUTE
    from tests.open311_journeys import FLY_TIPPING, FLY_TIPPING_RAW, POTHOLE, pothole_raw

    kills = kill_count(request.config)
    keyfile = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyfile))
    data = tmp_path / "kiosk"
    for published in (POTHOLE, FLY_TIPPING):
        portal._admin("PUT", "/admin/journeys", json=published)
    kiosk, bins = synced_kiosk(data, portal)
    key = str(db.read_admin_file(portal.db)["open311_api_key"])
    connect(kiosk.config, portal.url + "/open311/v2", "harwood-vale", "json", key)
    reports = [
        kiosk.journey(e.id, e.version) for e in kiosk.catalogue() if e.id in ("pothole-report", "fly-tipping-report")
    ]
    assert len(reports) == 2 and all(reports)

    def add(n: int) -> None:
        for i in range(n):
            which = i % 3
            if which == 2:
                receipt = kiosk.submit_raw(bins, MISSED_BIN_RAW)
            else:
                journey = reports[which]
                assert journey is not None
                receipt = kiosk.submit_raw(
                    journey, pothole_raw() if journey.id == "pothole-report" else FLY_TIPPING_RAW
                )
            assert not isinstance(receipt, list), receipt

    add(60)
    paths = ["/open311/v2/requests", "/open311/v2/tokens", "/api/v1/submissions"]
    portal.set_faults(kind="lost_response", rate=0.02, latency_ms=30, paths=paths)
    killed_mid_run = kill_rounds(portal, data, keyfile, kills, rng, add)
    portal.clear_faults()
    finish(kiosk, data, capsys)

    local = kiosk.store.outbox.items()
    assert Counter(i.state for i in local) == Counter(delivered=len(local))
    to_open311 = {i.submission_id: i for i in local if i.journey_id != "missed-bin"}
    conn = sqlite3.connect(portal.db)
    try:
        rows = conn.execute("SELECT service_request_id, attributes FROM open311_requests").fetchall()
    finally:
        conn.close()
    received = Counter(json.loads(attributes)[SUBMISSION_ATTRIBUTE] for _, attributes in rows)
    assert received == Counter(list(to_open311)), "each report at the Open311 server exactly once"
    ids = {json.loads(attributes)[SUBMISSION_ATTRIBUTE]: rid for rid, attributes in rows}
    assert all(to_open311[sid].server_reference == ids[sid] for sid in to_open311)  # its number is the case number
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    exported = Counter(json.loads(line)["submission_id"] for line in capsys.readouterr().out.splitlines())
    assert exported == Counter(i.submission_id for i in local if i.journey_id == "missed-bin")
    assert killed_mid_run == kills, f"only {killed_mid_run} of {kills} kills landed while the child ran"
    kiosk.close()
