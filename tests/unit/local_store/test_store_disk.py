"""A full disk or a read-only data directory: submit fails with SaveFailed and nothing is half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from local_store import DatabaseUnavailable, SaveFailed, Store, StoreError, WriteFailed


@contextmanager
def tmpfs(path: Path, size_kb: int) -> Iterator[Path]:
    """A real, tiny filesystem (root only; skipped elsewhere)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(path)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def assert_whole(store: Store, acknowledged: dict[str, dict[str, object]]) -> None:
    """Every acknowledged submission is present and readable; nothing else is, even partly."""
    subs = {r[0] for r in store.conn.execute("SELECT id FROM submissions")}
    outbox = {r[0] for r in store.conn.execute("SELECT submission_id FROM outbox")}
    audited = [r[0] for r in store.conn.execute("SELECT subject FROM audit WHERE action='submit'")]
    assert subs == outbox == set(acknowledged) == set(audited) and len(audited) == len(subs)
    for sid, answers in acknowledged.items():
        assert store.outbox.answers(sid) == answers
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def fill_until_full(store: Store) -> tuple[dict[str, dict[str, object]], SaveFailed]:
    acknowledged: dict[str, dict[str, object]] = {}
    for n in range(10_000):
        answers: dict[str, object] = {"n": n, "text": os.urandom(3000).hex()}
        try:
            saved = store.outbox.submit("j", 1, answers)
        except SaveFailed as exc:
            return acknowledged, exc
        acknowledged[saved.submission_id] = answers
    raise AssertionError("the disk never filled")


def test_max_page_count_full_disk_fails_cleanly(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    store.outbox.submit("warm", 1, {"n": -1})  # the key check and first pages exist
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages + 12}")
    before = {s.submission_id: store.outbox.answers(s.submission_id) for s in store.outbox.items()}
    acknowledged, exc = fill_until_full(store)
    assert "full" in str(exc)
    assert acknowledged, "some submissions fitted before the disk filled"
    assert_whole(store, {**before, **acknowledged})  # type: ignore[dict-item]
    # the kiosk goes on working once there is room again
    store.conn.execute("PRAGMA max_page_count=1073741823")
    store.outbox.submit("j", 1, {"after": True})
    assert [a.kind for a in store.alerts.list()] == ["save_failed"]
    assert "disk is full" in store.alerts.list()[0].message
    store.close()


def test_a_tiny_real_filesystem_fills_up_cleanly(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "tiny", size_kb=384) as mnt:  # the empty database, its WAL, and a few submissions
        path = mnt / "kiosk.sqlite3"
        store = Store(path, training=True)
        acknowledged, exc = fill_until_full(store)
        assert acknowledged and "full" in str(exc)
        assert_whole(store, acknowledged)
        store.close()
        again = Store(path, training=True)  # reopen on the full disk: everything is still there
        assert_whole(again, acknowledged)
        again.close()


def test_a_database_that_turns_read_only_refuses_to_save(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    kept = store.outbox.submit("j", 1, {"n": 1})
    store.conn.execute("PRAGMA query_only=ON")  # SQLite now answers writes with SQLITE_READONLY
    with pytest.raises(SaveFailed, match="readonly"):
        store.outbox.submit("j", 1, {"n": 2})
    store.conn.execute("PRAGMA query_only=OFF")
    assert_whole(store, {kept.submission_id: {"n": 1}})
    store.close()


def assert_read_only_is_refused(data: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="not writable"):
        Store(data / "kiosk.sqlite3", training=True)


def test_a_read_only_data_directory_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root ignores file modes: use a real read-only mount
        with tmpfs(tmp_path / "data", size_kb=1024) as data:
            Store(data / "kiosk.sqlite3", training=True).close()
            subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
            assert_read_only_is_refused(data)
    else:
        data = tmp_path / "data"
        data.mkdir()
        Store(data / "kiosk.sqlite3", training=True).close()
        data.chmod(0o555)
        try:
            assert_read_only_is_refused(data)
        finally:
            data.chmod(0o755)


def test_other_writes_on_a_full_or_read_only_disk_raise_a_typed_error_and_change_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True, retention_days=0)
    saved = store.outbox.submit("j", 1, {"n": 1})
    assert store.outbox.claim_next() is not None
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(WriteFailed) as info:
        store.cache.put_catalogue({"big": "x" * 100_000})
    assert isinstance(info.value, StoreError) and info.value.errorname == "SQLITE_FULL"
    assert store.cache.catalogue() is None
    store.conn.execute("PRAGMA query_only=ON")
    with pytest.raises(WriteFailed):
        store.outbox.mark_delivered(saved.submission_id, "SRV-1")
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.server_reference) == ("sending", None)  # all or nothing
    assert store.outbox.answers(saved.submission_id) == {"n": 1}
    store.close()


def exhaust(store: Store) -> None:
    """Use up what a failed transaction left reusable at the end of the WAL, one page-sized commit at a time,
    so that the next write of any size fails (how much is left otherwise depends on where the fill stopped)."""
    for _ in range(10_000):
        try:
            with store.conn:
                store.conn.execute("INSERT INTO pad VALUES (randomblob(64))")
        except sqlite3.OperationalError as exc:
            assert "full" in str(exc)
            return
    raise AssertionError("the disk never filled")


def test_a_full_disk_is_still_reported_to_staff_and_written_once_space_returns(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "tiny", size_kb=512) as mnt:
        filler = mnt / "filler"
        filler.write_bytes(os.urandom(96 * 1024))  # what IT frees later
        path = mnt / "kiosk.sqlite3"
        store = Store(path, training=True)
        store.conn.execute("CREATE TABLE pad (x BLOB)")
        acknowledged, exc = fill_until_full(store)
        assert "full" in str(exc)
        [alert] = store.alerts.list()
        assert alert.kind == "save_failed" and "disk is full" in alert.message
        exhaust(store)
        on_disk = store.conn.execute("SELECT coalesce(sum(count), 0) FROM alerts").fetchone()[0]
        assert on_disk <= 1  # the first may have fitted in the WAL's reusable end; nothing more can now
        with pytest.raises(SaveFailed):
            store.outbox.submit("j", 1, {"text": os.urandom(3000).hex()})
        # the second could not be written, yet staff see both
        assert [(a.kind, a.count) for a in store.alerts.list()] == [("save_failed", 2)]
        assert store.conn.execute("SELECT coalesce(sum(count), 0) FROM alerts").fetchone()[0] == on_disk
        filler.unlink()  # space returns: the alert is written, once
        assert [(a.kind, a.count) for a in store.alerts.list()] == [("save_failed", 2)]
        store.close()
        again = Store(path, training=True)
        assert [(a.kind, a.count) for a in again.alerts.list()] == [("save_failed", 2)]
        assert_whole(again, acknowledged)
        again.close()
