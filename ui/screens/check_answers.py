"""Check your answers: every answer on the route with a Change button, then Accept and send."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from journeys.flow import SummaryRow
from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import button, label

__all__ = ["CheckAnswersScreen"]


class CheckAnswersScreen(Screen):
    """Every answer on the route with a Change button, the declaration, and Accept and send."""

    change = Signal(str)
    submit = Signal()
    back = Signal()

    def __init__(self, title: str, rows: list[SummaryRow], declaration: str | None) -> None:
        super().__init__("check-answers")
        self.back_button = self._back_link(self.back)
        heading = tr("Check your answers before sending")
        self.add(label(heading, "h1"), heading)
        self.add(label(title, "hint"), title)
        self.change_buttons: list[QPushButton] = []
        for row in rows:
            question = label(row.label, "h2")
            self.add(question)
            self.add(label(row.answer))
            change = button(tr("Change"), "secondary", name=tr("Change") + ": " + row.label)
            change.setObjectName(f"change-{row.question_id}")
            change.clicked.connect(lambda _=False, pid=row.page_id: self.change.emit(pid))
            self._row(change)
            self.change_buttons.append(change)
            self._reading.append(f"{row.label}: {row.answer}")
        if declaration:
            self.add(label(tr("Now send your request"), "h1"), tr("Now send your request"))
            self.add(label(declaration), declaration)
        send = button(tr("Accept and send"))
        send.setObjectName("send")
        send.clicked.connect(self.submit.emit)
        self.send_button = send
        self._row(send)
        self._reading.append(tr("Accept and send"))
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.change_buttons[0] if self.change_buttons else self.send_button
