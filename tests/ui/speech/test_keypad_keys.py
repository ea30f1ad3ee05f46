"""The keypad's keys mean the same with Num Lock on or off, and the digits above the letters still type."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.speech.keypad import KEYS, Action, action_for
from ui.window import KioskWindow

PAD = Qt.KeyboardModifier.KeypadModifier


@pytest.mark.parametrize("action", list(Action))
def test_every_action_has_a_key_and_each_of_its_keys_means_it_only_on_the_keypad(action: Action) -> None:
    assert KEYS[action]
    for key in KEYS[action]:
        assert action_for(QKeyEvent(QEvent.Type.KeyPress, key, PAD)) is action
        assert action_for(QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)) is None


def test_no_key_means_two_things() -> None:
    every = [key for keys in KEYS.values() for key in keys]
    assert len(every) == len(set(every))


def test_num_lock_off_moves_the_same_way(qtbot: QtBot, window: KioskWindow) -> None:
    window.speech.start()
    first = QApplication.focusWidget()
    qtbot.keyClick(first, Qt.Key.Key_Down, PAD)  # the 2 key with Num Lock off
    second = QApplication.focusWidget()
    assert second is not first
    qtbot.keyClick(second, Qt.Key.Key_Up, PAD)  # the 8 key
    assert QApplication.focusWidget() is first


def test_the_digits_above_the_letters_still_type_in_audio_mode(qtbot: QtBot, window: KioskWindow) -> None:
    window.open_journey("missed-bin", 1)
    window._begin(window.kiosk.journey("missed-bin", 1))  # type: ignore[arg-type]
    window.answer({"bin-type": "general"})
    window.speech.start()
    day = QApplication.focusWidget()
    assert isinstance(day, QLineEdit)
    qtbot.keyClicks(day, "27")  # no keypad modifier: typed
    assert day.text() == "27"
    qtbot.keyClick(day, Qt.Key.Key_2, PAD)  # the keypad's 2: the next item, nothing typed
    assert day.text() == "27" and QApplication.focusWidget() is not day
