"""StaffController: sign-in, assisted mode and the staff screens, for one KioskWindow.

The window owns one controller. It adds the ways in (ui/staff/gate.py), the "Assisted by NAME"
bar with the staff controls, and the citizens' "Check progress" tile. The staff screens (console,
one submission, correction) are shown only while a member of staff is signed in: `show_console`
and friends refuse otherwise, and every way to them goes through the sign-in screen.

Every staff action goes through app's use cases (app/staff_console.py): the item view is audited
there, a correction is checked there by the journey's own answer types. Decrypted answers are
shown on the submission and correction screens and nowhere else: never logged.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.kiosk import CaseStatus, Kiosk, normalise_reference
from app.staff_console import (
    STATES,
    FieldError,
    InvalidTransition,
    JourneyUnavailable,
    StaffConsole,
    StoreError,
    VaultError,
)
from ui import i18n
from ui.i18n import staff_tr, tr
from ui.screens import Screen
from ui.speech.listening import Listening
from ui.staff.check_progress import CaseChecks, CheckProgressScreen, case_text
from ui.staff.console import CONSOLE_ORDER, ConsoleScreen
from ui.staff.correct import CorrectScreen
from ui.staff.gate import AssistedBar, SignInGate, SignInScreen
from ui.staff.help_requests import deal_with_help
from ui.staff.item import ItemScreen, portal_words
from ui.staff.payments import cancel_stale_payment, mark_paid_at_counter
from ui.widgets import Tile, label

__all__ = ["STAFF_SCREENS", "StaffController"]

log = logging.getLogger("ui")

STAFF_SCREENS = ("staff-console", "staff-item", "staff-correct")
assert set(CONSOLE_ORDER) == set(STATES)  # the console shows every outbox state


def speech_available() -> bool:
    """A real speech engine can load: Qt's plugin, and on Linux the speech-dispatcher it speaks through."""
    from ui.speech.engine import engines

    if sys.platform == "win32":
        return any(e in ("sapi", "winrt") for e in engines())
    return "speechd" in engines() and shutil.which("speech-dispatcher") is not None


