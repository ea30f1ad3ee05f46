"""Paying and booking through the real window, the reference portal over loopback HTTP and a real phone's
requests: the kiosk says "paid" only after the portal says success, and "booked" only after it booked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QRadioButton
from pytestqt.qtbot import QtBot

from sync.client import PortalClient
from tests.helpers import enrolled_kiosk
from tests.phone import open_link, pay_on_phone
from tests.qr_decode import decode_one_qr
from tests.ui.steps.walk import housing_after_appointment, housing_to_appointment, parking_fine_to_check_answers, press
from ui.app import start_sync
from ui.screens import ConfirmationScreen, PaymentChoiceScreen, PaymentWaitingScreen, QuestionScreen
from ui.sync_thread import SyncThread
from ui.window import KioskWindow

pytestmark = pytest.mark.integration
WAIT_MS = 20_000


class Online:
    """An enrolled kiosk with the portal's catalogue, its window, and its sync thread running."""

    def __init__(self, qtbot: QtBot, tmp_path: Path, portal: Any, kiosk_id: str = "kiosk-1") -> None:
        self.kiosk = enrolled_kiosk(tmp_path / kiosk_id, portal, kiosk_id)
        with self.kiosk.sync_engine() as engine:
            engine.refresh_catalogue()
        self.window = KioskWindow(self.kiosk)
        qtbot.addWidget(self.window)
        self.window.show()
        self.sync: SyncThread = start_sync(self.kiosk, self.window, interval_ms=500)
        qtbot.waitUntil(lambda: self.window.online, timeout=WAIT_MS)

    def close(self) -> None:
        self.sync.stop()
        self.window.steps.close()
        self.kiosk.close()


@pytest.fixture
def online(qtbot: QtBot, tmp_path: Path, portal: Any) -> Iterator[Online]:
    found = Online(qtbot, tmp_path, portal)
    yield found
    found.close()


def to_qr_code(qtbot: QtBot, window: KioskWindow) -> tuple[PaymentWaitingScreen, str]:
    """Check answers, Send, Pay now on your phone: the QR code's link, read by a decoder as a phone reads it."""
    press(qtbot, window, "send")
    assert isinstance(window.current, PaymentChoiceScreen)
    press(qtbot, window, "pay-now")
    qtbot.waitUntil(lambda: isinstance(window.current, PaymentWaitingScreen), timeout=WAIT_MS)
    screen = window.current
    assert isinstance(screen, PaymentWaitingScreen)
    pixmap = screen.qr.pixmap()
    link = decode_one_qr(pixmap.toImage())
    return screen, link


def test_paid_on_the_phone_the_kiosk_says_paid_only_after_the_portal_said_success(
    qtbot: QtBot, online: Online, portal: Any
) -> None:
    window = online.window
    parking_fine_to_check_answers(qtbot, window, band="higher", soon=False)
    screen, link = to_qr_code(qtbot, window)
    assert link.startswith(portal.url + "/pay/") and len(link) > len(portal.url) + 40  # the portal's own opaque link
    [payment] = portal.payments()
    assert (payment["amount"], payment["state"]["status"]) == (7000, "created")
    assert "paid" not in screen.reading_text().lower().replace("pay", "")  # nothing claims it yet
    assert online.kiosk.store.outbox.items() == []  # nothing is saved before the payment has an outcome

    # the kiosk asks the portal and hears "created": still waiting, still not paid
    def asked() -> bool:
        return any(r["method"] == "GET" and str(r["path"]).startswith("/api/v1/payments/") for r in portal.requests())

    qtbot.waitUntil(lambda: asked() and not window.steps.polling, timeout=WAIT_MS)
    assert window.current is screen
    paid = pay_on_phone(portal.url, link)
    assert paid.status_code == 200
    qtbot.waitUntil(lambda: isinstance(window.current, ConfirmationScreen), timeout=WAIT_MS)
    said = window.current.reading_text()
    [payment] = portal.payments()
    assert payment["state"]["status"] == "success" and payment["provider_id"]
    assert "Amount paid: £70.00" in said and f"Payment reference: {payment['provider_id']}" in said
    assert open_link(link).status_code == 410  # the link works once
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    qtbot.waitUntil(lambda: confirmation.sent, timeout=WAIT_MS)
    [case] = portal.export()
    assert case["reference"] == confirmation.reference == payment["reference"]
    assert case["payment"] == {
        "method": "online",
        "amount": 7000,
        "status": "success",
        "payment_id": payment["payment_id"],
        "provider_id": payment["provider_id"],
    }


