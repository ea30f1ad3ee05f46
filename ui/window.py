"""KioskWindow: the banner, the current screen, and the citizen's way through a journey."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.journeys.schema import Journey, Page
from app.kiosk import Kiosk, Receipt, SubmitFailed
from app.session import Session
from ui.screens import (
    CheckAnswersScreen,
    ConfirmationScreen,
    HomeScreen,
    ProblemScreen,
    QuestionScreen,
    Screen,
    button,
    label,
    tr,
)
from ui.sync_worker import SyncStatus
from ui.theme import stylesheet

log = logging.getLogger("ui")


class KioskWindow(QMainWindow):
    outbox_grew = Signal()

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.session = Session()
        self.receipt: Receipt | None = None
        self.online = False  # learned from the sync worker's health calls, never assumed
        self.setWindowTitle(tr("Council services"))
        self.setStyleSheet(stylesheet())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._banner())
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.current: Screen | None = None
        self.show_home()

    def _banner(self) -> QFrame:
        banner = QFrame()
        banner.setProperty("role", "banner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(24, 12, 24, 12)
        row.addWidget(label(tr("Council services")))
        if self.kiosk.config.training:
            training = QLabel(tr("TRAINING: nothing is sent to the council"))
            training.setProperty("role", "training")
            training.setObjectName("training-banner")
            row.addWidget(training)
        row.addStretch(1)
        self.connection = label(tr("Checking connection…"))
        self.connection.setObjectName("connection")
        row.addWidget(self.connection)
        start_again = button(tr("Start again"), "secondary")
        start_again.setObjectName("start-again-top")
        start_again.clicked.connect(self.start_again)
        row.addWidget(start_again)
        return banner

    # -- navigation -----------------------------------------------------------------------

    def _show(self, screen: Screen) -> None:
        old = self.current
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.current = screen
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        target = screen.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_home(self) -> None:
        screen = HomeScreen(self.kiosk.catalogue(), self.session.language)
        screen.chosen.connect(self.open_journey)
        self._show(screen)

    @Slot(str, int)
    def open_journey(self, journey_id: str, version: int) -> None:
        journey = self.kiosk.journey(journey_id, version)
        if journey is None:
            self.show_problem(tr("This service is not available on this kiosk right now. Nothing was saved."))
            return
        self._show_page(self.session.start(journey))

    def _journey(self) -> Journey:
        assert self.session.progress is not None
        return self.session.progress.journey

    def _show_page(self, page: Page, errors: list | None = None) -> None:
        assert self.session.progress is not None
        screen = QuestionScreen(page, self.session.progress.raw, errors or [], self.session.language)
        screen.continued.connect(self.answer)
        screen.back.connect(self.go_back)
        self._show(screen)

    @Slot(dict)
    def answer(self, raw: dict) -> None:
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
        if progress is not None and progress.returning_to_check:
            self.show_check_answers()
            return
        page = self.session.back()
        if page is None:
            self.start_again()
        else:
            self._show_page(page)

    def show_check_answers(self) -> None:
        journey = self._journey()
        screen = CheckAnswersScreen(
            journey.title.get(self.session.language),
            self.session.summary(),
            journey.declaration.get(self.session.language) if journey.declaration else None,
        )
        screen.change.connect(self.change_answer)
        screen.submit.connect(self.submit)
        screen.back.connect(self._back_from_check)
        self._show(screen)

    @Slot()
    def _back_from_check(self) -> None:
        assert self.session.progress is not None
        self._show_page(self.session.progress.page)

    @Slot(str)
    def change_answer(self, page_id: str) -> None:
        self._show_page(self.session.change(page_id))

    @Slot()
    def submit(self) -> None:
        progress = self.session.progress
        assert progress is not None
        try:
            receipt = self.kiosk.submit(progress.journey, dict(progress.answers))
        except SubmitFailed as exc:
            self.show_problem(str(exc) + " " + tr("Your answers have not been sent and are not stored."))
            self.session.wipe()
            return
        self.receipt = receipt
        self.session.wipe()  # the answers live on only in the encrypted outbox
        screen = ConfirmationScreen(
            receipt.journey_title,
            receipt.reference,
            receipt.what_happens_next,
            online=self.online,
            training=self.kiosk.config.training,
        )
        screen.finished.connect(self.start_again)
        self._show(screen)
        self.outbox_grew.emit()

    def show_problem(self, message: str) -> None:
        screen = ProblemScreen(message)
        screen.finished.connect(self.start_again)
        self._show(screen)

    @Slot()
    def start_again(self) -> None:
        """Wipe: answers, history, clipboard and every widget of the last citizen's screens."""
        self.session.wipe()
        self.receipt = None
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.show_home()

    # -- sync status ----------------------------------------------------------------------

    @Slot(object)
    def on_sync_status(self, status: SyncStatus) -> None:
        if status.auth_failed:
            text = tr("Not connected: this kiosk needs staff attention")
        elif status.online:
            text = tr("Online") + (tr(", {n} waiting to send").format(n=status.waiting) if status.waiting else "")
        else:
            text = tr("Offline, {n} waiting to send").format(n=status.waiting) if status.waiting else tr("Offline")
        self.connection.setText(text)
        self.connection.setAccessibleName(text)
        self.online = status.online
        if isinstance(self.current, ConfirmationScreen):
            if self.receipt is not None and self.receipt.reference in status.delivered_references:
                self.current.set_sent()
            else:
                self.current.set_online(status.online)
        if status.catalogue_changed and isinstance(self.current, HomeScreen):
            self.show_home()
