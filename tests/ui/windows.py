"""The kiosk window as the screen tests open it: 1280x1000, shown and active."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.kiosk import Kiosk
from ui.window import KioskWindow


def open_window(qtbot: QtBot, kiosk: Kiosk) -> KioskWindow:
    w = KioskWindow(kiosk)
    qtbot.addWidget(w)
    w.resize(1280, 1000)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w
