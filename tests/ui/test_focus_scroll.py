"""Wherever focus goes inside a page (Tab, an error link, the page opening), the page scrolls so
that the focused control is on screen: at 200% text in a 1280x1024 window most pages are longer
than the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers import training_journeys
from tests.ui.test_accessibility import check_answers
from ui.window import KioskWindow


def on_screen(window: KioskWindow, target: QWidget) -> bool:
    """The whole of `target` is inside the viewport of its page's scroll area."""
    assert window.current is not None
    viewport = window.current.findChild(QScrollArea).viewport()
    rect = QRect(target.mapTo(viewport, target.rect().topLeft()), target.size())
    return viewport.rect().contains(rect)


def assert_on_screen(window: KioskWindow, target: QWidget) -> None:
    assert window.current is not None
    viewport = window.current.findChild(QScrollArea).viewport()
    top = target.mapTo(viewport, target.rect().topLeft()).y()
    name = target.objectName() or target.accessibleName()
    assert on_screen(window, target), (
        f"{name} is at y={top}..{top + target.height()}, the screen shows 0..{viewport.height()}"
    )


@pytest.fixture
def large(window: KioskWindow) -> KioskWindow:
    window.resize(1280, 1024)
    window.set_text_scale(2)  # 200%
    return window


def show_page(window: KioskWindow, journey_id: str, page_id: str) -> None:
    journey = next(j for j in training_journeys() if j.id == journey_id)
    window.session.start(journey)
    assert window.session.progress is not None
    window.session.progress.page_id = page_id
    window._show_page(next(p for p in journey.pages if p.id == page_id))


def test_set_focus_below_the_fold_scrolls_it_into_view(qtbot: QtBot, large: KioskWindow) -> None:
    check_answers(large)
    qtbot.waitUntil(lambda: large.current is not None and on_screen(large, large.current.first_focus()))
    send = large.current.findChild(QPushButton, "send")
    assert not on_screen(large, send)  # a long page: Accept and send is below the fold at first
    send.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: assert_on_screen(large, send))


def test_tab_keeps_every_focused_control_on_screen(qtbot: QtBot, large: KioskWindow) -> None:
    check_answers(large)
    QApplication.processEvents()
    send = large.current.findChild(QPushButton, "send")
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        if large.current.isAncestorOf(focused):
            qtbot.waitUntil(lambda f=focused: assert_on_screen(large, f))
        if focused is send:
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is send


@pytest.mark.parametrize(("journey", "page"), [("fly-tipping", "where"), ("blue-badge", "walking")])
def test_a_page_opens_with_its_first_control_on_screen(
    qtbot: QtBot, large: KioskWindow, journey: str, page: str
) -> None:
    show_page(large, journey, page)
    target = large.current.first_focus()
    assert target is not None and target.hasFocus()
    qtbot.waitUntil(lambda: assert_on_screen(large, target))


def test_an_error_link_scrolls_its_field_into_view(qtbot: QtBot, large: KioskWindow) -> None:
    show_page(large, "fly-tipping", "where")
    large.current.findChild(QPushButton, "continue").click()  # nothing filled in: errors on top
    qtbot.waitUntil(lambda: large.current.error_summary is not None and large.current.error_summary.hasFocus())
    links = [b for b in large.current.error_summary.findChildren(QPushButton)]
    assert links
    links[-1].click()
    target = QApplication.focusWidget()
    assert target is not None and target is not links[-1]
    qtbot.waitUntil(lambda: assert_on_screen(large, target))


def test_the_answer_to_check_progress_is_scrolled_into_view(qtbot: QtBot, large: KioskWindow) -> None:
    """At 200% the answer's place is below the fold: when it comes, the page scrolls to show it."""
    from ui.staff import CheckProgressScreen

    large.staff.show_check_progress()
    screen = large.current
    assert isinstance(screen, CheckProgressScreen)
    qtbot.waitUntil(lambda: on_screen(large, screen.reference))
    qtbot.keyClicks(screen.reference, "DCP-ABCD-EFGH")
    qtbot.keyClick(screen.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.result.text() != "")
    qtbot.waitUntil(lambda: assert_on_screen(large, screen.result))
