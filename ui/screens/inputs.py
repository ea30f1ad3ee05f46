"""One AnswerInput per question type, found through one registry keyed by the type's name.

The names are the journey format's question types. Each input owns its widgets: `build` makes
them from the question, the raw answer so far and its error; `value` gives the raw answer back;
`focus_target` is the widget an error link moves focus to (`focus_target_for` a box of a several-box
answer, whose errors may name their box: `part_errors`). Adding a type is one class here, or in a file of
its own that registers it (appointment.py, address.py; imported by ui/screens/__init__.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from journeys import hint_text
from journeys.models import Question
from ui.i18n import tr
from ui.widgets import OptionCheckBox, OptionRadio, label

__all__ = ["INPUTS", "AnswerInput", "ChoiceInput", "Part", "PartsInput", "input_for", "register"]


class Part(NamedTuple):
    """A widget (or a row of them) for the page's column, and what speech says for it."""

    item: QWidget | QLayout
    reading: str | None = None
    private: bool = False  # the reading is personal data (an address to choose): said only through headphones


class AnswerInput:
    """The widgets of one question. Subclasses set `type_names` and implement the three methods."""

    type_names: ClassVar[tuple[str, ...]] = ()
    # Whether build shows each box's own error next to the box; if not, the question's heading shows them.
    shows_part_errors: ClassVar[bool] = False

    def __init__(self, owner: QWidget, on_enter: Callable[[], None]) -> None:
        self.owner = owner  # parent of non-widget helpers (a button group)
        self.on_enter = on_enter  # Enter in a one-line box continues, as on a web form
        self.part_errors: dict[str, str] = {}  # box -> what to do, for the boxes that are wrong; set before build
        self.context: dict[str, Any] = {}  # what the page got from the portal for it (free times); set before build

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        raise NotImplementedError

    def focus_target_for(self, part: str | None) -> QWidget:
        """Where the link of an error about one box (or, for None, the whole answer) moves focus to."""
        return self.focus_target()

    def first_focus(self) -> QWidget:
        """Where focus goes when the page opens (the error link's target unless a type says otherwise)."""
        return self.focus_target()

    def label_buddy(self) -> QWidget | None:
        """The widget the question's heading labels, when there is a single one."""
        return None

    def _line(
        self, name: str, accessible: str, value: Any, error: bool, *, hint: str | None = None, problem: str = ""
    ) -> QLineEdit:
        edit = QLineEdit("" if value is None else str(value))
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        about = [tr("Error") + ": " + problem] if problem else []
        if hint:
            about.append(hint)
        if about:
            edit.setAccessibleDescription(" ".join(about))
        if error:
            edit.setProperty("error", "true")
        edit.returnPressed.connect(self.on_enter)
        return edit


INPUTS: dict[str, type[AnswerInput]] = {}


def register(cls: type[AnswerInput]) -> type[AnswerInput]:
    for name in cls.type_names:
        if name in INPUTS:
            raise ValueError(f"two inputs for the question type {name}")
        INPUTS[name] = cls
    return cls


def input_for(type_name: str) -> type[AnswerInput]:
    """The input class for a question type; KeyError names a type that has none."""
    return INPUTS[type_name]


def _hint(question: Question, lang: str) -> str | None:
    return hint_text(question, lang)


@register
class LineInput(AnswerInput):
    """One line of text, with the on-screen keyboard's hint for the type; money has a £ before it."""

    type_names = ("text", "number", "money", "email", "phone", "postcode", "time")
    KEYBOARD: ClassVar[dict[str, Qt.InputMethodHint]] = {
        "email": Qt.InputMethodHint.ImhEmailCharactersOnly,
        "number": Qt.InputMethodHint.ImhFormattedNumbersOnly,
        "money": Qt.InputMethodHint.ImhFormattedNumbersOnly,
        "phone": Qt.InputMethodHint.ImhDialableCharactersOnly,
        "postcode": Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText,
    }

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        edit = self._line(question.id, question.label.get(lang), raw, error, hint=_hint(question, lang))
        edit.setInputMethodHints(self.KEYBOARD.get(question.type, Qt.InputMethodHint.ImhNone))
        self.edit = edit
        if question.type != "money":
            return [Part(edit)]
        row = QHBoxLayout()
        row.addWidget(label(tr("£")))
        row.addWidget(edit, 1)
        return [Part(row, tr("£"))]  # the sign before the box: speech says "pound"

    def value(self) -> Any:
        return self.edit.text()

    def focus_target(self) -> QWidget:
        return self.edit

    def label_buddy(self) -> QWidget | None:
        return self.edit


