"""The idle time-out (WCAG 2.2.1): after a quiet spell, warn with a countdown, then wipe.

`IdleTimer` owns the two timers and the warning over the screen. Its public interface is what
the window and the tests use: `restart()` on every input, `warn_now()` to show the warning
(what the quiet timer does when it fires), `tick()` for one second of the countdown,
`more_time()` to extend, `stop()`, and `seconds_left`, `waiting`, `counting`. The window says
when there is nothing to protect (`pristine`), and wipes on `expired`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.widgets import button, label

__all__ = ["MIN_WARNING_S", "IdleTimer", "IdleWarning"]

log = logging.getLogger("ui")

MIN_WARNING_S = 20  # WCAG 2.2.1: at least 20 seconds to ask for more time


class IdleWarning(QFrame):
    """'Do you need more time?' with a countdown, over the current screen (WCAG 2.2.1)."""

    more_time = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle-warning")
        self.setProperty("role", "dialog")
        self.setAccessibleName(tr("Do you need more time?"))
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 48, 48, 48)
        box.setSpacing(24)
        heading = label(tr("Do you need more time?"), "h1")
        box.addWidget(heading)
        self.countdown = label("")
        self.countdown.setObjectName("idle-countdown")
        box.addWidget(self.countdown)
        self.button = button(tr("I need more time"))
        self.button.setObjectName("more-time")
        self.button.clicked.connect(self.more_time.emit)
        box.addWidget(self.button)
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        text = tr("For your privacy, this screen will be cleared in {n} seconds.").format(n=seconds)
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def place(self, central: QWidget) -> None:
        """Centred near the top of the window, as tall as its words need at this text size."""
        w = max(300, min(central.width() - 40, max(600, central.width() * 2 // 3)))
        self.setFixedWidth(w)
        layout = self.layout()
        if layout is not None:
            layout.activate()
            self.setFixedHeight(max(layout.totalHeightForWidth(w), layout.totalMinimumSize().height()))
        self.move((central.width() - self.width()) // 2, 80)


class IdleTimer(QObject):
    """A quiet spell, then the warning with a countdown, then `expired` (the window wipes)."""

    expired = Signal()
    extended = Signal()  # the citizen asked for more time

    def __init__(self, central: QWidget, timeout_s: int, warning_s: int, pristine: Callable[[], bool]) -> None:
        super().__init__(central)
        self.central = central
        self.timeout_s = timeout_s
        self.warning_s = min(max(MIN_WARNING_S, warning_s), timeout_s)
        self._pristine = pristine
        self.warning = IdleWarning(central)
        self.warning.more_time.connect(self.more_time)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self.warn_now)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self.tick)
        self.seconds_left = 0

    @property
    def quiet_ms(self) -> int:
        """How long the kiosk waits, with no input, before it warns."""
        return (self.timeout_s - self.warning_s) * 1000

    @property
    def waiting(self) -> bool:
        """The quiet spell is running (the warning will come if nothing happens)."""
        return self._quiet.isActive()

    @property
    def counting(self) -> bool:
        """The warning is up and counting down."""
        return self._countdown.isActive()

    def restart(self, after_ms: int | None = None) -> None:
        """Input, or a new screen: the quiet spell starts again (not while the warning is up)."""
        if self.warning.isVisible():
            return
        if self._pristine():
            self._quiet.stop()
            return
        self._quiet.start(self.quiet_ms if after_ms is None else after_ms)

    @Slot()
    def warn_now(self, seconds: int | None = None) -> None:
        """Show the warning and start the countdown (from `seconds`, or the full warning time)."""
        if self._pristine():
            return
        self._quiet.stop()
        self.seconds_left = self.warning_s if seconds is None else seconds
        self.warning.show_seconds(self.seconds_left)
        self.place()
        self.warning.show()
        self.warning.raise_()
        self.warning.button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._countdown.start()

    @Slot()
    def tick(self) -> None:
        """One second of the countdown; at nought the session is wiped."""
        self.seconds_left -= 1
        if self.seconds_left <= 0:
            log.info("session timed out: wiped")
            self.stop()
            self.expired.emit()
        else:
            self.warning.show_seconds(self.seconds_left)

    @Slot()
    def more_time(self) -> None:
        self.hide_warning()
        self.restart()
        self.extended.emit()

    def hide_warning(self) -> None:
        self._countdown.stop()
        self.warning.hide()

    def stop(self) -> None:
        """No timer left running: a wiped or closed window has nothing to protect."""
        self.hide_warning()
        self._quiet.stop()

    def place(self) -> None:
        self.warning.place(self.central)
