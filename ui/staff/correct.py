"""Correct and resubmit: every question of a refused submission, its answer as stored, for staff."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.i18n import tr
from ui.screens import Screen
from ui.widgets import button, label

__all__ = ["CorrectScreen"]


class CorrectScreen(Screen):
    """Every question of the submission, with its answer as stored, for staff to put right."""

    resubmit = Signal(dict)
    back = Signal()

    def __init__(self, reference: str, rows: list[tuple[str, str, str, bool]], errors: list[str]) -> None:
        """rows: (question id, question label, answer text, named by the portal's message)."""
        super().__init__("staff-correct")
        self.back_button = self._back_link(self.back)
        heading = tr("Correct {reference}").format(reference=reference)
        self.add(label(heading, "h1"), heading)
        hint = tr(
            "Change what the portal refused, with the citizen. Lists and addresses are written as they are stored."
        )
        self.add(label(hint, "hint"), hint)
        for message in errors:
            self.add(label(tr("Error") + ": " + message, "error"), message)
        self.edits: dict[str, QLineEdit] = {}
        for qid, question, value, flagged in rows:
            edit = QLineEdit(value)
            edit.setObjectName(f"answer-{qid}")
            edit.setAccessibleName(question)
            if flagged:
                edit.setProperty("error", "true")
                edit.setAccessibleDescription(tr("The portal refused this answer"))
            self.add(label(question + (tr(" (refused by the portal)") if flagged else ""), "h2", buddy=edit))
            self.add(edit)
            self.edits[qid] = edit
        send = button(tr("Resubmit"))
        send.setObjectName("resubmit")
        send.clicked.connect(lambda: self.resubmit.emit({k: e.text() for k, e in self.edits.items()}))
        self.send_button = send
        self._row(send)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        flagged: list[QWidget] = [e for e in self.edits.values() if e.property("error") == "true"]
        return (flagged or list(self.edits.values()) or [self.send_button])[0]
