"""A plain message with one way on (a journey that needs a connection), and the problem screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import button, label

__all__ = ["MessageScreen", "problem_screen"]


class MessageScreen(Screen):
    """A plain message with one way on: a journey that needs a connection, or a problem.

    Never a traceback: what happened, in plain words, and what happened to the answers.
    """

    finished = Signal()

    def __init__(self, object_name: str, heading: str, message: str, action: str) -> None:
        super().__init__(object_name)
        self.add(label(heading, "h1"), heading)
        self.add(label(message), message)
        home = button(action)
        home.setObjectName("start-again")
        home.clicked.connect(self.finished.emit)
        self.home_button = home
        self._row(home)
        self.add_reading(action)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.home_button


def problem_screen(message: str) -> MessageScreen:
    return MessageScreen("problem", tr("Sorry, there is a problem with the service"), message, tr("Start again"))
