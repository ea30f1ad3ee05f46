"""Every benchmark in benchmarks/, one JSON line per figure on stdout (`make bench`).

    .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME ...] [--log FILE]

Each benchmark runs in its own process, from the repository root, one after the other; its own
report goes to the log (stderr unless --log), and each figure it gives (benchmarks/_bench_common.figure)
comes out as one line: name, value, unit, baseline (measured in the same run, and what it is), ratio,
machine, command, date. A benchmark that cannot run here (the frozen bundle before `make package`)
gives one line with "skipped" and why; one that fails gives a line with "error". --quick runs smaller
counts (a few minutes in all); the full run takes about ten minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = 3  # the exit code of a benchmark that cannot run on this checkout

# name: (full arguments, --quick arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "bench_journeys": ([], []),
    "bench_store_submit": (["--n", "2000"], ["--n", "300"]),
    "bench_store_claim": (["--rows", "10000"], ["--rows", "2000"]),
    "bench_sync_drain": (["--n", "10000"], ["--n", "1000"]),
    "bench_sync_ui_stall": (["--n", "1000"], ["--n", "300"]),
    "bench_ui": (["--starts", "10", "--transitions", "300"], ["--starts", "3", "--transitions", "60"]),
    "bench_package": (["--runs", "5"], ["--runs", "2"]),
    "bench_soak": (["--sessions", "300"], ["--sessions", "60"]),
    "speech_latency": (["--presses", "30"], ["--presses", "10"]),
    "language_switch": (["--rounds", "30"], ["--rounds", "10"]),
    "gazetteer": (["--addresses", "70000", "--rounds", "3"], ["--addresses", "20000", "--rounds", "1"]),
}


def machine() -> dict[str, Any]:
    """What the figures were measured on: cores, memory, the disk under the checkout, versions."""
    meminfo = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    disk = shutil.disk_usage(ROOT)
    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        qt_version = qVersion()
    except ImportError:
        pyside_version = qt_version = "none"
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "disk": f"{mount_of(ROOT)}, {disk.total / 1e9:.0f} GB, {disk.free / 1e9:.0f} GB free",
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": pyside_version,
        "qt": qt_version,
    }


def mount_of(path: Path) -> str:
    """The device and file system the path lives on, from /proc/mounts."""
    best = ("?", "?", "")
    for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
        device, point, fs = line.split()[:3]
        if str(path).startswith(point) and len(point) > len(best[2]):
            best = (device, fs, point)
    return f"{best[1]} on {best[0]}"


def run(name: str, args: list[str], log: TextIO) -> list[dict[str, Any]]:
    """One benchmark; its figure lines, or one line saying why there are none."""
    cmd = [sys.executable, f"benchmarks/{name}.py", *args]
    shown = " ".join([".venv/bin/python", *cmd[1:]])
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env = {k: v for k, v in env.items() if not k.startswith("DCP_KIOSK_")}
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    started = time.monotonic()
    print(f"== {shown}", file=log, flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    log.write(proc.stdout + proc.stderr)
    base = {"command": shown, "date": when, "seconds": round(time.monotonic() - started, 1)}
    if proc.returncode == SKIPPED:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "cannot run here"
        return [{"name": name, "skipped": reason, **base}]
    figures = []
    for line in proc.stdout.splitlines():
        if line.startswith('{"figure"'):
            fig = json.loads(line)
            figures.append({"name": fig.pop("figure"), **fig, **base})
    if proc.returncode != 0 or not figures:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
        figures.append({"name": name, "error": f"exit {proc.returncode}: {tail[0][:300]}", **base})
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts: a few minutes in all")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="only these benchmarks")
    parser.add_argument("--log", help="where the benchmarks' own reports go (default: stderr)")
    args = parser.parse_args()
    log: TextIO = open(args.log, "w", encoding="utf-8") if args.log else sys.stderr  # noqa: SIM115
    about = machine()
    failed = False
    for name, (full, quick) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        for line in run(name, quick if args.quick else full, log):
            line["machine"] = about
            line["load_average"] = round(os.getloadavg()[0], 2)
            failed |= "error" in line
            print(json.dumps(line), flush=True)
    if log is not sys.stderr:
        log.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
