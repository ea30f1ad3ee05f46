"""Correct and resubmit: every question on a refused submission's route, with the citizen's own inputs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.staff_console import CorrectionForm, FieldError
from ui.i18n import staff_tr, text
from ui.screens import Screen
from ui.screens.inputs import AnswerInput
from ui.screens.question import add_question
from ui.staff.item import PortalWords, add_portal_words
from ui.widgets import button, label

__all__ = ["CorrectScreen"]


class CorrectScreen(Screen):
    """Each answer as stored, in the input its question type uses on the citizen's page, for staff
    to put right beside the citizen. The answers are checked as the citizen's page checks them."""

    resubmit = Signal(dict)
    back = Signal()

    def __init__(
        self,
        form: CorrectionForm,
        errors: list[FieldError],
        typed: dict[str, Any] | None = None,
        lang: str = "en",
        said: PortalWords | None = None,
    ) -> None:
        """`typed`: what staff had entered when the answers were refused, shown again; `said`: what
        the portal said, in plain words."""
        super().__init__("staff-correct")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff words are English, whatever the citizen chose
        self.back_button = self._back_link(self.back)
        heading = staff_tr("Correct {reference}").format(reference=form.item.reference)
        self.add(label(heading, "h1"), heading)
        if form.journey is not None:
            service = staff_tr("Service: {journey}").format(journey=text(form.journey, lang))
            self.add(label(service), service)
        if said is not None:
            add_portal_words(self, said)
        hint = staff_tr(
            "Change what the portal refused, with the citizen. Each answer is checked as the citizen's page checks it."
        )
        self.add(label(hint, "hint"), hint)
        by_id = {e.question_id: text(e.message, lang) for e in errors}
        if errors:
            summary = staff_tr("There is a problem")
            self.add(label(summary, "h2"), summary)
            for message in by_id.values():
                self.add(label(message, "error"), message)
        self.inputs: dict[str, AnswerInput] = {}
        self._attention: list[AnswerInput] = []  # refused by the portal, or by the journey's checks just now
        self._errors: list[AnswerInput] = []  # refused by the journey's checks just now: focus goes there first
        for row in form.rows:
            raw = typed[row.question_id] if typed and row.question_id in typed else row.raw
            words = row.label + (staff_tr(" (refused by the portal)") if row.refused else "")
            answer = add_question(
                self,
                row.question,
                raw,
                by_id.get(row.question_id),
                lang,
                words=words,
                heading=False,
                on_enter=self._send,
                flagged=row.refused,
            )
            self.inputs[row.question_id] = answer
            if row.refused or row.question_id in by_id:
                self._attention.append(answer)
            if row.question_id in by_id:
                self._errors.append(answer)
        send = button(staff_tr("Resubmit"))
        send.setObjectName("resubmit")
        send.clicked.connect(self._send)
        self.send_button = send
        self._row(send)
        self.column.addStretch(1)

    def values(self) -> dict[str, Any]:
        return {qid: answer.value() for qid, answer in self.inputs.items()}

    def _send(self) -> None:
        self.resubmit.emit(self.values())

    def first_focus(self) -> QWidget | None:
        first = next(iter(self._errors or self._attention or self.inputs.values()), None)
        return first.first_focus() if first is not None else self.send_button
