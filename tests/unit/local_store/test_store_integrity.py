"""The integrity check at open: a damaged or unreadable file is moved aside (never deleted), a new
database is started, and staff see an alert saying what happened and where the old file is."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from app.kiosk import Kiosk
from local_store import DatabaseUnavailable, Store
from local_store.db import is_corruption, move_aside
from tests.helpers import make_kiosk


def filled_store(path: Path, n: int = 40) -> list[str]:
    store = Store(path, training=True)
    ids = [store.outbox.submit("j", 1, {"text": "x" * 400, "n": i}).submission_id for i in range(n)]
    store.close()
    return ids


def damage_page(path: Path, page: int = 4) -> None:
    with open(path, "r+b") as f:
        f.seek(4096 * (page - 1))
        f.write(b"\xff" * 64)


def moved_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ".corrupt-" in p.name)


def test_a_healthy_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    ids = filled_store(path)
    store = Store(path, training=True)
    assert store.alerts.list() == [] and moved_files(tmp_path) == []
    assert store.outbox.answers(ids[-1]) == {"text": "x" * 400, "n": 39}
    store.close()


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    store = Store(path, training=True)
    [old] = moved_files(tmp_path)
    assert old.read_bytes() == garbage  # kept byte for byte, never deleted
    [alert] = store.alerts.list()
    assert alert.kind == "database_moved_aside"
    assert str(old) in alert.message and "contact IT" in alert.message
    assert store.outbox.counts().waiting == 0
    store.outbox.submit("j", 1, {"n": 1})  # the kiosk carries on with a new database
    store.close()


def test_a_damaged_page_is_found_and_the_file_moved_aside_with_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    filled_store(path)
    damage_page(path)
    # leave a WAL beside it too, as a crash would
    Path(str(path) + "-wal").write_bytes(b"wal bytes")
    Path(str(path) + "-shm").write_bytes(b"shm bytes")
    store = Store(path, training=True)
    names = sorted(p.name.split(".corrupt-")[1].split("-", 1)[-1] for p in moved_files(tmp_path))
    assert len(moved_files(tmp_path)) == 3
    assert any(p.name.endswith("-wal") for p in moved_files(tmp_path)), names
    assert next(p for p in moved_files(tmp_path) if p.name.endswith("-wal")).read_bytes() == b"wal bytes"
    alert = store.alerts.list()[0]
    assert alert.kind == "database_moved_aside" and "malformed" in alert.message
    assert store.outbox.counts().by_state["pending"] == 0
    store.close()


def test_quick_check_finds_damage_that_opening_does_not(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    filled_store(path, n=200)
    conn = sqlite3.connect(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    damage_page(path, page=pages - 2)  # a leaf deep in the table: opening works, the check does not
    store = Store(path, training=True)
    assert [a.kind for a in store.alerts.list()] == ["database_moved_aside"]
    store.close()


def test_the_alert_reaches_kiosk_status(tmp_path: Path) -> None:
    (tmp_path / "kiosk.sqlite3").write_bytes(b"this is not sqlite" * 100)
    kiosk: Kiosk = make_kiosk(tmp_path)
    [alert] = kiosk.status().alerts
    assert alert.kind == "database_moved_aside" and ".corrupt-" in alert.message
    kiosk.close()


def test_moving_aside_twice_in_one_second_keeps_both(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"one")
    first = move_aside(path, "test", now=0.0)
    path.write_bytes(b"two")
    second = move_aside(path, "test", now=0.0)
    assert first.moved_to != second.moved_to
    assert first.moved_to.read_bytes() == b"one" and second.moved_to.read_bytes() == b"two"


def test_a_busy_database_is_not_corrupt_and_is_never_moved(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    filled_store(path, n=3)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    store = Store(path, training=True)  # waits for the lock (busy_timeout), then opens
    holder.close()
    assert moved_files(tmp_path) == [] and store.alerts.list() == []
    assert store.outbox.counts().by_state["pending"] == 3
    store.close()
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
    assert not is_corruption(locked)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file (see test_store_permissions.py)")
def test_an_unreadable_file_is_a_permission_problem_and_is_never_moved(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    filled_store(path, n=1)
    path.chmod(0)
    try:
        with pytest.raises(DatabaseUnavailable, match="permission denied"):
            Store(path, training=True)
        assert moved_files(tmp_path) == []
    finally:
        path.chmod(0o600)


def test_a_data_directory_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnavailable, match="cannot use the data directory"):
        Store(blocker / "kiosk.sqlite3", training=True)
