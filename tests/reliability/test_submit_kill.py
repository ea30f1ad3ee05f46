"""SIGKILL the kiosk while citizens submit, at random moments, many times: every reference the kiosk
acknowledged reaches the portal, each submission exactly once, and nothing waits for staff.

Each round is a child process on the same enrolled data directory, killed at a random moment:
- most rounds, tests/reliability/submit_child.py: submissions one after another through
  Kiosk.submit_raw, and in half of them a sync thread delivering to the reference portal meanwhile
  (which adds latency and now and then loses a response after committing);
- a quarter of the rounds, the real command `dcp-kiosk submit --json`, killed anywhere in its life
  (imports, opening and migrating the database, the submission, the printing).
A reference counts as acknowledged once the child printed it. At the end: one clean sync pass,
then `portal export` must hold each local submission once and every acknowledged reference.

A few kills by default; `pytest -m reliability` (`make soak`) does 500; DCP_TEST_SUBMIT_KILLS=N sets N.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
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
    return soak_count(config, "DCP_TEST_SUBMIT_KILLS", DEFAULT_KILLS, FULL_KILLS)


class Round:
    """One child process, with a thread collecting the references it acknowledged."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.ready = threading.Event()
        self.acked: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                continue  # a line cut short by the kill is not an acknowledgement
            if line.get("ready"):
                self.ready.set()
            elif line.get("reference"):
                self.acked.append(line["reference"])

    def end(self, after: float) -> tuple[bool, str]:
        """Kill it `after` seconds from now unless it has exited; (killed, stderr)."""
        try:
            self.proc.wait(timeout=after)
            killed = False
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
            killed = True
        self.reader.join(timeout=30)
        assert self.proc.stderr is not None and self.proc.stdout is not None
        err = self.proc.stderr.read().decode()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return killed, err


@pytest.mark.timeout(7200)
def test_sigkill_during_submit_loses_and_duplicates_nothing(
    tmp_path: Path, portal, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], rng: random.Random
) -> None:
    """Randomised through `rng` (tests/plugins/seeds.py): DCP_TEST_SEED reruns the same draws."""
    kills = kill_count(request.config)
    keyfile = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyfile))  # the children read the same token and data key
    data = tmp_path / "kiosk"
    kiosk, _journey = synced_kiosk(data, portal)
    kiosk.close()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(MISSED_BIN_RAW), encoding="utf-8")
    portal.set_faults(kind="lost_response", rate=0.02, latency_ms=20, paths=["/api/v1/submissions"])
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="tests.reliability.file_keyring.FileKeyring")
    env["DCP_TEST_KEYRING_FILE"] = str(keyfile)
    common = ["--json", "--training", "--data-dir", str(data)]
    cli = [sys.executable, "-m", "app", "submit", "--journey", "missed-bin", "--answers", str(answers), *common]
    acked: list[str] = []
    landed = rounds = cli_rounds = 0
    cli_latest = 1.5  # the latest moment to kill the CLI; shortened when it finishes before
    # Until every kill has landed and the children have done more work than there were kills: on a loaded
    # machine the first few rounds can all be killed while starting up, which tests nothing of submit.
    while (landed < kills or len(acked) <= kills) and rounds < kills * 12:
        rounds += 1
        if rng.random() < 0.25:
            cli_rounds += 1
            one = Round(cli, env)
            started = time.monotonic()
            killed, err = one.end(after=rng.uniform(0.05, cli_latest))
            if not killed:
                cli_latest = max(0.2, (time.monotonic() - started) * 0.9)
        else:
            child = [sys.executable, "-m", "tests.reliability.submit_child", str(data), str(rng.randrange(2**32))]
            one = Round(child + (["--sync"] if rng.random() < 0.5 else []), env)
            if rng.random() < 0.2:  # while it starts: imports, opening, migrating, requeueing
                killed, err = one.end(after=rng.uniform(0.0, 0.8))
            else:
                assert one.ready.wait(timeout=60), "the child did not start"
                killed, err = one.end(after=rng.uniform(0.0, 0.8))  # the first submission takes longest
        landed += killed
        assert "Traceback" not in err, err
        acked.extend(one.acked)

    portal.clear_faults()
    capsys.readouterr()
    kiosk, _journey = synced_kiosk(data, portal)
    assert kiosk.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [p.name for p in data.iterdir() if ".corrupt-" in p.name] == []
    # a clean run: requeue what a kill left in 'sending', then deliver what is due
    assert main(["sync", "--once", *common]) == 0
    if kiosk.store.outbox.counts().waiting:  # rows still in their backoff: a pass as if it had elapsed
        with kiosk.sync_engine() as engine:
            engine.run_once(now=time.time() + BACKOFF_CAP + 1)
    capsys.readouterr()
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    local = kiosk.store.outbox.items()
    print(f"{rounds} rounds ({cli_rounds} of the CLI), {landed} kills, {len(acked)} acknowledged, {len(local)} saved")
    assert Counter(i.state for i in local) == Counter(delivered=len(local)), "a submission waits or needs staff"
    assert Counter(r["submission_id"] for r in rows) == Counter(i.submission_id for i in local)  # each once
    at_portal = Counter(r["reference"] for r in rows)
    assert set(acked) <= set(at_portal), (
        f"acknowledged but not at the portal: {sorted(set(acked) - set(at_portal))[:3]}"
    )
    assert max(at_portal.values(), default=1) == 1, "a reference twice at the portal"
    assert landed >= kills, f"only {landed} of {kills} kills landed while the child ran"
    assert len(acked) > kills, "the children must have got some work done between kills"
    kiosk.close()
