"""Take screenshots of every kind of kiosk screen (run under Xvfb by `make screenshots`).

It starts the reference portal on loopback with a throwaway training data directory, enrols a
throwaway kiosk, and renders each screen in both themes at 100% and 200% text:
docs/screenshots/<theme>-<size>/<screen>.png. The README shows a selection.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)

from app.cli import start_portal, sync_once
from app.cli.run import connect_training_open311, training_pack
from app.config import load_config
from app.kiosk import Kiosk
from journeys.models import Journey
from reference_portal import db as portal_db
from ui.app import start_sync
from ui.screens import ConfirmationScreen, HomeScreen, PaymentChoiceScreen, PaymentWaitingScreen
from ui.staff.check_progress import CheckProgressScreen
from ui.sync_thread import SyncThread
from ui.window import KioskWindow

# The question types and content to show, and a training journey page that has each.
QUESTION_PAGES = {
    "question-radios": "radios",
    "question-date": "date",
    "question-address": "address",
    "question-checkboxes": "checkboxes",
    "question-money": "money",
    "question-long-text": "long_text",
    "question-time": "time",
}


class _ThrowawayKeyring(KeyringBackend):
    """The screenshots' kiosk is thrown away: nothing goes into the machine's real keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected state")
        QCoreApplication.processEvents()
        time.sleep(0.02)


