"""The voice: QtTextToSpeech behind a small interface, with a voice for each display language.

Qt's `speechd` engine speaks through speech-dispatcher (espeak-ng voices) on Linux, `sapi` or `winrt`
on Windows; `mock` is Qt's own engine for tests, which goes through the same states without sound.
Everything the kiosk says passes through `SpeechEngine.say`, which keeps the last phrases said
(`said`), so tests see exactly what reached the engine.
"""

from __future__ import annotations

import logging
import sys
from collections import deque

from PySide6.QtCore import QLocale, QLoggingCategory, QObject, Signal, Slot

# QtMultimedia (under QtTextToSpeech) looks for PipeWire as it loads, and warns where a kiosk has
# PulseAudio instead: not a fault. Set before the import, which is when it looks.
QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false")

from PySide6.QtTextToSpeech import QTextToSpeech, QVoice  # noqa: E402

from ui.speech.voices import probe_speechd  # noqa: E402

log = logging.getLogger("ui.speech")

__all__ = ["DEFAULT_ENGINE", "SUPPORTED_LANGUAGES", "SpeechEngine", "State", "engines"]

State = QTextToSpeech.State
SUPPORTED_LANGUAGES = ("en", "ur", "gu", "pa", "pl")
DEFAULT_ENGINE = "sapi" if sys.platform == "win32" else "speechd"
# The territory to prefer where a voice exists for several (English: British).
_PREFERRED = {"en": "GB", "ur": "PK", "gu": "IN", "pa": "IN", "pl": "PL"}
VOLUME_STEPS = 10  # +/- move the volume a tenth at a time


def engines() -> list[str]:
    """The speech engines this Qt build can load ('mock' is for tests)."""
    return list(QTextToSpeech.availableEngines())


class SpeechEngine(QObject):
    """One QTextToSpeech, its volume in steps of a tenth, and the voice for the display language."""

    state_changed = Signal(object)  # State
    failed = Signal(str)  # the engine's own words about an error (for the log and staff)

    def __init__(self, engine: str = DEFAULT_ENGINE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = engine
        self.said: deque[str] = deque(maxlen=500)  # what reached the engine, newest last
        self.last_said: list[str] = []  # the phrases of the last say(), which stopped whatever came before
        self.language = "en"
        self._volume_step = 7
        self.tts: QTextToSpeech | None = None
        self.problem: str | None = None  # why there is no engine, in plain words (for staff and IT)
        if engine not in engines():
            self.problem = f"the speech engine '{engine}' is not available (found: {', '.join(engines()) or 'none'})"
            log.warning("%s", self.problem)
            return
        if engine == "speechd":
            # Qt's constructor would wait for ever on a speech-dispatcher that takes the connection and
            # never answers (libspeechd has no timeout there): ask it first, with a bounded wait.
            self.problem = probe_speechd()
            if self.problem:
                log.warning("no speech: %s", self.problem)
                return
        self.tts = QTextToSpeech(engine, self)
        self.tts.stateChanged.connect(self._state_changed)
        self.tts.errorOccurred.connect(self._error)
        self.set_volume_step(self._volume_step)

    # -- what the engine can do ----------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.tts is not None and self.tts.state() != State.Error

    def state(self) -> State:
        return self.tts.state() if self.tts is not None else State.Error

    def _locales(self, lang: str) -> list[QLocale]:
        """The engine's locales for a language code, the preferred territory first."""
        if self.tts is None:
            return []
        wanted = QLocale(lang).language()
        locales = [loc for loc in self.tts.availableLocales() if loc.language() == wanted]
        territory = _PREFERRED.get(lang)
        locales.sort(key=lambda loc: QLocale.territoryToCode(loc.territory()) != territory)
        return locales

    def _voices_of(self, locale: QLocale) -> list[QVoice]:
        """The voices of one locale (Qt lists the voices of the current locale only), the engine left as it was."""
        assert self.tts is not None
        before_locale, before_voice = self.tts.locale(), self.tts.voice()
        self.tts.setLocale(locale)
        voices = list(self.tts.availableVoices())
        self.tts.setLocale(before_locale)
        self.tts.setVoice(before_voice)
        return voices

    def voice_for(self, lang: str) -> tuple[QLocale, QVoice] | None:
        """The locale and voice the engine has for a language code ('ur'), or None."""
        for loc in self._locales(lang):
            voices = self._voices_of(loc)
            if voices:
                # A plain voice ("Urdu") before its variants ("Urdu+Alex").
                voices.sort(key=lambda v: ("+" in v.name(), v.name()))
                return loc, voices[0]
        return None

    def voices(self, lang: str) -> list[str]:
        """The names of every voice for a language (for doctor and `dcp-kiosk speak --voices`)."""
        return [v.name() for loc in self._locales(lang) for v in self._voices_of(loc)]

    def set_language(self, lang: str) -> bool:
        """Speak `lang` from now on; False (and English kept) when the engine has no voice for it."""
        found = self.voice_for(lang)
        if found is None or self.tts is None:
            if lang != "en":
                self.set_language("en")
            return False
        loc, voice = found
        self.tts.setLocale(loc)
        self.tts.setVoice(voice)
        self.language = lang
        return True

    # -- speaking ------------------------------------------------------------------------

    def say(self, phrases: list[str]) -> None:
        """Stop what is being said, then say the phrases in order."""
        self.stop()
        self.last_said = [p.strip() for p in phrases if p.strip()]
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            self.said.append(phrase)
            if self.tts is not None:
                self.tts.enqueue(phrase)

    def stop(self) -> None:
        if self.tts is not None and self.tts.state() in (State.Speaking, State.Synthesizing, State.Paused):
            self.tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    @property
    def volume_step(self) -> int:
        return self._volume_step

    def set_volume_step(self, step: int) -> int:
        """1 .. VOLUME_STEPS (never 0); the step actually set."""
        self._volume_step = max(1, min(VOLUME_STEPS, step))  # never silent: the citizen could not find it again
        if self.tts is not None:
            self.tts.setVolume(self._volume_step / VOLUME_STEPS)
        return self._volume_step

    # -- the engine's signals ------------------------------------------------------------

    @Slot(QTextToSpeech.State)
    def _state_changed(self, state: State) -> None:
        self.state_changed.emit(state)

    @Slot(QTextToSpeech.ErrorReason, str)
    def _error(self, _reason: object, words: str) -> None:
        log.warning("speech engine error: %s", words)
        self.failed.emit(words)
