"""SpeechController: audio mode. The kiosk reads each screen, the focused control and what changes,
and takes the keypad keys (ui/speech/keypad.py).

It is fed by events, never by looking at the pixels: a screen opening (its `reading()` phrases), a
card opening (its `reading()`), a screen announcing a change (`Screen.announced`), focus moving (the
control's role, name and state), a key. Any new action interrupts what is being said. Private
phrases (answers, the reference) are spoken only while listening is private (headphones); on the
open speaker each becomes "your answer is hidden". Speech is in the display language, with that
language's voice; where the kiosk has none, it says so once, in English, and staff see an alert.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QWidget,
)
from shiboken6 import isValid

from app import languages
from ui.i18n import tr
from ui.overlay import Overlay
from ui.reading import Spoken
from ui.speech.describe import contents, describe, typed_echo
from ui.speech.engine import VOLUME_STEPS, SpeechEngine
from ui.speech.keypad import HOLD_TO_START_MS, Action, action_for, help_phrases
from ui.speech.listening import Listening

if TYPE_CHECKING:
    from ui.screens.base import Screen

log = logging.getLogger("ui.speech")

__all__ = ["SpeechController", "hidden_phrase", "spelt"]

_STARTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


def hidden_phrase() -> str:
    return tr("Your answer is hidden. Use headphones to hear it.")


def spelt(reference: str) -> str:
    """A reference character by character, a pause between its groups: 'DCP-7KQ4' -> 'D C P, 7 K Q 4'."""
    groups = [g for g in reference.replace(" ", "-").split("-") if g]
    return ", ".join(" ".join(group) for group in groups)


def _stop_here(w: QWidget) -> bool:
    """A control 8 and 2 stop at: what Tab stops at, and every option of a radio group (Tab stops at one)."""
    if isinstance(w, QScrollArea):
        return False  # the page itself: its controls are the stops
    if isinstance(w, QRadioButton):
        return w.focusPolicy() != Qt.FocusPolicy.NoFocus
    return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)


class SpeechController(QObject):
    """Audio mode for one kiosk window (`window.speech`)."""

    def __init__(
        self,
        window: QWidget,
        *,
        engine: str,
        output: str = "detect",
        volume_step: int = 7,
        alert: object = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.engine_name = engine
        self.default_step = volume_step
        self._alert = alert  # callable(kind, message): a staff alert, or None
        self.engine: SpeechEngine | None = None  # made when audio mode first starts (speech-dispatcher spawns)
        self.listening = Listening(output, self)
        self.listening.plugged_in.connect(self._plugged_in)
        self.on = False
        self.last: list[Spoken] = []  # what 6 repeats
        self._announcement: list[Spoken] = []  # said just now: kept in front of a focus move that follows it
        self.cards: list[Overlay] = []
        self._no_voice_said: set[str] = set()
        self._edit: QLineEdit | QPlainTextEdit | None = None
        self._edit_text = ""
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(HOLD_TO_START_MS)
        self._hold.timeout.connect(self.start)
        self._focus_pending = QTimer(self)
        self._focus_pending.setSingleShot(True)
        self._focus_pending.setInterval(0)
        self._focus_pending.timeout.connect(self._speak_focus)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.listening.start()

    # -- turning audio mode on and off -------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Audio mode on: say so, how to move, and read the screen."""
        self._hold.stop()
        engine = self._engine()
        if engine is None or not engine.available:
            log.warning("audio mode asked for, but the speech engine %s cannot speak", self.engine_name)
            banner = getattr(self.window, "banner", None)
            if banner is not None and hasattr(banner, "show_listening"):
                banner.show_listening(None)  # says so on the button: no promise of speech that cannot come
            return
        self.on = True
        self._set_button()
        intro = [
            Spoken(tr("Audio mode is on.")),
            Spoken(tr("Press 2 on the number pad for the next item, 5 to choose it, 0 for all the keys.")),
        ]
        current = getattr(self.window, "current", None)
        if current is not None and current.objectName() == "home":
            intro.append(Spoken(tr("You are at the start: the council services you can use at this kiosk.")))
        self._say(intro + self.page_phrases() + self._focus_phrases())

    @Slot()
    def warm_up(self) -> None:
        """Make the voice now, before anyone asks for it; an engine that cannot speak raises a staff alert."""
        engine = self._engine()
        if engine is not None and not engine.available and callable(self._alert):
            why = engine.problem or f"the speech engine {self.engine_name} did not start"
            self._alert("speech_unavailable", f"Audio mode cannot speak: {why}. Run dcp-kiosk doctor.")

    def toggle(self) -> None:
        """The banner's "Listen to this screen" / "Stop listening" button."""
        if self.on:
            self.stop_audio()
        else:
            self.start()

    def stop_audio(self) -> None:
        self.on = False
        self._set_button()
        if self.engine is not None:
            self.engine.stop()

    def reset(self) -> None:
        """After each citizen (the wipe): speech ends, audio mode off, volume and listening as configured."""
        self._hold.stop()
        self._focus_pending.stop()
        self.on = False
        self.last = []
        self._edit = None
        self._set_button()
        self.listening.reset()
        if self.engine is not None:
            self.engine.stop()
            self.engine.set_volume_step(self.default_step)
            self.engine.said.clear()

    def close(self) -> None:
        """The window is closing: no timer or poll left running."""
        self.reset()
        self.listening.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._focus_changed)

    @Slot()
    def _plugged_in(self) -> None:
        if not self.on:
            self.start()

    def _engine(self) -> SpeechEngine | None:
        if self.engine is not None and not self.engine.available and not self.on:
            self.engine.deleteLater()  # speech-dispatcher may be back: try again from the start
            self.engine = None
        if self.engine is None:
            self.engine = SpeechEngine(self.engine_name, self)
            self.engine.set_volume_step(self.default_step)
        return self.engine

    def _set_button(self) -> None:
        banner = getattr(self.window, "banner", None)
        if banner is not None and hasattr(banner, "show_listening"):
            banner.show_listening(self.on)

    # -- what is said ----------------------------------------------------------------------

    def _say(self, phrases: list[Spoken], *, remember: bool = True) -> None:
        if not self.on:
            return  # no engine is made (or remade) while audio mode is off
        engine = self._engine()
        if engine is None:
            return
        words = self._voice_notice(engine)
        for p in phrases:
            if p.private and not self.listening.private:
                text = hidden_phrase()
                if words and words[-1] == text:
                    continue  # one notice for a run of hidden answers
            else:
                text = spelt(p.text) if p.spell else p.text
            words.append(text)
        if remember:
            self.last = list(phrases)
        engine.say(words)

    def _voice_notice(self, engine: SpeechEngine) -> list[str]:
        """Use the display language's voice; where there is none, say so once (in English) and alert staff."""
        lang = getattr(getattr(self.window, "session", None), "language", "en") or "en"
        if engine.language == lang or lang in self._no_voice_said:
            return []
        if engine.set_language(lang):
            return []
        self._no_voice_said.add(lang)
        name = QLocale.languageToString(QLocale(lang).language())
        log.warning("no voice for %s (%s) in the speech engine %s", name, lang, self.engine_name)
        if callable(self._alert):
            self._alert(
                "speech_voice_missing",
                f"Audio mode has no voice for {name} ({lang}): it speaks English instead. "
                "Install the voice (see dcp-kiosk doctor).",
            )
        # Deliberately English: the citizen's language has no voice to say it in.
        return [f"Speech in {name} is not available on this kiosk. The kiosk will speak in English."]

    def page_phrases(self) -> list[Spoken]:
        """The open card's words, else the current screen's, in reading order."""
        card = self._open_card()
        if card is not None:
            return list(card.reading())
        screen = getattr(self.window, "current", None)
        if screen is None:
            return []
        urgent, rest = screen.urgent(), []
        left = list(urgent)
        for p in screen.reading():
            if p in left:
                left.remove(p)  # said first already
            else:
                rest.append(p)
        return urgent + rest

    def _focus_phrases(self) -> list[Spoken]:
        focus = QApplication.focusWidget()
        if focus is None or not self._in_scope(focus):
            return []
        return [Spoken(tr("You are on:")), *describe(focus)]

    # -- events from the window ------------------------------------------------------------

    def screen_shown(self, screen: Screen) -> None:
        """A new screen: read it from the top, then where focus is."""
        screen.announced.connect(self.announce)
        self._focus_pending.stop()
        self._announcement = []
        if self.on:
            self._say(self.page_phrases() + self._focus_phrases())

    def card_shown(self) -> None:
        """A card opened over the screen (the time-out warning, Start again?, Get help)."""
        self._focus_pending.stop()
        if self.on:
            self._say(self.page_phrases() + self._focus_phrases())

    @Slot(object)
    def announce(self, phrases: list[Spoken]) -> None:
        """A change on the screen that matters now (an error, "Sent to the council").

        If focus moves with it (a refused sign-in puts focus in the PIN box), the focused control is said
        after the announcement, not over it."""
        if self.on:
            self._announcement = list(phrases)
            self._say(list(phrases))

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._watch_typing(new)
        if self.on and new is not None:
            self._focus_pending.start()  # after the event that moved it: a new screen cancels this

    @Slot()
    def _speak_focus(self) -> None:
        focus = QApplication.focusWidget()
        before, self._announcement = self._announcement, []
        if focus is not None and self._in_scope(focus):
            if not before and self._say_in_own_voice(focus):
                return
            self._say(before + describe(focus))

    def _say_in_own_voice(self, focus: QWidget) -> bool:
        """A language's button is said in that language's voice, in that language: "اردو. کیوسک اس زبان
        میں دکھائیں", so that a citizen who cannot follow the display language hears their own. False where the
        engine has no voice for it (then it is described as any button is)."""
        code = focus.property("language")
        display = getattr(getattr(self.window, "session", None), "language", "en") or "en"
        engine = self._engine() if self.on else None
        if not isinstance(code, str) or code == display or engine is None or not isinstance(focus, QAbstractButton):
            return False
        if not engine.set_language(code):
            return False
        engine.say([focus.text(), languages.translations(code).gettext("Show the kiosk in this language")])
        return True  # not remembered for "repeat": the next phrase goes back to the display language's voice

    def _watch_typing(self, widget: QWidget | None) -> None:
        """Each key typed in the focused box is echoed (a one-line box or a several-line one)."""
        old = self._edit
        if isinstance(old, QLineEdit) and isValid(old):
            old.textEdited.disconnect(self._typed)
        elif isinstance(old, QPlainTextEdit) and isValid(old):
            old.textChanged.disconnect(self._typed_lines)
        self._edit = widget if isinstance(widget, QLineEdit | QPlainTextEdit) else None
        if isinstance(self._edit, QLineEdit):
            self._edit_text = self._edit.text()
            self._edit.textEdited.connect(self._typed)
        elif isinstance(self._edit, QPlainTextEdit):
            self._edit_text = self._edit.toPlainText()
            self._edit.textChanged.connect(self._typed_lines)

    @Slot(str)
    def _typed(self, new: str) -> None:
        old, self._edit_text = self._edit_text, new
        if self.on and self._edit is not None:
            self._say(typed_echo(self._edit, old, new), remember=False)

    @Slot()
    def _typed_lines(self) -> None:
        if isinstance(self._edit, QPlainTextEdit):
            self._typed(self._edit.toPlainText())

    # -- keys ------------------------------------------------------------------------------

    def filter(self, watched: QObject, event: QEvent) -> bool:
        """Called by the window's event filter after the cards had their say: True if the key is used up."""
        kind = event.type()
        if self.on and kind in _STARTS and self.engine is not None:
            self.engine.stop()  # any new action interrupts what is being said
            self._announcement = []
        if not isinstance(event, QKeyEvent) or kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        action = action_for(event)
        if action is None:
            return False
        if not self.on:
            # Hold 5 (the key with the raised dot) to start; the press still does what it does.
            if action is Action.PRESS and event.key() != Qt.Key.Key_Enter and not event.isAutoRepeat():
                if kind == QEvent.Type.KeyPress and not self._hold.isActive():
                    self._hold.start()
                elif kind == QEvent.Type.KeyRelease:
                    self._hold.stop()
            return False
        if kind == QEvent.Type.KeyRelease:
            return True
        if event.isAutoRepeat() and action not in (Action.PREVIOUS, Action.NEXT, Action.LOUDER, Action.QUIETER):
            return True
        self.act(action)
        return True

    def act(self, action: Action) -> None:
        focus = QApplication.focusWidget()
        if action in (Action.NEXT, Action.PREVIOUS):
            self._move(action is Action.NEXT)
        elif action is Action.PRESS:
            self._press(focus)
        elif action is Action.BACK:
            self._back()
        elif action is Action.REPEAT:
            self._say(self.last or self.page_phrases())
        elif action is Action.READ_SCREEN:
            self._say(self.page_phrases() + self._focus_phrases())
        elif action is Action.HELP:
            self._say([Spoken(p) for p in help_phrases()])
        elif action in (Action.LOUDER, Action.QUIETER) and self.engine is not None:
            step = self.engine.set_volume_step(self.engine.volume_step + (1 if action is Action.LOUDER else -1))
            self._say([Spoken(tr("Volume {n} of {top}").format(n=step, top=VOLUME_STEPS))], remember=False)
        elif action is Action.STOP and self.engine is not None:
            self.engine.stop()
        elif action is Action.PRIVATE:
            private = self.listening.toggle()
            self._say(
                [
                    Spoken(
                        tr("Headphones: your answers will be read out.")
                        if private
                        else tr("Speaker: your answers will not be read out.")
                    )
                ],
                remember=False,
            )

    # -- moving and pressing -----------------------------------------------------------------

    def _open_card(self) -> Overlay | None:
        return next((c for c in self.cards if c.isVisible()), None)

    def _in_scope(self, widget: QWidget) -> bool:
        card = self._open_card()
        return card.holds(widget) if card is not None else self.window.isAncestorOf(widget)

    def _chain(self) -> list[QWidget]:
        """Every control 8 and 2 stop at, in Tab order: each option of a radio group, not only the chosen one."""
        found: list[QWidget] = []
        start = self.window
        w = start.nextInFocusChain()
        for _ in range(5000):  # the chain is a ring; a bound all the same
            if w is start or w is None:
                break
            if _stop_here(w) and w.isVisible() and w.isEnabled() and self._in_scope(w) and w not in found:
                found.append(w)
            w = w.nextInFocusChain()
        return found

    def _move(self, forward: bool) -> None:
        chain = self._chain()
        if not chain:
            return
        focus = QApplication.focusWidget()
        i = chain.index(focus) if focus in chain else -1
        j = i + (1 if forward else -1)
        wrapped = j >= len(chain) or j < 0
        target = chain[j % len(chain)]
        self._focus_pending.stop()
        before = [Spoken(tr("Top of the screen.") if forward else tr("End of the screen."))] if wrapped else []
        target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        self._focus_pending.stop()  # the move is said here, with "Top of the screen" if it wrapped
        self._say(before + describe(target))

    def _press(self, focus: QWidget | None) -> None:
        if focus is None:
            return
        if isinstance(focus, QLineEdit):
            self._say([Spoken(tr("edit text")), Spoken(" ".join(focus.accessibleName().split())), *contents(focus)])
            return
        if not isinstance(focus, QAbstractButton):
            self._say(describe(focus))
            return
        screen = getattr(self.window, "current", None)
        focus.click()
        if not isValid(focus):
            return
        same = getattr(self.window, "current", None) is screen
        if same and focus.isVisible() and focus.isCheckable() and self._open_card() is None:
            self._say(describe(focus))  # the new state: "ticked"

    def _back(self) -> None:
        """4: the screen's (or card's) Back, as if pressed."""
        for w in self._chain():
            if isinstance(w, QAbstractButton) and w.objectName() == "back":
                w.click()
                return
        self._say([Spoken(tr("There is no Back on this screen."))], remember=False)
