"""Kill -9 at random moments: no acknowledged submission is ever lost, none is ever half-present.

A child process submits for ever (and claims, delivers, retries, discards in between); it prints a
line only after Store.submit() returned. The test SIGKILLs it at a random moment (sometimes while
it is still opening and migrating the database), then opens the same file and checks it.

The default run does a few kills; `pytest -m reliability` does 200, and DCP_TEST_CRASH_KILLS=N
does N.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import keyring
import pytest

from local_store import STATES, Store
from tests.reliability.counts import soak_count
from tests.reliability.file_keyring import FileKeyring

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KILLS = 5
FULL_KILLS = 200

pytestmark = pytest.mark.reliability


def kill_count(config: pytest.Config) -> int:
    return soak_count(config, "DCP_TEST_CRASH_KILLS", DEFAULT_KILLS, FULL_KILLS)


class Child:
    """One run of the crash child, with a thread reading its acknowledgements."""

    def __init__(self, db: Path, keyfile: Path, seed: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_child", str(db), str(keyfile), str(seed)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.ready = threading.Event()
        self.acked: dict[str, dict[str, Any]] = {}
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
            else:
                self.acked[line["id"]] = line["answers"]

    def kill(self) -> str:
        assert self.proc.stderr is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)
        err = self.proc.stderr.read().decode()
        self.proc.stdout.close()  # type: ignore[union-attr]
        self.proc.stderr.close()
        return err


def check_database(db: Path, acked: dict[str, dict[str, Any]], recent: set[str], rng: random.Random) -> Counter[str]:
    """Every acknowledged submission is present; nothing is half-present. The answers of this
    round's submissions, of any not acknowledged, and of a sample of older ones are decrypted."""
    store = Store(db, training=True)
    try:
        assert [p.name for p in db.parent.iterdir() if ".corrupt-" in p.name] == []
        assert store.alerts.list() == []
        c = store.conn
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        subs = {r[0] for r in c.execute("SELECT id FROM submissions")}
        outbox = {r[0] for r in c.execute("SELECT submission_id FROM outbox")}
        audited = Counter(r[0] for r in c.execute("SELECT subject FROM audit WHERE action='submit'"))
        assert subs == outbox == set(audited), "a submission without its outbox row or audit entry"
        assert set(audited.values()) <= {1}, "a submission audited twice"
        missing = set(acked) - subs
        assert not missing, f"acknowledged submissions lost: {sorted(missing)[:3]}"
        unacked = subs - set(acked)
        sample = recent | unacked | set(rng.sample(sorted(acked), min(100, len(acked))))
        for sid in sample:
            item = store.outbox.item(sid)
            answers = store.outbox.answers(sid)
            if item.state in ("delivered", "discarded"):
                assert answers is None  # retention 0: destroyed with the delivery or discard
            elif sid in acked:
                assert answers == acked[sid]
            else:
                assert answers is not None and answers["text"].strip("x") == ""  # committed, not yet acked
        states = Counter({r[0]: r[1] for r in c.execute("SELECT state, count(*) FROM outbox GROUP BY state")})
        assert set(states) <= set(STATES)
        return states
    finally:
        store.close()


@pytest.mark.timeout(3600)
def test_sigkill_never_loses_or_half_writes_a_submission(
    tmp_path: Path, request: pytest.FixtureRequest, memory_keyring: object, rng: random.Random
) -> None:
    """Randomised through `rng` (tests/plugins/seeds.py): DCP_TEST_SEED reruns the same draws."""
    kills = kill_count(request.config)
    db = tmp_path / "kiosk.sqlite3"
    keyfile = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyfile))
    acked: dict[str, dict[str, Any]] = {}
    during_start = 0
    for _ in range(kills):
        child = Child(db, keyfile, seed=rng.randrange(2**32))
        if rng.random() < 0.2:  # kill while it opens, migrates, requeues
            time.sleep(rng.uniform(0.0, 0.6))
            during_start += not child.ready.is_set()
        else:
            assert child.ready.wait(timeout=60), "the child did not start"
            time.sleep(rng.uniform(0.0, 0.25))
        err = child.kill()
        assert "Traceback" not in err, err
        acked.update(child.acked)
        states = check_database(db, acked, set(child.acked), rng)
    print(f"{kills} kills ({during_start} during start-up), {len(acked)} acknowledged, final states {dict(states)}")
    assert len(acked) > kills, "the child must have got some work done between kills"
