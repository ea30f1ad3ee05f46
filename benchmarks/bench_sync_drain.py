"""Drain N queued submissions to the reference portal on loopback, against a bare httpx loop.

    .venv/bin/python benchmarks/bench_sync_drain.py --n 10000

One reference portal process; a kiosk database with N submissions queued (encrypted, as the
kiosk saves them). The baseline is a bare httpx.Client keep-alive loop POSTing the same bodies
(fresh Idempotency-Keys and references, so the portal does the same insert work) to the same
server in the same run. The SyncEngine drains the outbox: claim, decrypt, POST, mark delivered
and purge, each row its own transaction. The two alternate in rounds of N/rounds rows, so a
change in the machine's load during the run falls on both alike. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_common import ANSWERS, figure, use_memory_keyring

from app.cli import start_portal
from app.config import load_config
from app.kiosk import Kiosk
from reference_portal import db as portal_db


def fresh(body: dict[str, Any]) -> dict[str, Any]:
    key = str(uuid.uuid4())
    return dict(body, submission_id=key, reference="BASE-" + key[:13].upper())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    use_memory_keyring()
    chunk = args.n // args.rounds
    n = chunk * args.rounds
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        proc, url = start_portal(root / "portal.sqlite3")
        try:
            kiosk = Kiosk(load_config(data_dir=root / "kiosk", training=True))
            token = portal_db.create_token(root / "portal.sqlite3", "bench-1")
            kiosk.enrol(url, "bench-1", "bench-site", token)
            t0 = time.perf_counter()
            for _ in range(n):
                kiosk.store.outbox.submit("missed-bin", 1, ANSWERS)
            queue_s = time.perf_counter() - t0

            engine = kiosk.sync_engine()
            engine.refresh_catalogue()
            items = kiosk.store.outbox.items("pending")
            bodies = [engine.payload(item, kiosk.store.outbox.answers(item.submission_id) or {}) for item in items]

            bare_times: list[float] = []
            engine_times: list[float] = []
            delivered = 0
            with httpx.Client(base_url=url + "/api/v1", headers={"Authorization": f"Bearer {token}"}) as bare:
                for r in range(args.rounds):
                    round_bodies = [fresh(b) for b in bodies[r * chunk : (r + 1) * chunk]]
                    t0 = time.perf_counter()
                    for body in round_bodies:
                        response = bare.post(
                            "/submissions", json=body, headers={"Idempotency-Key": body["submission_id"]}
                        )
                        assert response.status_code == 201, response.text
                    bare_times.append(time.perf_counter() - t0)

                    t0 = time.perf_counter()
                    report = engine.drain(limit=chunk)
                    engine_times.append(time.perf_counter() - t0)
                    delivered += report.delivered
            engine.close()
            assert delivered == n, delivered
            counts = kiosk.store.outbox.counts().by_state
            kiosk.close()
            received = len(portal_db.export_submissions(root / "portal.sqlite3"))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    bare_s, engine_s = sum(bare_times), sum(engine_times)
    result = {
        "n": n,
        "rounds": args.rounds,
        "queue_s": round(queue_s, 2),
        "bare_httpx_s": round(bare_s, 2),
        "bare_httpx_per_s": round(n / bare_s, 1),
        "engine_s": round(engine_s, 2),
        "engine_per_s": round(n / engine_s, 1),
        "ratio_engine_to_bare": round(bare_s / engine_s, 3),
        "ratio_per_round_median": round(
            statistics.median(b / e for b, e in zip(bare_times, engine_times, strict=True)), 3
        ),
        "delivered_in_kiosk": counts["delivered"],
        "received_by_portal": received,
        "expected_received": 2 * n,
    }
    print(json.dumps(result, indent=2))
    # a rate: higher is better, so the ratio is the engine's rate over the baseline's
    figure(f"drain of {n} to the portal", n / engine_s, "submissions/s", n / bare_s, "bare httpx keep-alive loop")
    assert received == 2 * n and counts["delivered"] == n, "not every submission arrived once"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