@pytest.mark.parametrize(
    ("on_phone", "words", "state"),
    [
        ("Decline the card", "Your payment did not go through. No money was taken.", "failed"),
        ("Cancel", "The payment was cancelled. No money was taken.", "cancelled"),
    ],
)
def test_a_declined_or_cancelled_payment_says_no_money_was_taken_and_another_way_can_be_chosen(
    qtbot: QtBot, online: Online, portal: Any, on_phone: str, words: str, state: str
) -> None:
    window = online.window
    parking_fine_to_check_answers(qtbot, window, band="lower", soon=True)
    _screen, link = to_qr_code(qtbot, window)
    pay_on_phone(portal.url, link, on_phone)
    qtbot.waitUntil(lambda: isinstance(window.current, PaymentChoiceScreen), timeout=WAIT_MS)
    assert words in window.current.reading_text()
    assert [p["state"]["status"] for p in portal.payments()] == [state]
    press(qtbot, window, "pay-counter")  # then pays a member of staff instead
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    said = confirmation.reading_text()
    assert "Amount to pay: £25.00" in said and "Not paid yet" in said and "Amount paid" not in said
    qtbot.waitUntil(lambda: confirmation.sent, timeout=WAIT_MS)
    [case] = portal.export()
    assert case["payment"]["status"] == "due" and case["payment"]["method"] == "counter"


def test_cancel_on_the_kiosk_and_a_payment_that_expired(qtbot: QtBot, online: Online, portal: Any) -> None:
    window = online.window
    parking_fine_to_check_answers(qtbot, window)
    _screen, _link = to_qr_code(qtbot, window)
    press(qtbot, window, "cancel-payment")
    qtbot.waitUntil(lambda: isinstance(window.current, PaymentChoiceScreen), timeout=WAIT_MS)
    assert "The payment was cancelled. No money was taken." in window.current.reading_text()
    assert [p["state"]["status"] for p in portal.payments()] == ["cancelled"]
    press(qtbot, window, "pay-now")  # a second attempt is a new payment
    qtbot.waitUntil(lambda: isinstance(window.current, PaymentWaitingScreen), timeout=WAIT_MS)
    portal.set_clock(90 * 60 + 1)  # GOV.UK Pay gives up on a payment after 90 minutes
    qtbot.waitUntil(lambda: isinstance(window.current, PaymentChoiceScreen), timeout=WAIT_MS)
    assert "it has expired. No money was taken." in window.current.reading_text()
    assert sorted(p["state"]["status"] for p in portal.payments()) == ["cancelled", "failed"]
    assert online.kiosk.store.outbox.items() == []  # no request was sent claiming a payment


def test_a_citizen_who_walks_away_from_the_qr_code_leaves_no_payment_open(
    qtbot: QtBot, online: Online, portal: Any
) -> None:
    window = online.window
    parking_fine_to_check_answers(qtbot, window)
    _screen, link = to_qr_code(qtbot, window)
    window.start_again()  # the time-out, or Start again
    qtbot.waitUntil(lambda: [p["state"]["status"] for p in portal.payments()] == ["cancelled"], timeout=WAIT_MS)
    page = open_link(link)
    assert page.status_code != 200 or "Pay</button>" not in page.text  # the phone can no longer pay it
    [waiting] = online.kiosk.steps.payments()  # staff still see it, to check
    assert waiting.amount == 3500


def free_slot_radios(window: KioskWindow) -> list[QRadioButton]:
    assert window.current is not None
    return [r for r in window.current.findChildren(QRadioButton) if r.objectName().startswith("slot-")]


def appointments(portal: Any) -> dict[str, Any]:
    return portal._admin("GET", "/admin/appointments")


