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
from PySide6.QtWidgets import QWidget

from ui.i18n import tr, trn
from ui.overlay import Overlay
from ui.reading import Spoken
from ui.widgets import button, label

__all__ = ["MIN_WARNING_S", "IdleTimer", "IdleWarning"]

log = logging.getLogger("ui")

MIN_WARNING_S = 20  # WCAG 2.2.1: at least 20 seconds to ask for more time


class IdleWarning(Overlay):
    """'Do you need more time?' with a countdown, over the current screen (WCAG 2.2.1).

    Any tap or key while it shows counts as the citizen being there (the window's event filter):
    the button is there for those who look for one."""

    more_time = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "idle-warning", "")
        self.heading = label("", "h1")
        self.box.addWidget(self.heading)
        self.countdown = label("")
        self.countdown.setObjectName("idle-countdown")
        self.box.addWidget(self.countdown)
        self.carry_on = label("")
        self.box.addWidget(self.carry_on)
        self.button = button("")
        self.button.setObjectName("more-time")
        self.button.clicked.connect(self.more_time.emit)
        self.box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def retranslate(self) -> None:
        """The card's words in the display language (the countdown is written when it shows)."""
        self.setAccessibleName(tr("Do you need more time?"))
        self.heading.setText(tr("Do you need more time?"))
        self.heading.setAccessibleName(self.heading.text())
        self.carry_on.setText(tr("Touch the screen or press any key to carry on."))
        self.button.setText(tr("I need more time"))
        self.button.setAccessibleName(self.button.text())

    def show_seconds(self, seconds: int, answers: bool = True) -> None:
        if answers:
            text = trn(
                "For your privacy, your answers will be cleared in {n} second.",
                "For your privacy, your answers will be cleared in {n} seconds.",
                seconds,
            ).format(n=seconds)
        else:
            text = trn(
                "For your privacy, this screen will be reset in {n} second.",
                "For your privacy, this screen will be reset in {n} seconds.",
                seconds,
            ).format(n=seconds)
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def reading(self) -> list[Spoken]:
        """The question, the countdown as it is now, what to do, and the button."""
        return [Spoken(w.text()) for w in (self.heading, self.countdown, self.carry_on, self.button) if w.text()]


class IdleTimer(QObject):
    """A quiet spell, then the warning with a countdown, then `expired` (the window wipes)."""

    expired = Signal()
    extended = Signal()  # the citizen asked for more time

    def __init__(
        self,
        central: QWidget,
        timeout_s: int,
        warning_s: int,
        pristine: Callable[[], bool],
        entered: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(central)
        self._entered = entered  # the citizen has answers to lose (the warning says so)
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
        self._answers = True
        self.hold_ms = 0  # a longer quiet spell while the citizen waits for something (a member of staff)

    @property
    def quiet_ms(self) -> int:
        """How long the kiosk waits, with no input, before it warns."""
        return (self.timeout_s - self.warning_s) * 1000

    @property
    def waiting(self) -> bool:
        """The quiet spell is running (the warning will come if nothing happens)."""
        return self._quiet.isActive()

    @property
    def quiet_left_ms(self) -> int:
        """How long until the warning, if nothing happens (-1 when no quiet spell runs)."""
        return self._quiet.remainingTime() if self._quiet.isActive() else -1

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
        self._quiet.start(max(self.quiet_ms, self.hold_ms) if after_ms is None else after_ms)

    @Slot()
    def warn_now(self, seconds: int | None = None) -> None:
        """Show the warning and start the countdown (from `seconds`, or the full warning time)."""
        if self._pristine():
            return
        self._quiet.stop()
        self.seconds_left = self.warning_s if seconds is None else seconds
        self._answers = self._entered()
        self.warning.show_seconds(self.seconds_left, self._answers)
        self.warning.open(self.warning.button)
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
            self.warning.show_seconds(self.seconds_left, self._answers)

    @Slot()
    def more_time(self) -> None:
        self.hide_warning()
        self.restart()
        self.extended.emit()

    def restore_focus(self) -> bool:
        """Focus goes back where it was before the warning, if that control is still there."""
        return self.warning.restore_focus()

    def hide_warning(self) -> None:
        self._countdown.stop()
        self.warning.close_card()

    def stop(self) -> None:
        """No timer left running: a wiped or closed window has nothing to protect."""
        self.hide_warning()
        self._quiet.stop()

    def place(self) -> None:
        self.warning.place()
