"""Acknowledged submissions that vanish from the database (a damaged WAL frame after a crash, a file
emptied or deleted) are a staff alert, not a silent loss; a fresh install, a training database and
a recovered one raise nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from local_store import Store
from local_store.db import move_aside
from local_store.recover import recover
from tests.conftest import ROOT
from tests.reliability.file_keyring import FileKeyring

CHILD = """
import sys
from pathlib import Path
import keyring
from tests.reliability.file_keyring import FileKeyring
keyring.set_keyring(FileKeyring(Path(sys.argv[2])))
from local_store.store import Store
store = Store(Path(sys.argv[1]), training=False)
n = 0
while True:
    saved = store.outbox.submit("crash-test", 1, {"n": n, "text": "x" * 200})
    print(saved.submission_id, flush=True)  # the reference was shown
    n += 1
"""


def missing_alerts(store: Store) -> list[str]:
    return [a.message for a in store.alerts.list() if a.kind == "submissions_missing"]


def crashed_database(tmp_path: Path, acks: int = 40) -> tuple[Path, list[str]]:
    """A live database whose writer was SIGKILLed after at least `acks` acknowledged submits."""
    db, keyfile = tmp_path / "kiosk.sqlite3", tmp_path / "keyring.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(keyfile)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    acked = [proc.stdout.readline().strip() for _ in range(acks)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    acked += [line.strip() for line in proc.stdout if len(line.strip()) == 36]
    proc.stdout.close()
    keyring.set_keyring(FileKeyring(keyfile))
    return db, acked


def flip_a_wal_byte(db: Path) -> None:
    wal = Path(str(db) + "-wal")
    raw = bytearray(wal.read_bytes())
    page = int.from_bytes(raw[8:12], "big")
    frames = (len(raw) - 32) // (24 + page)
    assert frames > 20, "the crash left a WAL with frames"
    at = 32 + (frames // 2) * (24 + page) + 24 + 100  # inside the page of a frame half-way through
    raw[at] ^= 0x01
    wal.write_bytes(bytes(raw))


def test_a_flipped_wal_byte_after_a_crash_is_an_alert_naming_how_many(tmp_path: Path) -> None:
    db, acked = crashed_database(tmp_path)
    flip_a_wal_byte(db)
    store = Store(db, training=False)
    held = {r[0] for r in store.conn.execute("SELECT id FROM submissions")}
    lost = [sid for sid in acked if sid not in held]
    assert lost, "the damaged frame cut off acknowledged submissions (what the alert must tell)"
    [message] = missing_alerts(store)
    count = int(message.split()[0])
    assert count in (len(lost), len(lost) + 1)  # + the one committed but not yet printed at the kill
    assert "submissions whose references were given are missing from the database; the last was at" in message
    assert "rolled back" in message
    store.close()
    again = Store(db, training=False)  # told once: the mark now follows the database
    assert len(missing_alerts(again)) == 1 and again.alerts.list()[0].count == 1
    again.close()


@pytest.mark.parametrize("how", ["truncated", "deleted"])
def test_a_database_emptied_or_deleted_is_an_alert_not_a_fresh_start(tmp_path: Path, how: str) -> None:
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=False)
    for n in range(3):
        store.outbox.submit("j", 1, {"n": n})
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    if how == "truncated":
        os.truncate(db, 0)
    else:
        db.unlink()
    store = Store(db, training=False)
    [message] = missing_alerts(store)
    assert message.startswith("3 submissions whose references were given are missing") and "emptied" in message
    store.close()


def test_a_fresh_install_a_training_database_and_a_healthy_reopen_raise_nothing(tmp_path: Path) -> None:
    live = tmp_path / "live" / "kiosk.sqlite3"
    store = Store(live, training=False)
    assert store.alerts.list() == []
    store.outbox.submit("j", 1, {"n": 1})
    store.close()
    assert Path(str(live) + ".watermark").is_file()
    store = Store(live, training=False)
    assert store.alerts.list() == []
    store.close()
    training = tmp_path / "training" / "kiosk.sqlite3"
    store = Store(training, training=True)
    store.outbox.submit("j", 1, {"n": 1})
    store.close()
    training.unlink()
    store = Store(training, training=True)  # a training database may be reset at will
    assert store.alerts.list() == [] and not Path(str(training) + ".watermark").exists()
    store.close()


def test_a_moved_aside_database_and_its_recovery_raise_no_missing_alert(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=False)
    for n in range(3):
        store.outbox.submit("j", 1, {"n": n})
    store.close()
    old = move_aside(db, "test").moved_to
    db.write_bytes(b"garbage" * 1000)  # and the next open finds damage too
    store = Store(db, training=False)
    assert [a.kind for a in store.alerts.list()] == ["database_moved_aside"]
    assert recover(store, old).recovered == 3
    store.close()
    store = Store(db, training=False)
    assert missing_alerts(store) == []
    store.close()


def test_a_damaged_mark_is_rewritten_without_an_alert(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=False)
    store.outbox.submit("j", 1, {"n": 1})
    store.close()
    Path(str(db) + ".watermark").write_bytes(b"\x00\xff garbage")
    store = Store(db, training=False)
    assert store.alerts.list() == []
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM outbox")
    conn.execute("DELETE FROM submissions")
    conn.commit()
    conn.close()
    store = Store(db, training=False)
    assert len(missing_alerts(store)) == 1  # the rewritten mark counted the one submission
    store.close()
