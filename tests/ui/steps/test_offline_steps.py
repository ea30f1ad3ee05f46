"""The payment step and the appointment question with no connection: honest words, and the request kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from tests.helpers import make_kiosk, seed_catalogue
from tests.ui.steps.walk import (
    EMAIL,
    PCN,
    housing_after_appointment,
    housing_to_appointment,
    parking_fine_to_check_answers,
    press,
)
from ui.screens import ConfirmationScreen, PaymentChoiceScreen, QuestionScreen
from ui.window import KioskWindow


def offline_window(qtbot: QtBot, tmp_path: Path) -> KioskWindow:
    kiosk = make_kiosk(tmp_path)
    seed_catalogue(kiosk)
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    window.show()
    assert window.online is False  # never assumed: no sync status has come
    return window


def test_offline_the_payment_step_offers_only_paying_later_and_the_kiosk_never_says_paid(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    parking_fine_to_check_answers(qtbot, window, band="higher", soon=True)
    assert "£35.00" in window.current.reading_text()  # half the higher band, worked out from the answers
    press(qtbot, window, "send")
    screen = window.current
    assert isinstance(screen, PaymentChoiceScreen)
    words = screen.reading_text()
    assert "Pay £35.00" in words and "Paying now needs a connection" in words
    assert screen.findChild(QAbstractButton, "pay-now") is None  # no QR code offline
    assert "0113 496 0300" in words  # the other ways to pay
    press(qtbot, window, "pay-later")
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    said = confirmation.reading_text()
    assert "Amount to pay: £35.00" in said and "Not paid yet" in said
    assert "Amount paid" not in said and " paid." not in said.lower()
    assert "The council will email you a receipt when this request reaches them." in said
    item = window.kiosk.store.outbox.items()[0]
    kept = window.kiosk.store.outbox.answers(item.submission_id)
    assert kept is not None and kept["_payment"] == {
        "method": "later",
        "amount": 3500,
        "status": "due",
        "payment_id": None,
        "provider_id": None,
    }
    assert kept["_receipt_email"]["email_address"] == EMAIL and kept["_receipt_email"]["reference"] == item.reference
    assert kept["pcn-number"] == PCN
    # staff see it waiting, with nothing personal
    [due] = window.kiosk.steps.payments()
    assert (due.reference, due.amount, due.method, due.status) == (item.reference, 3500, "later", "due")
    window.kiosk.close()


def test_back_from_the_payment_step_returns_to_check_answers_with_the_answers_kept(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    parking_fine_to_check_answers(qtbot, window, band="lower", soon=False)
    press(qtbot, window, "send")
    assert "Pay £50.00" in window.current.reading_text()
    press(qtbot, window, "back")
    assert window.current.objectName() == "check-answers" and PCN in window.current.reading_text()
    assert window.kiosk.store.outbox.items() == []  # nothing is saved until a way to pay is chosen
    window.kiosk.close()


def test_offline_an_appointment_is_a_request_that_says_nothing_is_booked_yet(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    housing_to_appointment(qtbot, window)
    page = window.current
    assert isinstance(page, QuestionScreen) and page.objectName() == "page-when"
    said = page.reading_text()
    assert "This kiosk is offline, so it cannot book a time now." in said and "Nothing is booked yet" in said
    press(qtbot, window, "continue")  # nothing ticked: what to do, not a crash
    assert "Select at least one day that suits you" in window.current.reading_text()
    press(qtbot, window, "appointment-day-tue")
    press(qtbot, window, "appointment-day-thu")
    press(qtbot, window, "continue")
    assert "Select mornings, afternoons or both" in window.current.reading_text()
    assert window.current.findChild(QAbstractButton, "appointment-day-tue").isChecked()  # kept
    press(qtbot, window, "appointment-time-afternoon")
    press(qtbot, window, "continue")
    housing_after_appointment(qtbot, window)
    assert (
        "Not booked yet. Days that suit you: Tuesday and Thursday. Times: afternoons" in window.current.reading_text()
    )
    press(qtbot, window, "send")
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    said = confirmation.reading_text()
    assert "Not booked yet. The council will contact you to confirm a time." in said
    assert "Booking reference" not in said
    item = window.kiosk.store.outbox.items()[0]
    kept = window.kiosk.store.outbox.answers(item.submission_id)
    assert kept is not None and kept["appointment"] == {
        "kind": "request",
        "days": ["tue", "thu"],
        "times": ["afternoon"],
    }
    assert [b.kind for b in window.kiosk.steps.bookings()] == ["request"]
    window.kiosk.close()


def test_the_receipt_prints_in_training_as_a_file_with_no_personal_data(qtbot: QtBot, tmp_path: Path) -> None:
    import subprocess

    window = offline_window(qtbot, tmp_path)
    parking_fine_to_check_answers(qtbot, window)
    press(qtbot, window, "send")
    press(qtbot, window, "pay-counter")
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    press(qtbot, window, "print-receipt")
    assert "Training: the receipt was saved as a file on this kiosk, not printed." in confirmation.reading_text()
    pdf = window.kiosk.config.data_dir / "receipts" / f"{confirmation.reference}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert confirmation.reference in text and "£35.00" in text and "Not paid yet" in text
    for personal in (PCN, EMAIL, "AB12 CDE"):
        assert personal not in text
    window.kiosk.close()


def test_the_payment_step_of_a_journey_only_in_english_says_so_in_the_chosen_language(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    window.set_language("ur")
    window.show_home()
    parking_fine_to_check_answers(qtbot, window)
    press(qtbot, window, "send")
    screen = window.current
    assert isinstance(screen, PaymentChoiceScreen)
    notice = screen.findChild(QLabel, "language-notice")
    assert notice is not None and notice.text() == screen.reading()[0].text  # shown, and read first
    assert "Penalty Charge Notice payment" in screen.reading_text()  # the journey's own words, in English
    window.kiosk.close()


def test_every_free_time_and_every_day_and_time_of_day_by_keys_alone(qtbot: QtBot, tmp_path: Path) -> None:
    """Free times: one group, the arrow keys reach and choose each. Offline: Tab reaches each box, Space ticks it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_accessibility import appointment_slots

    window = offline_window(qtbot, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    appointment_slots(window)
    radios = [r for r in window.current.findChildren(QAbstractButton) if r.objectName().startswith("slot-")]
    assert len(radios) == 8
    radios[0].setFocus()
    qtbot.keyClick(radios[0], Qt.Key.Key_Space)
    for radio in radios[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        assert QApplication.focusWidget() is radio and radio.isChecked(), radio.accessibleName()
    assert window.current.values()["appointment"]["slot_id"] == "housing-officer.20261209T1030"  # the last one
    window.start_again()
    housing_to_appointment(qtbot, window)
    boxes = [b for b in window.current.findChildren(QAbstractButton) if b.objectName().startswith("appointment-")]
    assert len(boxes) == 7
    boxes[0].setFocus()
    for box in boxes:
        assert QApplication.focusWidget() is box, box.objectName()
        qtbot.keyClick(box, Qt.Key.Key_Space)
        qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert all(b.isChecked() for b in boxes)
    assert window.current.values()["appointment"] == {
        "kind": "request",
        "days": "mon tue wed thu fri",
        "times": "morning afternoon",
    }
    window.kiosk.close()
