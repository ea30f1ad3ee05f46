"""`dcp-kiosk outbox recover FILE`: what a moved-aside database still holds is sent after all, with
the same submission ids and references, and the file itself is never changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from local_store import Store
from local_store.db import move_aside
from local_store.vault import KEYRING_SERVICE, key_name
from tests.helpers import MISSED_BIN_RAW, synced_kiosk
from tests.memory_keyring import MemoryKeyring


def cli(data: Path, *argv: str, training: bool = True) -> list[str]:
    return [*argv, *(["--training"] if training else []), "--data-dir", str(data)]


def digest(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.glob(path.name + "*"))}


def old_database(data: Path, *, training: bool = True) -> tuple[Path, dict[str, dict[str, Any]], str]:
    """A database with two waiting submissions, one needing attention and one delivered, enrolled,
    then moved aside as the integrity check would. Returns (moved file, waiting answers, delivered id)."""
    store = Store(data / "kiosk.sqlite3", training=training)
    store.state.enrol("https://portal.example", "kiosk-7", "site-1")
    waiting = {}
    for n in range(4):
        answers = {"n": n, "name": f"Citizen {n}"}
        waiting[store.outbox.submit("j", 1, answers).submission_id] = answers
    ids = list(waiting)
    for _ in range(2):  # the two oldest are left in 'sending', as a crash mid-delivery would
        assert store.outbox.claim_next() is not None
    store.outbox.mark_needs_attention(ids[2], "validation", "HTTP 422")
    store.outbox.mark_delivered(ids[3], "SRV-1")
    delivered = ids[3]
    del waiting[delivered]
    store.close()
    moved = move_aside(data / "kiosk.sqlite3", "test")
    return moved.moved_to, waiting, delivered


def test_recover_adds_what_was_never_delivered_with_the_same_ids_and_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kiosk"
    old, waiting, delivered = old_database(data)
    conn = sqlite3.connect(old)
    references = dict(conn.execute("SELECT id, reference FROM submissions").fetchall())
    conn.close()
    before = digest(old)
    Store(data / "kiosk.sqlite3", training=True).close()  # the kiosk started again on a new file

    assert main(cli(data, "outbox", "recover", str(old), "--staff", "S9")) == 0
    out = capsys.readouterr().out
    assert "recovered 3 submission(s)" in out and "skipped 0" in out
    assert "re-enrol" in out and "kiosk-7" in out
    assert digest(old) == before  # the moved-aside file and its side files are never changed

    store = Store(data / "kiosk.sqlite3", training=True)
    items = {i.submission_id: i for i in store.outbox.items()}
    assert set(items) == set(waiting) and delivered not in items
    for sid, answers in waiting.items():
        assert items[sid].reference == references[sid]
        assert store.outbox.answers(sid) == answers  # sealed again under this database's key
    assert sorted(i.state for i in items.values()) == ["needs_attention", "pending", "pending"]
    assert store.state.read().enrolment is None  # the token and enrolment are not copied
    [entry] = [e for e in store.audit.entries() if e["action"] == "recover"]
    assert entry["staff_id"] == "S9" and "3 recovered" in entry["detail"]
    store.close()

    assert main(cli(data, "outbox", "recover", str(old))) == 0  # a second time: nothing twice
    out = capsys.readouterr().out
    assert "recovered 0 submission(s)" in out and "skipped 3" in out
    assert digest(old) == before


def test_recovered_submissions_are_delivered_once_even_if_the_portal_had_one(
    tmp_path: Path, portal: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kiosk"
    kiosk, journey = synced_kiosk(data, portal)
    first = kiosk.submit_raw(journey, MISSED_BIN_RAW)
    second = kiosk.submit_raw(journey, MISSED_BIN_RAW)
    assert not isinstance(first, list) and not isinstance(second, list)
    portal.set_faults(kind="lost_response", count=1, paths=["/api/v1/submissions"])  # kept, answer lost
    with kiosk.sync_engine() as engine:
        engine.run_once()
    assert kiosk.store.outbox.counts().waiting == 2 and len(portal.export()) == 1
    kiosk.close()
    old = move_aside(data / "kiosk.sqlite3", "test").moved_to

    kiosk, _ = synced_kiosk(data, portal)  # IT re-enrolled on the new database
    kiosk.close()
    assert main(cli(data, "outbox", "recover", str(old))) == 0
    assert "recovered 2 submission(s)" in capsys.readouterr().out
    assert main(cli(data, "sync", "--once")) == 0
    assert "delivered 2" in capsys.readouterr().out
    got = sorted(str(s["reference"]) for s in portal.export())
    assert got == sorted([first.reference, second.reference])  # each once, with its own reference


def _not_kiosk(tmp_path: Path, data: Path) -> Path:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return other


def _text(tmp_path: Path, data: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all " * 100)
    return path


def _live(tmp_path: Path, data: Path) -> Path:
    return old_database(tmp_path / "live", training=False)[0]


def _no_key(tmp_path: Path, data: Path) -> Path:
    old = old_database(tmp_path / "old")[0]
    conn = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
    install_id = conn.execute("SELECT value FROM meta WHERE key='install_id'").fetchone()[0]
    conn.close()
    import keyring

    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    for service, name in list(backend.passwords):  # every epoch's key of the old database
        if service == KEYRING_SERVICE and name.startswith(key_name(install_id)):
            backend.delete_password(service, name)
    return old


def _itself(tmp_path: Path, data: Path) -> Path:
    return data / "kiosk.sqlite3"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_kiosk, "is not a kiosk database"),
        (_text, "is not a kiosk database"),
        (_live, "holds live data; this kiosk is in training mode"),
        (_no_key, "is not usable in this machine's keyring"),
        (_itself, "is this kiosk's current database"),
    ],
    ids=["other-sqlite", "text", "other-mode", "no-key", "itself"],
)
def test_recover_refuses_clearly_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    data = tmp_path / "kiosk"
    Store(data / "kiosk.sqlite3", training=True).close()
    source = make(tmp_path, data)
    before = digest(source)
    assert main(cli(data, "outbox", "recover", str(source))) == 1
    err = capsys.readouterr().err
    assert "nothing was recovered" in err and message in err and "Traceback" not in err
    if make is not _itself:  # (the current database is opened by the kiosk, as any command does)
        assert digest(source) == before
    store = Store(data / "kiosk.sqlite3", training=True)
    assert store.outbox.items() == []
    store.close()


def test_a_really_damaged_file_gives_what_it_still_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "kiosk"
    path = data / "kiosk.sqlite3"
    store = Store(path, training=True)
    ids = [store.outbox.submit("j", 1, {"text": "x" * 400, "n": i}).submission_id for i in range(200)]
    store.close()
    conn = sqlite3.connect(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # a leaf deep in a table: the integrity check fails
        f.seek(4096 * (pages - 3))
        f.write(b"\xff" * 64)
    store = Store(path, training=True)
    [alert] = store.alerts.list()
    assert alert.kind == "database_moved_aside"
    store.close()
    [old] = [p for p in data.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert main(cli(data, "outbox", "recover", str(old))) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "keep the file" in captured.out
    recovered = int(captured.out.split("recovered ")[1].split()[0])
    unreadable = int(captured.out.split("; ")[-1].split()[0])
    assert recovered > 0 and recovered + unreadable == len(ids)
    store = Store(path, training=True)
    assert len({i.submission_id for i in store.outbox.items()} & set(ids)) == recovered
    store.close()
