"""A question or a message over the current screen: a card on a dimmed backdrop, in the window.

The card is a frame in the window (not a separate window, which a locked kiosk could lose behind
itself). The backdrop covers the whole window, so a tap beside the card lands on it and never on a
control of the screen beneath. Tab and Shift+Tab go round the card's own controls only.
The window decides what a tap on the backdrop means (see KioskWindow.eventFilter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.reading import Spoken

__all__ = ["ACTIVITY", "Backdrop", "Guard", "Overlay"]

# Input that counts as the citizen being there.
ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)
# The start of a tap or click, and the events that carry on or end it.
_PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin})
_GESTURE = _PRESSES | {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate}
_ENDS = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel})


class Backdrop(QWidget):
    """Dims the screen beneath a card, whatever the theme, and takes the taps beside it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay-backdrop")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))


class Overlay(QFrame):
    """A card centred near the top of `central`, as tall as its words need at this text size.

    `shown` is emitted when the card appears (not again while it stays up, whatever its words do), after
    focus has moved to it; `reading` gives its words in order, buttons included, for speech to read then.
    """

    shown = Signal()

    def __init__(self, central: QWidget, object_name: str, name: str) -> None:
        super().__init__(central)
        self.central = central
        self.backdrop = Backdrop(central)
        self.setObjectName(object_name)
        self.setProperty("role", "dialog")
        self.setAccessibleName(name)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(48, 48, 48, 48)
        self.box.setSpacing(24)
        self._focus_before: QWidget | None = None
        self.hide()

    def open(self, focus: QWidget) -> None:
        before = QApplication.focusWidget()
        appearing = not self.isVisible()
        if appearing:
            self._focus_before = None if self.holds(before) else before
        self.place()
        self.backdrop.show()
        self.backdrop.raise_()
        self.show()
        self.raise_()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if appearing:
            self.shown.emit()

    def reading(self) -> list[Spoken]:
        """The card's words in reading order, its buttons included (each card says its own)."""
        return []

    def close_card(self) -> None:
        self.hide()
        self.backdrop.hide()

    def restore_focus(self) -> bool:
        """Focus goes back where it was before the card, if that control is still there."""
        before, self._focus_before = self._focus_before, None
        if before is None or not isValid(before) or not before.isVisible():
            return False
        before.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def holds(self, widget: object) -> bool:
        """`widget` is the card or one of its controls."""
        return isinstance(widget, QWidget) and (widget is self or self.isAncestorOf(widget))

    def place(self) -> None:
        central = self.central
        self.backdrop.setGeometry(0, 0, central.width(), central.height())
        w = max(300, min(central.width() - 40, max(600, central.width() * 2 // 3)))
        self.setFixedWidth(w)
        self.box.activate()
        need = max(self.box.totalHeightForWidth(w), self.box.totalMinimumSize().height())
        self.setFixedHeight(need)
        top = min(80, max(0, (central.height() - need) // 2))
        self.move((central.width() - self.width()) // 2, top)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab stays on the card: round its own controls, never into the screen beneath."""
        chain = [w for w in self.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible()]
        if not chain:
            return True
        current = QApplication.focusWidget()
        i = chain.index(current) if current in chain else -1
        chain[(i + (1 if next else -1)) % len(chain)].setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True


@dataclass(frozen=True)
class _Card:
    overlay: Overlay
    on_escape: Callable[[], None]
    on_any_input: Callable[[], None] | None


class Guard:
    """What input means while a card shows (the window's event filter asks it first).

    A card added with `on_any_input` (the time-out warning) is dismissed by any tap, click or key
    anywhere, and that input goes no further: the whole tap (press, moves, release, and the mouse
    events Qt makes from a touch) is swallowed, so it says "I am here" and does not also press the
    control beneath, which could be "Accept and send" or "Start again". With any other card, a tap
    outside it is swallowed and Escape calls `on_escape`.
    """

    def __init__(self) -> None:
        self._cards: list[_Card] = []
        self._eating = False  # the rest of a tap that dismissed a card

    def add(
        self, overlay: Overlay, *, on_escape: Callable[[], None], on_any_input: Callable[[], None] | None = None
    ) -> None:
        self._cards.append(_Card(overlay, on_escape, on_any_input))

    def filter(self, watched: QObject, event: QEvent) -> bool:
        """True if the event is used up here."""
        kind = event.type()
        if self._eating:
            if kind in _ENDS:
                self._eating = False
                return True
            if kind in _GESTURE:
                return True
        for card in self._cards:
            if not card.overlay.isVisible():
                continue
            if card.on_any_input is not None:
                if kind in ACTIVITY:
                    card.on_any_input()
                    self._eating = kind in _PRESSES
                    return True
                return False
            if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                card.on_escape()
                return True
            return kind in _PRESSES and isinstance(watched, QWidget) and not card.overlay.holds(watched)
        return False
