"""Touch: a page scrolls by dragging it (a finger, or a kiosk that delivers touch as the mouse),
a tap still presses what it lands on, the scrollbar is wide enough for a finger, a long page says
there is more below it, and the banner's buttons stay put when the text size changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_accessibility import check_answers, show_question_type
from ui.theme import MIN_TARGET_PX, TEXT_SCALES
from ui.window import KioskWindow


def scroll_area(window: KioskWindow) -> QScrollArea:
    assert window.current is not None
    found = window.current.findChild(QScrollArea)
    assert found is not None
    return found


def settle(qtbot: QtBot) -> None:
    QApplication.processEvents()
    qtbot.wait(10)


def drag_with_mouse(viewport: QWidget, at: QPoint, distance: int) -> None:
    """Press on what is at `at` in the viewport, move up by `distance` in small steps, release: a finger
    dragging the page up, as a kiosk's touchscreen that reports a mouse delivers it."""
    widget = viewport.childAt(at) or viewport
    start = widget.mapFrom(viewport, at)
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 21):
        QTest.mouseMove(widget, start - QPoint(0, distance * step // 20), 10)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start - QPoint(0, distance))


def start(viewport: QWidget) -> QPoint:
    """Where a drag starts in the page: inside the offscreen test platform's 800x600 screen, where Qt
    can find the widget under a point by its position on the screen (a real screen is larger)."""
    return QPoint(300, min(300, 560 - viewport.mapToGlobal(QPoint(0, 0)).y()))


@pytest.fixture
def long_page(qtbot: QtBot, window: KioskWindow) -> KioskWindow:
    window.resize(1280, 1024)
    window.set_text_scale(2)
    check_answers(window)
    settle(qtbot)
    assert scroll_area(window).verticalScrollBar().maximum() > 0
    return window


def test_dragging_the_page_with_the_mouse_scrolls_it(qtbot: QtBot, long_page: KioskWindow) -> None:
    bar = scroll_area(long_page).verticalScrollBar()
    before = bar.value()
    viewport = scroll_area(long_page).viewport()
    drag_with_mouse(viewport, start(viewport), 250)
    qtbot.waitUntil(lambda: bar.value() > before + 100)


def test_a_drag_that_starts_on_a_button_scrolls_and_does_not_press_it(qtbot: QtBot, long_page: KioskWindow) -> None:
    viewport = scroll_area(long_page).viewport()
    bar = scroll_area(long_page).verticalScrollBar()
    change = long_page.current.change_buttons[0]
    bar.setValue(bar.value() + change.mapTo(viewport, change.rect().center()).y() - start(viewport).y())
    settle(qtbot)
    before = bar.value()
    pressed: list[str] = []
    long_page.current.change.connect(pressed.append)
    drag_with_mouse(viewport, change.mapTo(viewport, change.rect().center()), 250)
    qtbot.waitUntil(lambda: bar.value() > before + 100)
    settle(qtbot)
    assert pressed == []
    assert not change.isDown()


def test_dragging_the_page_with_a_finger_scrolls_it(qtbot: QtBot, long_page: KioskWindow) -> None:
    device = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    bar = scroll_area(long_page).verticalScrollBar()
    before = bar.value()
    viewport = scroll_area(long_page).viewport()
    at = start(viewport)

    def touch(action: str, point: QPoint) -> None:  # to the window, where the touchscreen delivers it
        sequence = QTest.touchEvent(long_page, device)
        getattr(sequence, action)(0, viewport.mapTo(long_page, point)).commit()

    touch("press", at)
    for step in range(1, 21):
        touch("move", at - QPoint(0, 250 * step // 20))
        QTest.qWait(10)
    touch("release", at - QPoint(0, 250))
    qtbot.waitUntil(lambda: bar.value() > before + 100)


def test_a_tap_on_a_button_still_presses_it(qtbot: QtBot, long_page: KioskWindow) -> None:
    change = long_page.current.findChild(QPushButton, "change-bin-type")
    with qtbot.waitSignal(long_page.current.change):
        QTest.mouseClick(change, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, change.rect().center())


def test_a_tap_on_a_checkbox_still_ticks_it(qtbot: QtBot, window: KioskWindow) -> None:
    show_question_type(window, "checkboxes")
    settle(qtbot)
    box = window.current.findChildren(QCheckBox)[0]
    assert not box.isChecked()
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, box.height() // 2))
    qtbot.waitUntil(box.isChecked)


@pytest.mark.parametrize("theme", [False, True], ids=["default", "high-contrast"])
@pytest.mark.parametrize("scale", range(len(TEXT_SCALES)), ids=lambda i: f"{round(TEXT_SCALES[i] * 100)}%")
def test_the_scrollbar_is_wide_enough_for_a_finger(qtbot: QtBot, window: KioskWindow, scale: int, theme: bool) -> None:
    window.set_high_contrast(theme)
    window.set_text_scale(scale)
    check_answers(window)
    settle(qtbot)
    bar = scroll_area(window).verticalScrollBar()
    assert bar.isVisible()
    assert bar.width() >= MIN_TARGET_PX


def more_below(window: KioskWindow) -> QPushButton:
    assert window.current is not None
    cue = window.current.findChild(QPushButton, "more-below")
    assert cue is not None, "no 'more below' cue on the page"
    return cue


def test_a_long_page_says_there_is_more_below_until_its_end(qtbot: QtBot, long_page: KioskWindow) -> None:
    cue = more_below(long_page)
    qtbot.waitUntil(cue.isVisible)
    assert cue.accessibleName()
    assert cue.height() >= MIN_TARGET_PX
    bar = scroll_area(long_page).verticalScrollBar()
    before = bar.value()
    cue.click()  # a tap on the cue scrolls down a screenful
    qtbot.waitUntil(lambda: bar.value() > before + scroll_area(long_page).viewport().height() // 2)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not cue.isVisible())


def test_a_short_page_has_no_more_below_cue(qtbot: QtBot, window: KioskWindow) -> None:
    window.show_problem("We could not save this.")
    settle(qtbot)
    assert scroll_area(window).verticalScrollBar().maximum() == 0
    cue = window.current.findChild(QPushButton, "more-below")
    assert cue is None or not cue.isVisible()


def test_the_text_size_button_stays_where_it_is(qtbot: QtBot, window: KioskWindow) -> None:
    window.resize(1280, 1024)
    button = window.banner.text_size_button
    places = []
    for index in (0, 1, 2, 0):
        window.set_text_scale(index)
        settle(qtbot)
        places.append((button.mapTo(window, QPoint(0, 0)), button.size()))
    assert all(place == places[0] for place in places), places


def test_pressing_text_size_in_one_place_steps_through_every_size(qtbot: QtBot, window: KioskWindow) -> None:
    """A citizen presses the same spot again and again: every press lands on the button."""
    window.resize(1280, 1024)
    settle(qtbot)
    button = window.banner.text_size_button
    spot = button.mapTo(window, button.rect().center())
    seen = []
    for _ in range(len(TEXT_SCALES) * 2):
        target = window.childAt(spot)
        assert target is button, f"the press at {spot} landed on {target} at {seen}"
        QTest.mouseClick(
            button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, button.mapFrom(window, spot)
        )
        settle(qtbot)
        seen.append(window.scale_index)
    assert seen == [1, 2, 0, 1, 2, 0]