class StaffController(QObject):
    """Sign-in, assisted mode and the staff screens, for one KioskWindow."""

    signed_in_changed = Signal(bool)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.staff_id: str | None = None
        self.name: str | None = None
        self.checks = CaseChecks(self)
        self.checks.result.connect(self._case_result)
        self._syncing: tuple[int, float] | None = None  # (waiting when started, started at)
        self._sync_text = ""
        self._sync_done = 0
        self._sync_total = 0
        self.bar = AssistedBar()  # hidden until staff sign in
        self.bar.console_button.clicked.connect(self.show_console)
        self.bar.sign_out_button.clicked.connect(self.sign_out)
        self.assisted = self.bar.assisted
        self.gate = SignInGate(window)
        self._listening: Listening | None = None
        self._watched: Listening | None = None  # the Listening whose changes the console follows
        self.gate.requested.connect(self.open_sign_in)
        app = QCoreApplication.instance()
        if app is not None:  # a status check still running at exit is waited for, not destroyed
            app.aboutToQuit.connect(self.wait_for_checks)

    @property
    def kiosk(self) -> Kiosk:
        kiosk: Kiosk = self.window.kiosk
        return kiosk

    @property
    def console(self) -> StaffConsole:
        return StaffConsole(self.kiosk)

    def install(self, title: QWidget) -> None:
        """The long press on the banner title is the second way in (Ctrl+Alt+S is the first)."""
        self.gate.watch(title)

    def add_to_home(self, home: Screen) -> None:
        """Citizens' way to check progress: a tile at the end of the home screen."""
        heading = tr("Already asked for something?")
        title, summary = (
            tr("Check the progress of a request"),
            tr("Use the reference shown on screen when you sent it, or the one in our email or letter."),
        )
        tile = Tile(title, summary)
        tile.setObjectName("check-progress")
        tile.clicked.connect(self.show_check_progress)
        at = max(0, home.column.count() - 1)  # before the closing stretch
        home.column.insertWidget(at, label(heading, "h2"))
        home.column.insertWidget(at + 1, tile)
        home.add_reading(heading, f"{title}. {summary}")

    @property
    def listening(self) -> Listening | None:
        """Private listening for the staff switch: set by the window, else the speech controller's."""
        if self._listening is not None:
            return self._listening
        found = getattr(getattr(self.window, "speech", None), "listening", None)
        return found if isinstance(found, Listening) else None

    @listening.setter
    def listening(self, listening: Listening | None) -> None:
        self._listening = listening

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
                i18n.text(result.message)
                if result is not None
                else staff_tr("Sign-in is not working: the database cannot be used.")
            )
            if isinstance(screen, SignInScreen):
                screen.show_error(message)
            return
        self.staff_id, self.name = result.staff_id, result.name
        text = staff_tr("Assisted by {name}").format(name=self.name)
        self.bar.show_assisted(text)
        self.signed_in_changed.emit(True)
        self.show_console()

    def _end(self, reason: str) -> None:
        staff_id = self.staff_id
        self.staff_id = self.name = None
        self._syncing = None
        self.bar.clear()
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
        """The window wiped the session (Start again, Finish, time-out): staff are signed out too,
        and a switch of the speech output made for this citizen does not outlive them."""
        if self.signed_in:
            self._end("session ended")
        if self.listening is not None:
            self.listening.reset()

    @Slot()
    def close_kiosk(self) -> None:
        if not self.signed_in:
            return
        self.console.audit("staff_closed_kiosk", self.staff_id or "")
        self._end("closed the kiosk")
        self.window.session.wipe()
        self.window.allow_close = True
        self.window.close()

    @Slot()
    def return_to_citizen(self) -> None:
        if self.window.steps.resume():
            return  # the payment step, or the QR code of a payment still open
        progress = self.window.session.progress
        if progress is not None:
            self.window._show_page(progress.page)
        else:
            self.window.show_home()

    # -- the console ----------------------------------------------------------------------

    def alert_texts(self) -> list[str]:
        """Alerts worked out now (the stored ones come with the status snapshot)."""
        found = []
        if self.kiosk.enrolment() is None:
            found.append(staff_tr("This kiosk is not enrolled: nothing can be sent. IT must run `dcp-kiosk enrol`."))
        if not self.kiosk.keyring_usable():
            found.append(staff_tr("The keyring cannot be used: submissions cannot be saved or sent. Contact IT."))
        if not speech_available():
            found.append(
                staff_tr("Audio mode cannot speak on this kiosk: speech-dispatcher is not installed. Contact IT.")
            )
        return found

    @Slot()
    def show_console(self, notice: str = "") -> None:
        if not self.signed_in:
            return
        console, lang = self.console, self.window.session.language
        screen = ConsoleScreen(
            self.name or "",
            console.status(),
            console.outbox(),
            online=self.window.online,
            connection=self.window.connection.text(),
            alerts=self.alert_texts(),
            notice=notice,
            help_requests=self.kiosk.help_requests(),
            payments=self.kiosk.steps.payments(waiting_only=True),
            bookings=self.kiosk.steps.bookings(),
            journey_name=lambda journey_id, version: i18n.text(console.journey_name(journey_id, version), lang),
            speech=self._speech(),
        )
        screen.help_dealt_with.connect(lambda rid: deal_with_help(self, rid))
        screen.cancel_payment.connect(lambda pid: cancel_stale_payment(self, pid))
        screen.paid_at_counter.connect(lambda pid: mark_paid_at_counter(self, pid))
        screen.open_item.connect(self.show_item)
        screen.sync_now.connect(self.sync_now)
        screen.acknowledge.connect(self._acknowledge)
        screen.check_progress.connect(self.show_check_progress)
        screen.back_to_citizen.connect(self.return_to_citizen)
        screen.sign_out.connect(self.sign_out)
        screen.close_kiosk.connect(self.close_kiosk)
        screen.switch_speech.connect(self.switch_speech)
        if self._sync_text:
            screen.set_progress(self._sync_done, self._sync_total, self._sync_text)
        self.window._show(screen)

    def _speech(self) -> tuple[bool, str] | None:
        listening = self.listening
        if listening is None:
            return None
        if listening is not self._watched:  # the console follows the jack while it is shown
            if self._watched is not None:
                with contextlib.suppress(RuntimeError):
                    self._watched.changed.disconnect(self._speech_changed)
            listening.changed.connect(self._speech_changed)
            self._watched = listening
        return listening.private, listening.source()

    @Slot()
    def switch_speech(self) -> None:
        """Staff switch audio mode between headphones and the open speaker, for this citizen only."""
        listening = self.listening
        if listening is None or not self.signed_in:
            return
        private = listening.toggle()
        self.console.audit("staff_speech_headphones" if private else "staff_speech_speaker", self.staff_id or "")

    @Slot()
    def _speech_changed(self) -> None:
        screen, listening = self.window.current, self.listening
        if isinstance(screen, ConsoleScreen) and listening is not None:
            screen.set_speech(listening.private, listening.source())

    @Slot(int)
    def _acknowledge(self, alert_id: int) -> None:
        if self.staff_id is None:
            return
        with contextlib.suppress(KeyError):
            self.console.acknowledge_alert(alert_id, self.staff_id)
        self.show_console(staff_tr("Alert marked as dealt with."))

    @Slot()
    def sync_now(self) -> None:
        if not self.signed_in:
            return
        if self.kiosk.enrolment() is None:
            self._set_sync(0, 1, staff_tr("This kiosk is not enrolled, so nothing can be sent. Ask IT to enrol it."))
            return
        waiting = self.console.counts().waiting
        self._syncing = (waiting, time.time())
        self._set_sync(0, waiting, staff_tr("Sending… {n} waiting").format(n=waiting))
        self.console.audit("staff_sync_now", self.staff_id or "")
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
            self._set_sync(total - status.waiting, total, staff_tr("Sending… {n} waiting").format(n=status.waiting))
            return
        self._syncing = None
        if status.online:
            text = staff_tr("Finished: {n} still waiting, {m} need attention").format(
                n=status.waiting, m=status.needs_attention
            )
        else:
            text = staff_tr("The portal cannot be reached: {n} still waiting. They will be sent later.").format(
                n=status.waiting
            )
        self._sync_done, self._sync_total, self._sync_text = total, total, text
        if isinstance(self.window.current, ConsoleScreen):
            self.show_console()  # fresh counts and states
            if isinstance(self.window.current, ConsoleScreen):
                self.window.current.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- one submission -------------------------------------------------------------------

    @Slot(str)
    def show_item(self, submission_id: str, error: str = "", reason: str = "") -> None:
        if not self.signed_in:
            return
        view = self.console.item(submission_id, self.staff_id or "")
        if view.unreadable:
            error = error or staff_tr("The answers cannot be decrypted on this kiosk. Contact IT.")
        rows = None if view.answers is None else [(row.label, row.answer) for row in view.answers]
        said, lang = view.explanation, self.window.session.language
        screen = ItemScreen(view.item, rows, error=error, reason=reason, journey=view.journey, said=said, lang=lang)
        screen.back.connect(self.show_console)
        screen.retry.connect(lambda: self._retry(submission_id))
        screen.correct.connect(lambda: self.show_correct(submission_id))
        screen.discard.connect(lambda text: self._discard(submission_id, text))
        self.window._show(screen)

    def _retry(self, submission_id: str) -> None:
        if self.staff_id is None:
            return
        item = self.console.get(submission_id)
        try:
            self.console.retry(submission_id, self.staff_id)
        except InvalidTransition as exc:
            self.show_item(submission_id, error=i18n.text(str(exc)))
            return
        self.window.outbox_grew.emit()
        self.show_console(staff_tr("{reference} will be sent again now.").format(reference=item.reference))

    def _discard(self, submission_id: str, reason: str) -> None:
        if self.staff_id is None:
            return
        item = self.console.get(submission_id)
        try:
            self.console.discard(submission_id, self.staff_id, reason)
        except (ValueError, InvalidTransition) as exc:
            message = i18n.text(str(exc))
            self.show_item(submission_id, error=message[:1].upper() + message[1:] + ".", reason=reason)
            return
        self.show_console(staff_tr("{reference} was discarded: it will not be sent.").format(reference=item.reference))

    def show_correct(
        self, submission_id: str, errors: list[FieldError] | None = None, typed: dict[str, Any] | None = None
    ) -> None:
        """The correction form: each answer as stored, in the citizen's own input for its type."""
        if not self.signed_in:
            return
        try:
            form = self.console.correction(submission_id, self.staff_id or "", typed)
        except (InvalidTransition, JourneyUnavailable, StoreError, VaultError) as exc:
            self.show_item(submission_id, error=i18n.text(str(exc)))
            return
        lang = self.window.session.language
        screen = CorrectScreen(form, errors or [], typed, lang, portal_words(form.explanation, lang))
        screen.back.connect(lambda: self.show_item(submission_id))
        screen.resubmit.connect(lambda raw: self._resubmit(submission_id, raw))
        self.window._show(screen)

    def _resubmit(self, submission_id: str, raw: dict[str, Any]) -> None:
        if self.staff_id is None:
            return
        item = self.console.get(submission_id)
        try:
            result = self.console.correct(submission_id, self.staff_id, raw)
        except (InvalidTransition, JourneyUnavailable, StoreError, VaultError) as exc:
            self.show_item(submission_id, error=i18n.text(str(exc)))
            return
        if not result.ok:
            self.show_correct(submission_id, result.errors, raw)
            return
        self.window.outbox_grew.emit()
        self.show_console(
            staff_tr("{reference} was corrected and will be sent again now.").format(reference=item.reference)
        )

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
            screen.set_result(case_text(local, service=self._service(reference)))
            return
        if not self.window.online:
            screen.set_result(case_text(CaseStatus("unavailable", reference)))
            return
        screen.set_result(tr("Checking…"))
        screen.check_button.setEnabled(False)
        self.checks.start(self.kiosk.case_check(reference))

    def _service(self, reference: str) -> str:
        """The name of the service a reference is for, when this kiosk made it ("" otherwise)."""
        name = self.console.reference_journey(reference)
        return i18n.text(name, self.window.session.language) if name is not None else ""

    @Slot(object)
    def _case_result(self, case: CaseStatus) -> None:
        screen = self.window.current
        if isinstance(screen, CheckProgressScreen):
            lang = self.window.session.language
            screen.set_result(case_text(case, self.kiosk.config.training, lang, self._service(case.reference)))
            screen.check_button.setEnabled(True)

    @Slot()
    def wait_for_checks(self) -> None:
        """Let a running status check finish (window shutdown, tests)."""
        self.checks.wait()
