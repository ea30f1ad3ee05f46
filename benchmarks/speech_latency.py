"""Audio mode: the time from a key press to the start of speech, with the real engine (issue 14).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/speech_latency.py [--presses 30]

A private PulseAudio (null sink) and speech-dispatcher (tools/audio_server.py) so the machine's own
are neither used nor disturbed; Qt's `speechd` engine speaks English (espeak-ng) into the sink.

- key press: a QKeyEvent (keypad 2, "next") posted to a small window whose keyPressEvent calls
  SpeechEngine.say(), as the keypad does; timed from the post to the engine's Speaking state (which
  speechd reports when speech-dispatcher starts the audio).
- baseline, same run, rounds alternated: SpeechEngine.say() called directly, no key press.

Each round starts from Ready (the previous phrase is stopped), as a citizen pressing keys one by one
hears each. Goal: median under 150 ms with the real engine. Exits 3 (skipped) where the speech
packages are not installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._bench_common import figure, pct  # noqa: E402
from tools.audio_server import AudioServer, missing_tools  # noqa: E402

PHRASES = [
    "Button, Continue, 3 of 6",
    "Radio button, Recycling, not selected, 1 of 3",
    "Checkbox, Sofa or armchair, not ticked, 2 of 6",
    "Link, Back",
]
SKIPPED = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=30, help="key presses (and as many direct calls)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for Speaking, per press")
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        print(f"skipped: the real speech engine needs {', '.join(missing)}", file=sys.stderr)
        return SKIPPED

    with AudioServer() as audio, audio.applied():
        from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication, QWidget

        from ui.speech.engine import SpeechEngine, State

        app = QApplication.instance() or QApplication(sys.argv[:1])
        started = time.perf_counter()
        engine = SpeechEngine("speechd")
        load_s = time.perf_counter() - started
        if not engine.available or not engine.set_language("en"):
            print("the speechd engine did not load, or has no English voice", file=sys.stderr)
            return 1
        seen: list[tuple[float, State]] = []
        engine.state_changed.connect(lambda s: seen.append((time.perf_counter(), s)))

        class Keypad(QWidget):
            """Stands in for the keypad until it is on main: 2 says the next item."""

            phrase = PHRASES[0]

            def keyPressEvent(self, event: QKeyEvent) -> None:
                if event.key() == Qt.Key.Key_2:
                    engine.say([self.phrase])
                    event.accept()
                else:
                    super().keyPressEvent(event)

        window = Keypad()
        window.resize(200, 100)
        window.show()
        app.processEvents()

        def until(done: Callable[[], bool], timeout: float) -> bool:
            deadline = time.perf_counter() + timeout
            while not done():
                if time.perf_counter() > deadline:
                    return False
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            return True

        def settle() -> None:
            engine.stop()
            until(lambda: engine.state() == State.Ready, 5.0)
            end = time.perf_counter() + 0.15  # speech-dispatcher's own end of the last phrase
            until(lambda: time.perf_counter() > end, 1.0)
            seen.clear()

        def speaking_after(t0: float) -> float | None:
            if not until(lambda: any(s == State.Speaking for _, s in seen), args.timeout):
                return None
            return next(t for t, s in seen if s == State.Speaking) - t0

        def by_key(i: int) -> float | None:
            window.phrase = PHRASES[i % len(PHRASES)]
            event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier, "2")
            t0 = time.perf_counter()
            QCoreApplication.postEvent(window, event)  # through the event loop, as a real key comes
            return speaking_after(t0)

        def direct(i: int) -> float | None:
            t0 = time.perf_counter()
            engine.say([PHRASES[i % len(PHRASES)]])
            return speaking_after(t0)

        settle()
        direct(0)  # warm-up: the first phrase loads espeak-ng's voice
        settle()
        keys: list[float] = []
        calls: list[float] = []
        misses = 0
        for i in range(args.presses):
            for how, into in ((by_key, keys), (direct, calls)) if i % 2 == 0 else ((direct, calls), (by_key, keys)):
                took = how(i)
                if took is None:
                    misses += 1
                else:
                    into.append(took * 1000)
                settle()
        window.close()
        engine.stop()

    if len(keys) < 2 or len(calls) < 2:
        print(f"too few rounds reached Speaking ({misses} missed)", file=sys.stderr)
        return 1
    key_med, call_med = statistics.median(keys), statistics.median(calls)
    key_p95, call_p95 = pct(keys, 95), pct(calls, 95)
    print(f"engine load (speechd, private speech-dispatcher): {load_s * 1000:.0f} ms")
    print(f"key press -> Speaking: median {key_med:.1f} ms, p95 {key_p95:.1f} ms, max {max(keys):.1f} ms ({len(keys)})")
    print(
        f"say()     -> Speaking: median {call_med:.1f} ms, p95 {call_p95:.1f} ms, max {max(calls):.1f} ms ({len(calls)})"
    )
    print(f"ratio (median): {key_med / call_med:.2f}x; rounds that never reached Speaking: {misses}")
    print(f"goal: median under 150 ms: {'met' if key_med < 150 else 'NOT met'}")
    base = "SpeechEngine.say() called directly, same run, rounds alternated"
    figure("speech_key_to_speaking_median", key_med, "ms", call_med, base)
    figure("speech_key_to_speaking_p95", key_p95, "ms", call_p95, base)
    figure("speech_engine_load", load_s * 1000, "ms")
    return 0 if misses == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
