"""The staff console: kiosk health, alerts, sync now with progress, the outbox by state with ages.

It takes plain data (the console facts and the outbox rows) and emits signals; the controller acts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton, QWidget

from app.staff_console import short_words
from app.status import KioskStatus
from ui import i18n
from ui.i18n import staff_tr
from ui.screens import Screen
from ui.staff.help_requests import HelpRowLike, add_help_requests
from ui.staff.payments import add_payments
from ui.widgets import Tile, button, label

__all__ = ["CONSOLE_ORDER", "STATE_HEADINGS", "ConsoleScreen", "OutboxRow", "age_text", "when_text"]

SHOWN_PER_STATE = 20
STATE_HEADINGS = {
    "needs_attention": "Need attention",
    "pending": "Waiting to send",
    "sending": "Being sent",
    "delivered": "Sent",
    "discarded": "Discarded",
}
CONSOLE_ORDER = ("needs_attention", "pending", "sending", "delivered", "discarded")


class OutboxRow(Protocol):
    """What the staff screens show of one outbox row (no answers)."""

    @property
    def submission_id(self) -> str: ...

    @property
    def reference(self) -> str: ...

    @property
    def journey_id(self) -> str: ...

    @property
    def journey_version(self) -> int: ...

    @property
    def state(self) -> str: ...

    @property
    def created_at(self) -> float: ...

    @property
    def attempts(self) -> int: ...

    @property
    def last_error_class(self) -> str | None: ...

    @property
    def last_error_message(self) -> str | None: ...

    @property
    def assisted_by(self) -> str | None: ...

    @property
    def server_reference(self) -> str | None: ...


def case_number(item: OutboxRow) -> str | None:
    """The council's own case number, when its portal gave one that is not the kiosk's reference."""
    number = item.server_reference
    return number if number and number != item.reference else None


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return staff_tr("none")
    s = max(0, int(seconds))
    if s == 1:
        return staff_tr("1 second")
    if s < 120:
        return staff_tr("{n} seconds").format(n=s)
    if s < 7200:
        return staff_tr("{n} minutes").format(n=s // 60)
    if s < 172800:
        return staff_tr("{n} hours").format(n=s // 3600)
    return staff_tr("{n} days").format(n=s // 86400)


def when_text(at: float | None) -> str:
    return time.strftime("%d %b %Y %H:%M", time.localtime(at)) if at else staff_tr("never")


class ConsoleScreen(Screen):
    """Kiosk health, alerts, sync now with progress, and the outbox by state with ages."""

    open_item = Signal(str)
    sync_now = Signal()
    acknowledge = Signal(int)
    check_progress = Signal()
    back_to_citizen = Signal()
    sign_out = Signal()
    close_kiosk = Signal()
    help_dealt_with = Signal(str)  # a help request's id
    cancel_payment = Signal(str)  # a payment still open at the portal
    paid_at_counter = Signal(str)  # a request sent as payment due, paid to staff
    switch_speech = Signal()  # staff switch audio mode between headphones and the open speaker

    def __init__(
        self,
        name: str,
        info: KioskStatus,
        items: Sequence[OutboxRow],
        *,
        online: bool,
        connection: str,
        alerts: list[str],
        notice: str = "",
        help_requests: Sequence[HelpRowLike] = (),
        payments: Sequence[Any] = (),
        bookings: Sequence[Any] = (),
        journey_name: Callable[[str, int], str] | None = None,
        speech: tuple[bool, str] | None = None,
    ) -> None:
        """`journey_name`: a journey id and version's name, in words (without it, the id is shown);
        `speech`: whether audio mode speaks privately now and why (ui/speech/listening.py), or None
        where the kiosk has no audio mode (then no switch)."""
        super().__init__("staff-console")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff words are English, whatever the citizen chose
        heading = staff_tr("Staff console")
        self.add(label(heading, "h1"), heading)
        who = staff_tr("Signed in as {name}").format(name=name)
        self.add(label(who, "hint"), who)
        self.notice = label(notice, "h2")
        self.notice.setObjectName("console-notice")
        self.notice.setVisible(bool(notice))
        self.add(self.notice, notice or None)
        back = button(staff_tr("Back to the citizen's screen"))
        back.setObjectName("back-to-citizen")
        back.clicked.connect(self.back_to_citizen.emit)
        self.back_button = back
        check = button(staff_tr("Check progress"), "secondary")
        check.setObjectName("console-check-progress")
        check.clicked.connect(self.check_progress.emit)
        self._row(back)
        self._row(check)
        add_help_requests(self, help_requests, self.help_dealt_with)  # citizens who pressed Get help
        add_payments(self, payments, bookings, self.cancel_payment, self.paid_at_counter)
        self.speech_button: QPushButton | None = None
        if speech is not None:
            self._add_speech_switch(*speech)

        self.add(label(staff_tr("This kiosk"), "h2"), staff_tr("This kiosk"))
        mode = staff_tr("training") if info.training else staff_tr("live")
        facts = [
            staff_tr("Kiosk {kiosk} at site {site} ({mode})").format(
                kiosk=info.kiosk_id or staff_tr("not enrolled"), site=info.site_id or "-", mode=mode
            ),
            staff_tr("Portal: {state}").format(
                state=connection if online else staff_tr("not reachable") + f" ({connection})"
            ),
            staff_tr("Last sync: {when}").format(when=when_text(info.last_sync_at))
            + (
                staff_tr(", last problem: {e}").format(e=i18n.text(short_words(info.last_error_class)))
                if info.last_error_class
                else ""
            ),
            staff_tr("Catalogue: version {v}, {n} services").format(
                v=info.catalogue_version or "-", n=info.catalogue_journeys
            ),
            staff_tr("Address pack: {v}, {n} addresses").format(v=info.address_pack, n=f"{info.address_count:,}")
            if info.address_pack
            else staff_tr("Address pack: none yet, so citizens type their addresses"),
            *([staff_tr("Street reports (Open311): {url}").format(url=info.open311_url)] if info.open311_url else []),
            staff_tr("Oldest waiting: {age}").format(age=age_text(info.oldest_pending_age_s)),
        ]
        for fact in facts:
            self.add(label(fact), fact)

        self.add(label(staff_tr("Send now"), "h2"), staff_tr("Send now"))
        self.sync_button = button(staff_tr("Sync now"))
        self.sync_button.setObjectName("sync-now")
        self.sync_button.clicked.connect(self.sync_now.emit)
        self._row(self.sync_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync-progress")
        self.progress.setAccessibleName(staff_tr("Sync progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setMinimumHeight(24)
        self.add(self.progress)
        self.progress_text = label(staff_tr("Not started"), "hint")
        self.progress_text.setObjectName("sync-progress-text")
        self.add(self.progress_text)

        self.add(label(staff_tr("Alerts"), "h2"), staff_tr("Alerts"))
        if not alerts and not info.alerts:
            self.add(label(staff_tr("No alerts.")), staff_tr("No alerts."))
        for text in alerts:
            self.add(label("!  " + text, "warning"), text)
        for alert in info.alerts:
            when = staff_tr("{n} times").format(n=alert.count) if alert.count > 1 else when_text(alert.raised_at)
            text = f"{i18n.text(alert.message)} ({when})"
            self.add(label("!  " + text, "warning"), text)
            ack = button(
                staff_tr("Mark as dealt with"), "secondary", name=staff_tr("Mark as dealt with") + ": " + alert.kind
            )
            ack.setObjectName(f"ack-{alert.id}")
            ack.clicked.connect(lambda _=False, i=alert.id: self.acknowledge.emit(i))
            self._row(ack)

        by_state: dict[str, list[OutboxRow]] = {s: [] for s in CONSOLE_ORDER}
        for item in items:
            by_state.setdefault(item.state, []).append(item)
        now = time.time()
        self.item_buttons: dict[str, QPushButton] = {}
        for state in CONSOLE_ORDER:
            group = by_state[state]
            title = staff_tr(STATE_HEADINGS[state]) + f" ({info.by_state.get(state, len(group))})"
            heading_label = label(title, "h2")
            heading_label.setObjectName(f"state-{state}")
            self.add(heading_label, title)
            if not group:
                self.add(label(staff_tr("None."), "hint"))
                continue
            shown = group if state in ("needs_attention", "pending", "sending") else group[-SHOWN_PER_STATE:]
            for item in shown:
                name = journey_name(item.journey_id, item.journey_version) if journey_name else item.journey_id
                detail = [name, staff_tr("{age} old").format(age=age_text(now - item.created_at))]
                if item.attempts:
                    detail.append(
                        staff_tr("1 attempt")
                        if item.attempts == 1
                        else staff_tr("{n} attempts").format(n=item.attempts)
                    )
                if item.last_error_class and state in ("pending", "needs_attention"):
                    detail.append(i18n.text(short_words(item.last_error_class)))
                if item.assisted_by:
                    detail.append(staff_tr("assisted by {s}").format(s=item.assisted_by))
                if case_number(item):
                    detail.append(staff_tr("council case {number}").format(number=case_number(item)))
                tile = Tile(item.reference, " · ".join(detail))
                tile.setObjectName(f"item-{item.reference}")
                tile.clicked.connect(lambda _=False, sid=item.submission_id: self.open_item.emit(sid))
                self.add(tile, f"{item.reference}. {' · '.join(detail)}")
                self.item_buttons[item.submission_id] = tile
            if len(group) > len(shown):
                more = staff_tr("and {n} older (see `dcp-kiosk outbox list`)").format(n=len(group) - len(shown))
                self.add(label(more, "hint"), more)

        self.add(label(staff_tr("Finish"), "h2"), staff_tr("Finish"))
        out = button(staff_tr("Sign out"))
        out.setObjectName("console-sign-out")
        out.setAccessibleDescription(staff_tr("Sign out and clear the citizen's session"))
        out.clicked.connect(self.sign_out.emit)
        close = button(staff_tr("Close the kiosk (IT)"), "secondary")
        close.setObjectName("close-kiosk")
        close.clicked.connect(self.close_kiosk.emit)
        self._row(out, close)
        self.column.addStretch(1)

    def _add_speech_switch(self, private: bool, source: str) -> None:
        """Where audio mode speaks now, and a switch for the citizen staff are helping."""
        self.add(label(staff_tr("Audio mode"), "h2"), staff_tr("Audio mode"))
        self.speech_button = button("", "secondary")
        self.speech_button.setObjectName("speech-output")
        self.speech_button.clicked.connect(self.switch_speech.emit)
        self._row(self.speech_button)
        self.speech_source = label("", "hint")
        self.speech_source.setObjectName("speech-output-source")
        self.add(self.speech_source)
        self.set_speech(private, source)

    def set_speech(self, private: bool, source: str) -> None:
        """Show where audio mode speaks now (the switch changes it, or the headphone jack)."""
        if self.speech_button is None:
            return
        if private:
            words, switch = staff_tr("Speech: headphones"), staff_tr("Switch to the open speaker (answers hidden)")
        else:
            words, switch = (
                staff_tr("Speech: open speaker, answers hidden"),
                staff_tr("Switch to headphones (answers spoken)"),
            )
        self.speech_button.setText(words)
        self.speech_button.setAccessibleName(words)
        self.speech_button.setAccessibleDescription(switch + ". " + staff_tr("For the citizen you are helping only."))
        found = staff_tr(
            "Now: {source}. The switch is for the citizen you are helping; the next starts from the kiosk's setting."
        ).format(source=source)
        self.speech_source.setText(found)
        self.speech_source.setAccessibleName(found)

    def set_progress(self, done: int, total: int, text: str) -> None:
        if total <= 0:
            self.progress.setRange(0, 0)  # busy: how much is left is not known yet
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress_text.setText(text)
        self.progress_text.setAccessibleName(text)

    def first_focus(self) -> QWidget | None:
        return self.back_button
