"""The address pack on a whole borough: build time and size, and search latency per keystroke, against LIKE.

The generator's synthetic borough (reference_portal/gazetteer_data.py, 70,000 addresses by default) is
written as DTF 7.3 and imported with build_pack, timed. Then 20 realistic queries (postcodes with and
without the space, streets, number and street, typos, buildings and flats) are typed a character at a
time, and each keystroke's Pack.search (limit 8, as the kiosk shows) is timed. The baseline, in the same
run on the same pack file's addresses table: a plain ``LIKE '%text%'`` over the address's parts joined,
LIMIT 9, per keystroke (it finds no typos and no "bb21lb"; it is the naive way, for the latency).

    .venv/bin/python benchmarks/gazetteer.py [--addresses 70000] [--rounds 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._bench_common import figure, pct
from local_store.gazetteer import Address, Pack, build_pack
from reference_portal.gazetteer_data import write_dtf

LIKE = (
    "SELECT uprn FROM addresses WHERE (sao || ' ' || building || ' ' || number || ' ' || street || ' ' || locality"
    " || ' ' || town || ' ' || postcode) LIKE ? LIMIT 9"
)


def typo(word: str, rng: random.Random) -> str:
    """One letter dropped or two swapped, away from the first letter."""
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def queries(pack: Pack, db: sqlite3.Connection, rng: random.Random) -> list[str]:
    """20 things a citizen types: the known addresses' ways and random (seeded) addresses of the borough."""
    every = [row[0] for row in db.execute("SELECT uprn FROM addresses ORDER BY uprn")]
    some: list[Address] = [
        a for a in (pack.by_uprn(u) for u in rng.sample(every, min(4000, len(every)))) if a is not None
    ]
    numbered = [a for a in some if a.number and not a.sao]
    rng.shuffle(numbered)
    picks = iter(numbered)
    out = ["BB2 1LB", "bb21lb", "BB10 4", "14 Kings Rd", "Kngs Road", "Marszalkowska Street", "Flat 2 Rose Court"]
    out.append("Ivy Cottage")
    for _ in range(3):
        out.append(next(picks).postcode)
    out.append(next(picks).postcode.replace(" ", "").lower())
    for _ in range(3):
        out.append(next(picks).street)
    for _ in range(3):
        a = next(picks)
        out.append(f"{a.number} {a.street}")
    for _ in range(2):
        a = next(picks)
        long_word = max(a.street.split(), key=len)
        out.append(a.street.replace(long_word, typo(long_word, rng)))
    return out


def keystrokes(texts: list[str]) -> list[str]:
    return [text[:i] for text in texts for i in range(1, len(text) + 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=70_000)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is typed")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--dir", help="where the files go (default: a temporary folder, removed after)")
    args = parser.parse_args()
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-gazetteer-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        summary = write_dtf(work / "borough.csv", args.addresses, args.seed)
        generated = time.perf_counter() - t0
        csv_size = summary.path.stat().st_size
        report = build_pack(summary.path, work / "borough.pack.sqlite")
        print(
            f"generated {summary.addresses:,} addresses ({summary.records:,} records, {csv_size / 1e6:.1f} MB) in "
            f"{generated:.1f} s; pack built in {report.seconds:.1f} s, {report.size_bytes / 1e6:.1f} MB",
            file=sys.stderr,
        )
        t0 = time.perf_counter()
        pack = Pack.open(work / "borough.pack.sqlite")
        opened = time.perf_counter() - t0
        like = sqlite3.connect(f"file:{work / 'borough.pack.sqlite'}?mode=ro", uri=True)
        texts = queries(pack, like, random.Random(args.seed))
        keys = keystrokes(texts)
        ours: list[float] = []
        base: list[float] = []
        found = 0
        for _ in range(args.rounds):
            for key in keys:  # alternated, so load or caching favours neither
                t = time.perf_counter()
                result = pack.search(key)
                ours.append((time.perf_counter() - t) * 1000)
                found += bool(result.addresses)
                t = time.perf_counter()
                like.execute(LIKE, (f"%{key}%",)).fetchall()
                base.append((time.perf_counter() - t) * 1000)
        pack.close()
        like.close()
        for text in texts:
            print(f"  query {text!r}", file=sys.stderr)
        print(
            f"{len(keys)} keystrokes x {args.rounds}: search p50 {pct(ours, 50):.2f} ms, p95 {pct(ours, 95):.2f} ms,"
            f" max {max(ours):.1f} ms; LIKE p50 {pct(base, 50):.2f} ms, p95 {pct(base, 95):.2f} ms,"
            f" max {max(base):.1f} ms; {found / len(ours):.0%} of keystrokes found something; pack opened in"
            f" {opened * 1000:.0f} ms",
            file=sys.stderr,
        )
        figure("gazetteer_build_s", report.seconds, "s")
        figure("gazetteer_pack_mb", report.size_bytes / 1e6, "MB", csv_size / 1e6, "the DTF CSV it was built from")
        figure("gazetteer_open_ms", opened * 1000, "ms")
        like_is = "a plain LIKE '%text%' over the same addresses table, same keystrokes, same run"
        figure("gazetteer_keystroke_p50_ms", pct(ours, 50), "ms", pct(base, 50), like_is)
        figure("gazetteer_keystroke_p95_ms", pct(ours, 95), "ms", pct(base, 95), like_is)
        figure("gazetteer_keystroke_max_ms", max(ours), "ms", max(base), like_is)
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
