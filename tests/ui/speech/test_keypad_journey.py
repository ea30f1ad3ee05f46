"""A citizen who cannot see the screen: audio mode started by holding 5, then the keypad keys alone.

The missed-bin journey from the home screen to the reference, and a checkbox question, each step
asserted by what reached the speech engine (Qt's mock engine: the same states as a real one, silent).
Words are typed on the keyboard's letter and top-row keys; every move, choice and press is a keypad key.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.helpers import MISSED_BIN_DAY
from ui.screens import CheckAnswersScreen, ConfirmationScreen, QuestionScreen, StartScreen
from ui.speech.controller import spelt
from ui.speech.keypad import HOLD_TO_START_MS
from ui.window import KioskWindow

PAD = Qt.KeyboardModifier.KeypadModifier
DIGIT = {str(n): getattr(Qt.Key, f"Key_{n}") for n in range(10)}


def said(window: KioskWindow) -> list[str]:
    assert window.speech.engine is not None
    return list(window.speech.engine.said)


def pad(qtbot: QtBot, window: KioskWindow, key: str) -> list[str]:
    """Press one keypad key (as the focused control receives it) and give back what was said for it."""
    assert window.speech.engine is not None
    window.speech.engine.said.clear()
    target = QApplication.focusWidget() or window
    qt_key = (
        DIGIT.get(key)
        or {"+": Qt.Key.Key_Plus, "-": Qt.Key.Key_Minus, "*": Qt.Key.Key_Asterisk, ".": Qt.Key.Key_Period}[key]
    )
    qtbot.keyClick(target, qt_key, PAD)
    # A focus change is said just after the event that made it.
    qtbot.waitUntil(lambda: not window.speech._focus_pending.isActive(), timeout=1000)
    return said(window)


def hold_five(qtbot: QtBot, window: KioskWindow) -> None:
    """Press and hold the 5 (the key with the raised dot) as a finger would: press, wait, let go."""
    target = QApplication.focusWidget() or window
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_5, PAD, "5"))
    qtbot.wait(HOLD_TO_START_MS + 300)
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_5, PAD, "5"))


def on(heard: list[str]) -> list[str]:
    """What was said about the focused control after a screen was read ("You are on: ...")."""
    return heard[heard.index("You are on:") + 1 :]


def next_until(qtbot: QtBot, window: KioskWindow, words: str, limit: int = 60) -> list[str]:
    """Press 2 until what is said for the item names `words`; fail if it never comes."""
    for _ in range(limit):
        heard = pad(qtbot, window, "2")
        if any(words in phrase for phrase in heard):
            return heard
    raise AssertionError(f"2 never reached {words!r}; last heard {heard}")


def type_words(qtbot: QtBot, text: str) -> None:
    focus = QApplication.focusWidget()
    assert isinstance(focus, QLineEdit)
    qtbot.keyClicks(focus, text)


def test_a_short_press_of_5_does_not_start_audio_mode_and_a_held_one_does(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_5, PAD)
    qtbot.wait(HOLD_TO_START_MS + 300)
    assert not window.speech.on
    hold_five(qtbot, window)
    assert window.speech.on
    heard = said(window)
    assert heard[:2] == [
        "Audio mode is on.",
        "Press 2 on the number pad for the next item, 5 to choose it, 0 for all the keys.",
    ]
    assert "What would you like to do?" in heard  # then the home screen, from the top
    at = heard.index("You are on:")  # and where focus is: the first service
    assert heard[at + 1 : at + 3] == ["button", "Start a blue badge application"]


def test_missed_bin_by_keypad_alone(qtbot: QtBot, window: KioskWindow) -> None:
    hold_five(qtbot, window)

    heard = next_until(qtbot, window, "Report a missed bin collection")
    assert heard == [
        "button",
        "Report a missed bin collection",
        "Tell us if your bin was not emptied on your collection day.",
    ]
    heard = pad(qtbot, window, "5")
    assert isinstance(window.current, StartScreen)
    assert heard[:2] == ["Back", "Report a missed bin collection"]
    assert heard[-3:] == ["You are on:", "button", "Start now"]

    heard = pad(qtbot, window, "5")  # Start now
    assert isinstance(window.current, QuestionScreen) and window.current.page.id == "which-bin"
    assert heard[:2] == ["Back", "Which bin was not collected?"]
    assert heard[-6:] == [
        "You are on:",
        "radio button",
        "General waste (black bin)",
        "not selected",
        "1 of 4",
        "Which bin was not collected?",
    ]
    # 2 steps through every option of the radio group (Tab alone would leave the group), 8 steps back.
    assert pad(qtbot, window, "2")[:4] == ["radio button", "Recycling (blue bin)", "not selected", "2 of 4"]
    assert pad(qtbot, window, "2")[:4] == ["radio button", "Garden waste (green bin)", "not selected", "3 of 4"]
    assert pad(qtbot, window, "2")[:4] == ["radio button", "Food waste (caddy)", "not selected", "4 of 4"]
    assert pad(qtbot, window, "8")[:4] == ["radio button", "Garden waste (green bin)", "not selected", "3 of 4"]
    assert pad(qtbot, window, "8")[:4] == ["radio button", "Recycling (blue bin)", "not selected", "2 of 4"]
    assert pad(qtbot, window, "5")[:4] == ["radio button", "Recycling (blue bin)", "selected", "2 of 4"]
    assert pad(qtbot, window, "6")[:3] == ["radio button", "Recycling (blue bin)", "selected"]  # repeat
    assert next_until(qtbot, window, "Continue") == ["button", "Continue"]

    # Continue with nothing else: the next page. Its date boxes are typed on the keyboard's top row.
    heard = pad(qtbot, window, "5")
    assert window.current.page.id == "when"
    assert "When should it have been collected?" in heard and "Day, Month, Year" in heard
    assert on(heard)[:3] == ["edit text", "When should it have been collected?: Day", "blank"]

    # An error is said the moment it appears: Continue with the boxes empty.
    next_until(qtbot, window, "Continue")
    heard = pad(qtbot, window, "5")
    assert heard[:2] == ["There is a problem", "Enter a date"], heard
    for part, value in (("Day", MISSED_BIN_DAY.day), ("Month", MISSED_BIN_DAY.month), ("Year", MISSED_BIN_DAY.year)):
        heard = next_until(qtbot, window, f": {part}")
        type_words(qtbot, str(value))
    heard = pad(qtbot, window, "5")  # 5 in a box says what is in it (private: headphones are configured)
    assert heard == ["edit text", "When should it have been collected?: Year", str(MISSED_BIN_DAY.year)]
    next_until(qtbot, window, "Continue")
    heard = pad(qtbot, window, "5")
    assert window.current.page.id == "postcode", heard
    assert on(heard) == ["edit text", "What is the postcode of the property?", "blank", "For example, LS1 4AP"]
    type_words(qtbot, "LS1 4AP")
    assert said(window)[-1] == "P"  # each character typed is echoed
    next_until(qtbot, window, "Continue")
    pad(qtbot, window, "5")
    assert window.current.page.id == "address"
    type_words(qtbot, "12 Park Row")
    next_until(qtbot, window, "Continue")
    pad(qtbot, window, "5")
    assert window.current.page.id == "name"
    type_words(qtbot, "Ada Lovelace")
    next_until(qtbot, window, "Continue")
    pad(qtbot, window, "5")
    assert window.current.page.id == "contact"
    next_until(qtbot, window, "Continue")
    heard = pad(qtbot, window, "5")

    # Check answers, row by row: question, answer, Change.
    assert isinstance(window.current, CheckAnswersScreen)
    at = heard.index("What is the postcode of the property?")
    assert heard[at : at + 3] == ["What is the postcode of the property?", "LS1 4AP", "Change"]
    assert heard.index("Check your answers before sending") < at < heard.index("Accept and send")
    heard = next_until(qtbot, window, "Accept and send")
    heard = pad(qtbot, window, "5")

    assert isinstance(window.current, ConfirmationScreen)
    reference = window.current.reference
    assert heard[:3] == ["Request saved", "Your reference is", spelt(reference)]
    assert spelt(reference) == ", ".join(" ".join(group) for group in reference.split("-"))
    assert heard.count(spelt(reference)) == 1
    heard = pad(qtbot, window, "7")  # read the screen again: the reference too
    assert spelt(reference) in heard
    assert pad(qtbot, window, "6") == heard  # and 6 repeats it


def test_a_checkbox_question_by_keypad(qtbot: QtBot, window: KioskWindow) -> None:
    hold_five(qtbot, window)
    next_until(qtbot, window, "Request a bulky waste collection")
    pad(qtbot, window, "5")
    pad(qtbot, window, "5")  # Start now
    assert window.current.page.id == "items"
    heard = said(window)
    at = heard.index("You are on:")
    assert heard[at + 1 : at + 5] == ["checkbox", "Sofa or armchair", "not ticked", "1 of 7"]
    assert pad(qtbot, window, "5")[:4] == ["checkbox", "Sofa or armchair", "ticked", "1 of 7"]
    assert pad(qtbot, window, "2")[:4] == ["checkbox", "Mattress or bed frame", "not ticked", "2 of 7"]
    assert pad(qtbot, window, "2")[:4] == ["checkbox", "Fridge or freezer", "not ticked", "3 of 7"]
    assert pad(qtbot, window, "5")[:3] == ["checkbox", "Fridge or freezer", "ticked"]
    assert pad(qtbot, window, "5")[:3] == ["checkbox", "Fridge or freezer", "not ticked"]  # 5 again unticks
    assert pad(qtbot, window, "5")[:3] == ["checkbox", "Fridge or freezer", "ticked"]
    screen = window.current
    assert isinstance(screen, QuestionScreen)
    boxes = screen.inputs["items"].boxes  # type: ignore[attr-defined]
    assert [b.accessibleName() for b in boxes if b.isChecked()] == ["Sofa or armchair", "Fridge or freezer"]
    next_until(qtbot, window, "Continue")
    heard = pad(qtbot, window, "5")
    assert window.current.page.id != "items", heard


def test_4_goes_back_and_0_says_the_keys(qtbot: QtBot, window: KioskWindow) -> None:
    hold_five(qtbot, window)
    next_until(qtbot, window, "Report a missed bin collection")
    pad(qtbot, window, "5")
    assert isinstance(window.current, StartScreen)
    heard = pad(qtbot, window, "4")
    assert window.current.objectName() == "home"
    assert "What would you like to do?" in heard
    heard = pad(qtbot, window, "0")
    assert heard[0] == "Audio mode keys, on the number pad."
    assert any("2: next item" in p for p in heard)
    assert pad(qtbot, window, "4") == ["There is no Back on this screen."]
