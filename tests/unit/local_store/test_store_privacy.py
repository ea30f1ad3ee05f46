"""No personal data at rest, and the data key never in the database or the logs.

Answers carrying a distinctive canary are submitted, claimed, retried and delivered; at every step
the raw bytes of the database file, its WAL, its shared-memory file and any rollback journal are
searched for the canary (as UTF-8, UTF-16 and JSON-escaped) and for the key (raw and base64)."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from local_store.store import Store
from local_store.vault import KEYRING_SERVICE, key_name
from tests.memory_keyring import MemoryKeyring

CANARY = "Zq7-CANARY-Ōtautahi-8843"
ANSWERS = {
    "full-name": f"Ada {CANARY}",
    "email": f"{CANARY.lower()}@example.org",
    "address-line": {"line1": CANARY, "postcode": "LS1 4AP"},
    "notes": [CANARY, "second"],
}


def needles(text: str) -> list[bytes]:
    escaped = json.dumps(text)[1:-1]  # with \\u escapes, as json.dumps(ensure_ascii=True) writes
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"), escaped.encode()]


def files_of(db: Path) -> list[Path]:
    files = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]
    assert db in files
    return files


def assert_absent(db: Path, secrets: list[bytes], when: str) -> None:
    for f in files_of(db):
        data = f.read_bytes()
        for needle in secrets:
            assert needle not in data, f"{needle!r} found in {f.name} {when}"


def key_needles(keyring: MemoryKeyring, store: Store) -> list[bytes]:
    """Every data key of this database now in the keyring (one per epoch), raw, base64 and hex."""
    found: list[bytes] = []
    for (service, name), b64 in keyring.passwords.items():
        if service == KEYRING_SERVICE and name.startswith(key_name(store.install_id)):
            raw = base64.b64decode(b64)
            found += [raw, b64.encode(), raw.hex().encode()]
    assert found
    return found


@pytest.mark.parametrize("retention_days", [0, 30])
def test_the_canary_and_the_key_are_never_at_rest(
    tmp_path: Path, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture, retention_days: int
) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=True, retention_days=retention_days)
    secret = needles(CANARY) + needles(CANARY.lower())
    saved = [store.outbox.submit("missed-bin", 1, ANSWERS, assisted_by="S1") for _ in range(3)]
    keys = key_needles(memory_keyring, store)
    assert Path(str(db) + "-wal").stat().st_size > 0  # the rows are in the WAL now
    assert_absent(db, secret + keys, "after submit (WAL)")

    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert_absent(db, secret + keys, "after a checkpoint (main file)")

    item = store.outbox.claim_next()
    assert item is not None
    store.outbox.mark_retry(item.submission_id, "server", "HTTP 503", next_attempt_at=0)
    for s in saved:
        assert store.outbox.claim_next() is not None
        store.outbox.mark_delivered(s.submission_id, f"SRV-{s.reference}")
        keys += key_needles(memory_keyring, store)  # a delivery may start a new epoch
    assert_absent(db, secret + keys, "after delivery")
    expected = None if retention_days == 0 else ANSWERS
    assert all(store.outbox.answers(s.submission_id) == expected for s in saved)

    store.outbox.discard(
        store.outbox.submit("missed-bin", 1, ANSWERS).submission_id, staff_id="S1", reason="test entry"
    )
    store.close()
    assert_absent(db, secret + keys, "after close")

    for needle in secret + keys:
        assert needle not in caplog.text.encode()


def test_the_search_does_find_a_plaintext_canary(tmp_path: Path) -> None:
    """The control: the same search on a file that does hold the canary in clear finds it."""
    db = tmp_path / "plain.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (answers TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (json.dumps(ANSWERS),))
    conn.commit()
    with pytest.raises(AssertionError, match=r"found in plain\.sqlite3-wal"):
        assert_absent(db, needles(CANARY), "in the control")
    conn.close()


def test_audit_alerts_and_errors_hold_no_answers(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    saved = store.outbox.submit("missed-bin", 1, ANSWERS)
    store.alerts.raise_alert("save_failed", "test alert")
    rows = json.dumps(store.audit.entries()) + json.dumps([a.as_dict() for a in store.alerts.list()])
    assert CANARY not in rows and CANARY.lower() not in rows
    assert store.outbox.answers(saved.submission_id) == ANSWERS  # ... and yet the answers are all there
    store.close()