def test_a_chosen_time_is_held_then_booked_at_send(qtbot: QtBot, online: Online, portal: Any) -> None:
    window = online.window
    housing_to_appointment(qtbot, window)
    qtbot.waitUntil(lambda: bool(free_slot_radios(window)), timeout=WAIT_MS)
    page = window.current
    assert isinstance(page, QuestionScreen) and page.objectName() == "page-when"
    radios = free_slot_radios(window)
    assert len(radios) > 10 and "Housing Options, Merrion House" in page.reading_text()
    chosen = radios[3]
    slot_words = chosen.accessibleName()
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    press(qtbot, window, "continue")
    qtbot.waitUntil(lambda: window.current.objectName() == "page-interpreter", timeout=WAIT_MS)
    assert [h["state"] for h in appointments(portal)["holds"]] == ["held"]
    housing_after_appointment(qtbot, window)
    said = window.current.reading_text()
    assert "Held for you until" in said and "it is booked when you send this" in said
    press(qtbot, window, "send")
    qtbot.waitUntil(lambda: isinstance(window.current, ConfirmationScreen), timeout=WAIT_MS)
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    [booking] = appointments(portal)["bookings"]
    said = confirmation.reading_text()
    assert f"Booking reference: {booking['booking_reference']}" in said
    assert slot_words.split(",")[0].split()[0] in said  # the weekday of the time chosen
    qtbot.waitUntil(lambda: confirmation.sent, timeout=WAIT_MS)
    [case] = portal.export()
    assert case["answers"]["appointment"]["kind"] == "booked"
    assert case["answers"]["appointment"]["booking_reference"] == booking["booking_reference"]


def test_a_time_taken_by_another_kiosk_meanwhile_is_said_plainly_and_fresh_times_shown(
    qtbot: QtBot, online: Online, portal: Any
) -> None:
    window = online.window
    housing_to_appointment(qtbot, window)
    qtbot.waitUntil(lambda: bool(free_slot_radios(window)), timeout=WAIT_MS)
    chosen = free_slot_radios(window)[0]
    slot_id = chosen.objectName().removeprefix("slot-")
    other = PortalClient(portal.url, portal.token("kiosk-2"))  # another kiosk takes the last place first
    try:
        service_slots = other.slots("housing-officer", 10)
        taken = next(s for s in service_slots if s.id.replace(".", "-") == slot_id)
        other.hold_slot(service="housing-officer", slot_id=taken.id, submission_id="other", idempotency_key="other-1")
    finally:
        other.close()
    chosen.setChecked(True)
    press(qtbot, window, "continue")
    qtbot.waitUntil(
        lambda: window.current.objectName() == "page-when" and bool(free_slot_radios(window)), timeout=WAIT_MS
    )
    said = window.current.reading_text()
    assert "That time has just been taken by someone else. Choose another time." in said
    assert f"slot-{slot_id}" not in {r.objectName() for r in free_slot_radios(window)}  # fresh times, without it


def test_offline_payment_due_and_appointment_requests_reach_the_portal_exactly_once_when_it_is_back(
    qtbot: QtBot, tmp_path: Path, portal: Any
) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    portal.stop()  # the building's connection goes down
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    window.show()
    sync = start_sync(kiosk, window, interval_ms=300)
    try:
        qtbot.waitUntil(lambda: window.connection.text().startswith("Offline"), timeout=WAIT_MS)
        parking_fine_to_check_answers(qtbot, window)
        press(qtbot, window, "send")
        assert window.current.findChild(QAbstractButton, "pay-now") is None
        press(qtbot, window, "pay-later")
        first = window.current
        assert isinstance(first, ConfirmationScreen)
        press(qtbot, window, "another")
        housing_to_appointment(qtbot, window)
        press(qtbot, window, "appointment-day-mon")
        press(qtbot, window, "appointment-time-morning")
        press(qtbot, window, "continue")
        housing_after_appointment(qtbot, window)
        press(qtbot, window, "send")
        second = window.current
        assert isinstance(second, ConfirmationScreen)
        assert "Not booked yet" in second.reading_text()
        portal.start()  # same port and database: the connection is back
        qtbot.waitUntil(lambda: second.sent, timeout=60_000)
        qtbot.waitUntil(lambda: kiosk.store.outbox.counts().waiting == 0, timeout=WAIT_MS)
        # two more passes of the sync thread (its health checks): nothing is sent again
        checks = lambda: sum(r["path"] == "/api/v1/health" for r in portal.requests())  # noqa: E731
        passes = checks()
        qtbot.waitUntil(lambda: checks() >= passes + 2, timeout=WAIT_MS)
    finally:
        sync.stop()
        window.steps.close()
    cases = portal.export()
    assert sorted(c["reference"] for c in cases) == sorted([first.reference, second.reference])
    by_journey = {c["journey_id"]: c for c in cases}
    assert by_journey["pay-parking-fine"]["payment"]["status"] == "due"
    assert by_journey["housing-appointment"]["answers"]["appointment"] == {
        "kind": "request",
        "days": ["mon"],
        "times": ["morning"],
    }
    submitted = [r for r in portal.requests() if r["method"] == "POST" and r["path"] == "/api/v1/submissions"]
    assert len({r["key"] for r in submitted if r["status"] == 201}) == 2
    kiosk.close()


