"""The staff screens cannot be reached without signing in: every control and every key the tests
can enumerate, on every citizen screen (the accessibility walker's screen list, plus check
progress and the sign-in screen itself), is pressed, and no staff screen ever appears."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_accessibility import SCREENS
from ui.staff import LONG_PRESS_MS, STAFF_SCREENS, ConsoleScreen, CorrectScreen, ItemScreen, SignInScreen
from ui.window import KioskWindow

PIN = "482915"
CITIZEN_SCREENS: dict[str, Callable[[KioskWindow], object]] = {
    **SCREENS,
    "check-progress": lambda w: w.staff.show_check_progress(),
    "staff-sign-in": lambda w: w.staff.open_sign_in(),
}
LETTERS = [getattr(Qt.Key, f"Key_{c}") for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]
PLAIN_KEYS = [
    *(getattr(Qt.Key, f"Key_F{i}") for i in range(1, 13)),
    Qt.Key.Key_Escape,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Space,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Menu,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Delete,
]
CTRL, ALT, SHIFT, META = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.MetaModifier,
)
MODIFIERS = [CTRL, ALT, CTRL | SHIFT, ALT | SHIFT, CTRL | ALT, CTRL | ALT | SHIFT, META]
SIGN_IN = (Qt.Key.Key_S, CTRL | ALT)


def name(window: KioskWindow) -> str:
    return window.current.objectName() if window.current is not None else ""


def staff_reached(window: KioskWindow) -> bool:
    return (
        name(window) in STAFF_SCREENS
        or bool(
            window.findChildren(ConsoleScreen) + window.findChildren(ItemScreen) + window.findChildren(CorrectScreen)
        )
        or window.staff.signed_in
        or window.staff.bar.isVisible()
    )


def controls(window: KioskWindow) -> list[QWidget]:
    """Every control a citizen can press or type into, banner included, in a stable order."""
    found: list[QWidget] = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QPlainTextEdit) and w.isVisible() and w.isEnabled()
    ]
    return found


def reset(window: KioskWindow) -> None:
    """What Start again does to the session and screens, without restyling (which is slow)."""
    window.session.wipe()
    window.receipt = None
    window.idle.stop()
    window.show_home()


def press(qtbot: QtBot, widget: QWidget) -> None:
    if isinstance(widget, QAbstractButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        widget.setFocus()
        qtbot.keyClicks(widget, "1")
        qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def staffed(window: KioskWindow) -> KioskWindow:
    window.kiosk.staff.add("amy", "Amy Khan", PIN)
    window.online = True
    return window


@pytest.mark.parametrize("screen", list(CITIZEN_SCREENS))
def test_no_control_on_a_citizen_screen_opens_a_staff_screen(qtbot: QtBot, staffed: KioskWindow, screen: str) -> None:
    window = staffed
    CITIZEN_SCREENS[screen](window)
    count = len(controls(window))
    assert count > 0
    pressed = []
    shown = window.current
    for i in range(count):
        if window.current is not shown or window.idle_warning.isVisible() or window.help.card.isVisible():
            reset(window)  # the last press moved on: come back to the screen under test
            CITIZEN_SCREENS[screen](window)
            QApplication.processEvents()
            shown = window.current
        now = controls(window)
        if i >= len(now):
            break
        target = now[i]
        pressed.append(target.objectName() or target.accessibleName())
        press(qtbot, target)
        window.staff.wait_for_checks()  # a status check runs on its own thread
        QApplication.processEvents()
        assert not staff_reached(window), f"{pressed[-1]} on {screen} reached {name(window)}"
    assert len(pressed) == count


@pytest.mark.parametrize("screen", list(CITIZEN_SCREENS))
def test_no_key_on_a_citizen_screen_opens_a_staff_screen(qtbot: QtBot, staffed: KioskWindow, screen: str) -> None:
    window = staffed
    keys = [(k, Qt.KeyboardModifier.NoModifier) for k in PLAIN_KEYS]
    keys += [(k, m) for m in MODIFIERS for k in LETTERS + PLAIN_KEYS if (k, m) != SIGN_IN]
    window.start_again()
    CITIZEN_SCREENS[screen](window)
    for key, mods in keys:  # wherever the keys lead, it is never a staff screen
        target = QApplication.focusWidget() or window
        qtbot.keyClick(target, key, mods)
        assert not staff_reached(window), f"{mods} {key} on {screen} reached {name(window)}"


def test_the_only_shortcut_is_the_sign_in_gate_and_it_asks_for_a_pin(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    shortcuts = window.findChildren(QShortcut)
    assert [s.key().toString() for s in shortcuts] == ["Ctrl+Alt+S"]
    assert [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()] == []
    mnemonics = [b.objectName() for b in window.findChildren(QAbstractButton) if not b.shortcut().isEmpty()]
    assert mnemonics == []
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_S, CTRL | ALT)
    assert isinstance(window.current, SignInScreen) and not staff_reached(window)


def test_the_long_press_is_the_same_gate_and_a_short_tap_does_nothing(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    title = window.title
    gate = window.staff.gate
    qtbot.mousePress(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert gate.pressing and 0 < gate.remaining_ms() <= LONG_PRESS_MS  # the long press is under way
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not gate.pressing  # a short tap: released before the time, nothing left to fire
    qtbot.wait(LONG_PRESS_MS + 300)  # longer than a long press: had the tap started one, it would show
    assert name(window) == "home" and not staff_reached(window)
    qtbot.mousePress(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(lambda: isinstance(window.current, SignInScreen), timeout=5000)
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not staff_reached(window)


def test_the_staff_screens_refuse_to_open_without_sign_in(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    saved = window.kiosk.store.outbox.submit("missed-bin", 1, {"bin-type": "general"})
    window.kiosk.store.outbox.mark_needs_attention(saved.submission_id, "invalid_answers", "no")
    window.staff.show_console()
    window.staff.show_item(saved.submission_id)
    window.staff.show_correct(saved.submission_id)
    window.staff.sync_now()
    window.staff.close_kiosk()
    assert not staff_reached(window) and window.isVisible()
    assert not [e for e in window.kiosk.store.audit.entries() if e["action"].startswith("staff_viewed")]


def test_wrong_pins_at_the_gate_never_open_the_console(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    window.staff.open_sign_in()
    for staff_id, pin in (("amy", ""), ("amy", "000000"), ("", PIN), ("AMY", PIN), ("amy ", PIN + "0")):
        screen = window.current
        assert isinstance(screen, SignInScreen)
        screen.staff_id.setText(staff_id)
        qtbot.keyClicks(screen.pin, pin)
        qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
        assert not staff_reached(window)