class Shooter:
    def __init__(self, kiosk: Kiosk, out: Path) -> None:
        self.kiosk = kiosk
        self.out = out
        self.window = KioskWindow(kiosk)
        self.window.resize(1280, 1024)  # a kiosk's screen
        self.window.show()
        self.window.activateWindow()  # so that the focus ring shows, as it does on a kiosk
        self.sync: SyncThread = start_sync(kiosk, self.window, interval_ms=60_000)
        wait_for(lambda: self.window.online)

    def settle(self) -> None:
        for _ in range(5):
            QCoreApplication.processEvents()

    def shoot(self, folder: str, name: str) -> None:
        self.settle()
        path = self.out / folder / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(path))
        print(path)

    def press(self, name: str) -> None:
        current = self.window.current
        assert current is not None
        found = current.findChild(QPushButton, name) or self.window.findChild(QPushButton, name)
        assert found is not None, name
        found.click()

    def fill(self, values: dict[str, str]) -> None:
        assert self.window.current is not None
        for name, text in values.items():
            edit = self.window.current.findChild(QLineEdit, name)
            assert edit is not None, name
            edit.setText(text)

    def journeys(self) -> list[Journey]:
        found = []
        for entry in self.kiosk.catalogue():
            journey = self.kiosk.journey(entry.id, entry.version)
            if journey is not None:
                found.append(journey)
        return found

    def show_question_type(self, question_type: str) -> bool:
        for journey in self.journeys():
            for page in journey.pages:
                if any(q.type == question_type for q in page.questions):
                    self.window.session.start(journey)
                    assert self.window.session.progress is not None
                    self.window.session.progress.page_id = page.id
                    self.window._show_page(page)
                    return True
        return False

    def missed_bin(self, folder: str) -> None:
        """Walk the missed-bin journey as a citizen would, with one typo."""
        w = self.window
        self.press("tile-missed-bin")
        self.shoot(folder, "start")
        self.press("start-now")
        self.shoot(folder, "question")
        assert w.current is not None
        radio = w.current.findChild(QRadioButton, "bin-type-recycling")
        assert radio is not None
        radio.setChecked(True)
        self.press("continue")
        self.fill({"collection-date-day": "31", "collection-date-month": "2", "collection-date-year": "2026"})
        self.press("continue")
        self.shoot(folder, "question-error")
        day = dt.date.today() - dt.timedelta(days=1)
        while day.weekday() >= 5:  # the journey's date rules: a weekday in the last 14 days
            day -= dt.timedelta(days=1)
        self.fill(
            {
                "collection-date-day": str(day.day),
                "collection-date-month": str(day.month),
                "collection-date-year": str(day.year),
            }
        )
        self.press("continue")
        self.fill({"postcode": "ls14ap"})
        self.press("continue")
        self.fill({"address-line": "12 Park Row"})
        self.press("continue")
        self.fill({"full-name": "Ada Lovelace"})
        self.press("continue")
        self.press("continue")
        self.shoot(folder, "check-answers")
        page = w.current
        if page is not None:  # scrolled to the end: "More below" has gone
            bar = page.page_scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
            self.shoot(folder, "check-answers-end")
        self.press("send")
        confirmation = w.current
        assert isinstance(confirmation, ConfirmationScreen)
        wait_for(lambda: confirmation.sent)
        self.shoot(folder, "confirmation")

    def reset(self, high_contrast: bool, scale_index: int) -> None:
        self.window.start_again()
        self.window.set_high_contrast(high_contrast)
        self.window.set_text_scale(scale_index)

    def every_screen(self, high_contrast: bool, scale_index: int, percent: int) -> None:
        w = self.window
        folder = f"{'high-contrast' if high_contrast else 'default'}-{percent}"
        reset = partial(self.reset, high_contrast, scale_index)

        reset()
        self.shoot(folder, "home")
        self.missed_bin(folder)
        reset()
        for name, question_type in QUESTION_PAGES.items():
            if self.show_question_type(question_type):
                self.shoot(folder, name)
        reset()
        w.show_languages()
        self.shoot(folder, "language")
        reset()
        self.pay_and_book(folder, reset)
        reset()
        w.show_problem("We could not save this. Please ask a member of staff.")
        self.shoot(folder, "problem")
        reset()
        self.press("tile-missed-bin")
        w.idle.warn_now()
        self.shoot(folder, "idle-warning")
        reset()
        self.field_trial_screens(folder, reset)
        self.address_lookup(folder, reset)
        self.report_to_open311(folder, reset)
        reset()

    def in_language(self, lang: str, high_contrast: bool, scale_index: int, percent: int) -> None:
        """Home, the missed-bin journey with its error, check answers and the confirmation, in ``lang``."""
        w = self.window
        folder = f"{lang}/{'high-contrast' if high_contrast else 'default'}-{percent}"
        w.start_again()
        self.press(f"home-language-{lang}")
        w.set_high_contrast(high_contrast)
        w.set_text_scale(scale_index)
        self.shoot(folder, "home")
        self.missed_bin(folder)
        w.start_again()

    def field_trial_screens(self, folder: str, reset: Callable[[], None]) -> None:
        """The screens the field trial fixed: long words, errors, cards, search, the touch cue."""
        w = self.window
        if self.show_question_type("checkboxes"):  # long option words wrap; the focused row has a thick ring
            boxes = w.current.findChildren(QCheckBox) if w.current is not None else []
            if boxes:
                boxes[0].setFocus()
            self.shoot(folder, "question-checkboxes-focus")
        reset()
        if self.show_question_type("address"):  # every wrong box at once, only those marked
            manual = w.current.findChildren(QPushButton) if w.current is not None else []
            for link in [b for b in manual if b.objectName().endswith("-manual")]:
                link.click()  # "I can't find my address": the four boxes
            for edit in w.current.findChildren(QLineEdit) if w.current is not None else []:
                if edit.objectName().endswith("-postcode"):
                    edit.setText("not a postcode")
            self.press("continue")
            self.shoot(folder, "question-address-errors")
        reset()
        self.press("tile-missed-bin")
        self.press("start-now")
        self.press("continue")  # nothing chosen: the error summary
        self.shoot(folder, "question-radios-error")
        radio = w.current.findChild(QRadioButton, "bin-type-recycling") if w.current is not None else None
        if radio is not None:
            radio.setChecked(True)
        w.cards.ask_start_again()
        self.shoot(folder, "start-again-confirm")
        reset()
        self.press("get-help")
        wait_for(lambda: True)
        self.shoot(folder, "get-help")
        reset()
        home = w.current
        if isinstance(home, HomeScreen) and home.search is not None:
            home.search.setFocus()
            home.search.setText("sofa")
            self.shoot(folder, "search-sofa")
        reset()
        # Audio mode: the citizen pressed Listen; the banner's first button now says "Stop listening".
        self.press("tile-bulky-waste")
        self.press("start-now")
        w.speech.start()
        self.shoot(folder, "audio-mode")
        w.speech.stop_audio()
        reset()

    def to_payment(self) -> None:
        """Pay a parking fine, to the payment step (higher band, within 14 days: £35)."""
        self.press("tile-pay-parking-fine")
        self.press("start-now")
        self.fill({"pcn-number": "LS12345678"})
        self.press("continue")
        self.fill({"vehicle-registration": "AB12 CDE"})
        self.press("continue")
        for name in ("band-higher", "within-14-days-yes"):
            self.check(name)
            self.press("continue")
        self.press("continue")  # before you pay
        self.press("continue")  # no email receipt
        self.press("send")

    def check(self, name: str) -> None:
        assert self.window.current is not None
        found = self.window.current.findChild(QAbstractButton, name)
        assert found is not None, name
        found.setChecked(True)

    def phone(self, label: str) -> None:
        """The citizen's phone: it reads the QR code's link and presses a button on the portal's page."""
        from tests.phone import pay_on_phone

        screen = self.window.current
        assert isinstance(screen, PaymentWaitingScreen)
        from tests.qr_decode import decode_one_qr

        link = decode_one_qr(screen.qr.pixmap().toImage())
        enrolment = self.kiosk.enrolment()
        assert enrolment is not None
        pay_on_phone(enrolment.portal_url, link, label)

    def receipt(self) -> None:
        """Print the receipt (a PDF in training) and turn it into docs/screenshots/receipt-80mm.png."""
        import subprocess

        confirmation = self.window.current
        assert isinstance(confirmation, ConfirmationScreen)
        self.press("print-receipt")
        pdf = self.kiosk.config.data_dir / "receipts" / f"{confirmation.reference}.pdf"
        target = self.out / "receipt-80mm"
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf), str(target)], check=True)
        print(f"{target}.png")

    def address_lookup(self, folder: str, reset: Callable[[], None]) -> None:
        """The address question with the council's pack: empty, with results, one chosen, and the four boxes."""
        w = self.window
        for name, typed, choose, manual in (
            ("address-lookup", "", False, False),
            ("address-lookup-results", "bb2 1lb", False, False),
            ("address-lookup-chosen", "BB10 4RC", True, False),
            ("address-lookup-manual", "bb21lb", False, True),
        ):
            reset()
            if not self.show_question_type("address") or w.current is None:
                return
            search = next(e for e in w.current.findChildren(QLineEdit) if e.objectName().endswith("-search"))
            search.setFocus()
            search.setText(typed)
            self.settle()
            rows = [r for r in w.current.findChildren(QRadioButton) if "-address-" in r.objectName()]
            if choose:
                rows[0].setChecked(True)
                rows[0].setFocus()
            if manual:
                self.press(f"{search.objectName().removesuffix('-search')}-manual")
            self.shoot(folder, name)

    def report_to_open311(self, folder: str, reset: Callable[[], None]) -> None:
        """ "Report graffiti", delivered to the reference Open311 server: sent, then its progress read back."""
        w = self.window
        reset()
        self.press("tile-graffiti")
        self.press("start-now")
        assert w.current is not None
        search = next(e for e in w.current.findChildren(QLineEdit) if e.objectName().endswith("-search"))
        search.setText("14 kings road")
        self.settle()
        rows = [r for r in w.current.findChildren(QRadioButton) if "-address-" in r.objectName()]
        rows[0].setChecked(True)
        self.press("continue")
        box = w.current.findChildren(QPlainTextEdit)[0]
        box.setPlainText("Red spray paint on the side of the bus shelter, about 2 metres wide.")
        self.press("continue")
        self.press("continue")  # the contact details are optional
        self.press("send")
        confirmation = w.current
        assert isinstance(confirmation, ConfirmationScreen)
        wait_for(lambda: confirmation.sent, 30)
        self.shoot(folder, "open311-sent")
        w.staff.show_check_progress()
        screen = w.current
        assert isinstance(screen, CheckProgressScreen)
        screen.reference.setText(confirmation.reference)
        screen.check_button.click()
        wait_for(lambda: "open." in screen.result.text(), 30)
        self.shoot(folder, "open311-progress")

    def pay_and_book(self, folder: str, reset: Callable[[], None]) -> None:
        """The payment step, its QR code, paid and failed; free times, a booking, and the offline request."""
        w = self.window
        self.to_payment()
        self.shoot(folder, "payment-choice")
        self.press("pay-now")
        wait_for(lambda: isinstance(w.current, PaymentWaitingScreen))
        self.shoot(folder, "payment-qr")
        self.phone("Pay")
        wait_for(lambda: isinstance(w.current, ConfirmationScreen))
        self.shoot(folder, "payment-paid")
        if folder == "default-100":
            self.receipt()
        reset()
        self.to_payment()
        self.press("pay-now")
        wait_for(lambda: isinstance(w.current, PaymentWaitingScreen))
        self.phone("Decline the card")
        wait_for(lambda: isinstance(w.current, PaymentChoiceScreen))
        self.shoot(folder, "payment-failed")
        reset()
        self.press("tile-housing-appointment")
        self.press("start-now")
        self.check("topic-repairs")
        self.press("continue")
        self.press("continue")
        wait_for(lambda: w.current is not None and w.current.objectName() == "page-when")
        assert w.current is not None
        slots = [r for r in w.current.findChildren(QRadioButton) if r.objectName().startswith("slot-")]
        slots[1].setChecked(True)
        slots[1].setFocus()
        self.shoot(folder, "appointment-slots")
        reset()
        w.online = False  # the building's connection is down
        self.press("tile-housing-appointment")
        self.press("start-now")
        self.check("topic-repairs")
        self.press("continue")
        self.press("continue")
        for name in ("appointment-day-tue", "appointment-day-thu", "appointment-time-morning"):
            self.check(name)
        self.shoot(folder, "appointment-request")
        self.press("continue")
        self.check("needs-interpreter-no")
        self.press("continue")
        self.press("continue")
        self.fill({"phone": "0113 496 0000"})
        self.press("continue")
        self.fill({"full-name": "Ada Lovelace"})
        self.press("continue")
        self.press("continue")
        self.press("send")
        self.shoot(folder, "appointment-request-sent")
        reset()
        w.online = False
        self.to_payment()
        self.shoot(folder, "payment-offline")
        w.online = True

    def close(self) -> None:
        self.sync.stop()
        self.window.allow_close = True
        self.window.close()


