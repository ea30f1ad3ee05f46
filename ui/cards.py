"""The cards over the citizen's screen, and what input means while one shows.

Three cards: the time-out warning ("Do you need more time?"), the Start again question ("Clear
your answers and start again?") and Get help. Each sits over the screen without touching it, so
whatever the citizen entered is still there when the card goes. The window hands every input
event to `filter` first (see ui/overlay.py's Guard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QWidget

from ui.help import HELP_WAIT_MIN, HelpDesk
from ui.idle import IdleTimer
from ui.overlay import ACTIVITY, Guard
from ui.screens import QuestionScreen
from ui.start_again import StartAgainDialog, has_entered

if TYPE_CHECKING:
    from ui.window import KioskWindow

__all__ = ["Cards"]


class Cards(QObject):
    def __init__(self, window: KioskWindow, central: QWidget, timeout_s: int, warning_s: int) -> None:
        super().__init__(window)
        self.window = window
        self.idle = IdleTimer(central, timeout_s, warning_s, window.pristine, self.entered)
        self.idle.expired.connect(window.start_again)
        self.idle.extended.connect(self._after_more_time)
        self.start_again = StartAgainDialog(central)
        self.start_again.clear.connect(window.start_again)
        self.start_again.keep.connect(self._keep_answers)
        self.help = HelpDesk(central, window.kiosk, self._journey_id)
        self.help.asked.connect(window.outbox_grew.emit)  # a sync pass now delivers it, or learns it cannot
        self.help.waiting.connect(self._waiting_for_staff)
        window.banner.start_again.connect(self.ask_start_again)
        window.banner.get_help.connect(lambda: self.help.ask(window.online))
        self.guard = Guard()
        self.guard.add(self.idle.warning, on_escape=self.idle.more_time, on_any_input=self.idle.more_time)
        self.guard.add(self.start_again, on_escape=self._keep_answers)
        self.guard.add(self.help.card, on_escape=self.help.close)

    def retranslate(self) -> None:
        """Every card's words in the display language (a card is built once and lives as long as the window)."""
        self.idle.warning.retranslate()
        self.start_again.retranslate()
        self.help.card.retranslate()

    def entered(self) -> bool:
        """The citizen has answered or typed something that Start again or the time-out would clear."""
        current = self.window.current
        typed = current.values() if isinstance(current, QuestionScreen) else {}
        return has_entered(self.window.session, typed)

    def _journey_id(self) -> str | None:
        progress = self.window.session.progress
        return progress.journey.id if progress is not None else None

    @Slot()
    def ask_start_again(self) -> None:
        """The banner's Start again: asked first when the citizen has entered something."""
        if self.entered():
            self.start_again.ask()
        else:
            self.window.start_again()

    @Slot(bool)
    def _waiting_for_staff(self, waiting: bool) -> None:
        """While the Get help card shows, the answers are kept longer: staff take a while to come."""
        self.idle.hold_ms = HELP_WAIT_MIN * 60_000 if waiting else 0
        self.idle.restart()

    @Slot()
    def _keep_answers(self) -> None:
        self.start_again.close_card()
        if not self.start_again.restore_focus():
            self.window.focus_current()

    @Slot()
    def _after_more_time(self) -> None:
        if not self.idle.restore_focus():
            self.window.focus_current()

    def wiped(self) -> None:
        """The session is over: no card is left, and no timer (a fresh home screen has nothing to protect)."""
        self.start_again.close_card()
        self.help.reset()
        self.idle.stop()

    def place(self) -> None:
        self.idle.place()
        self.start_again.place()
        self.help.place()

    def filter(self, watched: QObject, event: QEvent) -> bool:
        """True if the event is used up by a card."""
        if event.type() in ACTIVITY and not self.idle.warning.isVisible():
            self.idle.restart()
        return self.guard.filter(watched, event)

    def after_sync(self, online: bool) -> None:
        self.help.refresh(online)
