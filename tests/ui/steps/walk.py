"""Driving the pay and book journeys through the real window, as a citizen would (mouse and keys)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from ui.window import KioskWindow

PCN = "LS12345678"
EMAIL = "ada@example.com"
NAME = "Ada Lovelace"
PHONE = "0113 496 0000"


def press(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    assert window.current is not None
    found = window.current.findChild(QAbstractButton, name) or window.findChild(QPushButton, name)
    assert found is not None, f"no {name} on {window.current.objectName()}"
    assert found.isVisible() and found.isEnabled(), name
    qtbot.mouseClick(found, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, window: KioskWindow, name: str, text: str) -> None:
    assert window.current is not None
    edit = window.current.findChild(QLineEdit, name)
    assert edit is not None, f"no field {name} on {window.current.objectName()}"
    edit.clear()
    qtbot.keyClicks(edit, text)


def parking_fine_to_check_answers(
    qtbot: QtBot, window: KioskWindow, *, band: str = "higher", soon: bool = True
) -> None:
    press(qtbot, window, "tile-pay-parking-fine")
    press(qtbot, window, "start-now")
    type_into(qtbot, window, "pcn-number", PCN)
    press(qtbot, window, "continue")
    type_into(qtbot, window, "vehicle-registration", "AB12 CDE")
    press(qtbot, window, "continue")
    press(qtbot, window, f"band-{band}")
    press(qtbot, window, "continue")
    press(qtbot, window, "within-14-days-yes" if soon else "within-14-days-no")
    press(qtbot, window, "continue")
    assert window.current is not None and window.current.objectName() == "page-challenge"
    press(qtbot, window, "continue")
    type_into(qtbot, window, "email", EMAIL)
    press(qtbot, window, "continue")
    assert window.current is not None and window.current.objectName() == "check-answers"


def housing_to_appointment(qtbot: QtBot, window: KioskWindow) -> None:
    press(qtbot, window, "tile-housing-appointment")
    press(qtbot, window, "start-now")
    press(qtbot, window, "topic-repairs")
    press(qtbot, window, "continue")
    press(qtbot, window, "continue")  # about: optional


def housing_after_appointment(qtbot: QtBot, window: KioskWindow) -> None:
    press(qtbot, window, "needs-interpreter-no")
    press(qtbot, window, "continue")
    press(qtbot, window, "continue")  # access needs: optional
    type_into(qtbot, window, "phone", PHONE)
    press(qtbot, window, "continue")
    type_into(qtbot, window, "full-name", NAME)
    press(qtbot, window, "continue")
    press(qtbot, window, "continue")  # email: optional
    assert window.current is not None and window.current.objectName() == "check-answers"