def test_staff_take_a_due_payment_at_the_counter_and_cancel_a_stale_one_the_portal_first(
    qtbot: QtBot, online: Online, portal: Any
) -> None:
    from app import payments
    from tests.ui.staff.test_staff import PIN, audit, click, sign_in

    window, kiosk = online.window, online.kiosk
    kiosk.staff.add("amy", "Amy Khan", PIN)
    parking_fine_to_check_answers(qtbot, window)
    press(qtbot, window, "send")
    press(qtbot, window, "pay-counter")
    reference = window.current.reference
    press(qtbot, window, "another")
    # a payment started here that nobody finished (the kiosk was switched off before the time-out)
    ids = kiosk.steps.reserve()
    client = PortalClient(portal.url, portal.token("kiosk-1"))
    try:
        stale = payments.create_payment(
            client, submission_id=ids.submission_id, reference=ids.reference, amount=5000, description="x", attempt=1
        )
    finally:
        client.close()
    kiosk.steps.payment_started(stale, ids)
    sign_in(qtbot, window)
    said = window.current.reading_text()
    assert "Payments waiting (2)" in said and f"£35.00 for {reference} (to pay at the counter)" in said
    [due] = [p for p in kiosk.steps.payments() if p.status == "due"]
    click(qtbot, window, f"paid-at-counter-{due.id}")
    qtbot.waitUntil(lambda: "the portal has been told" in window.current.reading_text(), timeout=WAIT_MS)
    [counter] = portal._admin("GET", "/admin/payments")["counter_payments"]
    assert (counter["reference"], counter["amount"], counter["staff_id"]) == (reference, 3500, "amy")
    click(qtbot, window, f"cancel-payment-{stale.payment_id}")
    qtbot.waitUntil(lambda: "Payment request cancelled." in window.current.reading_text(), timeout=WAIT_MS)
    assert {p["payment_id"]: p["state"]["status"] for p in portal.payments()} == {stale.payment_id: "cancelled"}
    assert kiosk.steps.payments() == []  # nothing waiting now
    assert [e["staff_id"] for e in audit(window, "payment_paid_at_counter")] == ["amy"]
    assert [e["staff_id"] for e in audit(window, "payment_cancelled")] == ["amy"]


def test_a_change_of_language_while_the_qr_code_shows_comes_back_to_it_and_the_payment_still_counts(
    qtbot: QtBot, online: Online, portal: Any
) -> None:
    window = online.window
    parking_fine_to_check_answers(qtbot, window)
    _screen, link = to_qr_code(qtbot, window)
    window.show_languages()
    window._language_chosen("ur")  # the citizen reads Urdu more easily: the kiosk changes, the payment waits
    screen = window.current
    assert isinstance(screen, PaymentWaitingScreen) and decode_one_qr(screen.qr.pixmap().toImage()) == link
    assert "ادا" in screen.reading_text() or "ادائیگی" in screen.reading_text()
    pay_on_phone(portal.url, link)
    qtbot.waitUntil(lambda: isinstance(window.current, ConfirmationScreen), timeout=WAIT_MS)
    assert [p["state"]["status"] for p in portal.payments()] == ["success"]
