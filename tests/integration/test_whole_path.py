"""The whole path through real parts: the reference portal over loopback HTTP, a real SQLite
file, the real sync code on its QThread, and the real Qt screens driven with qtbot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from tests.helpers import MISSED_BIN_DAY, MISSED_BIN_DAY_TEXT, enrolled_kiosk
from ui.app import start_sync
from ui.screens import CheckAnswersScreen, ConfirmationScreen, HomeScreen, QuestionScreen
from ui.window import KioskWindow

pytestmark = pytest.mark.integration


def click(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    assert window.current is not None
    widget = window.current.findChild(QPushButton, name) or window.findChild(QPushButton, name)
    assert widget is not None, f"no button {name} on {window.current.objectName()}"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, window: KioskWindow, name: str, text: str) -> None:
    assert window.current is not None
    edit = window.current.findChild(QLineEdit, name)
    assert edit is not None, f"no field {name}"
    edit.clear()
    qtbot.keyClicks(edit, text)


def complete_missed_bin(qtbot: QtBot, window: KioskWindow) -> str:
    """Home, every question, check answers, send. Returns the reference shown."""
    assert isinstance(window.current, HomeScreen)
    click(qtbot, window, "tile-missed-bin")
    click(qtbot, window, "start-now")
    assert isinstance(window.current, QuestionScreen)
    radio = window.current.findChild(QRadioButton, "bin-type-recycling")
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
    click(qtbot, window, "continue")
    # a typo first: the page says what is wrong and keeps the citizen there
    type_into(qtbot, window, "collection-date-day", "31")
    type_into(qtbot, window, "collection-date-month", "2")
    type_into(qtbot, window, "collection-date-year", "2026")
    click(qtbot, window, "continue")
    assert window.current.objectName() == "page-when"
    assert "There is a problem" in window.current.reading_text()
    assert "Date must be a real date" in window.current.reading_text()
    type_into(qtbot, window, "collection-date-day", str(MISSED_BIN_DAY.day))
    type_into(qtbot, window, "collection-date-month", str(MISSED_BIN_DAY.month))
    type_into(qtbot, window, "collection-date-year", str(MISSED_BIN_DAY.year))
    click(qtbot, window, "continue")
    type_into(qtbot, window, "postcode", "ls14ap")
    click(qtbot, window, "continue")
    type_into(qtbot, window, "address-line", "12 Park Row")
    click(qtbot, window, "continue")
    type_into(qtbot, window, "full-name", "Ada Lovelace")
    click(qtbot, window, "continue")
    click(qtbot, window, "continue")  # email is optional
    assert isinstance(window.current, CheckAnswersScreen)
    text = window.current.reading_text()
    assert "LS1 4AP" in text and MISSED_BIN_DAY_TEXT in text and "Recycling (blue bin)" in text
    click(qtbot, window, "send")
    assert isinstance(window.current, ConfirmationScreen)
    return window.current.reference


def test_online_submission_reaches_the_portal_once(qtbot: QtBot, tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    sync = start_sync(kiosk, window, interval_ms=60_000)
    try:
        qtbot.waitUntil(lambda: window.online, timeout=10_000)  # the sync thread runs: its first status came
        reference = complete_missed_bin(qtbot, window)
        confirmation = window.current
        assert isinstance(confirmation, ConfirmationScreen)
        qtbot.waitUntil(lambda: confirmation.sent, timeout=10_000)
        assert "Sent to the training portal" in confirmation.banner.text()
    finally:
        sync.stop()
    cases = portal.export()
    assert [c["reference"] for c in cases] == [reference]
    assert cases[0]["journey_id"] == "missed-bin" and cases[0]["training"] is True
    # the citizen's answers are gone from the kiosk once delivered
    item = kiosk.store.outbox.items()[0]
    assert item.state == "delivered" and kiosk.store.outbox.answers(item.submission_id) is None
    kiosk.close()


def test_offline_submission_waits_then_is_delivered_exactly_once(qtbot: QtBot, tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    portal.stop()  # the building's connection goes down

    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    sync = start_sync(kiosk, window, interval_ms=200)
    try:
        # the sync thread runs: its first status says what it found
        qtbot.waitUntil(lambda: window.connection.text().startswith("Offline"), timeout=10_000)
        reference = complete_missed_bin(qtbot, window)
        confirmation = window.current
        assert isinstance(confirmation, ConfirmationScreen)
        assert reference.startswith("TRN-")
        assert "It will be sent when the connection is back" in confirmation.banner.text()
        assert reference in confirmation.banner.text()
        qtbot.waitUntil(lambda: "1 waiting" in window.connection.text(), timeout=10_000)
        assert kiosk.store.outbox.counts().waiting == 1

        portal.start()  # same port, same database: the connection is back
        qtbot.waitUntil(lambda: confirmation.sent, timeout=60_000)
    finally:
        sync.stop()
    cases = portal.export()
    assert [c["reference"] for c in cases] == [reference]
    assert kiosk.store.outbox.counts().by_state["delivered"] == 1
    kiosk.close()
