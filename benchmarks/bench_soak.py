"""The kiosk's memory at rest and after many citizen sessions, with the sync thread delivering.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_soak.py [--sessions 500]

RSS idle: the kiosk window up on its home screen (offscreen), enrolled, the sync thread running
against the reference portal on loopback, after a few seconds of idling; the baseline is a bare
PySide6 QMainWindow in a new process, shown the same way, in the same run. Then --sessions
simulated citizens go through the real window (tests/reliability/ui_soak.py, the sessions of the
UI soak test): RSS after them against the same process's RSS idle, and the growth from the end of
the warm-up (a tenth of the run) to the end, with the QObjects, open files and threads then and at
the end. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.cli import start_portal  # noqa: E402
from app.config import load_config  # noqa: E402
from app.kiosk import Kiosk  # noqa: E402
from benchmarks._bench_common import figure, use_memory_keyring  # noqa: E402
from reference_portal import db as portal_db  # noqa: E402
from tests.reliability.ui_soak import Citizen, rss_kb, sample, settle  # noqa: E402
from ui.app import start_sync  # noqa: E402
from ui.window import KioskWindow  # noqa: E402

BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1280, 1000)
w.show()
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.01)
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]))
"""
IDLE_S = 3.0


def bare_rss_kb() -> int:
    out = subprocess.run([sys.executable, "-c", BARE, str(IDLE_S)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    use_memory_keyring()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    bare = bare_rss_kb()
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        root = Path(tmp)
        proc, url = start_portal(root / "portal.sqlite3")
        try:
            kiosk = Kiosk(load_config(data_dir=root / "kiosk", training=True))
            kiosk.enrol(url, "bench-1", "bench-site", portal_db.create_token(root / "portal.sqlite3", "bench-1"))
            with kiosk.sync_engine() as engine:
                engine.refresh_catalogue()
            window = KioskWindow(kiosk)
            window.resize(1280, 1000)
            window.show()
            sync = start_sync(kiosk, window, interval_ms=2_000)
            settle(int(IDLE_S * 1000))
            idle = rss_kb()
            citizen = Citizen(window, random.Random(args.seed))
            warm_up = max(10, args.sessions // 10)
            shown = 0
            started = time.perf_counter()
            for n in range(args.sessions):
                shown += citizen.session(n) is not None
                if n + 1 == warm_up:
                    settle(50)
                    first = sample(n + 1)
            settle(2_000)  # the last deliveries
            last = sample(args.sessions)
            took = time.perf_counter() - started
            sync.stop()
            window.allow_close = True
            window.close()
            waiting = kiosk.store.outbox.counts().waiting
            kiosk.close()
            received = len(portal_db.export_submissions(root / "portal.sqlite3"))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    app.processEvents()
    result = {
        "sessions": args.sessions,
        "references_shown": shown,
        "received_by_portal": received,
        "still_waiting": waiting,
        "seconds": round(took, 1),
        "bare_window_rss_kb": bare,
        "idle_rss_kb": idle,
        "after_warm_up": first.row(),
        "at_end": last.row(),
    }
    print(json.dumps(result, indent=2))
    figure(
        "RSS idle: kiosk window on its home screen, sync running", idle / 1024, "MiB", bare / 1024, "a bare QMainWindow"
    )
    figure(
        f"RSS after {args.sessions} citizen sessions", last.rss_kb / 1024, "MiB", idle / 1024, "the same process idle"
    )
    figure(
        "references to True released per session",
        (first.true_refs - last.true_refs) / (args.sessions - warm_up),
        "refs",
        0,
        "none (the kiosk holds about 5,000 at rest; at 0 it aborts)",
    )
    figure(
        f"RSS growth from session {warm_up} to {args.sessions}",
        (last.rss_kb - first.rss_kb) / 1024,
        "MiB",
        20,
        "the limit",
    )
    for name in ("qobjects", "wrappers", "fds", "tasks"):
        figure(
            f"{name} after {args.sessions} sessions",
            getattr(last, name),
            "count",
            getattr(first, name),
            "after warm-up",
        )
    return 0 if received == shown and waiting == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
