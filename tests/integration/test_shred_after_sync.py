"""After a real sync pass against the reference portal, with the kiosk still running, nothing left
on the machine opens a delivered submission's answers: the engine's deliveries are shredded too
(it defers the rotation within a long pass, and always does it at the end of the pass)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import MISSED_BIN_RAW, synced_kiosk
from tests.memory_keyring import MemoryKeyring
from tests.unit.local_store.shred_probe import keyring_keys, openable


def test_a_sync_pass_leaves_nothing_that_opens_what_it_delivered(
    tmp_path: Path, portal, memory_keyring: MemoryKeyring
) -> None:
    kiosk, journey = synced_kiosk(tmp_path / "kiosk", portal)
    ids = []
    for _ in range(70):  # more than one epoch's worth (64)
        receipt = kiosk.submit_raw(journey, MISSED_BIN_RAW)
        assert not isinstance(receipt, list)
        ids.append(receipt.submission_id)
    answers = kiosk.store.outbox.answers(ids[0])
    plain_len = len(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode())
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
    assert report.delivered == 70
    waiting = kiosk.submit_raw(journey, MISSED_BIN_RAW)  # one that arrives after the pass
    assert not isinstance(waiting, list)

    keys = keyring_keys(memory_keyring.passwords)
    db = kiosk.store.path
    assert openable(db, keys, plain_len, ids) == []
    assert openable(db, keys, plain_len, [waiting.submission_id])  # the control: the probe finds live ones
    kiosk.close()
