"""After a citizen's session ends, nothing they typed is left: not in any widget, not on the
clipboard, not in the session object. Checked after Start again, Finish and the idle time-out."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers import MISSED_BIN_DAY
from ui.screens import CheckAnswersScreen, ConfirmationScreen, HomeScreen
from ui.window import KioskWindow

CANARY = "Zebedee-Quonk-7731"


def texts_of(w: QWidget) -> list[str]:
    found = [w.accessibleName(), w.accessibleDescription(), w.toolTip(), w.windowTitle(), w.statusTip()]
    for getter in ("text", "toPlainText", "placeholderText"):
        method = getattr(w, getter, None)
        if callable(method):
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str):
                found.append(value)
    return found


def canary_anywhere(window: KioskWindow) -> list[str]:
    places = []
    for w in QApplication.allWidgets():
        if any(CANARY.casefold() in t.casefold() for t in texts_of(w)):
            places.append(f"{type(w).__name__} {w.objectName()}")
    if CANARY in QGuiApplication.clipboard().text():
        places.append("clipboard")
    state: dict[str, Any] = dict(vars(window.session))
    if window.session.progress is not None:
        state |= vars(window.session.progress)
    if CANARY in repr(state):
        places.append("session")
    return places


def type_canary_journey(qtbot: QtBot, window: KioskWindow) -> None:
    """The missed-bin journey with the canary as name and street, up to check answers."""
    window.open_journey("missed-bin", 1)
    window.current.findChild(QPushButton, "start-now").click()
    window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
    window.current.continue_button.click()
    for name, value in (
        ("collection-date-day", str(MISSED_BIN_DAY.day)),
        ("collection-date-month", str(MISSED_BIN_DAY.month)),
        ("collection-date-year", str(MISSED_BIN_DAY.year)),
    ):
        window.current.findChild(QLineEdit, name).setText(value)
    window.current.continue_button.click()
    window.current.findChild(QLineEdit, "postcode").setText("LS1 4AP")
    window.current.continue_button.click()
    qtbot.keyClicks(window.current.findChild(QLineEdit, "address-line"), f"1 {CANARY} Street")
    window.current.continue_button.click()
    qtbot.keyClicks(window.current.findChild(QLineEdit, "full-name"), CANARY)
    window.current.continue_button.click()
    window.current.continue_button.click()
    assert isinstance(window.current, CheckAnswersScreen)
    QGuiApplication.clipboard().setText(CANARY)  # as if they had copied their name
    assert canary_anywhere(window), "the test must see the canary before the wipe"


def wait_wiped(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.waitUntil(lambda: canary_anywhere(window) == [], timeout=5000)
    assert isinstance(window.current, HomeScreen)
    assert window.session.progress is None and window.session.facts == {}
    assert window.scale_index == 0 and not window.high_contrast and window.session.language == "en"
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize("how", ["start-again", "finish", "idle"])
def test_nothing_of_the_citizen_is_left(qtbot: QtBot, kiosk, how: str) -> None:
    window = KioskWindow(kiosk, idle_timeout_s=21, idle_warning_s=20)
    qtbot.addWidget(window)
    window.show()
    window.set_text_scale(2)
    window.set_high_contrast(True)
    window.set_language("ur")
    type_canary_journey(qtbot, window)
    if how == "start-again":
        window.findChild(QPushButton, "start-again-top").click()
        window.findChild(QPushButton, "confirm-clear").click()  # "Clear your answers and start again?"
    elif how == "finish":
        window.current.send_button.click()
        assert isinstance(window.current, ConfirmationScreen)
        window.current.finish_button.click()
    else:
        window.idle.restart(after_ms=10)  # the 1 s before the warning, shortened; the countdown is real
        qtbot.waitUntil(window.idle_warning.isVisible, timeout=2000)
        window.idle.seconds_left = 2
        qtbot.waitUntil(lambda: not window.idle_warning.isVisible(), timeout=5000)
    wait_wiped(qtbot, window)
