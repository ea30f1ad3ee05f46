"""'Get help': a citizen asks for a member of staff, from any screen, and loses nothing.

The request is recorded on the kiosk first (app: Kiosk.ask_for_help); only then does the card say
that staff have been asked. Whether staff elsewhere in the building have been told is read from
what the kiosk recorded, after the portal accepted the request: until then the card says that
staff at this kiosk will see it. The screen beneath is untouched, so "Back to where I was" returns
the citizen to their page with their answers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.kiosk import Kiosk
from ui.i18n import tr
from ui.overlay import Overlay
from ui.reading import Spoken
from ui.widgets import button, label

__all__ = ["HelpCard", "HelpDesk"]


HELP_WAIT_MIN = 10  # while the Get help card shows, the time-out waits this long before it warns


def _kept() -> str:
    return tr("Your answers are kept while you wait, for up to {n} minutes.").format(n=HELP_WAIT_MIN)


class HelpCard(Overlay):
    back = Signal()

    def __init__(self, central: QWidget) -> None:
        super().__init__(central, "help-card", "")
        self.heading = label("", "h1")
        self.box.addWidget(self.heading)
        self.message = label("")
        self.message.setObjectName("help-message")
        self.box.addWidget(self.message)
        self.reach = label("")
        self.reach.setObjectName("help-reach")
        self.box.addWidget(self.reach)
        self.back_button = button("")
        self.back_button.setObjectName("help-back")
        self.back_button.clicked.connect(self.back.emit)
        self.box.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def retranslate(self) -> None:
        """The card's heading and button in the display language (the message is written when it shows)."""
        self.setAccessibleName(tr("Get help"))
        self.heading.setText(tr("Get help"))
        self.heading.setAccessibleName(self.heading.text())
        self.back_button.setText(tr("Back to where I was"))
        self.back_button.setAccessibleName(self.back_button.text())

    def reading(self) -> list[Spoken]:
        """The heading, what has been done, how far the request has gone, and the way back."""
        shown = [self.heading.text(), self.message.text(), "" if self.reach.isHidden() else self.reach.text()]
        return [Spoken(words) for words in (*shown, self.back_button.text()) if words]

    def _say(self, message: str, reach: str) -> None:
        self.message.setText(message)
        self.reach.setText(reach)
        self.reach.setVisible(bool(reach))
        self.setAccessibleDescription(f"{message} {reach}".strip())
        if self.isVisible():
            self.place()  # the words' height may have changed

    def show_asked(self, *, delivered: bool, trying: bool, refused: bool = False) -> None:
        message = tr("We have asked a member of staff to come and help you.") + " " + _kept()
        if refused:  # the council's system will not take it: only what is true here
            reach = tr("Staff at this kiosk will see your request.")
        elif delivered:
            reach = tr("Staff in the building have been told.")
        elif trying:
            reach = tr("Telling staff in the building…")
        else:
            reach = tr(
                "Staff at this kiosk will see your request. The kiosk cannot reach the council's system "
                "just now, so staff elsewhere in the building will be told when it can."
            )
        self._say(message, reach)

    def show_not_recorded(self) -> None:
        self._say(
            tr(
                "Sorry, your request for help could not be recorded on this kiosk. Please ask at the desk, "
                "or ask someone nearby to fetch a member of staff."
            )
            + " "
            + _kept(),
            "",
        )


class HelpDesk(QObject):
    """The window's part of Get help: one request per citizen until staff deal with it."""

    asked = Signal()  # a request was recorded: the window asks for a sync pass now
    waiting = Signal(bool)  # the card shows (the citizen waits for staff) or has gone

    def __init__(self, central: QWidget, kiosk: Kiosk, journey_of: Callable[[], str | None]) -> None:
        super().__init__(central)
        self.kiosk = kiosk
        self._journey_of = journey_of
        self.card = HelpCard(central)
        self.card.back.connect(self.close)
        self.request_id: str | None = None
        self._online = False

    @Slot()
    def ask(self, online: bool) -> None:
        self._online = online
        fresh = self.request_id is None or not self.kiosk.help_reach(self.request_id).open
        if fresh:
            self.request_id = self.kiosk.ask_for_help(self._journey_of())
        if self.request_id is None:
            self.card.show_not_recorded()
        else:
            self._show_reach()
        self.card.open(self.card.back_button)
        self.waiting.emit(True)
        if fresh and self.request_id is not None:
            self.asked.emit()

    def refresh(self, online: bool) -> None:
        """After a sync pass: say how far the request has gone."""
        self._online = online
        if self.card.isVisible() and self.request_id is not None:
            self._show_reach()

    def _show_reach(self) -> None:
        assert self.request_id is not None
        reach = self.kiosk.help_reach(self.request_id)
        self.card.show_asked(delivered=reach.delivered, trying=self._online and not reach.tried, refused=reach.refused)

    @Slot()
    def close(self) -> None:
        self.card.close_card()
        self.waiting.emit(False)
        self.card.restore_focus()

    def reset(self) -> None:
        """The session is wiped: the card goes, and the next citizen's Get help is a new request."""
        self.card.close_card()
        self.waiting.emit(False)
        self.request_id = None

    def place(self) -> None:
        self.card.place()
