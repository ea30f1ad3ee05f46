"""Claim + deliver-ack throughput over 10,000 rows: Store against bare sqlite3, one run.

The Store side is what SyncEngine does per submission, minus the network: claim_next()
(UPDATE ... RETURNING inside BEGIN IMMEDIATE, then the item read) and mark_delivered()
(state, reference, retention purge of the sealed answers, audit entry). These commit with
synchronous=NORMAL (see local_store/store.py: a lost ack only means a resend with the same
idempotency key). The baseline does the two bare UPDATE transactions per row on an outbox of the
same size and index, with the same synchronous setting; a second baseline uses FULL.

    .venv/bin/python benchmarks/bench_store_claim.py [--rows 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._bench_common import figure, use_memory_keyring
from local_store.store import Store


def bare_run(path: Path, rows: int, synchronous: str) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute(
        "CREATE TABLE outbox (id INTEGER PRIMARY KEY, state TEXT, created_at REAL, next_at REAL, ref TEXT, body BLOB)"
    )
    conn.execute("CREATE INDEX queue ON outbox(state, created_at, next_at)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO outbox VALUES (?, 'pending', ?, ?, NULL, ?)",
        ((i, float(i), float(i), b"x" * 400) for i in range(rows)),
    )
    conn.execute("COMMIT")
    t0 = time.perf_counter()
    done = 0
    while True:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute(
            """UPDATE outbox SET state='sending' WHERE id = (SELECT id FROM outbox WHERE state='pending'
               AND next_at <= ? ORDER BY created_at LIMIT 1) RETURNING id""",
            (float(rows),),
        ).fetchone()
        conn.execute("COMMIT")
        if row is None:
            break
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE outbox SET state='delivered', ref='SRV', body=NULL WHERE id=?", (row[0],))
        conn.execute("COMMIT")
        done += 1
    elapsed = time.perf_counter() - t0
    conn.close()
    assert done == rows
    return rows / elapsed


def store_run(path: Path, rows: int) -> float:
    store = Store(path, training=True)
    for i in range(rows):
        store.outbox.submit("missed-bin", 1, {"n": i, "text": "x" * 300}, now=float(i))
    t0 = time.perf_counter()
    done = 0
    while (item := store.outbox.claim_next(now=float(rows))) is not None:
        store.outbox.mark_delivered(item.submission_id, f"SRV-{item.reference}")
        done += 1
    elapsed = time.perf_counter() - t0
    assert done == rows and store.outbox.counts().by_state["delivered"] == rows
    store.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--dir", default=".", help="where the database files go (the disk under test)")
    args = parser.parse_args()
    use_memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="bench-claim-", dir=args.dir))
    try:
        bare_normal = bare_run(work / "bare-normal.sqlite3", args.rows, "NORMAL")
        ours = store_run(work / "kiosk.sqlite3", args.rows)
        bare_full = bare_run(work / "bare-full.sqlite3", args.rows, "FULL")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "rows": args.rows,
                "store_rows_per_s": round(ours),
                "bare_normal_rows_per_s": round(bare_normal),
                "bare_full_rows_per_s": round(bare_full),
                "store_vs_bare_normal": round(ours / bare_normal, 2),
                "store_vs_bare_full": round(ours / bare_full, 2),
            }
        )
    )
    figure("claim + deliver-ack", ours, "rows/s", bare_normal, "bare UPDATEs, synchronous=NORMAL")
    figure("claim + deliver-ack, vs FULL", ours, "rows/s", bare_full, "bare UPDATEs, synchronous=FULL")


if __name__ == "__main__":
    main()
