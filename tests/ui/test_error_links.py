"""An address with several wrong boxes: every error at once, only the wrong boxes marked, and each
link of the error summary takes focus to its own box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from tests.helpers import training_journeys
from ui.screens import QuestionScreen
from ui.window import KioskWindow


def address_with(window: KioskWindow, typed: dict[str, str]) -> tuple[QuestionScreen, str]:
    """The first address page of the training journeys, continued with `typed` in its boxes."""
    for journey in training_journeys():
        for page in journey.pages:
            q = next((q for q in page.questions if q.type == "address" and q.required), None)
            if q is None or len(page.questions) != 1:
                continue
            window.session.start(journey)
            assert window.session.progress is not None
            window.session.progress.page_id = page.id
            window._show_page(page)
            for part, words in typed.items():
                window.current.findChild(QLineEdit, f"{q.id}-{part}").setText(words)
            window.current.findChild(QPushButton, "continue").click()
            QApplication.processEvents()
            assert isinstance(window.current, QuestionScreen)
            return window.current, q.id
    raise AssertionError("no training journey asks for an address on a page of its own")


def test_a_missing_first_line_and_a_bad_postcode_show_two_errors_and_mark_only_those_boxes(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen, qid = address_with(window, {"town": "Leeds", "postcode": "XYZ"})
    assert screen.error_summary is not None
    links = [b.accessibleName() for b in screen.error_summary.findChildren(QPushButton)]
    assert links == [
        "Enter address line 1, typically the building and street",
        "Enter a full UK postcode, like LS1 4AP",
    ]
    marked = {
        part: screen.findChild(QLineEdit, f"{qid}-{part}").property("error") == "true"
        for part in ("line1", "line2", "town", "postcode")
    }
    assert marked == {"line1": True, "line2": False, "town": False, "postcode": True}
    postcode = screen.findChild(QLineEdit, f"{qid}-postcode")
    assert "Enter a full UK postcode" in postcode.accessibleDescription()
    assert "Enter" not in screen.findChild(QLineEdit, f"{qid}-town").accessibleDescription()
    assert "Enter a full UK postcode, like LS1 4AP" in screen.reading_text()


def test_each_error_link_focuses_its_own_box(qtbot: QtBot, window: KioskWindow) -> None:
    screen, qid = address_with(window, {"town": "Leeds", "postcode": "XYZ"})
    assert screen.error_summary is not None
    links = screen.error_summary.findChildren(QPushButton)
    assert len(links) == 2
    for link, part in zip(links, ("line1", "postcode"), strict=True):
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
        focused = QApplication.focusWidget()
        assert focused is screen.findChild(QLineEdit, f"{qid}-{part}"), (link.accessibleName(), focused.objectName())


def test_an_address_left_empty_marks_the_boxes_it_needs_and_its_link_focuses_the_first(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen, qid = address_with(window, {})
    assert screen.error_summary is not None
    links = screen.error_summary.findChildren(QPushButton)
    assert len(links) == 1
    marked = [
        p for p in ("line1", "line2", "town", "postcode") if screen.findChild(QLineEdit, f"{qid}-{p}").property("error")
    ]
    assert marked == ["line1", "town", "postcode"]
    qtbot.mouseClick(links[0], Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is screen.findChild(QLineEdit, f"{qid}-line1")
