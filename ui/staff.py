"""Staff sign-in, assisted mode, the staff console, and check progress (issue 8).

The window owns one StaffController. It adds the ways in (Ctrl+Alt+S, and a long press on the
banner title), the "Assisted by NAME" bar with the staff controls, and the citizens' "Check
progress" button. The staff screens (console, one submission, correction) are shown only while
a member of staff is signed in: `show_console` and friends refuse otherwise, and every way to
them goes through the sign-in screen, which needs a staff id and PIN.

Like the other screens, these take plain data and emit signals; the controller calls app.kiosk.
Decrypted answers are shown on the submission screen and nowhere else: never logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from app.kiosk import (
    STATES,
    CaseStatus,
    ConsoleInfo,
    InvalidTransition,
    Kiosk,
    OutboxItem,
    StoreError,
    fetch_case_status,
    normalise_reference,
)
from journeys.models import Journey
from ui.screens import Screen, Tile, button, label, tr

if TYPE_CHECKING:
    from sync.client import PortalClient

log = logging.getLogger("ui")

SIGN_IN_KEYS = "Ctrl+Alt+S"
LONG_PRESS_MS = 1500
STAFF_SCREENS = ("staff-console", "staff-item", "staff-correct")
SHOWN_PER_STATE = 20
STATE_HEADINGS = {
    "needs_attention": "Need attention",
    "pending": "Waiting to send",
    "sending": "Being sent",
    "delivered": "Sent",
    "discarded": "Discarded",
}
CONSOLE_ORDER = ("needs_attention", "pending", "sending", "delivered", "discarded")
assert set(CONSOLE_ORDER) == set(STATES)


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return tr("none")
    s = max(0, int(seconds))
    if s < 120:
        return tr("{n} seconds").format(n=s)
    if s < 7200:
        return tr("{n} minutes").format(n=s // 60)
    if s < 172800:
        return tr("{n} hours").format(n=s // 3600)
    return tr("{n} days").format(n=s // 86400)


def when_text(at: float | None) -> str:
    return time.strftime("%d %b %Y %H:%M", time.localtime(at)) if at else tr("never")


def answer_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def speech_available() -> bool:
    if importlib.util.find_spec("PySide6.QtTextToSpeech") is None:
        return False
    from PySide6.QtTextToSpeech import QTextToSpeech  # pragma: no cover (not in this build)

    return any(e != "mock" for e in QTextToSpeech.availableEngines())  # pragma: no cover


# -- screens ---------------------------------------------------------------------------------


class SignInScreen(Screen):
    """Staff id and PIN. The only way to the staff screens."""

    submitted = Signal(str, str)
    cancelled = Signal()

    def __init__(self, message: str = "") -> None:
        super().__init__("staff-sign-in")
        heading = tr("Staff sign in")
        self.add(label(heading, "h1"), heading)
        hint = tr("For council and library staff. If you are not staff, press Cancel.")
        self.add(label(hint, "hint"), hint)
        self.error = label(message, "error")
        self.error.setObjectName("sign-in-error")
        self.error.setVisible(bool(message))
        self.add(self.error)
        self.staff_id = QLineEdit()
        self.staff_id.setObjectName("staff-id")
        self.staff_id.setAccessibleName(tr("Staff id"))
        self.staff_id.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.add(label(tr("Staff id"), "h2", buddy=self.staff_id), tr("Staff id"))
        self.add(self.staff_id)
        self.pin = QLineEdit()
        self.pin.setObjectName("staff-pin")
        self.pin.setAccessibleName(tr("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData)
        self.pin.setMaxLength(12)
        self.add(label(tr("PIN"), "h2", buddy=self.pin), tr("PIN"))
        self.add(self.pin)
        self.staff_id.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)
        self.sign_in_button = button(tr("Sign in"))
        self.sign_in_button.setObjectName("sign-in")
        self.sign_in_button.clicked.connect(self._submit)
        cancel = button(tr("Cancel"), "secondary")
        cancel.setObjectName("sign-in-cancel")
        cancel.clicked.connect(self.cancelled.emit)
        self._row(self.sign_in_button, cancel)
        self._reading += [tr("Sign in"), tr("Cancel")]
        self.column.addStretch(1)

    def _submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.submitted.emit(self.staff_id.text(), pin)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.show()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def reading_text(self) -> str:
        return super().reading_text() + ("\n" + self.error.text() if self.error.isVisible() else "")

    def first_focus(self) -> QWidget | None:
        return self.pin if self.staff_id.text() else self.staff_id


class ConsoleScreen(Screen):
    """Kiosk health, alerts, sync now with progress, and the outbox by state with ages."""

    open_item = Signal(str)
    sync_now = Signal()
    acknowledge = Signal(int)
    check_progress = Signal()
    back_to_citizen = Signal()
    sign_out = Signal()
    close_kiosk = Signal()

    def __init__(
        self,
        name: str,
        info: ConsoleInfo,
        items: list[OutboxItem],
        *,
        online: bool,
        connection: str,
        alerts: list[str],
        notice: str = "",
    ) -> None:
        super().__init__("staff-console")
        heading = tr("Staff console")
        self.add(label(heading, "h1"), heading)
        who = tr("Signed in as {name}").format(name=name)
        self.add(label(who, "hint"), who)
        self.notice = label(notice, "h2")
        self.notice.setObjectName("console-notice")
        self.notice.setVisible(bool(notice))
        self.add(self.notice, notice or None)
        back = button(tr("Back to the citizen's screen"))
        back.setObjectName("back-to-citizen")
        back.clicked.connect(self.back_to_citizen.emit)
        self.back_button = back
        check = button(tr("Check progress"), "secondary")
        check.setObjectName("console-check-progress")
        check.clicked.connect(self.check_progress.emit)
        self._row(back)
        self._row(check)

        self.add(label(tr("This kiosk"), "h2"), tr("This kiosk"))
        mode = tr("training") if info.training else tr("live")
        facts = [
            tr("Kiosk {kiosk} at site {site} ({mode})").format(
                kiosk=info.kiosk_id or tr("not enrolled"), site=info.site_id or "-", mode=mode
            ),
            tr("Portal: {state}").format(state=connection if online else tr("not reachable") + f" ({connection})"),
            tr("Last sync: {when}").format(when=when_text(info.last_sync_at))
            + (tr(", last problem: {e}").format(e=info.last_error_class) if info.last_error_class else ""),
            tr("Catalogue: version {v}, {n} services").format(
                v=info.catalogue_version or "-", n=info.catalogue_journeys
            ),
            tr("Oldest waiting: {age}").format(age=age_text(info.oldest_pending_age_s)),
        ]
        for fact in facts:
            self.add(label(fact), fact)

        self.add(label(tr("Send now"), "h2"), tr("Send now"))
        self.sync_button = button(tr("Sync now"))
        self.sync_button.setObjectName("sync-now")
        self.sync_button.clicked.connect(self.sync_now.emit)
        self._row(self.sync_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync-progress")
        self.progress.setAccessibleName(tr("Sync progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setMinimumHeight(24)
        self.add(self.progress)
        self.progress_text = label(tr("Not started"), "hint")
        self.progress_text.setObjectName("sync-progress-text")
        self.add(self.progress_text)

        self.add(label(tr("Alerts"), "h2"), tr("Alerts"))
        if not alerts and not info.alerts:
            self.add(label(tr("No alerts.")), tr("No alerts."))
        for text in alerts:
            self.add(label("!  " + text, "warning"), text)
        for alert in info.alerts:
            text = f"{alert.message} ({tr('{n} times').format(n=alert.count) if alert.count > 1 else when_text(alert.raised_at)})"
            self.add(label("!  " + text, "warning"), text)
            ack = button(tr("Mark as dealt with"), "secondary", name=tr("Mark as dealt with") + ": " + alert.kind)
            ack.setObjectName(f"ack-{alert.id}")
            ack.clicked.connect(lambda _=False, i=alert.id: self.acknowledge.emit(i))
            self._row(ack)

        by_state: dict[str, list[OutboxItem]] = {s: [] for s in CONSOLE_ORDER}
        for item in items:
            by_state.setdefault(item.state, []).append(item)
        now = time.time()
        self.item_buttons: dict[str, QPushButton] = {}
        for state in CONSOLE_ORDER:
            group = by_state[state]
            title = tr(STATE_HEADINGS[state]) + f" ({info.by_state.get(state, len(group))})"
            heading_label = label(title, "h2")
            heading_label.setObjectName(f"state-{state}")
            self.add(heading_label, title)
            if not group:
                self.add(label(tr("None."), "hint"))
                continue
            shown = group if state in ("needs_attention", "pending", "sending") else group[-SHOWN_PER_STATE:]
            for item in shown:
                detail = [item.journey_id, tr("{age} old").format(age=age_text(now - item.created_at))]
                if item.attempts:
                    detail.append(tr("1 attempt") if item.attempts == 1 else tr("{n} attempts").format(n=item.attempts))
                if item.last_error_class and state in ("pending", "needs_attention"):
                    detail.append(item.last_error_class)
                if item.assisted_by:
                    detail.append(tr("assisted by {s}").format(s=item.assisted_by))
                tile = Tile(item.reference, " · ".join(detail))
                tile.setObjectName(f"item-{item.reference}")
                tile.clicked.connect(lambda _=False, sid=item.submission_id: self.open_item.emit(sid))
                self.add(tile, f"{item.reference}. {' · '.join(detail)}")
                self.item_buttons[item.submission_id] = tile
            if len(group) > len(shown):
                more = tr("and {n} older (see `dcp-kiosk outbox list`)").format(n=len(group) - len(shown))
                self.add(label(more, "hint"), more)

        self.add(label(tr("Finish"), "h2"), tr("Finish"))
        out = button(tr("Sign out"))
        out.setObjectName("console-sign-out")
        out.setAccessibleDescription(tr("Sign out and clear the citizen's session"))
        out.clicked.connect(self.sign_out.emit)
        close = button(tr("Close the kiosk (IT)"), "secondary")
        close.setObjectName("close-kiosk")
        close.clicked.connect(self.close_kiosk.emit)
        self._row(out, close)
        self.column.addStretch(1)

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


class ItemScreen(Screen):
    """One submission: state, the portal's message, the answers (decrypted here only), actions."""

    retry = Signal()
    correct = Signal()
    discard = Signal(str)
    back = Signal()

    def __init__(
        self, item: OutboxItem, answers: list[tuple[str, str]] | None, *, error: str = "", reason: str = ""
    ) -> None:
        super().__init__("staff-item")
        self.back_button = self._back_link(self.back)
        heading = tr("Submission {reference}").format(reference=item.reference)
        self.add(label(heading, "h1"), heading)
        facts = [
            tr("State: {state}").format(state=tr(STATE_HEADINGS.get(item.state, item.state))),
            tr("Service: {journey} version {v}").format(journey=item.journey_id, v=item.journey_version),
            tr("Saved: {when}").format(when=when_text(item.created_at))
            + ", "
            + (tr("1 attempt") if item.attempts == 1 else tr("{n} attempts").format(n=item.attempts)),
        ]
        if item.assisted_by:
            facts.append(tr("Assisted by: {s}").format(s=item.assisted_by))
        for fact in facts:
            self.add(label(fact), fact)
        if item.last_error_class:
            title = tr("What the portal said")
            self.add(label(title, "h2"), title)
            said = f"{item.last_error_class}: {item.last_error_message or ''}"
            message = label(said, "inset")
            message.setObjectName("portal-message")
            self.add(message, said)
        self.error = label(error, "error")
        self.error.setObjectName("item-error")
        self.error.setVisible(bool(error))
        self.add(self.error, error or None)
        self.answers_heading = label(tr("The answers"), "h2")
        self.add(self.answers_heading, tr("The answers"))
        if answers is None:
            self.add(label(tr("The answers are no longer kept on this kiosk.")))
        else:
            for question, value in answers:
                self.add(label(question, "hint"))
                shown = label(value or tr("(no answer)"))
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                self.add(shown)
        self.retry_button: QPushButton | None = None
        self.correct_button: QPushButton | None = None
        self.reason: QLineEdit | None = None
        if item.state == "needs_attention":
            self.add(label(tr("Put it right"), "h2"), tr("Put it right"))
            hint = tr("Retry if the problem was on the portal's side. Correct the answers if the portal refused one.")
            self.add(label(hint, "hint"), hint)
            self.retry_button = button(tr("Retry"))
            self.retry_button.setObjectName("retry")
            self.retry_button.clicked.connect(self.retry.emit)
            buttons = [self.retry_button]
            if answers is not None:
                self.correct_button = button(tr("Correct and resubmit"), "secondary")
                self.correct_button.setObjectName("correct")
                self.correct_button.clicked.connect(self.correct.emit)
                buttons.append(self.correct_button)
            self._row(*buttons)
        if item.state in ("needs_attention", "pending"):
            self.add(label(tr("Discard"), "h2"), tr("Discard"))
            hint = tr("It will never be sent and its answers are destroyed. Say why, without personal details.")
            self.add(label(hint, "hint"), hint)
            self.reason = QLineEdit(reason)
            self.reason.setObjectName("discard-reason")
            self.reason.setAccessibleName(tr("Reason for discarding"))
            self.reason.setMaxLength(200)
            self.add(label(tr("Reason for discarding"), buddy=self.reason))
            self.add(self.reason)
            discard = button(tr("Discard this submission"), "secondary")
            discard.setObjectName("discard")
            discard.clicked.connect(lambda: self.discard.emit(self.reason.text() if self.reason else ""))
            self._row(discard)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.retry_button or self.back_button


