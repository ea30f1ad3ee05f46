"""Audio mode: the time from a key press to the start of speech, with the real engine (issue 14).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/speech_latency.py [--presses 30]

A private PulseAudio (null sink) and speech-dispatcher (tools/audio_server.py) so the machine's own
are neither used nor disturbed; Qt's `speechd` engine speaks English (espeak-ng) into the sink.

- key press: the real kiosk window (KioskWindow, training kiosk, home screen) in audio mode, its
  SpeechController's keypad: a keypad 2 ("next item") QKeyEvent posted to the focused control, timed
  from the post to the engine's Speaking state (which speechd reports when speech-dispatcher starts
  the audio) for the focused item's description.
- baseline, same run, rounds alternated: SpeechEngine.say() called directly, no key press.

Each round starts from Ready (the previous phrase is stopped), as a citizen pressing keys one by one
hears each. Goal: median under 150 ms with the real engine. Exits 3 (skipped) where the speech
packages are not installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
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

    with tempfile.TemporaryDirectory(prefix="dcp-speech-bench-") as tmp, AudioServer() as audio, audio.applied():
        os.environ.update(DCP_KIOSK_SPEECH_ENGINE="speechd", DCP_KIOSK_SPEECH_OUTPUT="headphones")
        from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        from benchmarks._bench_common import use_memory_keyring
        from tests.helpers import make_kiosk
        from ui.speech.engine import State
        from ui.window import KioskWindow

        use_memory_keyring()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        kiosk = make_kiosk(Path(tmp) / "kiosk")
        started = time.perf_counter()
        window = KioskWindow(kiosk)  # the window makes its voice as it starts (SpeechController.warm_up)
        window.resize(1280, 1024)
        window.show()
        app.processEvents()
        speech = window.speech
        speech.start()  # audio mode on, as holding 5 does
        engine = speech.engine
        load_s = time.perf_counter() - started
        if engine is None or not engine.available:
            print(f"the speechd engine did not load: {getattr(engine, 'problem', None)}", file=sys.stderr)
            return 1
        seen: list[tuple[float, State]] = []
        engine.state_changed.connect(lambda s: seen.append((time.perf_counter(), s)))

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
            # The keypad's 2 (next item) on the home screen, through the window's event filter, as a
            # citizen's key comes: posted, so the event loop delivers it.
            target = QApplication.focusWidget() or window
            press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier, "2")
            release = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier, "2")
            t0 = time.perf_counter()
            QCoreApplication.postEvent(target, press)
            QCoreApplication.postEvent(target, release)
            return speaking_after(t0)

        def direct(i: int) -> float | None:
            t0 = time.perf_counter()
            engine.say([PHRASES[i % len(PHRASES)]])
            return speaking_after(t0)

        until(lambda: engine.state() == State.Ready, 30.0)  # the introduction, read to its end or stopped
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
        heard = list(engine.said)[-3:]
        window.close()
        engine.stop()
        kiosk.close()
        print(f"last phrases said: {heard}")

    if len(keys) < 2 or len(calls) < 2:
        print(f"too few rounds reached Speaking ({misses} missed)", file=sys.stderr)
        return 1
    key_med, call_med = statistics.median(keys), statistics.median(calls)
    key_p95, call_p95 = pct(keys, 95), pct(calls, 95)
    print(f"window with its voice, audio mode on (speechd, private speech-dispatcher): {load_s * 1000:.0f} ms")
    print(f"key press -> Speaking: median {key_med:.1f} ms, p95 {key_p95:.1f} ms, max {max(keys):.1f} ms ({len(keys)})")
    print(
        f"say()     -> Speaking: median {call_med:.1f} ms, p95 {call_p95:.1f} ms, max {max(calls):.1f} ms ({len(calls)})"
    )
    print(f"ratio (median): {key_med / call_med:.2f}x; rounds that never reached Speaking: {misses}")
    print(f"goal: median under 150 ms: {'met' if key_med < 150 else 'NOT met'}")
    base = "SpeechEngine.say() called directly, same run, rounds alternated"
    figure("speech_key_to_speaking_median", key_med, "ms", call_med, base)
    figure("speech_key_to_speaking_p95", key_p95, "ms", call_p95, base)
    figure("speech_window_voice_start", load_s * 1000, "ms")
    return 0 if misses == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
