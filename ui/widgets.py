"""Widgets every screen shares: a plain-text label, a button with its accessible name, a tile.

They take plain words and emit Qt's own signals; none of them knows a journey or the kiosk.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

__all__ = ["Tile", "button", "label"]


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
