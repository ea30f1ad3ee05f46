"""The process the crash test kills: it submits for ever, and does some sync work in between.

Each line it prints is an acknowledgement: it is printed only after Store.submit() returned,
which is the moment the kiosk would show the citizen their reference.

    python -m tests.reliability.crash_child DB KEYRING_FILE SEED
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import keyring

from tests.reliability.file_keyring import FileKeyring


def main() -> None:
    db, keyfile, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    keyring.set_keyring(FileKeyring(Path(keyfile)))
    from local_store.store import Store

    rng = random.Random(seed)
    store = Store(Path(db), training=True)
    store.outbox.requeue_stuck()
    print(json.dumps({"ready": True}), flush=True)
    n = 0
    while True:
        answers = {"seed": seed, "n": n, "text": "x" * rng.randint(0, 6000)}
        saved = store.outbox.submit("crash-test", 1, answers)
        print(json.dumps({"id": saved.submission_id, "answers": answers}), flush=True)
        n += 1
        roll = rng.random()
        if roll < 0.4:
            item = store.outbox.claim_next()
            if item is not None:
                if rng.random() < 0.6:
                    store.outbox.mark_delivered(item.submission_id, f"SRV-{item.reference}")
                elif rng.random() < 0.5:
                    store.outbox.mark_retry(item.submission_id, "server", "HTTP 503", next_attempt_at=0)
                else:
                    store.outbox.mark_needs_attention(item.submission_id, "validation", "HTTP 422")
        elif roll < 0.45:
            waiting = store.outbox.items("needs_attention")
            if waiting:
                store.outbox.discard(waiting[0].submission_id, staff_id="S1", reason="crash test")


if __name__ == "__main__":
    main()
