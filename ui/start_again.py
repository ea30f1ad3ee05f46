"""'Clear your answers and start again?': asked before Start again clears what a citizen entered.

Focus starts on "No, go back" (the choice that loses nothing); Escape is No too (the window's
event filter, since a locked kiosk swallows Escape before any widget sees it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.visit import Session
from ui.i18n import tr
from ui.overlay import Overlay
from ui.reading import Spoken
from ui.widgets import button, label

__all__ = ["StartAgainDialog", "has_entered"]


class StartAgainDialog(Overlay):
    clear = Signal()  # yes: the wipe
    keep = Signal()  # no: back to where they were

    def __init__(self, central: QWidget) -> None:
        super().__init__(central, "start-again-dialog", "")
        self.words = [label("", "h1"), label("")]
        for words in self.words:
            self.box.addWidget(words)
        self.yes = button("")
        self.yes.setObjectName("confirm-clear")
        self.yes.clicked.connect(self.clear.emit)
        self.no = button("", "secondary")
        self.no.setObjectName("confirm-go-back")
        self.no.clicked.connect(self.keep.emit)
        for b in (self.yes, self.no):  # one under the other: both fit at every text size
            self.box.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def retranslate(self) -> None:
        """The card's words in the display language."""
        question = tr("Clear your answers and start again?")
        self.setAccessibleName(question)
        self.words[0].setText(question)
        self.words[0].setAccessibleName(question)
        self.words[1].setText(tr("Everything you have entered will be cleared from this kiosk."))
        for b, words in ((self.yes, tr("Yes, clear my answers")), (self.no, tr("No, go back"))):
            b.setText(words)
            b.setAccessibleName(words)

    def reading(self) -> list[Spoken]:
        """The question, what it means, and both answers, in the order they show."""
        return [Spoken(w.text()) for w in self.words] + [Spoken(b.text()) for b in (self.yes, self.no)]

    def ask(self) -> None:
        self.open(self.no)


def has_entered(session: Session, typed: Mapping[str, Any]) -> bool:
    """The citizen has answered something, or typed on the page in front of them (`typed`: its raw values)."""
    progress = session.progress
    if session.facts or (progress is not None and (progress.answers or progress.raw)):
        return True
    return any(_filled(v) for v in typed.values())


def _filled(value: object) -> bool:
    """A raw answer with something in it: some text, a tick, a part of a date."""
    if isinstance(value, Mapping):
        return any(_filled(v) for v in value.values())
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return value is not None