@register
class LongTextInput(AnswerInput):
    """A few lines of text; Tab leaves the box, as everywhere else."""

    type_names = ("long_text",)

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        area = QPlainTextEdit("" if raw is None else str(raw))
        area.setTabChangesFocus(True)
        area.setObjectName(question.id)
        area.setAccessibleName(question.label.get(lang))
        hint = _hint(question, lang)
        if hint:
            area.setAccessibleDescription(hint)
        if error:
            area.setProperty("error", "true")
        area.setMinimumHeight(area.fontMetrics().lineSpacing() * 5)
        self.area = area
        return [Part(area)]

    def value(self) -> Any:
        return self.area.toPlainText()

    def focus_target(self) -> QWidget:
        return self.area

    def label_buddy(self) -> QWidget | None:
        return self.area


class PartsInput(AnswerInput):
    """Several named boxes whose raw answer is a dict of part -> text.

    When the errors name their boxes only those boxes are marked; an error of the whole answer marks
    every box but an optional one left empty.
    """

    edits: dict[str, QLineEdit]
    optional_parts: ClassVar[frozenset[str]] = frozenset()

    def value(self) -> Any:
        return {part: edit.text() for part, edit in self.edits.items()}

    def focus_target(self) -> QWidget:
        return next(iter(self.edits.values()))

    def focus_target_for(self, part: str | None) -> QWidget:
        return self.edits.get(part or "") or self.focus_target()

    def _wrong(self, part: str, value: Any, error: bool) -> bool:
        if self.part_errors:
            return part in self.part_errors
        return error and not (part in self.optional_parts and not str(value or "").strip())


@register
class DateInput(PartsInput):
    """Day, month and year boxes side by side (GOV.UK date input)."""

    type_names = ("date",)

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        parts = raw if isinstance(raw, dict) else {}
        accessible = question.label.get(lang)
        row = QHBoxLayout()
        self.edits = {}
        for part, name, chars in (("day", tr("Day"), 2), ("month", tr("Month"), 2), ("year", tr("Year"), 4)):
            col = QVBoxLayout()
            edit = self._line(
                f"{question.id}-{part}",
                f"{accessible}: {name}",
                parts.get(part),
                self._wrong(part, parts.get(part), error),
                problem=self.part_errors.get(part, ""),
            )
            edit.setMaxLength(chars)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("0" * (chars + 2)) + 24)
            edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            col.addWidget(label(name, buddy=edit))
            col.addWidget(edit)
            row.addLayout(col)
            self.edits[part] = edit
        row.addStretch(1)
        return [Part(row, ", ".join((tr("Day"), tr("Month"), tr("Year"))))]  # the boxes' labels, as they show


@register
class ChoiceInput(AnswerInput):
    """Radio buttons (radios, select, yes/no) or checkboxes: each row's words wrap, and a tap anywhere on it ticks it."""

    type_names = ("radios", "select", "yes_no", "checkboxes")

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        self.multiple = question.type == "checkboxes"
        options = (
            [("yes", tr("Yes"), None), ("no", tr("No"), None)]
            if question.type == "yes_no"
            else [(o.value, o.label.get(lang), o.hint.get(lang) if o.hint else None) for o in question.options]
        )
        chosen = set(raw) if isinstance(raw, list) else {raw}
        # Radios share an exclusive group: one Tab stop, arrows move and choose. Checkboxes have no group:
        # in one, even a non-exclusive one, Qt makes Tab skip every box after the first.
        group = None if self.multiple else QButtonGroup(self.owner)
        self.boxes: list[QAbstractButton] = []
        out: list[Part] = []
        for value, option_text, option_hint in options:
            box: QAbstractButton = OptionCheckBox(option_text) if self.multiple else OptionRadio(option_text)
            box.setProperty("value", value)
            box.setProperty("choices", question.id)  # speech says "2 of 6" among the boxes of one question
            box.setAccessibleDescription(option_hint or question.label.get(lang))
            box.setObjectName(f"{question.id}-{value}")
            box.setChecked(value in chosen)
            if group is not None:
                group.addButton(box)
            out.append(Part(box, option_text))
            if option_hint:
                out.append(Part(label(option_hint, "hint"), option_hint))
            self.boxes.append(box)
        return out

    def value(self) -> Any:
        checked = [b.property("value") for b in self.boxes if b.isChecked()]
        return checked if self.multiple else (checked[0] if checked else None)

    def focus_target(self) -> QWidget:
        return self.boxes[0]

    def first_focus(self) -> QWidget:
        return next((b for b in self.boxes if b.isChecked()), self.boxes[0])
