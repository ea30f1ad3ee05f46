"""Get help, as a citizen and as staff: real widgets on a real SQLite file (no portal here; see
tests/integration/test_help_requests.py for the request over real HTTP)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from local_store import WriteFailed
from tests.ui.staff.test_staff import PIN, sign_in
from tests.ui.test_wipe import CANARY, type_canary_journey
from ui.staff import ConsoleScreen
from ui.window import KioskWindow


def _help_button(window: KioskWindow) -> QPushButton:
    found = window.findChild(QPushButton, "get-help")
    assert found is not None, "no Get help button in the banner"
    return found


def _card_text(window: KioskWindow) -> str:
    return " ".join(w.text() for w in window.help.card.findChildren(QLabel) if w.isVisible())


def test_get_help_asks_staff_and_keeps_the_page_and_answers(qtbot: QtBot, window: KioskWindow) -> None:
    type_canary_journey(qtbot, window)
    screen = window.current
    get_help = _help_button(window)
    assert get_help.accessibleName() == "Get help" and get_help.height() >= 44 and get_help.width() >= 44
    qtbot.mouseClick(get_help, Qt.MouseButton.LeftButton)
    words = _card_text(window)
    assert "We have asked a member of staff to come and help you." in words
    assert "Your answers are kept while you wait, for up to 10 minutes." in words
    assert "Staff at this kiosk will see your request" in words  # offline: nothing said of the building
    assert "have been told" not in words
    [request] = window.kiosk.store.help.open()
    assert request.journey_id == "missed-bin" and request.delivered_at is None
    back = window.findChild(QPushButton, "help-back")
    assert QApplication.focusWidget() is back and back.height() >= 44
    qtbot.keyClick(back, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is back  # Tab stays on the card (its only control)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert not window.help.card.isVisible()
    assert window.current is screen and CANARY in screen.reading_text() and window.session.progress is not None
    assert QApplication.focusWidget() is get_help  # back where they were
    qtbot.mouseClick(get_help, Qt.MouseButton.LeftButton)  # asked again: the same request, not a second
    assert len(window.kiosk.store.help.open()) == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not window.help.card.isVisible() and window.current is screen


def test_get_help_on_the_home_screen(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.mouseClick(_help_button(window), Qt.MouseButton.LeftButton)
    [request] = window.kiosk.store.help.open()
    assert request.journey_id is None


def test_a_request_that_was_not_recorded_is_not_said_to_be_asked(
    qtbot: QtBot, window: KioskWindow, monkeypatch
) -> None:
    def fail(journey_id: str | None) -> None:
        raise WriteFailed("could not write to the database: disk I/O error", "disk_io")

    monkeypatch.setattr(window.kiosk.store.help, "ask", fail)
    qtbot.mouseClick(_help_button(window), Qt.MouseButton.LeftButton)
    words = _card_text(window)
    assert "could not be recorded" in words and "We have asked" not in words


def test_the_request_shows_on_the_staff_console_until_dealt_with(qtbot: QtBot, window: KioskWindow) -> None:
    window.kiosk.staff.add("amy", "Amy Khan", PIN)
    window.open_journey("missed-bin", 1)
    window.current.findChild(QPushButton, "start-now").click()
    qtbot.mouseClick(_help_button(window), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.findChild(QPushButton, "help-back"), Qt.MouseButton.LeftButton)
    sign_in(qtbot, window)
    window.staff.show_console()
    console = window.current
    assert isinstance(console, ConsoleScreen)
    [request] = window.kiosk.store.help.open()
    assert "Help asked for (1)" in console.reading_text()
    assert "Report a missed bin" in console.reading_text() and "shown on this kiosk only" in console.reading_text()
    done = console.findChild(QPushButton, f"help-done-{request.id}")
    assert done.accessibleName() and done.height() >= 44
    qtbot.mouseClick(done, Qt.MouseButton.LeftButton)
    assert window.kiosk.store.help.open() == []
    assert "Help asked for (0)" in window.current.reading_text()
    entries = [e for e in window.kiosk.store.audit.entries() if e["action"] == "help_dealt_with"]
    assert [e["staff_id"] for e in entries] == ["amy"]


def test_the_answers_are_kept_while_the_citizen_waits_for_staff(qtbot: QtBot, window: KioskWindow) -> None:
    """The card says the answers are kept: the time-out must not wipe them after the usual minute."""
    type_canary_journey(qtbot, window)
    usual = window.idle.quiet_ms
    qtbot.mouseClick(_help_button(window), Qt.MouseButton.LeftButton)
    assert window.idle.quiet_left_ms > 9 * 60_000 > usual
    qtbot.mouseClick(window.help.card, Qt.MouseButton.LeftButton)  # a touch while waiting: still the long wait
    assert window.idle.quiet_left_ms > 9 * 60_000
    qtbot.mouseClick(window.findChild(QPushButton, "help-back"), Qt.MouseButton.LeftButton)
    assert 0 < window.idle.quiet_left_ms <= usual * 1.1  # back on the page: the usual time-out (a coarse timer)


def test_a_request_the_portal_refused_promises_nothing_of_the_building(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.mouseClick(_help_button(window), Qt.MouseButton.LeftButton)
    [request] = window.kiosk.store.help.open()
    window.kiosk.store.help.mark_refused(request.id)
    window.help.refresh(online=True)
    words = _card_text(window)
    assert "Staff at this kiosk will see your request." in words
    assert "building" not in words  # neither "have been told" nor "will be told when it can"
