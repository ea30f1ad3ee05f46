"""Start again asks first when the citizen has entered something, and just starts again when not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from tests.ui.test_wipe import CANARY, type_canary_journey
from ui.screens import CheckAnswersScreen, HomeScreen
from ui.window import KioskWindow


def _start_again(window: KioskWindow) -> QPushButton:
    return window.findChild(QPushButton, "start-again-top")


def _confirm(window: KioskWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, f"no {name} button"
    return found


def test_start_again_during_a_journey_asks_first(qtbot: QtBot, window: KioskWindow) -> None:
    type_canary_journey(qtbot, window)
    screen = window.current
    qtbot.mouseClick(_start_again(window), Qt.MouseButton.LeftButton)
    assert window.current is screen and window.session.progress is not None  # not yet
    yes, no = _confirm(window, "confirm-clear"), _confirm(window, "confirm-go-back")
    assert yes.isVisible() and no.isVisible()
    assert "Clear your answers and start again?" in window.start_again_dialog.accessibleName()
    assert (yes.accessibleName(), no.accessibleName()) == ("Yes, clear my answers", "No, go back")
    assert QApplication.focusWidget() is no  # the safe choice has the focus
    for b in (yes, no):
        assert b.width() >= 44 and b.height() >= 44
    qtbot.keyClick(no, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is yes  # reachable by keys, and Tab stays in the question
    qtbot.keyClick(yes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is no
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert not window.start_again_dialog.isVisible()
    assert window.current is screen and CANARY in screen.reading_text()
    qtbot.mouseClick(_start_again(window), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_confirm(window, "confirm-clear"), Qt.MouseButton.LeftButton)
    assert isinstance(window.current, HomeScreen) and window.session.progress is None
    assert not window.start_again_dialog.isVisible()


def test_escape_is_no(qtbot: QtBot, window: KioskWindow) -> None:
    type_canary_journey(qtbot, window)
    screen = window.current
    window.locked = True  # in the locked kiosk Escape is otherwise swallowed
    _start_again(window).click()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not window.start_again_dialog.isVisible()
    assert window.current is screen and isinstance(screen, CheckAnswersScreen)
    assert window.session.progress is not None


def test_something_typed_on_the_first_page_counts(qtbot: QtBot, window: KioskWindow) -> None:
    window.open_journey("missed-bin", 1)
    window.current.findChild(QPushButton, "start-now").click()
    window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
    _start_again(window).click()
    assert window.start_again_dialog.isVisible()


def test_nothing_entered_just_starts_again(qtbot: QtBot, window: KioskWindow) -> None:
    window.set_text_scale(2)
    _start_again(window).click()
    assert not window.start_again_dialog.isVisible()
    assert isinstance(window.current, HomeScreen) and window.scale_index == 0
    window.open_journey("missed-bin", 1)
    window.current.findChild(QPushButton, "start-now").click()  # a question page, nothing typed yet
    _start_again(window).click()
    assert not window.start_again_dialog.isVisible() and isinstance(window.current, HomeScreen)
