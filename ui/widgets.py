"""Widgets every screen shares: a plain-text label, a button with its accessible name, a tile, and
buttons, checkboxes and radios whose words wrap.

They take plain words and emit Qt's own signals; none of them knows a journey or the kiosk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["OptionCheckBox", "OptionRadio", "Tile", "WrappingButton", "button", "label"]


def label(text: str, role: str = "", *, buddy: QWidget | None = None) -> QLabel:
    w = QLabel(text)
    w.setWordWrap(True)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        w.setProperty("role", role)
    if role == "h1":
        w.setAccessibleName(text)
    if buddy is not None:
        w.setBuddy(buddy)
    return w


def button(text: str, role: str = "", name: str | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name or text.replace("\n", " "))
    b.setAutoDefault(True)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        b.setProperty("role", role)
    return b


class Tile(QPushButton):
    """A large button whose words wrap, however large the text: a title line and a summary.

    QPushButton does not wrap its text, so the words are labels in the button's own layout, and
    the button's height follows their height at its width.
    """

    def __init__(self, title: str, summary: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)
        self.setAutoDefault(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty("role", "tile")
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 12, 20, 12)
        box.setSpacing(4)
        self.lines: list[QLabel] = []
        for text, role in ((title, "tile-title"), (summary, "tile-summary")):
            line = label(text, role)
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(line)
            self.lines.append(line)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def set_summary(self, summary: str) -> None:
        self.lines[1].setText(summary)
        self.setAccessibleDescription(summary)

    def _set_focused(self, focused: bool) -> None:
        # A style sheet cannot colour a child by its parent's :focus, so the tile carries a property.
        self.setProperty("focused", "true" if focused else "false")
        for child in self.findChildren(QLabel):
            child.style().unpolish(child)
            child.style().polish(child)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._set_focused(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._set_focused(False)

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else super().heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(max(self.width(), 200)))


if TYPE_CHECKING:
    _ButtonBase = QAbstractButton
else:
    _ButtonBase = object


class _WrappedWords(_ButtonBase):
    """What a button whose words wrap adds to its Qt class (QPushButton, QCheckBox, QRadioButton).

    Qt's buttons draw their text on one line and never wrap it, so the button has no text of its own:
    its words are a word-wrapping label in the button's own layout, placed where the style would draw
    the text, and the button's height follows the label's height at the button's width (Qt's
    height-for-width). The label takes no clicks: a tap anywhere on the button presses it. The
    accessible name is the words, so speech reads the control as before.
    """

    CONTENTS: ClassVar[QStyle.SubElement]
    CONTENTS_SIZE: ClassVar[QStyle.ContentsType]
    PAD_PX: ClassVar[int] = 6  # above and below the words, inside the button's border
    words: QLabel

    def _wrap_words(self, words: str, role: str = "") -> None:
        self.setAccessibleName(words)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.words = label(words, role)
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout(self)
        box.setSpacing(0)
        box.addWidget(self.words)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)
        self._place_words()

    def _place_words(self) -> None:
        """The label where the style puts a button's text: after the box, inside border and padding."""
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]
        option.rect = QRect(0, 0, 1000, max(self.height(), 100))
        option.direction = Qt.LayoutDirection.LeftToRight
        text = self.style().subElementRect(self.CONTENTS, option, self)
        layout = self.layout()
        if layout is not None:
            # Qt's layouts do not mirror their margins right to left: the box is on the right there, so the
            # words keep clear of it only if the margins are swapped here (and again when the direction changes).
            before, after = max(text.left(), 0), max(999 - text.right(), 0)
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                before, after = after, before
            layout.setContentsMargins(before, self.PAD_PX, after, self.PAD_PX)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        words = layout.totalHeightForWidth(width) if layout is not None else 0
        return max(self._one_line().height(), words)

    def _one_line(self) -> QSize:
        """The size the style gives the button with one line of no width: its minimum height, the box."""
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]
        line = QSize(0, self.fontMetrics().height())
        return self.style().sizeFromContents(self.CONTENTS_SIZE, option, line, self)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        width = max(layout.minimumSize().width() if layout is not None else 0, self._one_line().width())
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)  # a tap anywhere presses it: on the words and on the empty part too

    def _set_focused(self, focused: bool) -> None:
        # A style sheet cannot colour a child by its parent's :focus, so the button carries a property.
        self.setProperty("focused", "true" if focused else "false")
        self.words.style().unpolish(self.words)
        self.words.style().polish(self.words)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._set_focused(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._set_focused(False)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.LayoutDirectionChange):
            self._place_words()
            self.updateGeometry()


class WrappingButton(_WrappedWords, QPushButton):
    """A push button (a link, an error-summary link) whose words wrap."""

    CONTENTS = QStyle.SubElement.SE_PushButtonContents
    CONTENTS_SIZE = QStyle.ContentsType.CT_PushButton

    def __init__(self, words: str, role: str = "") -> None:
        super().__init__()
        if role:
            self.setProperty("role", role)
        self.setAutoDefault(True)
        self._wrap_words(words)


class OptionCheckBox(_WrappedWords, QCheckBox):
    """A checkbox row whose words wrap; a tap anywhere on the row ticks it."""

    CONTENTS = QStyle.SubElement.SE_CheckBoxContents
    CONTENTS_SIZE = QStyle.ContentsType.CT_CheckBox

    def __init__(self, words: str) -> None:
        super().__init__()
        self._wrap_words(words)


class OptionRadio(_WrappedWords, QRadioButton):
    """A radio row whose words wrap; a tap anywhere on the row chooses it."""

    CONTENTS = QStyle.SubElement.SE_RadioButtonContents
    CONTENTS_SIZE = QStyle.ContentsType.CT_RadioButton

    def __init__(self, words: str) -> None:
        super().__init__()
        self._wrap_words(words)
