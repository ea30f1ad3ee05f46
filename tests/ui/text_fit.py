"""Does every word on a screen fit the room it is given? The accessibility walker's text checks.

A text that does not wrap needs its full width (``QFontMetrics.horizontalAdvance`` of its longest
line); a text that wraps needs at least its longest word. The room is the width of the widget's text
area (its contents rect, or for a button the style's contents rect) that is not cut off by an
ancestor, so words pushed out of a scroll area's viewport count as clipped too. A horizontal
scrollbar on a page is a failure of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

__all__ = ["clipped_words", "horizontal_scrollbars", "needed_width", "room"]

SLACK_PX = 1  # rounding of fractional advances


def _shown(root: QWidget) -> Iterator[QWidget]:
    for w in root.findChildren(QWidget):
        if w.isVisible() and w.width() > 0:
            yield w


def _plain(w: QLabel) -> str:
    words = w.text()
    if w.textFormat() == Qt.TextFormat.RichText or (w.textFormat() == Qt.TextFormat.AutoText and "<" in words):
        doc = QTextDocument()
        doc.setHtml(words)
        return doc.toPlainText()
    return words


def needed_width(words: str, metrics: QFontMetrics, wraps: bool) -> int:
    """The width the words need: the longest word when they wrap, else the longest line."""
    pieces = words.split() if wraps else words.replace("&&", "&").splitlines()
    return max((metrics.horizontalAdvance(p) for p in pieces), default=0)


def _text_rect(w: QWidget) -> QRect:
    if isinstance(w, QLabel):
        rect = w.contentsRect()
        return rect.adjusted(w.margin() + max(w.indent(), 0), 0, -w.margin(), 0)
    assert isinstance(w, QAbstractButton)
    option = QStyleOptionButton()
    if isinstance(w, QCheckBox):
        w.initStyleOption(option)
        return w.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, w)
    if isinstance(w, QRadioButton):
        w.initStyleOption(option)
        return w.style().subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, w)
    if isinstance(w, QPushButton):
        w.initStyleOption(option)
        return w.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, w)
    return w.contentsRect()


def room(w: QWidget) -> int:
    """The width of w's text area that its ancestors do not cut off (horizontally), in px."""
    rect = _text_rect(w)
    left = w.mapTo(w.window(), rect.topLeft()).x()
    right = left + rect.width()
    parent = w.parentWidget()
    while parent is not None:
        start = parent.mapTo(parent.window(), parent.rect().topLeft()).x()
        left, right = max(left, start), min(right, start + parent.width())  # a scroll area's viewport too
        parent = parent.parentWidget()
    return max(0, right - left)


def clipped_words(root: QWidget) -> list[str]:
    """One line for each label or button on screen whose words need more width than they have."""
    found = []
    for w in _shown(root):
        if isinstance(w, QLabel):
            words, wraps = _plain(w), w.wordWrap()
        elif isinstance(w, QAbstractButton):
            words, wraps = w.text(), False
        else:
            continue
        if not words.strip():
            continue
        need, have = needed_width(words, w.fontMetrics(), wraps), room(w)
        if need > have + SLACK_PX:
            kind = type(w).__name__
            found.append(f"{kind} {words[:40]!r}: its words need {need} px and have {have} px")
    return found


def horizontal_scrollbars(root: QWidget) -> list[str]:
    """One line for each scroll area on screen that shows a horizontal scrollbar."""
    return [
        f"{area.parentWidget().objectName() if area.parentWidget() else 'a page'} scrolls sideways "
        f"({area.widget().minimumSizeHint().width() if area.widget() else '?'} px in {area.viewport().width()} px)"
        for area in root.findChildren(QScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]
