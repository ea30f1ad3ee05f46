"""Languages: how long the kiosk takes to change language, against showing the same home screen again (issue 15).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/language_switch.py [--rounds 30]

The real window (KioskWindow, a kiosk holding the training catalogue). Each round, alternated:
- switch: the home screen's language button pressed, English -> Urdu -> Gujarati -> Punjabi -> Polish ->
  English..., timed from the click to the new home screen laid out (the banner, cards, fonts, direction and
  style changed, the home screen rebuilt);
- baseline: the home screen shown again in the same language (show_home), laid out.
And once: the first load of every catalogue (reading the compiled .mo files).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._bench_common import figure, pct, use_memory_keyring  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="switches (and as many baseline rounds)")
    args = parser.parse_args()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QPushButton

    from app import languages
    from tests.helpers import make_kiosk, seed_catalogue
    from ui.window import KioskWindow

    use_memory_keyring()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = time.perf_counter()
    languages.forget()
    for code in languages.codes():
        languages.translations(code).gettext("Continue")
    load_ms = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory(prefix="dcp-lang-bench-") as tmp:
        kiosk = make_kiosk(Path(tmp) / "kiosk")
        seed_catalogue(kiosk)
        window = KioskWindow(kiosk)
        window.resize(1280, 1024)
        window.show()
        app.processEvents()

        def settle() -> None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            app.processEvents()

        order = languages.codes()
        switch, again = [], []
        for i in range(args.rounds):
            code = order[(i + 1) % len(order)]
            button = window.current.findChild(QPushButton, f"home-language-{code}")
            t = time.perf_counter()
            button.click()
            settle()
            switch.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            window.show_home()
            settle()
            again.append((time.perf_counter() - t) * 1000)
        window.allow_close = True
        window.close()
        kiosk.close()
    median, baseline = statistics.median(switch), statistics.median(again)
    print(
        f"language switch: median {median:.1f} ms, p95 {pct(switch, 95):.1f} ms, max {max(switch):.1f} ms",
        file=sys.stderr,
    )
    print(f"baseline home again: median {baseline:.1f} ms, p95 {pct(again, 95):.1f} ms", file=sys.stderr)
    print(f"every catalogue loaded: {load_ms:.1f} ms", file=sys.stderr)
    figure(
        "language switch to a laid-out home screen, median",
        median,
        "ms",
        baseline,
        "home screen shown again, same language",
    )
    figure("language switch, p95", pct(switch, 95), "ms", pct(again, 95), "home screen shown again, p95")
    figure("every catalogue loaded (first use)", load_ms, "ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
