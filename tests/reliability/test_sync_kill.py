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
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import keyring
import pytest

from app.cli import main
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
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="tests.reliability.file_keyring.FileKeyring")
    env["DCP_TEST_KEYRING_FILE"] = str(keyfile)
    cmd = [sys.executable, "-m", "app", "sync", "--once", "--json", "--training", "--data-dir", str(data)]
    killed_mid_run = rounds = 0
    latest = 1.4  # the latest moment to kill; shortened when a pass finishes before it
    while killed_mid_run < kills and rounds < kills * 6:
        rounds += 1
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.monotonic()
        try:
            child.wait(timeout=rng.uniform(0.2, latest))
            latest = max(0.3, (time.monotonic() - started) * 0.9)  # it finished: kill sooner next time
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            killed_mid_run += 1
        assert child.stderr is not None
        err = child.stderr.read().decode()
        child.stderr.close()
        assert "Traceback" not in err, err
        add(rng.randint(10, 30))  # citizens keep coming between the crashes

    portal.clear_faults()
    capsys.readouterr()
    # a clean run: requeue what a kill left in 'sending', then deliver what is due
    assert main(["sync", "--once", "--json", "--training", "--data-dir", str(data)]) == 0
    if kiosk.store.outbox.counts().waiting:  # rows still in their backoff: a pass as if it had elapsed
        with kiosk.sync_engine() as engine:
            engine.run_once(now=time.time() + BACKOFF_CAP + 1)
    capsys.readouterr()
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    local = kiosk.store.outbox.items()
    assert Counter(i.state for i in local) == Counter(delivered=len(local))
    assert Counter(r["submission_id"] for r in rows) == Counter(i.submission_id for i in local)  # each once
    assert sorted(r["reference"] for r in rows) == sorted(i.reference for i in local)
    assert killed_mid_run == kills, f"only {killed_mid_run} of {kills} kills landed while the child ran"
    kiosk.close()
