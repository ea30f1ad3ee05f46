"""What speech says for the focused control: its role, name and state ("checkbox, Sofa, not ticked, 1 of 6").

The words come from what each control tells assistive technology (its accessible name and description,
its check state, the question its option belongs to), the same information a screen reader reads, not
from the pixels or the layout. What the citizen typed is personal data (private); a masked entry, a
staff PIN, is never spoken at all, only how many characters it has.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from ui.i18n import tr, trn
from ui.reading import Spoken

__all__ = ["describe", "position", "typed_echo"]


def _name(widget: QWidget) -> str:
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text()
    return " ".join(name.split())


def position(widget: QAbstractButton) -> tuple[int, int] | None:
    """Which option of its question a checkbox or radio is, and of how many: (2, 6)."""
    question = widget.property("choices")
    parent = widget.parentWidget()
    if not question or parent is None:
        group = widget.group()
        buttons = group.buttons() if group is not None else []
    else:
        buttons = [b for b in parent.findChildren(QAbstractButton) if b.property("choices") == question]
    buttons = [b for b in buttons if not b.isHidden()]
    if widget not in buttons or len(buttons) < 2:
        return None
    return buttons.index(widget) + 1, len(buttons)


def _of(widget: QAbstractButton) -> list[Spoken]:
    found = position(widget)
    return [Spoken(tr("{n} of {total}").format(n=found[0], total=found[1]))] if found else []


def _about(widget: QWidget) -> list[Spoken]:
    """The control's description (a hint, an error), when it says more than its name."""
    about = " ".join(widget.accessibleDescription().split())
    return [Spoken(about)] if about and about != _name(widget) else []


def describe(widget: QWidget) -> list[Spoken]:
    """The phrases for a control that has just taken focus."""
    name = _name(widget)
    if isinstance(widget, QCheckBox):
        state = tr("ticked") if widget.isChecked() else tr("not ticked")
        return [Spoken(tr("checkbox")), Spoken(name), Spoken(state), *_of(widget), *_about(widget)]
    if isinstance(widget, QRadioButton):
        state = tr("selected") if widget.isChecked() else tr("not selected")
        return [Spoken(tr("radio button")), Spoken(name), Spoken(state), *_of(widget), *_about(widget)]
    if isinstance(widget, QAbstractButton):
        out = [Spoken(tr("button")), Spoken(name)]
        if widget.isCheckable():
            if widget.objectName() == "details":  # a details box's toggle
                state = tr("open") if widget.isChecked() else tr("closed")
            else:  # a switch (High contrast), whose name may say it already ("High contrast, off")
                state = tr("on") if widget.isChecked() else tr("off")
            if not name.endswith(state):
                out.append(Spoken(state))
        if not widget.isEnabled():
            out.append(Spoken(tr("not available")))
        return out + _about(widget)
    if isinstance(widget, QLineEdit):
        return [Spoken(tr("edit text")), Spoken(name), *contents(widget), *_about(widget)]
    if isinstance(widget, QPlainTextEdit):
        typed = widget.toPlainText().strip()
        value = [Spoken(typed, private=_private(widget))] if typed else [Spoken(tr("blank"))]
        return [Spoken(tr("edit text, several lines")), Spoken(name), *value, *_about(widget)]
    return [Spoken(name), *_about(widget)] if name else []


def _private(edit: QWidget) -> bool:
    """What is typed in a box is personal data, unless the box says otherwise (the service search)."""
    return not edit.property("spoken_aloud")


def contents(edit: QLineEdit) -> list[Spoken]:
    """What is in a box: private words, "blank", or for a masked box only how many characters."""
    typed = edit.text()
    if not typed:
        return [Spoken(tr("blank"))]
    if edit.echoMode() != QLineEdit.EchoMode.Normal:
        count = len(typed)
        return [Spoken(trn("{n} character typed", "{n} characters typed", count).format(n=count))]
    return [Spoken(typed, private=_private(edit))]


def typed_echo(edit: QWidget, old: str, new: str) -> list[Spoken]:
    """What was just typed or deleted in a box: the character (private), or "star" for a masked box."""
    masked = isinstance(edit, QLineEdit) and edit.echoMode() != QLineEdit.EchoMode.Normal
    private = _private(edit)
    if len(new) == len(old) + 1:
        if masked:
            return [Spoken(tr("star"))]
        added = next((n for o, n in zip(old, new, strict=False) if o != n), new[-1])
        return [Spoken(tr("space") if added == " " else added, private=private)]
    if len(new) < len(old):
        return [Spoken(tr("deleted"))]
    return [] if masked else [Spoken(new, private=private)]
