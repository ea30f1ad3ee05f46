"""KioskWindow: the banner with the citizen's controls, the current screen, and the way through.

Every screen is built fresh from plain data and destroyed when the citizen moves on, so the
wipe at the end of a session leaves no widget holding their answers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import languages
from app.kiosk import Kiosk, Receipt, Saved, SubmitFailed
from app.sync_runner import SyncStatus
from app.visit import Session
from journeys.flow import FieldError
from journeys.localised import languages_in
from journeys.models import Journey, Page
from ui import i18n
from ui.banner import Banner
from ui.cards import Cards
from ui.fonts import apply_fonts
from ui.i18n import tr, trn
from ui.screens import (
    CheckAnswersScreen,
    ConfirmationScreen,
    HomeScreen,
    LanguageScreen,
    MessageScreen,
    QuestionScreen,
    Screen,
    StartScreen,
    problem_screen,
)
from ui.speech.controller import SpeechController
from ui.staff import StaffController
from ui.steps import StepsController

if TYPE_CHECKING:
    from ui.receipt import ReceiptContent
from ui.theme import DEFAULT, HIGH_CONTRAST, TEXT_SCALES, stylesheet

log = logging.getLogger("ui")


class KioskWindow(QMainWindow):
    outbox_grew = Signal()

    def __init__(
        self,
        kiosk: Kiosk,
        *,
        locked: bool = False,
        idle_timeout_s: int | None = None,
        idle_warning_s: int = 30,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.session = Session(in_area=kiosk.addresses.in_area)
        self.receipt: Receipt | None = None
        self.receipt_content: ReceiptContent | None = None  # what a printed receipt says (no personal data)
        self.online = False  # learned from the sync worker's health calls, never assumed
        self.last_status: SyncStatus | None = None
        self.locked = locked
        self.allow_close = not locked
        self.scale_index = 0
        self.high_contrast = False
        self.setWindowTitle(tr("Council services"))
        if locked:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.staff = StaffController(self)  # staff sign-in, assisted mode, console (ui/staff/)
        self.steps = StepsController(self)  # free times, holds, payments: the portal while the citizen waits
        self.banner = Banner(kiosk.config.training, self.staff.bar)
        self.banner.next_text_size.connect(self.next_text_size)
        self.banner.high_contrast.connect(self.set_high_contrast)
        self.banner.choose_language.connect(self.show_languages)
        self.title, self.connection = self.banner.title, self.banner.connection
        self.contrast_button = self.banner.contrast_button
        layout.addWidget(self.banner)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.current: Screen | None = None
        timeout_s = idle_timeout_s if idle_timeout_s is not None else kiosk.config.idle_timeout_s
        self.cards = Cards(self, central, timeout_s, idle_warning_s)  # time-out, "Start again?", Get help
        self.idle, self.idle_warning = self.cards.idle, self.cards.idle.warning
        self.start_again_dialog, self.help = self.cards.start_again, self.cards.help
        config = kiosk.config
        self.speech = SpeechController(  # audio mode: ui/speech/
            self,
            engine=config.speech_engine,
            output=config.speech_output,
            volume_step=config.speech_volume,
            alert=kiosk.raise_alert,
        )
        self.speech.cards = [self.idle_warning, self.start_again_dialog, self.help.card]
        for card in self.speech.cards:
            card.shown.connect(self.speech.card_shown)
        self.banner.listen.connect(self.speech.toggle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_language(self.default_language)  # words, direction and fonts; then the style at this text size
        self.staff.install(self.title)
        self.show_home()

    # -- the citizen's display settings ----------------------------------------------------

    def _apply_style(self) -> None:
        palette = HIGH_CONTRAST if self.high_contrast else DEFAULT
        self.setStyleSheet(stylesheet(palette, TEXT_SCALES[self.scale_index]))
        self.banner.show_settings(round(TEXT_SCALES[self.scale_index] * 100), self.high_contrast)
        self.cards.place()

    @Slot()
    def next_text_size(self) -> None:
        self.set_text_scale((self.scale_index + 1) % len(TEXT_SCALES))

    def set_text_scale(self, index: int) -> None:
        self.scale_index = index
        self._apply_style()

    @Slot(bool)
    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self._apply_style()

    def set_language(self, code: str) -> None:
        """The whole kiosk in ``code`` at once: words, direction, fonts, the banner and cards, speech.

        The screen shown is taken away first (its words are the old language's, and the new fonts would be
        asked to draw them): whoever asked shows the next one (home, or the page the citizen was on)."""
        if code not in self.languages():
            code = self.default_language
        old = self.current
        if old is not None and code != i18n.current():
            self.current = None
            self.stack.removeWidget(old)
            old.setParent(None)  # out of the window: the new style and fonts never reach it
            old.deleteLater()
        self.session.language = code
        i18n.set_language(code)
        language = languages.info(code)
        direction = Qt.LayoutDirection.RightToLeft if language.right_to_left else Qt.LayoutDirection.LeftToRight
        self.setLayoutDirection(direction)
        apply_fonts(language)
        self.setWindowTitle(tr("Council services"))
        self.banner.retranslate()
        self.cards.retranslate()
        if self.last_status is not None:
            self.on_sync_status(self.last_status)
        self._apply_style()  # the fonts changed: every size hint with them

    def languages(self) -> list[str]:
        """The languages the kiosk offers (`languages` in the configuration: every catalogue, English first)."""
        return self.kiosk.config.offered_languages

    @property
    def default_language(self) -> str:
        """The language each citizen starts in (`default_language`)."""
        return self.kiosk.config.default_language

    # -- navigation -----------------------------------------------------------------------

    def _show(self, screen: Screen) -> None:
        old = self.current
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.current = screen
        if old is not None:
            self.stack.removeWidget(old)
            old.setParent(None)  # until it is deleted, no style or font change of the window reaches it
            old.deleteLater()
        target = screen.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.idle.restart()
        self.speech.screen_shown(screen)

    def show_home(self) -> None:
        screen = HomeScreen(
            self.kiosk.catalogue(),
            self.session.language,
            online=self.online,
            languages=[languages.info(code) for code in self.languages()],
        )
        screen.chosen.connect(self.open_journey)
        screen.language_chosen.connect(self._language_on_home)
        self.staff.add_to_home(screen)  # "Check the progress of a request"
        self._show(screen)

    @Slot()
    def show_languages(self) -> None:
        screen = LanguageScreen(self.languages(), self.session.language)
        screen.chosen.connect(self._language_chosen)
        screen.back.connect(self._back_from_languages)
        self._languages_return = self.session.progress
        self._show(screen)

    @Slot(str)
    def _language_on_home(self, code: str) -> None:
        self.set_language(code)
        self.show_home()
        if isinstance(self.current, HomeScreen):  # the citizen's finger is still on the language they chose
            found = self.current.findChild(QWidget, f"home-language-{code}")
            if found is not None:
                found.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _language_chosen(self, code: str) -> None:
        self.set_language(code)
        self._back_from_languages()

    @Slot()
    def _back_from_languages(self) -> None:
        if self.steps.resume():
            return  # the payment step, or the QR code of a payment still open
        progress = self.session.progress
        if progress is not None:
            self._show_page(progress.page)
        else:
            self.show_home()

    @Slot(str, int)
    def open_journey(self, journey_id: str, version: int) -> None:
        journey = self.kiosk.journey(journey_id, version)
        if journey is None:
            self.show_problem(tr("This service is not available on this kiosk right now. Nothing was saved."))
            return
        if journey.requires_online and not self.online:
            message = (
                journey.offline_message.get(self.session.language)
                if journey.offline_message
                else tr("This service needs a connection, and the kiosk is offline right now. Nothing was saved.")
            )
            screen = MessageScreen("needs-connection", journey.title.get(self.session.language), message, tr("Back"))
            screen.finished.connect(self.show_home)
            self._show(screen)
            return
        if journey.start is not None:
            start = StartScreen(journey, self.session.language)
            start.begin.connect(lambda: self._begin(journey))
            start.back.connect(self.show_home)
            self._language_notice(start, journey)
            self._show(start)
        else:
            self._begin(journey)

    def _language_notice(self, screen: Screen, journey: Journey) -> None:
        """In a language the journey is not (wholly) written in, its words are English: say so, in that language."""
        lang = self.session.language
        if lang == "en" or lang in languages_in(journey):
            return
        if lang in (journey.title.model_extra or {}):
            screen.language_notice(tr("Parts of this service are only in English. A member of staff can help."))
        else:
            screen.language_notice(tr("This service is only in English. A member of staff can help."))

    def _begin(self, journey: Journey) -> None:
        self._show_page(self.session.start(journey))

    def _show_page(self, page: Page, errors: list[FieldError] | None = None, *, context: dict | None = None) -> None:
        """A question page; an appointment page online first gets its free times (ui/steps.py), as `context`."""
        if context is None and self.steps.show_page(page, errors):
            return
        progress = self.session.progress
        assert progress is not None
        screen = QuestionScreen(
            page, progress.raw, errors or [], self.session.language, progress.prefilled, context=context
        )
        screen.continued.connect(self.answer)
        screen.back.connect(self.go_back)
        self._language_notice(screen, progress.journey)
        self._show(screen)

    @Slot(dict)
    def answer(self, raw: dict) -> None:
        if self.steps.continued(raw):
            return  # a chosen time is held first; then this is called again with the hold
        result = self.session.answer_page(raw)
        assert self.session.progress is not None
        if isinstance(result, list):
            self._show_page(self.session.progress.page, result)
        elif result is None:
            self.show_check_answers()
        else:
            self._show_page(result)

    @Slot()
    def go_back(self) -> None:
        progress = self.session.progress
        page = self.session.back() if progress is not None else None
        if page is not None:
            self._show_page(page)
        elif progress is not None and progress.returning_to_check:
            self.show_check_answers()  # Back on the page a Change opened
        else:
            self.steps.wipe()  # a held time is let go
            self.session.finish()  # leaving the journey: its answers go, the visit's facts stay
            self.show_home()

    def show_check_answers(self) -> None:
        progress = self.session.progress
        assert progress is not None
        unanswered = self.session.first_unanswered()
        if unanswered is not None:  # a change put a page on the route that has not been answered
            self._show_page(self.session.change(unanswered.id))
            return
        journey = progress.journey
        lang = self.session.language
        screen = CheckAnswersScreen(
            journey.title.get(lang),
            self.session.summary(),
            journey.declaration.get(lang) if journey.declaration else None,
            amount=self.session.amount(),
            focus_row=self.session.focus_row(),  # after a Change, its row has focus again
            lang=lang,
            pay_next=journey.payment is not None,
        )
        screen.change.connect(self.change_answer)
        screen.submit.connect(self.submit)
        screen.back.connect(self._back_from_check)
        self._language_notice(screen, journey)
        self._show(screen)

    @Slot()
    def _back_from_check(self) -> None:
        self._show_page(self.session.back_from_check())  # the last page of the route

    @Slot(str)
    def change_answer(self, page_id: str) -> None:
        self._show_page(self.session.change(page_id))

    @Slot()
    def submit(self) -> None:
        """Send on check answers: the payment step and any booking first (ui/steps.py), then save."""
        self.steps.send()

    def save(self, payment: dict | None = None, ids: Saved | None = None) -> None:
        """Save the submission (with what the payment step ended with) and show the confirmation."""
        progress = self.session.progress
        assert progress is not None
        try:
            receipt = self.kiosk.submit(
                progress.journey, dict(progress.answers), assisted_by=self.staff.staff_id, ids=ids, payment=payment
            )
        except SubmitFailed as exc:
            self.session.finish()
            log.info("submission not saved: %s", type(exc).__name__)
            words = tr("We could not save this. Please ask a member of staff.")
            if payment is not None and payment["status"] == "success":  # the money was taken: say so, with its proof
                words += " " + tr(
                    "Your payment went through: its reference is {payment} and your reference is {reference}. "
                    "Show this screen to a member of staff."
                ).format(
                    payment=i18n.isolate(str(payment["provider_id"])),
                    reference=i18n.isolate(ids.reference if ids else ""),
                )
            else:
                words += " " + tr("Your answers have not been sent and are not stored.")
            self.steps.saved()
            self.show_problem(words)
            return
        self.steps.saved()
        self.receipt = receipt
        journey, lang = progress.journey, self.session.language
        self.session.finish()  # the answers live on only in the encrypted outbox
        from ui.printing import receipt_for

        self.receipt_content = receipt_for(journey, receipt, lang, training=self.kiosk.config.training)
        screen = ConfirmationScreen(
            journey.title.get(lang),
            receipt.reference,
            journey.confirmation.get(lang),
            online=self.online,
            training=self.kiosk.config.training,
            details=self.receipt_content.lines,
            receipt_email=receipt.receipt_email,
            can_print=True,
        )
        screen.finished.connect(self.start_again)
        screen.another.connect(self._another)
        screen.print_receipt.connect(self._print_receipt)
        self._show(screen)
        self.outbox_grew.emit()

    @Slot()
    def _print_receipt(self) -> None:
        from ui.printing import print_for

        if self.receipt_content is not None and isinstance(self.current, ConfirmationScreen):
            self.current.set_printed(print_for(self.kiosk, self.receipt_content))

    @Slot()
    def _another(self) -> None:
        self.receipt = None
        self.receipt_content = None
        self.show_home()

    def show_problem(self, message: str) -> None:
        screen = problem_screen(message)
        screen.finished.connect(self.start_again)
        self._show(screen)

    @Slot()
    def start_again(self) -> None:
        """The wipe: answers, facts, history, clipboard, every screen, and the display settings."""
        self.staff.on_wipe()  # staff are signed out with the citizen's session
        self.speech.reset()  # speech ends; volume and listening as configured for the next citizen
        self.steps.wipe()  # an open payment cancelled, a held time let go, nothing shown that comes back
        self.session.wipe()
        self.receipt = None
        self.receipt_content = None
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.set_language(self.default_language)  # the next citizen starts in the kiosk's own language
        self.scale_index = 0
        self.set_high_contrast(False)
        self._apply_style()
        self.show_home()
        self.cards.wiped()  # no card and no timer: a fresh home screen has nothing to protect

    # -- session time-out (WCAG 2.2.1: warn, and let the citizen extend) ----------------------

    def pristine(self) -> bool:
        return (
            isinstance(self.current, HomeScreen)
            and not self.staff.signed_in
            and self.session.progress is None
            and not self.session.facts
            and self.scale_index == 0
            and not self.high_contrast
            and self.session.language == self.default_language
            and not (self.current.search and self.current.search.text())
        )

    @Slot()
    def focus_current(self) -> None:
        if self.current is not None:
            target = self.current.first_focus()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.cards.place()

    # -- lockdown: citizens cannot close or leave the kiosk ----------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.cards.filter(watched, event):
            return True
        if self.speech.filter(watched, event):
            return True
        if kind == QEvent.Type.ContextMenu:
            return True  # no copy/paste or "inspect" menus on a public screen
        if self.locked and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier):
                return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self.idle.stop()  # a closed window must not wipe (or touch the database) later
            self.speech.close()
            self.steps.close()
            event.accept()
        else:
            event.ignore()

    # -- sync status ----------------------------------------------------------------------

    @Slot(object)
    def on_sync_status(self, status: SyncStatus) -> None:
        self.last_status = status
        if status.auth_failed:
            text = tr("Not connected: this kiosk needs staff attention")
        elif status.online:
            text = (
                trn("Online, {n} waiting to send", "Online, {n} waiting to send", status.waiting).format(
                    n=status.waiting
                )
                if status.waiting
                else tr("Online")
            )
        else:
            text = (
                trn("Offline, {n} waiting to send", "Offline, {n} waiting to send", status.waiting).format(
                    n=status.waiting
                )
                if status.waiting
                else tr("Offline")
            )
        self.banner.set_connection(text)
        was_online, self.online = self.online, status.online
        if isinstance(self.current, ConfirmationScreen):
            if self.receipt is not None and self.receipt.submission_id in status.delivered_ids:
                self.current.set_sent()
            else:
                self.current.set_online(status.online)
        home = self.current if isinstance(self.current, HomeScreen) else None
        if home is not None:
            searching = home.search is not None and bool(home.search.text())
            if status.catalogue_changed and not searching:
                self.show_home()  # new or changed services: rebuilt from the new catalogue
            elif was_online != self.online:
                home.set_online(self.online)  # only the online-only tiles' words change
        self.staff.on_sync_status(status)
        self.cards.after_sync(self.online)