class CorrectScreen(Screen):
    """Every question of the submission, with its answer as stored, for staff to put right."""

    resubmit = Signal(dict)
    back = Signal()

    def __init__(self, reference: str, rows: list[tuple[str, str, str, bool]], errors: list[str]) -> None:
        """rows: (question id, question label, answer text, named by the portal's message)."""
        super().__init__("staff-correct")
        self.back_button = self._back_link(self.back)
        heading = tr("Correct {reference}").format(reference=reference)
        self.add(label(heading, "h1"), heading)
        hint = tr(
            "Change what the portal refused, with the citizen. Lists and addresses are written as they are stored."
        )
        self.add(label(hint, "hint"), hint)
        for message in errors:
            self.add(label(tr("Error") + ": " + message, "error"), message)
        self.edits: dict[str, QLineEdit] = {}
        for qid, question, value, flagged in rows:
            edit = QLineEdit(value)
            edit.setObjectName(f"answer-{qid}")
            edit.setAccessibleName(question)
            if flagged:
                edit.setProperty("error", "true")
                edit.setAccessibleDescription(tr("The portal refused this answer"))
            self.add(label(question + (tr(" (refused by the portal)") if flagged else ""), "h2", buddy=edit))
            self.add(edit)
            self.edits[qid] = edit
        send = button(tr("Resubmit"))
        send.setObjectName("resubmit")
        send.clicked.connect(lambda: self.resubmit.emit({k: e.text() for k, e in self.edits.items()}))
        self.send_button = send
        self._row(send)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        flagged: list[QWidget] = [e for e in self.edits.values() if e.property("error") == "true"]
        return (flagged or list(self.edits.values()) or [self.send_button])[0]