@contextmanager
def training_kiosk(kiosk_id: str, site_id: str) -> Iterator[Kiosk]:
    """A throwaway training kiosk, enrolled with a reference portal on loopback, catalogue synced."""
    keyring.set_keyring(_ThrowawayKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(data_dir=Path(tmp) / "kiosk", training=True)
        portal_path = Path(tmp) / "portal.sqlite3"
        proc, url = start_portal(portal_path, training_pack(Path(tmp)))  # the demo's borough: addresses found
        try:
            kiosk = Kiosk(config)
            try:
                kiosk.enrol(url, kiosk_id, site_id, portal_db.create_token(portal_path, kiosk_id))
                connect_training_open311(config, url, portal_path)  # the demo's street reports system
                sync_once(kiosk)
                yield kiosk
            finally:
                kiosk.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


SCREENSHOT_LANGUAGES = ("ur", "gu")  # the journeys' languages beside English: docs/screenshots/<lang>/


def main(out_dir: str, languages_only: bool = False, lookup_only: bool = False, open311_only: bool = False) -> int:
    os.environ.setdefault("DCP_KIOSK_SPEECH_ENGINE", "mock")  # audio mode's screens, silently
    out = Path(out_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with training_kiosk("screenshots", "training-site") as kiosk:
        shooter = Shooter(kiosk, out)
        for high_contrast in (False, True):
            for scale_index, percent in ((0, 100), (2, 200)):
                folder = f"{'high-contrast' if high_contrast else 'default'}-{percent}"
                if lookup_only:  # only the address lookup's screens (--lookup-only)
                    shooter.address_lookup(folder, partial(shooter.reset, high_contrast, scale_index))
                    continue
                if open311_only:  # only a report to Open311 and its progress (--open311-only)
                    shooter.report_to_open311(folder, partial(shooter.reset, high_contrast, scale_index))
                    continue
                if not languages_only:
                    shooter.every_screen(high_contrast, scale_index, percent)
                for lang in SCREENSHOT_LANGUAGES:
                    shooter.in_language(lang, high_contrast, scale_index, percent)
        shooter.close()
    app.quit()
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    raise SystemExit(
        main(
            args[0] if args else "docs/screenshots",
            languages_only="--languages-only" in sys.argv,
            lookup_only="--lookup-only" in sys.argv,
            open311_only="--open311-only" in sys.argv,
        )
    )
