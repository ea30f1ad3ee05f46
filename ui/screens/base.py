"""Screen: a scrolling page with a column of content, and its words in reading order.

Every screen gives its content as phrases in reading order (`reading`, plain text: `reading_text`),
which is what speech reads, and names the widget that takes focus when it is shown. A phrase added with
its widget is read only while that widget shows (a search hides tiles; a details box opens).
"""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance, Slot
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.reading import Spoken
from ui.screens.scroll import MoreBelow, PageScroll
from ui.widgets import button, label

__all__ = ["Screen"]


class Screen(QWidget):
    """A scrolling page with a column of content."""

    announced = Signal(object)  # list[Spoken]: a change on the screen that speech says at once (an error)

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
        self._reading: list[tuple[QWidget | None, Spoken]] = []
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def add(self, widget: QWidget, reading: str | None = None, *, private: bool = False) -> QWidget:
        """A widget at the end of the column; `reading` is what speech says for it (`private`: personal data)."""
        self.column.addWidget(widget)
        if reading:
            self._reading.append((widget, Spoken(reading, private)))
        return widget

    def add_reading(
        self, *texts: str, private: bool = False, spell: bool = False, widget: QWidget | None = None
    ) -> None:
        """Words for speech that no single widget of the column carries (a button row, a summary row)."""
        self._reading.extend((widget, Spoken(t, private, spell)) for t in texts if t)

    def language_notice(self, text: str) -> QWidget:
        """A notice at the top of the page, read first: this service is (partly) only in English."""
        notice = label(text, "warning")
        notice.setObjectName("language-notice")
        notice.setAccessibleName(text)
        self.column.insertWidget(0, notice)
        self._reading.insert(0, (notice, Spoken(text)))
        return notice

    def set_reading(self, widget: QWidget, text: str, *, private: bool = False, spell: bool = False) -> None:
        """What speech says for `widget` now that its words have changed (added at the end if it had none)."""
        phrase = Spoken(text, private, spell)
        for i, (bound, _old) in enumerate(self._reading):
            if bound is widget:
                self._reading[i] = (widget, phrase)
                return
        self._reading.append((widget, phrase))

    def reading(self) -> list[Spoken]:
        """The screen's phrases in reading order, leaving out those of widgets that are hidden now."""
        body = self.page_scroll.widget()
        return [
            spoken
            for widget, spoken in self._reading
            if spoken.text and (widget is None or body is None or widget.isVisibleTo(body))
        ]

    def urgent(self) -> list[Spoken]:
        """What speech says first when the screen opens, before reading from the top (the errors)."""
        return []

    def announce(self, *texts: str, private: bool = False) -> None:
        """Tell speech about a change on this screen that matters now (an error appeared, the request was sent)."""
        self.announced.emit([Spoken(t, private) for t in texts if t])

    def reading_text(self) -> str:
        return "\n".join(spoken.text for spoken in self.reading())

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
        self.add_reading(tr("Back"), widget=back)
        return back
