"""The staff console's "Payments and appointments": what this kiosk started and what is still open.

A payment still open at the portal (the citizen walked away from the QR code) can be cancelled; a
request sent as "payment due" can be marked paid when staff take the money at the counter. Both go
to the portal first and are audited with the staff id; nothing is marked here that the portal was
not told. Appointments are listed as booked (with the time) or as requests still to arrange.
Plain data in (local_store's PaymentRecord and Booking, through app), signals out.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import SignalInstance

from app import payments
from app.live import LiveUnavailable
from app.payments import PaymentView
from journeys.formatting import format_money
from ui.i18n import staff_tr
from ui.screens import Screen
from ui.widgets import button, label

__all__ = ["add_payments", "cancel_stale_payment", "mark_paid_at_counter", "payment_text"]

STATE_WORDS = {
    "created": "waiting: the QR code was shown",
    "started": "waiting: the payment page was opened on a phone",
    "submitted": "being checked by the payment service",
    "capturable": "being checked by the payment service",
    "due": "not paid yet",
}
HOW = {"online": "on a phone", "counter": "to pay at the counter", "later": "to pay later"}


def _ago(at: float, now: float) -> str:
    minutes = max(0, int(now - at) // 60)
    return staff_tr("just now") if minutes < 1 else staff_tr("{n} min ago").format(n=minutes)


def payment_text(row: Any, now: float | None = None) -> str:
    now = time.time() if now is None else now
    return staff_tr("{amount} for {reference} ({how}), {when}: {state}").format(
        amount=format_money(row.amount),
        reference=row.reference,
        how=staff_tr(HOW.get(row.method, row.method)),
        when=_ago(row.created_at, now),
        state=staff_tr(STATE_WORDS.get(row.status, row.status)),
    )


def add_payments(
    screen: Screen, rows: Sequence[Any], bookings: Sequence[Any], cancel: SignalInstance, counter: SignalInstance
) -> None:
    heading = staff_tr("Payments waiting ({n})").format(n=len(rows))
    title = label(heading, "h2")
    title.setObjectName("payments-waiting")
    screen.add(title, heading)
    if not rows:
        screen.add(label(staff_tr("No payment is waiting."), "hint"), staff_tr("No payment is waiting."))
    for row in rows:
        text = payment_text(row)
        screen.add(label(text), text)
        if row.status == "due":
            act = button(staff_tr("Mark paid at the counter"), "secondary", name=staff_tr("Mark paid at the counter"))
            act.setObjectName(f"paid-at-counter-{row.id}")
            act.setAccessibleDescription(staff_tr("Only after you have taken the money: the portal is told"))
            act.clicked.connect(lambda _=False, i=row.id: counter.emit(i))
        else:
            act = button(staff_tr("Cancel this payment"), "secondary", name=staff_tr("Cancel this payment request"))
            act.setObjectName(f"cancel-payment-{row.id}")
            act.clicked.connect(lambda _=False, i=row.id: cancel.emit(i))
        screen._row(act)
    heading = staff_tr("Appointments made here ({n})").format(n=len(bookings))
    screen.add(label(heading, "h2"), heading)
    for booking in bookings:
        if booking.kind == "booked" and booking.starts_at:
            when = dt.datetime.fromisoformat(booking.starts_at).strftime("%a %d %b %H:%M")
            text = staff_tr("{reference}: booked for {when}").format(reference=booking.reference, when=when)
        else:
            text = staff_tr("{reference}: asked for a time, not booked yet").format(reference=booking.reference)
        screen.add(label(text), text)


def cancel_stale_payment(controller: Any, payment_id: str) -> None:
    """Cancel a payment still open at the portal; marked cancelled here only when the portal says it is."""
    staff = controller.staff_id
    if staff is None:
        return

    def done(result: Any) -> None:
        kiosk = controller.kiosk
        if not _on_console(controller):
            if isinstance(result, PaymentView):
                kiosk.steps.payment_seen(result)
            return
        if isinstance(result, LiveUnavailable):
            controller.show_console(staff_tr("The portal could not be reached: nothing was cancelled."))
            return
        assert isinstance(result, PaymentView)
        if result.outcome == "paid":
            kiosk.steps.payment_seen(result)
            controller.show_console(staff_tr("That payment had gone through, so it was not cancelled."))
            return
        kiosk.steps.close_payment(payment_id, "cancelled", staff)
        controller.show_console(staff_tr("Payment request cancelled."))

    controller.window.steps.live.start(partial(_cancel_then_status, payment_id=payment_id), done)


def mark_paid_at_counter(controller: Any, payment_id: str) -> None:
    """Staff took the money for a "payment due" request: the portal is told, then it is marked here."""
    staff = controller.staff_id
    if staff is None:
        return
    record = controller.kiosk.steps.payment(payment_id)

    def done(result: Any) -> None:
        if isinstance(result, LiveUnavailable):
            if _on_console(controller):
                controller.show_console(staff_tr("The portal could not be reached: it is not marked paid. Try again."))
            return
        controller.kiosk.steps.close_payment(payment_id, "paid_at_counter", staff)
        if _on_console(controller):
            controller.show_console(staff_tr("Marked as paid at the counter; the portal has been told."))

    call = partial(
        _counter,
        reference=record.reference,
        amount=record.amount,
        staff_id=staff,
        key=f"{record.submission_id}.counter",
    )
    controller.window.steps.live.start(call, done)


def _on_console(controller: Any) -> bool:
    current = controller.window.current
    return current is not None and current.objectName() == "staff-console"


def _cancel_then_status(client: Any, *, payment_id: str) -> PaymentView:
    payments.cancel_payment(client, payment_id)
    return payments.payment_status(client, payment_id)


def _counter(client: Any, *, reference: str, amount: int, staff_id: str, key: str) -> None:
    from app.live import calling

    with calling("counter payment"):
        client.counter_payment(
            reference=reference, amount=amount, staff_id=staff_id, paid_at=dt.datetime.now(dt.UTC), idempotency_key=key
        )
