"""The start page of a journey (GOV.UK pattern): what it does, what you need, other ways."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from journeys.models import Journey
from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import button, label

__all__ = ["StartScreen"]


class StartScreen(Screen):
    """A GOV.UK start page: what the service does, what you need, other ways to do it."""

    begin = Signal()
    back = Signal()

    def __init__(self, journey: Journey, lang: str = "en") -> None:
        super().__init__("start")
        self.back_button = self._back_link(self.back)
        title = journey.title.get(lang)
        self.add(label(title, "h1"), title)
        self.add(label(journey.summary.get(lang)), journey.summary.get(lang))
        start = journey.start
        if start is not None and start.you_need:
            need = tr("You will need")
            self.add(label(need, "h2"), need)
            for item in start.you_need:
                self.add(label("•  " + item.get(lang)), item.get(lang))
        if start is not None and start.time_to_complete:
            self.add(label(start.time_to_complete.get(lang), "hint"), start.time_to_complete.get(lang))
        self.start_button = button(tr("Start now"))
        self.start_button.setObjectName("start-now")
        self.start_button.clicked.connect(self.begin.emit)
        self._row(self.start_button)
        self.add_reading(tr("Start now"))
        if start is not None and start.other_ways:
            other = tr("Other ways to do this")
            self.add(label(other, "h2"), other)
            self.add(label(start.other_ways.get(lang)), start.other_ways.get(lang))
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.start_button
