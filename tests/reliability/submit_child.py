"""The kiosk process the submit-kill test kills: citizens submit for ever while the sync thread delivers.

It opens an enrolled kiosk's data directory the way the kiosk does (app.kiosk.Kiosk, its cached
catalogue and journey) and submits through Kiosk.submit_raw, the path the screens and
`dcp-kiosk submit` take; with --sync a SyncRunner delivers on a second thread meanwhile, as the
window's sync thread does. Each line it prints is an acknowledgement, printed only after the
submission was saved: the moment the confirmation would show the citizen their reference.

    python -m tests.reliability.submit_child DATA_DIR SEED [--sync]

The keyring is the test's file keyring (PYTHON_KEYRING_BACKEND and DCP_TEST_KEYRING_FILE).
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path

from app.config import load_config
from app.kiosk import Kiosk
from app.sync_runner import SyncRunner
from tests.helpers import MISSED_BIN_RAW


def deliver_for_ever(runner: SyncRunner) -> None:
    runner.open()  # its own Store; rows a kill left in 'sending' go back to pending
    while True:
        runner.run_pass()
        time.sleep(0.01)


def main() -> None:
    data_dir, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    kiosk = Kiosk(load_config(data_dir=data_dir, training=True))
    entry = next(e for e in kiosk.catalogue() if e.id == "missed-bin")
    journey = kiosk.journey(entry.id, entry.version)
    assert journey is not None
    if "--sync" in sys.argv:
        threading.Thread(target=deliver_for_ever, args=(kiosk.sync_runner(),), daemon=True).start()
    print(json.dumps({"ready": True}), flush=True)
    n = 0
    while True:
        raw = dict(
            MISSED_BIN_RAW, **{"full-name": f"Citizen {seed} {n}", "address-line": f"{rng.randint(1, 300)} Park Row"}
        )
        receipt = kiosk.submit_raw(journey, raw)
        assert not isinstance(receipt, list), receipt
        print(json.dumps({"id": receipt.submission_id, "reference": receipt.reference}), flush=True)
        n += 1


if __name__ == "__main__":
    main()
