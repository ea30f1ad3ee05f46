"""UI figures for BENCHMARKS.md: cold start to an interactive home screen, and screen transitions.

    .venv/bin/python benchmarks/bench_ui.py [--starts 10] [--transitions 300]

Cold start: a new process each time, offscreen, from launch until the home screen is shown and the
event loop has run (the kiosk is answering input), against a bare PySide6 QMainWindow started the
same way, alternately, in the same run. Transitions: in one process, the time from a button press
to the next screen built, laid out and focused, over the missed-bin journey again and again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._bench_common import figure, pct, use_memory_keyring  # noqa: E402

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1280, 900)
w.show()
QTimer.singleShot(0, lambda: app.exit(0))
sys.exit(app.exec())
"""


def seeded_data_dir(folder: Path) -> Path:
    from tests.helpers import make_kiosk, seed_catalogue

    kiosk = make_kiosk(folder / "kiosk")
    seed_catalogue(kiosk)
    kiosk.close()
    return folder / "kiosk"


def time_process(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_start(n: int) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="tests.memory_keyring.MemoryKeyring",
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = seeded_data_dir(Path(tmp))
        kiosk_cmd = [
            sys.executable,
            "-m",
            "app",
            "run",
            "--windowed",
            "--training",
            "--data-dir",
            str(data),
            "--exit-after",
            "0",
        ]
        bare_cmd = [sys.executable, "-c", BARE]
        time_process(bare_cmd, env), time_process(kiosk_cmd, env)  # warm the disk cache
        bare, kiosk = [], []
        for _ in range(n):
            bare.append(time_process(bare_cmd, env))
            kiosk.append(time_process(kiosk_cmd, env))
    b, k = pct(bare, 50), pct(kiosk, 50)
    print(
        f"cold start, median of {n}: bare QMainWindow {b * 1000:.0f} ms, kiosk home {k * 1000:.0f} ms, "
        f"ratio {k / b:.2f}x"
    )
    figure(f"cold start to the home screen (median of {n})", k * 1000, "ms", b * 1000, "a bare QMainWindow")


def transitions(n: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    use_memory_keyring()
    from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QRadioButton

    from app.config import load_config
    from app.kiosk import Kiosk
    from tests.helpers import MISSED_BIN_DAY, seed_catalogue
    from ui.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        kiosk = Kiosk(load_config(data_dir=Path(tmp) / "kiosk", training=True))
        seed_catalogue(kiosk)
        window = KioskWindow(kiosk)
        window.resize(1280, 1000)
        window.show()
        times: list[float] = []

        def press(name: str) -> None:
            found = window.current.findChild(QPushButton, name)
            start = time.perf_counter()
            found.click()
            app.processEvents()  # laid out and painted
            times.append(time.perf_counter() - start)

        while len(times) < n:
            press("tile-missed-bin")
            press("start-now")
            window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
            press("continue")
            for name, value in (
                ("collection-date-day", str(MISSED_BIN_DAY.day)),
                ("collection-date-month", str(MISSED_BIN_DAY.month)),
                ("collection-date-year", str(MISSED_BIN_DAY.year)),
            ):
                window.current.findChild(QLineEdit, name).setText(value)
            press("continue")
            window.current.findChild(QLineEdit, "postcode").setText("LS1 4AP")
            press("continue")
            window.current.findChild(QLineEdit, "address-line").setText("1 High Street")
            press("continue")
            window.current.findChild(QLineEdit, "full-name").setText("A Person")
            press("continue")
            press("continue")
            press("back")  # check answers -> contact page -> back again is the next loop's work
            window.start_again()
            app.processEvents()
        window.allow_close = True
        window.close()
        kiosk.close()
    print(
        f"screen transitions ({len(times)}): p50 {pct(times, 50) * 1000:.1f} ms, "
        f"p95 {pct(times, 95) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
    )
    figure("screen transition p50", pct(times, 50) * 1000, "ms")
    figure("screen transition p95", pct(times, 95) * 1000, "ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--transitions", type=int, default=300)
    args = parser.parse_args()
    cold_start(args.starts)
    transitions(args.transitions)


if __name__ == "__main__":
    main()
