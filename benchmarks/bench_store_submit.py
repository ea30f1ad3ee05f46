"""Durable submit latency: Store.submit() against a bare sqlite3 INSERT + COMMIT, same disk, one run.

Both sides use WAL with synchronous=FULL on files in the same directory, and are timed
alternately (one baseline insert, one submit) so that disk and CPU noise hit both alike.
Store.submit() does more: JSON, envelope encryption (two AES-256-GCM operations), three INSERTs
(submission, outbox row, audit entry). The goal is a p50/p95 ratio of at most 2x.

    .venv/bin/python benchmarks/bench_store_submit.py [--n 2000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._bench_common import figure, pct, use_memory_keyring
from local_store.store import Store

ANSWERS = {
    "bin-type": "recycling",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
    "email": "ada@example.org",
    "details": "The blue bin on the corner was missed again this week. " * 3,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="timed submissions on each side")
    parser.add_argument("--dir", default=".", help="where the two database files go (the disk under test)")
    args = parser.parse_args()
    use_memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    try:
        store = Store(work / "kiosk.sqlite3", training=True)
        bare = sqlite3.connect(work / "bare.sqlite3", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("PRAGMA synchronous=FULL")
        bare.execute("CREATE TABLE t (id TEXT PRIMARY KEY, created_at REAL, body BLOB)")
        body = json.dumps(ANSWERS).encode()

        def bare_insert() -> None:
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO t VALUES (?, ?, ?)", (os.urandom(16).hex(), time.time(), body))
            bare.execute("COMMIT")

        for _ in range(50):  # warm both: key made, pages allocated, caches hot
            bare_insert()
            store.outbox.submit("missed-bin", 1, ANSWERS)
        base: list[float] = []
        ours: list[float] = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            bare_insert()
            t1 = time.perf_counter()
            store.outbox.submit("missed-bin", 1, ANSWERS)
            t2 = time.perf_counter()
            base.append((t1 - t0) * 1000)
            ours.append((t2 - t1) * 1000)
        store.close()
        bare.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "n": args.n,
        "bare_p50_ms": round(pct(base, 50), 3),
        "bare_p95_ms": round(pct(base, 95), 3),
        "submit_p50_ms": round(pct(ours, 50), 3),
        "submit_p95_ms": round(pct(ours, 95), 3),
    }
    result["ratio_p50"] = round(result["submit_p50_ms"] / result["bare_p50_ms"], 2)
    result["ratio_p95"] = round(result["submit_p95_ms"] / result["bare_p95_ms"], 2)
    print(json.dumps(result))
    for p in ("p50", "p95"):
        figure(
            f"durable submit {p}",
            result[f"submit_{p}_ms"],
            "ms",
            result[f"bare_{p}_ms"],
            "bare INSERT + COMMIT, synchronous=FULL",
        )


if __name__ == "__main__":
    main()
