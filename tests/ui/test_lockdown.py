"""A locked kiosk window cannot be closed or left by a citizen; --windowed can."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.window import KioskWindow


def test_locked_window_refuses_to_close_and_swallows_escape_alt_f4_and_menus(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk, locked=True)
    qtbot.addWidget(window)
    window.show()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.close() is False and window.isVisible()
    search = window.current.findChild(QLineEdit, "search")
    for key, mods in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ):
        event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
        assert window.eventFilter(search, event) is True
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), search.mapToGlobal(QPoint(5, 5)))
    assert window.eventFilter(search, menu) is True
    QApplication.sendEvent(search, menu)  # no menu appears: nothing but the window is on screen
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    window.allow_close = True  # what staff sign-out and the service stopping do
    assert window.close() is True


def test_windowed_mode_closes_normally(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk, locked=False)
    qtbot.addWidget(window)
    window.show()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.close() is True
