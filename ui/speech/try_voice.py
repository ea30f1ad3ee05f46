"""For IT: try the kiosk's voice outside the kiosk (`dcp-kiosk speak`), and list the voices (doctor).

Both return plain data (dicts of strings and numbers); app.cli.speak words them. Every wait is
bounded, and nothing raises for a missing engine or voice: the result says what happened.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop

from ui.speech.engine import SUPPORTED_LANGUAGES, SpeechEngine, State, engines

__all__ = ["list_voices", "speak"]

_STATE_WORDS = {
    State.Ready: "ready",
    State.Speaking: "speaking",
    State.Paused: "paused",
    State.Error: "error",
    State.Synthesizing: "synthesizing",
}


def _app() -> QCoreApplication:
    return QCoreApplication.instance() or QCoreApplication(sys.argv[:1])


def _load(engine_name: str) -> tuple[SpeechEngine | None, dict[str, Any]]:
    """The engine, and what to report of loading it: its name, the engines found, the time, an error."""
    _app()
    found = engines()
    out: dict[str, Any] = {"engine": engine_name, "engines": found, "error": None, "load_s": None}
    if engine_name not in found:
        out["error"] = (
            f"the speech engine '{engine_name}' is not available (this kiosk has: {', '.join(found) or 'none'})"
        )
        return None, out
    started = time.monotonic()
    engine = SpeechEngine(engine_name)
    out["load_s"] = round(time.monotonic() - started, 3)
    if not engine.available:
        out["error"] = engine.problem or f"the speech engine '{engine_name}' did not start"
        return None, out
    return engine, out


def _wait(until: Any, timeout_s: float) -> bool:
    """Run Qt's events until `until()` is true or the time is up."""
    app = _app()
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.002)
    return True


def list_voices(engine_name: str) -> dict[str, Any]:
    """The voices for each supported language: the one the kiosk would use, and all of them."""
    engine, out = _load(engine_name)
    out["languages"] = {}
    if engine is None:
        return out
    for lang in SUPPORTED_LANGUAGES:
        chosen = engine.voice_for(lang)
        out["languages"][lang] = {
            "voice": chosen[1].name() if chosen else None,
            "locale": chosen[0].name() if chosen else None,
            "voices": engine.voices(lang)[:500],
        }
    out["missing"] = [lang for lang, v in out["languages"].items() if v["voice"] is None]
    engine.deleteLater()
    return out


def speak(
    engine_name: str, text: str, language: str = "en", volume: int = 7, timeout_s: float = 30.0
) -> dict[str, Any]:
    """Say `text` in `language` and wait (at most `timeout_s`) until the engine is ready again.

    The result: engine, engines, load_s, language, voice, locale, states (in order, in words),
    start_s (say() to speaking), done_s (say() to ready again), spoken (True when it went
    speaking -> ready), error (None, or why not)."""
    engine, out = _load(engine_name)
    out.update(language=language, voice=None, locale=None, states=[], start_s=None, done_s=None, spoken=False)
    out["supported"] = list(SUPPORTED_LANGUAGES)
    if engine is None:
        return out
    try:
        if not engine.set_language(language):
            out["error"] = f"the '{engine_name}' engine has no voice for the language '{language}'"
            return out
        chosen = engine.voice_for(language)
        if chosen is not None:
            out["locale"], out["voice"] = chosen[0].name(), chosen[1].name()
        engine.set_volume_step(volume)
        times: list[tuple[float, State]] = []
        errors: list[str] = []
        engine.state_changed.connect(lambda s: times.append((time.monotonic(), s)))
        engine.failed.connect(errors.append)
        started = time.monotonic()
        engine.say([text])

        def finished() -> bool:
            states = [s for _, s in times]
            return bool(errors) or State.Error in states or (State.Speaking in states and states[-1] == State.Ready)

        ok = _wait(finished, timeout_s)
        out["states"] = [_STATE_WORDS.get(s, str(s)) for _, s in times]
        for at, state in times:
            if state == State.Speaking and out["start_s"] is None:
                out["start_s"] = round(at - started, 3)
        if out["start_s"] is not None and times and times[-1][1] == State.Ready:
            out["done_s"] = round(times[-1][0] - started, 3)
            out["spoken"] = True
        if errors or State.Error in [s for _, s in times]:
            out["error"] = f"the engine reported an error: {errors[0] if errors else 'no detail'}"
        elif not ok:
            engine.stop()
            out["error"] = f"the engine did not finish speaking within {timeout_s:g} s"
        return out
    finally:
        engine.stop()
        engine.deleteLater()
