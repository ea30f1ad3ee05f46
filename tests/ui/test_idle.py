"""The idle time-out (WCAG 2.2.1), through IdleTimer's public interface: warn at least 20 s ahead,
count down, let the citizen extend, and leave no timer running when there is nothing to protect."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_wipe import CANARY, type_canary_journey
from ui.window import KioskWindow


def test_i_need_more_time_keeps_the_answers(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk, idle_timeout_s=21, idle_warning_s=20)
    qtbot.addWidget(window)
    window.show()
    type_canary_journey(qtbot, window)
    screen = window.current
    window.idle.warn_now()
    assert (
        window.idle.counting
        and window.idle_warning.isVisible()
        and "20 seconds" in window.idle_warning.countdown.text()
    )
    qtbot.mouseClick(window.idle_warning.button, Qt.MouseButton.LeftButton)
    assert not window.idle_warning.isVisible()
    assert window.current is screen and CANARY in window.current.reading_text()
    assert window.idle.waiting and not window.idle.counting


def test_the_warning_comes_at_least_20_seconds_before_the_end(kiosk, qtbot: QtBot) -> None:
    window = KioskWindow(kiosk, idle_timeout_s=90, idle_warning_s=5)  # too short a warning is raised
    qtbot.addWidget(window)
    assert window.idle.warning_s == 20
    window.open_journey("missed-bin", 1)
    assert window.idle.waiting and window.idle.quiet_ms == 70_000


def test_a_fresh_home_screen_has_no_timer(kiosk, qtbot: QtBot) -> None:
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    assert not window.idle.waiting
    window.open_journey("missed-bin", 1)
    assert window.idle.waiting


def test_the_countdown_says_the_seconds_left_and_wipes_at_nought(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk, idle_timeout_s=21, idle_warning_s=20)
    qtbot.addWidget(window)
    window.open_journey("missed-bin", 1)
    window.current.start_button.click()  # a question page: something to protect
    expired: list[bool] = []
    window.idle.expired.connect(lambda: expired.append(True))
    window.idle.warn_now(seconds=3)
    window.idle.tick()
    assert window.idle.seconds_left == 2 and "2 seconds" in window.idle_warning.countdown.text()
    window.idle.tick()
    assert not expired and window.session.progress is not None
    window.idle.tick()
    assert expired and window.session.progress is None and window.current.objectName() == "home"
    assert not window.idle.waiting and not window.idle.counting  # a fresh home screen: no timer left


def test_a_pristine_home_screen_is_never_warned_about(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    window.idle.warn_now()
    assert not window.idle.counting and not window.idle_warning.isVisible()


def _warned_on_check_answers(qtbot: QtBot, kiosk) -> KioskWindow:
    window = KioskWindow(kiosk, idle_timeout_s=21, idle_warning_s=20)
    qtbot.addWidget(window)
    window.resize(1280, 1000)
    window.show()
    type_canary_journey(qtbot, window)
    window.idle.warn_now()
    assert window.idle_warning.isVisible()
    return window


def test_a_tap_anywhere_on_the_screen_counts_as_being_there(qtbot: QtBot, kiosk) -> None:
    """Not only the button: a tap on the page under the warning keeps the session."""
    window = _warned_on_check_answers(qtbot, kiosk)
    screen = window.current
    qtbot.mouseClick(screen, Qt.MouseButton.LeftButton)  # a blank part of the page, under the warning
    assert not window.idle_warning.isVisible() and not window.idle.counting
    assert window.current is screen and CANARY in window.current.reading_text()
    assert window.idle.waiting  # the quiet spell starts again


def test_a_tap_on_a_control_under_the_warning_only_dismisses_it(qtbot: QtBot, kiosk) -> None:
    """The tap says "I am here"; it must not also press what lies beneath (here: Accept and send)."""
    window = _warned_on_check_answers(qtbot, kiosk)
    screen = window.current
    qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    assert not window.idle_warning.isVisible()
    assert window.current is screen and window.session.progress is not None  # nothing was sent
    assert kiosk.store.outbox.counts().waiting == 0


def test_a_touch_anywhere_counts_as_being_there(qtbot: QtBot, kiosk) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    window = _warned_on_check_answers(qtbot, kiosk)
    screen = window.current
    device = QTest.createTouchDevice()
    QTest.touchEvent(window, device).press(0, QPoint(40, 600)).commit()
    QTest.touchEvent(window, device).release(0, QPoint(40, 600)).commit()
    assert not window.idle_warning.isVisible()
    assert window.current is screen and window.session.progress is not None


def test_the_warning_says_the_answers_will_be_cleared(qtbot: QtBot, kiosk) -> None:
    window = _warned_on_check_answers(qtbot, kiosk)
    words = window.idle_warning.countdown.text()
    assert "your answers will be cleared" in words and "20 seconds" in words


def test_with_no_answers_the_warning_does_not_speak_of_answers(qtbot: QtBot, kiosk) -> None:
    window = KioskWindow(kiosk, idle_timeout_s=21, idle_warning_s=20)
    qtbot.addWidget(window)
    window.set_text_scale(2)  # not pristine (the next citizen must get 100%), but nothing entered
    window.idle.warn_now()
    words = window.idle_warning.countdown.text()
    assert "this screen will be reset in 20 seconds" in words and "answers" not in words
