"""One submission for staff: its state, what the portal said, the answers (decrypted here only), actions."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.staff_console import Explanation
from journeys import Message
from ui import i18n
from ui.i18n import staff_tr
from ui.screens import Screen
from ui.staff.console import STATE_HEADINGS, OutboxRow, case_number, when_text
from ui.widgets import button, label

__all__ = ["ItemScreen", "PortalWords", "add_portal_words", "portal_words"]


@dataclass(frozen=True)
class PortalWords:
    """What the portal said, in words: what happened (one line per refused answer), what to do, and
    the raw code and text for IT (possibly personal: shown to staff, never logged)."""

    lines: list[str]
    advice: str
    technical: str


def portal_words(explanation: Explanation | None, lang: str) -> PortalWords | None:
    """What the portal said, in the display language's words, for a staff screen."""
    if explanation is None:
        return None
    lines = [i18n.text(s, lang) for s in explanation.sentences]
    return PortalWords(lines, i18n.text(explanation.advice, lang), explanation.technical)


def add_portal_words(screen: Screen, said: PortalWords) -> None:
    """'What the portal said': the plain words, what to do, and a technical line for IT."""
    title = staff_tr("What the portal said")
    screen.add(label(title, "h2"), title)
    message = label("\n".join(said.lines), "inset")
    message.setObjectName("portal-message")
    screen.add(message, " ".join(said.lines))
    todo = label(said.advice)
    todo.setObjectName("portal-todo")
    screen.add(todo, said.advice)
    technical = staff_tr("Technical details for IT: {raw}").format(raw=said.technical)
    line = label(technical, "hint")
    line.setObjectName("portal-technical")
    screen.add(line, technical)


class ItemScreen(Screen):
    """One submission: state, the portal's message, the answers (decrypted here only), actions."""

    retry = Signal()
    correct = Signal()
    discard = Signal(str)
    back = Signal()

    def __init__(
        self,
        item: OutboxRow,
        answers: list[tuple[str, str]] | None,
        *,
        error: str = "",
        reason: str = "",
        journey: Message | None = None,
        said: Explanation | None = None,
        lang: str = "en",
    ) -> None:
        """`journey`: the service's name; `said`: what the portal said, in plain words."""
        super().__init__("staff-item")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff words are English, whatever the citizen chose
        self.back_button = self._back_link(self.back)
        heading = staff_tr("Submission {reference}").format(reference=item.reference)
        self.add(label(heading, "h1"), heading)
        facts = [
            staff_tr("State: {state}").format(state=staff_tr(STATE_HEADINGS.get(item.state, item.state))),
            staff_tr("Service: {journey}, version {v}").format(
                journey=i18n.text(journey, lang) if journey is not None else item.journey_id, v=item.journey_version
            ),
            staff_tr("Saved: {when}").format(when=when_text(item.created_at))
            + ", "
            + (staff_tr("1 attempt") if item.attempts == 1 else staff_tr("{n} attempts").format(n=item.attempts)),
        ]
        if case_number(item):
            facts.append(staff_tr("Council case number: {number}").format(number=case_number(item)))
        if item.assisted_by:
            facts.append(staff_tr("Assisted by: {s}").format(s=item.assisted_by))
        for fact in facts:
            self.add(label(fact), fact)
        words = portal_words(said, lang)
        if words is not None:
            add_portal_words(self, words)
        self.error = label(error, "error")
        self.error.setObjectName("item-error")
        self.error.setVisible(bool(error))
        self.add(self.error, error or None)
        self.answers_heading = label(staff_tr("The answers"), "h2")
        self.add(self.answers_heading, staff_tr("The answers"))
        if answers is None:
            self.add(label(staff_tr("The answers are no longer kept on this kiosk.")))
        else:
            for question, value in answers:
                self.add(label(question, "hint"))
                shown = label(value or staff_tr("(no answer)"))
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                self.add(shown)
        self.retry_button: QPushButton | None = None
        self.correct_button: QPushButton | None = None
        self.reason: QLineEdit | None = None
        if item.state == "needs_attention":
            self.add(label(staff_tr("Put it right"), "h2"), staff_tr("Put it right"))
            hint = staff_tr(
                "Retry if the problem was on the portal's side. Correct the answers if the portal refused one."
            )
            self.add(label(hint, "hint"), hint)
            self.retry_button = button(staff_tr("Retry"))
            self.retry_button.setObjectName("retry")
            self.retry_button.clicked.connect(self.retry.emit)
            buttons = [self.retry_button]
            if answers is not None:
                self.correct_button = button(staff_tr("Correct and resubmit"), "secondary")
                self.correct_button.setObjectName("correct")
                self.correct_button.clicked.connect(self.correct.emit)
                buttons.append(self.correct_button)
            self._row(*buttons)
        if item.state in ("needs_attention", "pending"):
            self.add(label(staff_tr("Discard"), "h2"), staff_tr("Discard"))
            hint = staff_tr("It will never be sent and its answers are destroyed. Say why, without personal details.")
            self.add(label(hint, "hint"), hint)
            self.reason = QLineEdit(reason)
            self.reason.setObjectName("discard-reason")
            self.reason.setAccessibleName(staff_tr("Reason for discarding"))
            self.reason.setMaxLength(200)
            self.add(label(staff_tr("Reason for discarding"), buddy=self.reason))
            self.add(self.reason)
            discard = button(staff_tr("Discard this submission"), "secondary")
            discard.setObjectName("discard")
            discard.clicked.connect(lambda: self.discard.emit(self.reason.text() if self.reason else ""))
            self._row(discard)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.retry_button or self.back_button
