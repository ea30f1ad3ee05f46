"""Focus and selection as drawn, from the screen's pixels: the focused control has a thick ring
that stands out (3:1) from both the control and the page, it differs from the other controls by
luminance and not by hue alone, and a focused radio that is not ticked does not look ticked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton, QRadioButton, QStyle, QStyleOptionButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_accessibility import show_question_type
from ui.theme import contrast
from ui.window import KioskWindow

THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "high-contrast"])


def colour(image: QImage, widget: QWidget, at: QPoint) -> str:
    """The colour drawn at `at` (in `widget`'s coordinates) in a grab of the whole window."""
    window = widget.window()
    spot = widget.mapTo(window, at)
    return image.pixelColor(spot.x(), spot.y()).name()


def grab(window: KioskWindow) -> QImage:
    QApplication.processEvents()
    return window.grab().toImage()


def edge_thickness(image: QImage, widget: QWidget, ring: str) -> int:
    """How many pixels of the ring's colour run in from the middle of the left edge."""
    y = widget.height() // 2
    thickness = 0
    while thickness < widget.width() // 2 and colour(image, widget, QPoint(thickness, y)) == ring:
        thickness += 1
    return thickness


def on_radio_page(qtbot: QtBot, window: KioskWindow, high_contrast: bool) -> list[QRadioButton]:
    window.set_high_contrast(high_contrast)
    show_question_type(window, "radios")
    qtbot.waitUntil(lambda: window.current is not None and window.current.isVisible())
    radios = window.current.findChildren(QRadioButton)
    assert len(radios) >= 3
    return radios


@THEMES
def test_the_focus_ring_stands_out_from_the_control_and_the_page(
    qtbot: QtBot, window: KioskWindow, high_contrast: bool
) -> None:
    on_radio_page(qtbot, window, high_contrast)
    cont = window.current.findChild(QPushButton, "continue")
    back = window.current.findChild(QPushButton, "back")
    cont.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(cont.hasFocus)
    focused = grab(window)
    y = cont.height() // 2
    ring = colour(focused, cont, QPoint(1, y))
    page = colour(focused, cont, QPoint(-3, y))
    thick = edge_thickness(focused, cont, ring)
    inside = colour(focused, cont, QPoint(thick + 2, y))
    assert contrast(ring, inside) >= 3, f"ring {ring} on the control's {inside}: {contrast(ring, inside):.2f}:1"
    assert contrast(ring, page) >= 3, f"ring {ring} on the page's {page}: {contrast(ring, page):.2f}:1"
    # shape: the ring is thicker than the border the button has without focus
    back.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(back.hasFocus)
    unfocused = grab(window)
    border = colour(unfocused, cont, QPoint(1, y))
    plain = edge_thickness(unfocused, cont, border)
    assert thick >= plain + 2, f"the focus ring is {thick} px, the border without focus {plain} px"
    # luminance, not hue alone: the focused button against the same button without focus
    fill = colour(unfocused, cont, QPoint(plain + 2, y))
    assert contrast(inside, fill) >= 3, f"focused {inside} against unfocused {fill}: {contrast(inside, fill):.2f}:1"


def indicator_centre(radio: QRadioButton) -> QPoint:
    option = QStyleOptionButton()
    radio.initStyleOption(option)
    rect = radio.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, option, radio)
    return rect.center()


def mark(image: QImage, radio: QRadioButton) -> float:
    """How much the middle of the radio's circle stands out from the row around the circle."""
    option = QStyleOptionButton()
    radio.initStyleOption(option)
    rect = radio.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, option, radio)
    centre = colour(image, radio, rect.center())
    row = colour(image, radio, QPoint(rect.right() + 4, rect.center().y()))
    return contrast(centre, row)


@THEMES
def test_a_focused_radio_that_is_not_ticked_does_not_look_ticked(
    qtbot: QtBot, window: KioskWindow, high_contrast: bool
) -> None:
    radios = on_radio_page(qtbot, window, high_contrast)
    first, second = radios[0], radios[1]
    second.setChecked(True)
    first.setFocus(Qt.FocusReason.TabFocusReason)  # focus without ticking
    qtbot.waitUntil(first.hasFocus)
    assert not first.isChecked()
    image = grab(window)
    assert mark(image, second) >= 3, f"a ticked radio's mark stands out only {mark(image, second):.2f}:1"
    assert mark(image, first) < 1.5, f"a focused, unticked radio shows a mark at {mark(image, first):.2f}:1"
    other = radios[2]  # only the focused row has a ring
    edge, page = (colour(image, other, QPoint(x, other.height() // 2)) for x in (2, -3))
    assert edge == page, f"a radio without focus has a ring ({edge} on {page})"
    second.setFocus(Qt.FocusReason.TabFocusReason)  # a ticked radio with focus still shows its mark
    qtbot.waitUntil(second.hasFocus)
    image = grab(window)
    assert mark(image, second) >= 3, f"a focused, ticked radio's mark stands out only {mark(image, second):.2f}:1"
