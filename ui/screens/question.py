"""A question page: heading, content, hint, the inputs, Back and Continue; errors on top.

The inputs come from the registry in ui/screens/inputs.py, one class per question type: this
screen knows no question type by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLayout, QVBoxLayout, QWidget

from journeys import hint_text
from journeys.flow import FieldError
from journeys.models import ContentBlock, Page, Question
from ui.i18n import text, tr
from ui.reading import Spoken
from ui.screens.base import Screen
from ui.screens.inputs import AnswerInput, input_for
from ui.widgets import WrappingButton, button, label

__all__ = ["QuestionScreen", "add_question"]


class QuestionScreen(Screen):
    """One page: heading, content, hint, the inputs, Back and Continue; errors on top."""

    continued = Signal(dict)
    back = Signal()

    def __init__(
        self,
        page: Page,
        raw: dict[str, Any],
        errors: list[FieldError],
        lang: str = "en",
        prefilled: set[str] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"page-{page.id}")
        self.context = context or {}  # what the page's inputs need from the portal (an appointment's free times)
        self.page = page
        self.lang = lang
        self.inputs: dict[str, AnswerInput] = {}
        self.error_summary: QFrame | None = None
        by_id = {e.question_id: text(e.message, lang) for e in errors if e.part is None}
        by_part: dict[str, dict[str, str]] = {}
        for e in errors:
            if e.part is not None:
                by_part.setdefault(e.question_id, {})[e.part] = text(e.message, lang)
        if errors:  # read first: what is wrong, then the page (the Back link is above it on the screen)
            self.error_summary = self._summary(errors)
        self.back_button = self._back_link(self.back)
        if self.error_summary is not None:
            self.add(self.error_summary)
        single = len(page.questions) == 1 and page.title is None
        if page.title and not single:
            heading = page.title.get(lang)
            self.add(label(heading, "h1"), heading)
        for block in page.content:
            self._content(block, lang)
        for q in page.questions:
            self._question(q, raw.get(q.id), by_id.get(q.id), by_part.get(q.id, {}), lang, heading=single)
            if prefilled and q.id in prefilled:
                note = tr("We have filled this in from your last request. Change it if you need to.")
                self.add(label(note, "hint"), note)
        cont = button(tr("Continue"))
        cont.setObjectName("continue")
        cont.setDefault(True)
        cont.clicked.connect(self._continue)
        self._row(cont)
        self.continue_button = cont
        self.add_reading(tr("Continue"))
        self.column.addStretch(1)

    def _content(self, block: ContentBlock, lang: str) -> None:
        words = block.text.get(lang)
        if block.type == "details":
            summary = block.summary.get(lang) if block.summary else words
            toggle = button("▸  " + summary, "link", name=summary)
            toggle.setCheckable(True)
            toggle.setObjectName("details")
            body = label(words, "inset")
            body.hide()
            toggle.toggled.connect(body.setVisible)
            toggle.toggled.connect(lambda on, t=toggle, s=summary: t.setText(("▾  " if on else "▸  ") + s))
            self.add(toggle, summary)
            self.add(body, words)  # read while it is open
        elif block.type == "warning":
            self.add(label("!  " + words, "warning"), tr("Warning") + ": " + words)
        else:
            self.add(label(words, "inset" if block.type == "inset" else ""), words)

    def _summary(self, errors: list[FieldError]) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "error-summary")
        frame.setObjectName("error-summary")
        frame.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        frame.setAccessibleName(tr("There is a problem"))
        messages = [(e.question_id, e.part, text(e.message, self.lang)) for e in errors]
        frame.setAccessibleDescription("; ".join(message for _, _, message in messages))
        box = QVBoxLayout(frame)
        box.addWidget(label(tr("There is a problem"), "h1"))
        self.add_reading(tr("There is a problem"))
        self._problems = [Spoken(tr("There is a problem")), *(Spoken(m) for _, _, m in messages)]
        for question_id, part, message in messages:
            link = WrappingButton(message, "error-link")
            link.setObjectName(f"error-link-{question_id}" + (f"-{part}" if part else ""))
            link.clicked.connect(lambda _=False, qid=question_id, p=part: self._focus_field(qid, p))
            box.addWidget(link)
            self.add_reading(message)
        return frame

    def _focus_field(self, question_id: str, part: str | None = None) -> None:
        found = self.inputs.get(question_id)
        if found is not None:
            found.focus_target_for(part).setFocus(Qt.FocusReason.OtherFocusReason)

    def _question(
        self, q: Question, raw: Any, error: str | None, part_errors: dict[str, str], lang: str, *, heading: bool
    ) -> None:
        words = q.label.get(lang) + ("" if q.required else tr(" (optional)"))
        self.inputs[q.id] = add_question(
            self,
            q,
            raw,
            error,
            lang,
            words=words,
            heading=heading,
            on_enter=self._continue,
            part_errors=part_errors,
            context=self.context,
        )

    def values(self) -> dict[str, Any]:
        return {qid: answer.value() for qid, answer in self.inputs.items()}

    def _continue(self) -> None:
        self.continued.emit(self.values())

    def urgent(self) -> list[Spoken]:
        """The errors, said first: "There is a problem", then each."""
        return list(self._problems) if self.error_summary is not None else []

    def first_focus(self) -> QWidget | None:
        if self.error_summary is not None:
            return self.error_summary
        first = next(iter(self.inputs.values()), None)
        return first.first_focus() if first is not None else self.continue_button


def add_question(
    screen: Screen,
    q: Question,
    raw: Any,
    error: str | None,
    lang: str,
    *,
    words: str,
    heading: bool,
    on_enter: Callable[[], None],
    flagged: bool = False,
    part_errors: dict[str, str] | None = None,
    context: dict[str, Any] | None = None,
) -> AnswerInput:
    """One question on a screen: its heading `words`, hint, errors, and the input its type registers.

    `error` is about the whole answer; `part_errors` about single boxes of it (box -> what to do), shown
    by the boxes when the input can, else under the heading. The staff correction screen uses it too, so
    staff correct an answer with the citizen's own input.
    """
    title = label(words, "h1" if heading else "h2")
    screen.add(title, words)
    hint = hint_text(q, lang)
    if hint:
        screen.add(label(hint, "hint"), hint)
    answer = input_for(q.type)(screen, on_enter)
    answer.part_errors = dict(part_errors or {})
    answer.context = context or {}
    shown_here = [error] if error else []
    if not answer.shows_part_errors:
        shown_here += list(answer.part_errors.values())
    for message in shown_here:
        words = tr("Error") + ": " + message
        screen.add(label(words, "error"), words)
    for part in answer.build(q, raw, bool(error or answer.part_errors) or flagged, lang):
        if isinstance(part.item, QLayout):
            screen.column.addLayout(part.item)
            if part.reading:
                screen.add_reading(part.reading, private=part.private)
        else:
            screen.add(part.item, part.reading, private=part.private)
    buddy = answer.label_buddy()
    if buddy is not None:
        title.setBuddy(buddy)
    return answer
