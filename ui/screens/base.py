"""Screen: a scrolling page with a column of content, and its words in reading order.

Every screen can give its content as plain text in reading order (`reading_text`), which is
what speech output will read, and names the widget that takes focus when it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, SignalInstance, Slot
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.widgets import button

__all__ = ["Screen"]

FOCUS_MARGIN_PX = 48  # room left around a control scrolled into view, so its label shows too


class Screen(QWidget):
    """A scrolling page with a column of content."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("body")
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(48, 32, 48, 32)
        self.column.setSpacing(20)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.scroll = scroll
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

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever moved focus (Tab, an error link, the page opening), the focused control is scrolled
        into view; a page that has just been shown is laid out first, so that its place is known."""
        body = self.scroll.widget()
        if new is None or body is None or not body.isAncestorOf(new):
            return
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.reveal(new)

    def reveal(self, widget: QWidget) -> None:
        """Scroll so that all of `widget` shows, with a margin (its top, if it is taller than the screen).

        QScrollArea.ensureWidgetVisible shows only the text cursor of a text box, not the box."""
        body = self.scroll.widget()
        bar = self.scroll.verticalScrollBar()
        view = self.scroll.viewport().height()
        top = widget.mapTo(body, QPoint(0, 0)).y()
        margin = min(FOCUS_MARGIN_PX, max(0, (view - widget.height()) // 2))
        value = bar.value()
        value = max(value, top + widget.height() + margin - view)
        value = min(value, top - margin)
        bar.setValue(value)

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
