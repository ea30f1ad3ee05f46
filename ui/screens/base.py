"""Screen: a scrolling page with a column of content, and its words in reading order.

Every screen can give its content as plain text in reading order (`reading_text`), which is
what speech output will read, and names the widget that takes focus when it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import SignalInstance, Slot
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.screens.scroll import MoreBelow, PageScroll
from ui.widgets import button

__all__ = ["Screen"]


class Screen(QWidget):
    """A scrolling page with a column of content."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        scroll = PageScroll()
        body = QWidget()
        body.setObjectName("body")
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(48, 32, 48, 32)
        self.column.setSpacing(20)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.page_scroll = scroll
        self._outer = outer
        self.more_below: MoreBelow | None = None  # made when the page first turns out longer than the screen
        scroll.verticalScrollBar().rangeChanged.connect(self._range_changed)
        self._reading: list[str] = []
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def add(self, widget: QWidget, reading: str | None = None) -> QWidget:
        """A widget at the end of the column; `reading` is what speech says for it."""
        self.column.addWidget(widget)
        if reading:
            self._reading.append(reading)
        return widget

    def add_reading(self, *texts: str) -> None:
        """Words for speech that no single widget carries (a button row, a tile added later)."""
        self._reading.extend(texts)

    def reading_text(self) -> str:
        return "\n".join(self._reading)

    def first_focus(self) -> QWidget | None:
        return None

    @Slot(int, int)
    def _range_changed(self, _low: int, high: int) -> None:
        if high > 0 and self.more_below is None:
            self.more_below = MoreBelow(self.page_scroll)
            self._outer.addWidget(self.more_below)
            self.more_below.update_shown()

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever moved focus (Tab, an error link, the page opening), the focused control is scrolled
        into view."""
        body = self.page_scroll.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self.page_scroll.reveal(new)

    def _row(self, *widgets: QWidget) -> None:
        """Buttons side by side at their natural width; the layout mirrors right to left."""
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        self.column.addLayout(row)

    def _back_link(self, signal: SignalInstance) -> QPushButton:
        back = button(tr("Back"), "link")
        back.setObjectName("back")
        back.clicked.connect(signal.emit)
        self._row(back)
        return back