class CheckProgressScreen(Screen):
    """A reference in, the case's status out (from the portal, on a worker thread)."""

    check = Signal(str)
    back = Signal()

    def __init__(self) -> None:
        super().__init__("check-progress")
        self.back_button = self._back_link(self.back)
        heading = tr("Check the progress of a request")
        self.add(label(heading, "h1"), heading)
        self.reference = QLineEdit()
        self.reference.setObjectName("case-reference")
        self.reference.setAccessibleName(tr("Your reference"))
        self.reference.setAccessibleDescription(tr("For example, DCP-AB2C-D3EF"))
        self.reference.setMaxLength(40)
        self.reference.setInputMethodHints(
            Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.reference.returnPressed.connect(self._check)
        self.add(label(tr("Your reference"), "h2", buddy=self.reference), tr("Your reference"))
        self.add(label(tr("For example, DCP-AB2C-D3EF"), "hint"), tr("For example, DCP-AB2C-D3EF"))
        self.add(self.reference)
        self.check_button = button(tr("Check"))
        self.check_button.setObjectName("check")
        self.check_button.clicked.connect(self._check)
        self._row(self.check_button)
        self.result = label("", "h2")
        self.result.setObjectName("case-result")
        self.add(self.result)
        self.column.addStretch(1)

    def _check(self) -> None:
        self.check.emit(self.reference.text())

    def set_result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setAccessibleName(text)

    def reading_text(self) -> str:
        return super().reading_text() + ("\n" + self.result.text() if self.result.text() else "")

    def first_focus(self) -> QWidget | None:
        return self.reference


def case_text(case: CaseStatus, training: bool = False) -> str:
    if case.kind == "found":
        received = tr("received by the training portal") if training else tr("received by the council")
        status = {"received": received}.get(case.status or "", case.status or "")
        when = ""
        if case.received_at:
            try:
                when = " " + tr("on {date}").format(
                    date=dt.datetime.fromisoformat(case.received_at).strftime("%d %B %Y")
                )
            except ValueError:
                when = ""
        return tr("{reference}: {status}{when}.").format(reference=case.reference, status=status, when=when)
    if case.kind == "waiting_here":
        if case.status == "needs_attention":
            return tr(
                "{reference} is saved on this kiosk. A member of staff needs to check it before it is sent."
            ).format(reference=case.reference)
        return tr(
            "{reference} is saved on this kiosk and will be sent to the council when the connection is back."
        ).format(reference=case.reference)
    if case.kind == "not_found":
        return tr("We could not find {reference}. Check the reference and try again.").format(reference=case.reference)
    return tr("We cannot check this right now. Please try again later, or ask a member of staff.")


class CaseStatusThread(QThread):
    """Asks the portal for a case's status off the UI thread (the UI never waits on the network)."""

    result = Signal(object)  # CaseStatus

    def __init__(self, client: PortalClient | None, reference: str) -> None:
        super().__init__()
        self.client = client
        self.reference = reference

    def run(self) -> None:
        self.result.emit(fetch_case_status(self.client, self.reference))


# -- the controller ----------------------------------------------------------------------------


class StaffController(QObject):
    """Sign-in, assisted mode and the staff screens, for one KioskWindow."""

    signed_in_changed = Signal(bool)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.staff_id: str | None = None
        self.name: str | None = None
        self._threads: list[CaseStatusThread] = []
        self._syncing: tuple[int, float] | None = None  # (waiting when started, started at)
        self._sync_text = ""
        self._sync_done = 0
        self._sync_total = 0
        # the assisted-mode bar, hidden until staff sign in
        self.bar = QFrame()
        self.bar.setObjectName("staff-bar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.assisted = QLabel()
        self.assisted.setObjectName("assisted-by")
        self.assisted.setWordWrap(True)
        self.assisted.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.assisted, 1)
        self.console_button = button(tr("Staff console"), "secondary")
        self.console_button.setObjectName("staff-console-button")
        self.console_button.clicked.connect(self.show_console)
        self.sign_out_button = button(tr("Sign out"), "secondary")
        self.sign_out_button.setObjectName("staff-sign-out")
        self.sign_out_button.setAccessibleDescription(tr("Sign out and clear the citizen's session"))
        self.sign_out_button.clicked.connect(self.sign_out)
        row.addWidget(self.console_button)
        row.addWidget(self.sign_out_button)
        self.bar.hide()
        self._press = QTimer(self)
        self._press.setSingleShot(True)
        self._press.setInterval(LONG_PRESS_MS)
        self._press.timeout.connect(self.open_sign_in)
        self.shortcut: QShortcut | None = None
        app = QCoreApplication.instance()
        if app is not None:  # a status check still running at exit is waited for, not destroyed
            app.aboutToQuit.connect(self.wait_for_checks)

    @property
    def kiosk(self) -> Kiosk:
        kiosk: Kiosk = self.window.kiosk
        return kiosk

    def install(self, title: QWidget) -> None:
        """The two ways in: Ctrl+Alt+S anywhere in the window, and a long press on the title."""
        self.shortcut = QShortcut(QKeySequence(SIGN_IN_KEYS), self.window)
        self.shortcut.setObjectName("staff-sign-in-shortcut")
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.open_sign_in)
        title.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._press.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave):
            self._press.stop()
        return False

    def add_to_home(self, home: Screen) -> None:
        """Citizens' way to check progress: a tile at the end of the home screen."""
        heading = tr("Already asked for something?")
        title, summary = tr("Check the progress of a request"), tr("Enter the reference from your receipt.")
        tile = Tile(title, summary)
        tile.setObjectName("check-progress")
        tile.clicked.connect(self.show_check_progress)
        at = max(0, home.column.count() - 1)  # before the closing stretch
        home.column.insertWidget(at, label(heading, "h2"))
        home.column.insertWidget(at + 1, tile)
        home._reading += [heading, f"{title}. {summary}"]

    @property
    def signed_in(self) -> bool:
        return self.staff_id is not None

    # -- sign in and out ------------------------------------------------------------------

    @Slot()
    def open_sign_in(self) -> None:
        if self.signed_in:
            self.show_console()
            return
        screen = SignInScreen()
        screen.submitted.connect(self._sign_in)
        screen.cancelled.connect(self.return_to_citizen)
        self.window._show(screen)

    @Slot(str, str)
    def _sign_in(self, staff_id: str, pin: str) -> None:
        screen = self.window.current
        try:
            result = self.kiosk.staff_sign_in(staff_id, pin)
        except StoreError:
            log.error("staff sign-in could not use the database")
            result = None
        if result is None or not result.ok:
            message = (
                result.message if result is not None else tr("Sign-in is not working: the database cannot be used.")
            )
            if isinstance(screen, SignInScreen):
                screen.show_error(tr(message))
            return
        self.staff_id, self.name = result.staff_id, result.name
        text = tr("Assisted by {name}").format(name=self.name)
        self.assisted.setText(text)
        self.assisted.setAccessibleName(text)
        self.bar.show()
        self.signed_in_changed.emit(True)
        self.show_console()

    def _end(self, reason: str) -> None:
        staff_id = self.staff_id
        self.staff_id = self.name = None
        self._syncing = None
        self.bar.hide()
        self.assisted.clear()
        if staff_id is not None:
            try:
                self.kiosk.staff_sign_out(staff_id, reason)
            except StoreError:
                log.error("staff sign-out could not be audited")
            self.signed_in_changed.emit(False)

    @Slot()
    def sign_out(self) -> None:
        """Signing out also ends the citizen's session: the full wipe."""
        self._end("signed out")
        self.window.start_again()

    def on_wipe(self) -> None:
        """The window wiped the session (Start again, Finish, time-out): staff are signed out too."""
        if self.signed_in:
            self._end("session ended")

    @Slot()
    def close_kiosk(self) -> None:
        if not self.signed_in:
            return
        self.kiosk.staff.audit("staff_closed_kiosk", self.staff_id or "")
        self._end("closed the kiosk")
        self.window.session.wipe()
        self.window.allow_close = True
        self.window.close()

    @Slot()
    def return_to_citizen(self) -> None:
        progress = self.window.session.progress
        if progress is not None:
            self.window._show_page(progress.page)
        else:
            self.window.show_home()

    # -- the console ----------------------------------------------------------------------

    def alert_texts(self) -> list[str]:
        """Alerts worked out now (the stored ones come with ConsoleInfo)."""
        found = []
        if self.kiosk.enrolment() is None:
            found.append(tr("This kiosk is not enrolled: nothing can be sent. IT must run `dcp-kiosk enrol`."))
        if not self.kiosk.keyring_usable():
            found.append(tr("The keyring cannot be used: submissions cannot be saved or sent. Contact IT."))
        if not speech_available():
            found.append(tr("Speech output is not available on this kiosk: no speech engine is installed."))
        return found

    @Slot()
    def show_console(self, notice: str = "") -> None:
        if not self.signed_in:
            return
        screen = ConsoleScreen(
            self.name or "",
            self.kiosk.console_info(),
            self.kiosk.outbox(),
            online=self.window.online,
            connection=self.window.connection.text(),
            alerts=self.alert_texts(),
            notice=notice,
        )
        screen.open_item.connect(self.show_item)
        screen.sync_now.connect(self.sync_now)
        screen.acknowledge.connect(self._acknowledge)
        screen.check_progress.connect(self.show_check_progress)
        screen.back_to_citizen.connect(self.return_to_citizen)
        screen.sign_out.connect(self.sign_out)
        screen.close_kiosk.connect(self.close_kiosk)
        if self._sync_text:
            screen.set_progress(self._sync_done, self._sync_total, self._sync_text)
        self.window._show(screen)

    @Slot(int)
    def _acknowledge(self, alert_id: int) -> None:
        if self.staff_id is None:
            return
        with contextlib.suppress(KeyError):
            self.kiosk.acknowledge_alert(alert_id, self.staff_id)
        self.show_console(tr("Alert marked as dealt with."))

    @Slot()
    def sync_now(self) -> None:
        if not self.signed_in:
            return
        if self.kiosk.enrolment() is None:
            self._set_sync(0, 1, tr("This kiosk is not enrolled, so nothing can be sent. Ask IT to enrol it."))
            return
        waiting = self.kiosk.store.outbox.counts().waiting
        self._syncing = (waiting, time.time())
        self._set_sync(0, waiting, tr("Sending… {n} waiting").format(n=waiting))
        self.kiosk.staff.audit("staff_sync_now", self.staff_id or "")
        self.window.outbox_grew.emit()

    def _set_sync(self, done: int, total: int, text: str) -> None:
        self._sync_done, self._sync_total, self._sync_text = done, total, text
        if isinstance(self.window.current, ConsoleScreen):
            self.window.current.set_progress(done, total, text)

    def on_sync_status(self, status: Any) -> None:
        if self._syncing is None or not self.signed_in:
            return
        start, _ = self._syncing
        total = max(start, status.waiting, 1)
        if status.in_progress:
            self._set_sync(total - status.waiting, total, tr("Sending… {n} waiting").format(n=status.waiting))
            return
        self._syncing = None
        if status.online:
            text = tr("Finished: {n} still waiting, {m} need attention").format(
                n=status.waiting, m=status.needs_attention
            )
        else:
            text = tr("The portal cannot be reached: {n} still waiting. They will be sent later.").format(
                n=status.waiting
            )
        self._sync_done, self._sync_total, self._sync_text = total, total, text
        if isinstance(self.window.current, ConsoleScreen):
            self.show_console()  # fresh counts and states
            if isinstance(self.window.current, ConsoleScreen):
                self.window.current.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- one submission -------------------------------------------------------------------

    def _questions(self, item: OutboxItem) -> dict[str, tuple[str, str]]:
        """question id -> (label, type), from the cached journey when there is one."""
        journey: Journey | None = self.kiosk.journey(item.journey_id, item.journey_version)
        if journey is None:
            return {}
        return {q.id: (q.label.en, q.type) for q in journey.questions()}

    @Slot(str)
    def show_item(self, submission_id: str, error: str = "", reason: str = "") -> None:
        if not self.signed_in:
            return
        item = self.kiosk.store.outbox.item(submission_id)
        try:
            answers = self.kiosk.staff_answers(submission_id, self.staff_id or "")
        except StoreError:
            answers = None
            error = error or tr("The answers cannot be decrypted on this kiosk. Contact IT.")
        except Exception as exc:  # VaultError: the keyring; never show or log what it held
            log.error("answers unreadable: %s", type(exc).__name__)
            answers = None
            error = error or tr("The answers cannot be decrypted on this kiosk. Contact IT.")
        questions = self._questions(item)
        rows = None
        if answers is not None:
            rows = [(questions.get(k, (k, ""))[0], answer_text(v)) for k, v in answers.items()]
        screen = ItemScreen(item, rows, error=error, reason=reason)
        screen.back.connect(self.show_console)
        screen.retry.connect(lambda: self._retry(submission_id))
        screen.correct.connect(lambda: self.show_correct(submission_id))
        screen.discard.connect(lambda text: self._discard(submission_id, text))
        self.window._show(screen)

    def _retry(self, submission_id: str) -> None:
        if self.staff_id is None:
            return
        item = self.kiosk.store.outbox.item(submission_id)
        try:
            self.kiosk.retry(submission_id, self.staff_id)
        except InvalidTransition as exc:
            self.show_item(submission_id, error=str(exc))
            return
        self.window.outbox_grew.emit()
        self.show_console(tr("{reference} will be sent again now.").format(reference=item.reference))

    def _discard(self, submission_id: str, reason: str) -> None:
        if self.staff_id is None:
            return
        item = self.kiosk.store.outbox.item(submission_id)
        try:
            self.kiosk.discard(submission_id, self.staff_id, reason)
        except (ValueError, InvalidTransition) as exc:
            message = str(exc)
            self.show_item(submission_id, error=message[:1].upper() + message[1:] + ".", reason=reason)
            return
        self.show_console(tr("{reference} was discarded: it will not be sent.").format(reference=item.reference))

    def show_correct(
        self, submission_id: str, errors: list[str] | None = None, typed: dict[str, str] | None = None
    ) -> None:
        if not self.signed_in:
            return
        item = self.kiosk.store.outbox.item(submission_id)
        answers = self.kiosk.store.outbox.answers(submission_id) or {}
        questions = self._questions(item)
        refused = (item.last_error_message or "").casefold()
        rows = []
        for qid in list(questions) + [k for k in answers if k not in questions]:
            question = questions.get(qid, (qid, ""))[0]
            text = typed[qid] if typed and qid in typed else ("" if qid not in answers else answer_text(answers[qid]))
            flagged = bool(refused) and (qid.casefold() in refused or question.rstrip("?").casefold() in refused)
            rows.append((qid, question, text, flagged))
        screen = CorrectScreen(item.reference, rows, errors or [])
        screen.back.connect(lambda: self.show_item(submission_id))
        screen.resubmit.connect(lambda texts: self._resubmit(submission_id, texts))
        self.window._show(screen)

    def _resubmit(self, submission_id: str, texts: dict[str, str]) -> None:
        if self.staff_id is None:
            return
        item = self.kiosk.store.outbox.item(submission_id)
        before = self.kiosk.store.outbox.answers(submission_id) or {}
        questions = self._questions(item)
        answers: dict[str, Any] = {}
        errors: list[str] = []
        for qid, text in texts.items():
            text = text.strip()
            if not text:
                continue
            question, kind = questions.get(qid, (qid, ""))
            structured = kind in ("number", "money", "checkboxes", "address") or not isinstance(
                before.get(qid, ""), str
            )
            if structured:
                try:
                    answers[qid] = json.loads(text)
                except ValueError:
                    errors.append(
                        tr("{q}: write it as it was stored, for example {example}").format(
                            q=question, example=answer_text(before.get(qid, ["option"]))
                        )
                    )
            else:
                answers[qid] = text
        if errors:
            self.show_correct(submission_id, errors, texts)
            return
        try:
            self.kiosk.correct_and_resubmit(submission_id, self.staff_id, answers)
        except (InvalidTransition, StoreError) as exc:
            self.show_correct(submission_id, [str(exc)], texts)
            return
        self.window.outbox_grew.emit()
        self.show_console(tr("{reference} was corrected and will be sent again now.").format(reference=item.reference))

    # -- check progress (citizens and staff) ----------------------------------------------------

    @Slot()
    def show_check_progress(self) -> None:
        screen = CheckProgressScreen()
        screen.check.connect(self._check)
        screen.back.connect(self.show_console if self.signed_in else self.return_to_citizen)
        self.window._show(screen)

    @Slot(str)
    def _check(self, text: str) -> None:
        screen = self.window.current
        if not isinstance(screen, CheckProgressScreen):
            return
        reference = normalise_reference(text)
        if not reference:
            screen.set_result(tr("Enter your reference, for example DCP-AB2C-D3EF."))
            return
        local = self.kiosk.local_case(reference)
        if local is not None:
            screen.set_result(case_text(local))
            return
        if not self.window.online:
            screen.set_result(case_text(CaseStatus("unavailable", reference)))
            return
        screen.set_result(tr("Checking…"))
        screen.check_button.setEnabled(False)
        thread = CaseStatusThread(self.kiosk.case_client(), reference)
        thread.result.connect(self._case_result)
        thread.finished.connect(self._reap)
        self._threads.append(thread)
        thread.start()

    @Slot(object)
    def _case_result(self, case: CaseStatus) -> None:
        screen = self.window.current
        if isinstance(screen, CheckProgressScreen):
            screen.set_result(case_text(case, self.kiosk.config.training))
            screen.check_button.setEnabled(True)

    @Slot()
    def _reap(self) -> None:
        for thread in [t for t in self._threads if t.isFinished()]:
            self._threads.remove(thread)
            thread.deleteLater()

    @Slot()
    def wait_for_checks(self) -> None:
        """Let a running status check finish (window shutdown, tests)."""
        for thread in list(self._threads):
            thread.wait()
