"""One AnswerInput per question type of the journey format, found through one registry; choice rows take taps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from journeys.models import QUESTION_TYPES
from tests.helpers import training_journeys
from ui.screens import QuestionScreen
from ui.screens.inputs import INPUTS, AnswerInput, ChoiceInput, input_for, register
from ui.window import KioskWindow


def test_every_question_type_of_the_format_has_an_input() -> None:
    assert sorted(INPUTS) == sorted(QUESTION_TYPES)
    for name in QUESTION_TYPES:
        assert issubclass(input_for(name), AnswerInput)


def test_a_type_cannot_have_two_inputs() -> None:
    class Again(AnswerInput):
        type_names = ("text",)

    with pytest.raises(ValueError, match="two inputs for the question type text"):
        register(Again)
    assert input_for("text") is not Again


def show_page_with(window: KioskWindow, question_type: str) -> QuestionScreen:
    for journey in training_journeys():
        for page in journey.pages:
            if any(q.type == question_type for q in page.questions):
                window.session.start(journey)
                assert window.session.progress is not None
                window.session.progress.page_id = page.id
                window._show_page(page)
                assert isinstance(window.current, QuestionScreen)
                return window.current
    raise AssertionError(f"no training journey asks a {question_type} question")


def row_points(box: QWidget) -> dict[str, QPoint]:
    """Where a person may tap a row: the box, the words, the empty part on the right, the corners."""
    words = box.findChild(QLabel)
    middle = words.geometry().center() if words is not None else box.rect().center()
    return {
        "the box": QPoint(box.height() // 2, box.height() // 2),
        "the words": middle,
        "the empty right of the row": QPoint(box.width() - 12, box.height() // 2),
        "the bottom right corner": QPoint(box.width() - 4, box.height() - 4),
    }


def tap(qtbot: QtBot, box: QWidget, where: QPoint) -> None:
    area = box.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    area.ensureWidgetVisible(box)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=where)


@pytest.mark.parametrize("scale", [0, 2], ids=["100%", "200%"])
def test_a_tap_anywhere_on_a_checkbox_row_ticks_it_and_a_second_tap_unticks_it(
    qtbot: QtBot, window: KioskWindow, scale: int
) -> None:
    window.resize(1280, 1024)
    window.set_text_scale(scale)
    screen = show_page_with(window, "checkboxes")
    QApplication.processEvents()
    answer = next(a for a in screen.inputs.values() if isinstance(a, ChoiceInput))
    missed = []
    for box in answer.boxes:
        for place, where in row_points(box).items():
            tap(qtbot, box, where)
            if not box.isChecked():
                missed.append(f"{box.accessibleName()!r}: a tap on {place} did not tick it")
            tap(qtbot, box, where)
            if box.isChecked():
                missed.append(f"{box.accessibleName()!r}: a second tap on {place} did not untick it")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("scale", [0, 2], ids=["100%", "200%"])
def test_a_tap_anywhere_on_a_radio_row_chooses_it(qtbot: QtBot, window: KioskWindow, scale: int) -> None:
    window.resize(1280, 1024)
    window.set_text_scale(scale)
    screen = show_page_with(window, "radios")
    QApplication.processEvents()
    answer = next(a for a in screen.inputs.values() if isinstance(a, ChoiceInput))
    missed = []
    for place in ("the box", "the words", "the empty right of the row", "the bottom right corner"):
        for box in reversed(answer.boxes):  # each tap moves the choice to another row
            tap(qtbot, box, row_points(box)[place])
            if not box.isChecked():
                missed.append(f"{box.accessibleName()!r}: a tap on {place} did not choose it")
    assert not missed, "\n".join(missed)
