"""Every training journey completed in the real screens: once by keyboard alone, once by clicks.

The answers are the journey's own example answers (Flow.example); what the kiosk stores must be
exactly what the journey's checks make of them.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.kiosk import Kiosk
from journeys.flow import Flow
from journeys.models import Journey, Question
from tests.helpers import seed_catalogue, training_journeys
from tests.ui.windows import open_window
from ui.screens import CheckAnswersScreen, ConfirmationScreen, PaymentChoiceScreen, QuestionScreen, StartScreen
from ui.screens.appointment import AppointmentInput
from ui.screens.inputs import ChoiceInput, PartsInput
from ui.window import KioskWindow

JOURNEYS = training_journeys()
MAX_TABS = 80


def tab_to(qtbot: QtBot, target: QWidget) -> None:
    """Press Tab until the target has focus, as a keyboard user would; fail if it is unreachable."""
    for _ in range(MAX_TABS):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"{target.objectName() or target.accessibleName()} cannot be reached with Tab")


def input_widgets(screen: QuestionScreen, q: Question, raw: Any) -> list[tuple[QWidget, Any]]:
    """The widgets to operate for one answer, with what to do to each (text, or True to tick)."""
    answer = screen.inputs[q.id]
    if isinstance(answer, ChoiceInput):  # radios or checkboxes
        chosen = set(raw) if isinstance(raw, list) else {raw}
        return [(b, True) for b in answer.boxes if b.property("value") in chosen]
    if isinstance(answer, AppointmentInput):  # offline: the days and times that suit
        ticked = str(raw.get("days", "")).split() + str(raw.get("times", "")).split()
        return [(b, True) for b in answer.days + answer.times if b.property("value") in ticked]
    if isinstance(answer, PartsInput):  # date or address parts
        return [(edit, str(raw.get(part, ""))) for part, edit in answer.edits.items() if raw.get(part)]
    return [(answer.focus_target(), str(raw))]


def operate_by_keyboard(qtbot: QtBot, widget: QWidget, value: Any) -> None:
    tab_to(qtbot, widget)
    if value is True:
        assert isinstance(widget, QAbstractButton)
        if not widget.isChecked():
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        assert widget.isChecked()
    else:
        assert isinstance(widget, QLineEdit | QPlainTextEdit)
        qtbot.keyClicks(widget, value)


def scroll_to(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def operate_by_clicks(qtbot: QtBot, widget: QWidget, value: Any) -> None:
    scroll_to(widget)
    # where a person taps: the box of a radio or checkbox, the middle of a text field
    where = QPoint(widget.height() // 2, widget.height() // 2) if value is True else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where)
    if value is True:
        assert isinstance(widget, QAbstractButton) and widget.isChecked()
    else:
        assert widget.hasFocus()
        qtbot.keyClicks(widget, value)  # the kiosk's on-screen keyboard types into the focused field


def press(qtbot: QtBot, button: QPushButton, keyboard: bool) -> None:
    if keyboard:
        tab_to(qtbot, button)
        qtbot.keyClick(button, Qt.Key.Key_Return)
    else:
        scroll_to(button)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def complete(qtbot: QtBot, window: KioskWindow, journey: Journey, keyboard: bool) -> str:
    raw = Flow(journey).example()
    home_tile = window.current.findChild(QPushButton, f"tile-{journey.id}")
    assert home_tile is not None
    press(qtbot, home_tile, keyboard)
    if isinstance(window.current, StartScreen):
        press(qtbot, window.current.start_button, keyboard)
    for _ in range(len(journey.pages) + 1):
        screen = window.current
        if not isinstance(screen, QuestionScreen):
            break
        for q in screen.page.questions:
            if q.id in raw and raw[q.id] is not None:
                for widget, value in input_widgets(screen, q, raw[q.id]):
                    (operate_by_keyboard if keyboard else operate_by_clicks)(qtbot, widget, value)
        press(qtbot, screen.continue_button, keyboard)
        assert window.current is not screen
        assert not (isinstance(window.current, QuestionScreen) and window.current.error_summary), (
            journey.id,
            window.current.reading_text(),
        )
    assert isinstance(window.current, CheckAnswersScreen), journey.id
    press(qtbot, window.current.send_button, keyboard)
    if isinstance(window.current, PaymentChoiceScreen):  # offline: the request is sent as payment due
        later = window.current.findChild(QPushButton, "pay-later") or window.current.findChild(
            QPushButton, "pay-counter"
        )
        assert later is not None, journey.id
        press(qtbot, later, keyboard)
    assert isinstance(window.current, ConfirmationScreen)
    return window.current.reference


@pytest.mark.parametrize("keyboard", [True, False], ids=["keyboard", "clicks"])
@pytest.mark.parametrize("journey", [j for j in JOURNEYS if not j.requires_online], ids=lambda j: j.id)
def test_complete_journey(qtbot: QtBot, window: KioskWindow, journey: Journey, keyboard: bool) -> None:
    reference = complete(qtbot, window, journey, keyboard)
    saved = [i for i in window.kiosk.store.outbox.items() if i.reference == reference]
    assert len(saved) == 1 and saved[0].journey_id == journey.id
    expected, errors = Flow(journey).check_all(Flow(journey).example())
    assert not errors
    kept = window.kiosk.store.outbox.answers(saved[0].submission_id)
    assert kept is not None and {k: v for k, v in kept.items() if not k.startswith("_")} == expected
    if journey.payment is not None:  # sent unpaid, honestly: payment due
        assert kept["_payment"]["status"] == "due"


def test_online_only_journey_offline_says_so_and_saves_nothing(qtbot: QtBot, kiosk: Kiosk) -> None:
    """A payment that cannot be left due is not offered offline (no training journey is one now: the
    parking fine can be paid later; a council's journey can still be online only)."""
    fine = next(j for j in JOURNEYS if j.id == "pay-parking-fine")
    assert fine.payment is not None
    online_only = fine.model_copy(
        update={
            "requires_online": True,
            "payment": fine.payment.model_copy(update={"pay_later": False, "pay_at_counter": False}),
        }
    )
    seed_catalogue(kiosk, [online_only])
    window = open_window(qtbot, kiosk)
    window.online = False
    qtbot.mouseClick(window.current.findChild(QPushButton, "tile-pay-parking-fine"), Qt.MouseButton.LeftButton)
    assert window.current.objectName() == "needs-connection"
    assert online_only.offline_message is not None and online_only.offline_message.en in window.current.reading_text()
    assert window.kiosk.store.outbox.counts().waiting == 0


CHOICE_PAGES = [
    (j, p, q)
    for j in JOURNEYS
    for p in j.pages
    for q in p.questions
    if q.type in ("checkboxes", "radios", "select", "yes_no")
]


@pytest.mark.parametrize(
    ("journey", "page", "question"), CHOICE_PAGES, ids=[f"{j.id}-{q.id}" for j, _, q in CHOICE_PAGES]
)
def test_every_option_of_every_choice_by_keys_alone(
    qtbot: QtBot, window: KioskWindow, journey: Journey, page: Any, question: Question
) -> None:
    """Checkboxes: Tab reaches each box in turn and Space ticks it (all of them, not only the first).
    Radios: the arrow keys move through every option and choose it."""
    window.session.start(journey)
    assert window.session.progress is not None
    window.session.progress.page_id = page.id
    window._show_page(page)
    screen = window.current
    assert isinstance(screen, QuestionScreen)
    answer = screen.inputs[question.id]
    assert isinstance(answer, ChoiceInput)
    boxes = answer.boxes
    boxes[0].setFocus()
    if question.type == "checkboxes":
        for box in boxes:
            assert QApplication.focusWidget() is box, f"Tab did not reach {box.accessibleName()!r}"
            qtbot.keyClick(box, Qt.Key.Key_Space)
            qtbot.keyClick(box, Qt.Key.Key_Tab)
        assert all(b.isChecked() for b in boxes)
    else:
        qtbot.keyClick(boxes[0], Qt.Key.Key_Space)
        for box in boxes[1:]:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
            assert QApplication.focusWidget() is box and box.isChecked(), box.accessibleName()
        assert [b.isChecked() for b in boxes].count(True) == 1
