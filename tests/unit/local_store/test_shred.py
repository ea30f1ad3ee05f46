"""Nothing left on the machine opens a delivered or discarded submission's answers.

With the kiosk still running (its Store and the sync thread's Store open), every key left in the
keyring is tried on every blob-sized region of the database, its WAL and any journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_store.store import Store
from tests.memory_keyring import MemoryKeyring
from tests.unit.local_store.shred_probe import keyring_keys, openable

ANSWERS = {"full-name": "Ada SHRED-CANARY-5521", "postcode": "LS1 4AP"}
PLAIN_LEN = len(json.dumps(ANSWERS, sort_keys=True, ensure_ascii=False).encode())


@pytest.mark.parametrize("retention_days", [0, 7])
def test_nothing_left_opens_a_delivered_or_discarded_submission(
    tmp_path: Path, memory_keyring: MemoryKeyring, retention_days: int
) -> None:
    db = tmp_path / "kiosk.sqlite3"
    kiosk = Store(db, training=True, retention_days=retention_days)  # the UI thread's store
    sync = Store(db, training=True)  # the sync thread's store, same file
    saved = [kiosk.outbox.submit("missed-bin", 1, ANSWERS) for _ in range(4)]
    kiosk.outbox.mark_retry(saved[0].submission_id, "server", "HTTP 503", next_attempt_at=0)
    for s in saved[:2]:
        item = sync.outbox.claim_next()
        assert item is not None and item.submission_id == s.submission_id
        sync.outbox.mark_delivered(s.submission_id, f"SRV-{s.reference}", now=1000.0)
    kiosk.outbox.discard(saved[2].submission_id, staff_id="S1", reason="a test entry", now=1000.0)
    if retention_days:
        assert sync.outbox.answers(saved[0].submission_id) == ANSWERS  # still kept ...
        sync.retention.purge_expired(now=1000.0 + 8 * 86400)  # ... until the period is over
    finished = [s.submission_id for s in saved[:3]]
    keys = keyring_keys(memory_keyring.passwords)
    assert keys, "the keyring holds the key of the submission still waiting"

    assert openable(db, keys, PLAIN_LEN, finished) == []
    # The control: the same probe does open the one still waiting (in the file or the WAL).
    assert openable(db, keys, PLAIN_LEN, [saved[3].submission_id])
    assert kiosk.outbox.answers(saved[3].submission_id) == ANSWERS
    assert sync.outbox.answers(saved[3].submission_id) == ANSWERS
    kiosk.close()
    sync.close()
