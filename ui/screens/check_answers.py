"""Check your answers: every answer on the route with a Change button, what it costs, then Accept and send.

The answers are a GOV.UK summary list: each row is the question, the answer and its Change
button side by side where the width allows, and stacked (question, answer, Change) where it
does not: at large text sizes or on a narrow window. The layout is chosen again whenever the
list's width or its font changes, so a text size chosen on this page reflows it in place.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from journeys.fees import AmountRow
from journeys.flow import SummaryRow
from ui.i18n import isolate_lines, text, tr
from ui.screens.base import Screen
from ui.widgets import button, label

__all__ = ["CheckAnswersScreen", "SummaryList"]

_TOP = Qt.AlignmentFlag.AlignTop  # vertical only: the words still fill their column's width
SIDE_BY_SIDE_EM = 34  # the list is at least this many lines' height wide: question and answer share a row


class SummaryList(QWidget):
    """Rows of (question, answer, Change button or nothing), side by side or stacked by the width."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("summary-list")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.rows: list[tuple[QLabel, QWidget, QPushButton | None, QFrame]] = []
        self.side_by_side: bool | None = None

    def add_row(self, key: QLabel, value: QWidget, action: QPushButton | None) -> None:
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setProperty("role", "rule")
        self.rows.append((key, value, action, rule))
        self._lay_out(self._wide_enough(self.width()) if self.side_by_side is not None else True, force=True)

    def _wide_enough(self, width: int) -> bool:
        return width >= SIDE_BY_SIDE_EM * self.fontMetrics().height()

    def _lay_out(self, side_by_side: bool, *, force: bool = False) -> None:
        if side_by_side == self.side_by_side and not force:
            return
        self.side_by_side = side_by_side
        while self.grid.count():
            self.grid.takeAt(0)
        for c in range(3):
            self.grid.setColumnStretch(c, 0)
        line = 0
        for key, value, action, rule in self.rows:
            if side_by_side:
                self.grid.addWidget(key, line, 0, _TOP)
                self.grid.addWidget(value, line, 1, _TOP)
                if action is not None:
                    self.grid.addWidget(action, line, 2, _TOP)
                line += 1
            else:
                self.grid.addWidget(key, line, 0, 1, 3)
                self.grid.addWidget(value, line + 1, 0, 1, 3)
                if action is not None:  # at its own width, at the start of the line (mirrored right to left)
                    self.grid.addWidget(action, line + 2, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
                line += 3
            self.grid.addWidget(rule, line, 0, 1, 3)
            line += 1
        if side_by_side:
            self.grid.setColumnStretch(0, 3)
            self.grid.setColumnStretch(1, 5)
        else:
            self.grid.setColumnStretch(0, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out(self._wide_enough(event.size().width()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._lay_out(self._wide_enough(self.width()))


def _answer(answer: str, note: str | None) -> QWidget:
    answer = isolate_lines(answer)  # "£25.00" in its own order inside right-to-left text
    if note is None:
        return label(answer)
    box = QWidget()
    column = QGridLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(label(answer), 0, 0)
    column.addWidget(label(note, "hint"), 1, 0)
    return box


class CheckAnswersScreen(Screen):
    """Every answer on the route with a Change button, the cost, the declaration, and Accept and send."""

    change = Signal(str)
    submit = Signal()
    back = Signal()

    def __init__(
        self,
        title: str,
        rows: list[SummaryRow],
        declaration: str | None,
        *,
        amount: AmountRow | None = None,
        focus_row: str | None = None,
        lang: str = "en",
        pay_next: bool = False,
    ) -> None:
        """`pay_next`: the payment step follows, so the button goes on to it rather than sending."""
        super().__init__("check-answers")
        self.back_button = self._back_link(self.back)
        heading = tr("Check your answers before sending")
        self.add(label(heading, "h1"), heading)
        self.add(label(title, "hint"), title)
        self.summary_list = SummaryList()
        self.change_buttons: list[QPushButton] = []
        self._focus: QPushButton | None = None
        for row in rows:
            question = label(row.label, "summary-key")
            change = button(tr("Change"), "secondary", name=tr("Change") + ": " + row.label)
            change.setObjectName(f"change-{row.question_id}")
            change.clicked.connect(lambda _=False, pid=row.page_id: self.change.emit(pid))
            self.summary_list.add_row(question, label(isolate_lines(row.answer)), change)
            self.change_buttons.append(change)
            if row.question_id == focus_row:
                self._focus = change
            self.add_reading(row.label)
            self.add_reading(row.answer, private=True)
            self.add_reading(tr("Change"))
        if amount is not None:
            key = text(amount.label, lang)
            self.summary_list.add_row(label(key, "summary-key"), _answer(amount.amount, amount.note), None)
            self.add_reading(f"{key}: {amount.amount}" + (f". {amount.note}" if amount.note else ""))
        self.add(self.summary_list)
        if declaration:
            now = tr("Now choose how to pay") if pay_next else tr("Now send your request")
            self.add(label(now, "h1"), now)
            self.add(label(declaration), declaration)
        words = tr("Accept and choose how to pay") if pay_next else tr("Accept and send")
        send = button(words)
        send.setObjectName("send")
        send.clicked.connect(self.submit.emit)
        self.send_button = send
        self._row(send)
        self.add_reading(words)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        if self._focus is not None:
            return self._focus
        return self.change_buttons[0] if self.change_buttons else self.send_button
