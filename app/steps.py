"""What Kiosk does around the steps that need the portal now: payments, appointments, receipts by email.

Kept beside app/kiosk.py so that the composition stays short. Everything here runs on the thread
that owns the Store (the screens' thread); the network calls themselves are in app/payments.py and
app/appointments.py and run on a worker thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from journeys.models import Journey
from local_store import PaymentRecord, Saved, StoreError

if TYPE_CHECKING:
    from app.payments import PaymentView
    from local_store import Booking, Store

log = logging.getLogger("kiosk")

__all__ = ["Steps", "appointment_answers", "with_steps"]


def appointment_answers(journey: Journey, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The answers to the journey's appointment questions, by question id."""
    return {
        q.id: answers[q.id]
        for q in journey.questions()
        if q.type == "appointment" and isinstance(answers.get(q.id), dict)
    }


def with_steps(
    journey: Journey, answers: dict[str, Any], reference: str, payment: dict[str, Any] | None
) -> dict[str, Any]:
    """The answers as the outbox keeps them: with the payment and a receipt by email, when there are any,
    under keys no question can have (the sync engine sends them as the submission's own fields)."""
    kept = dict(answers)
    if payment is not None:
        kept["_payment"] = payment
    wanted = journey.receipt_email
    email = answers.get(wanted.question) if wanted else None
    if wanted is not None and isinstance(email, str) and email:
        kept["_receipt_email"] = {
            "template_id": wanted.template_id,
            "email_address": email,
            "personalisation": {"service": journey.title.en, "reference": reference},
            "reference": reference,
        }
    return kept


class Steps:
    """The kiosk's own record of payments and bookings (no personal data), for staff."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def reserve(self) -> Saved:
        """A submission id and reference for a journey whose payment or hold the portal must know first."""
        return self.store.outbox.reserve()

    def payment_started(self, view: PaymentView, ids: Saved) -> None:
        try:
            self.store.steps.payment_started(
                view.payment_id, ids.submission_id, ids.reference, view.amount, view.status
            )
        except StoreError as exc:  # the payment still exists at the portal, which knows its reference
            log.error("payment not recorded here: %s", type(exc).__name__)

    def payment_seen(self, view: PaymentView) -> None:
        try:
            self.store.steps.payment_status(view.payment_id, view.status)
        except StoreError as exc:
            log.error("payment state not recorded here: %s", type(exc).__name__)

    def saved(self, journey: Journey, answers: dict[str, Any], ids: Saved, payment: dict[str, Any] | None) -> None:
        """After a submission is saved: a payment due and each appointment go on the staff's lists."""
        try:
            if payment is not None and payment["status"] == "due":
                self.store.steps.payment_due(ids.submission_id, ids.reference, payment["amount"], payment["method"])
            for answer in appointment_answers(journey, answers).values():
                self.store.steps.booking(ids.submission_id, ids.reference, answer["kind"], answer.get("starts_at"))
        except StoreError as exc:  # the submission itself is saved: these lists are staff's view only
            log.error("payment or booking not listed for staff: %s", type(exc).__name__)

    def payment(self, payment_id: str) -> PaymentRecord:
        """KeyError if this kiosk has no such payment."""
        return self.store.steps.payment(payment_id)

    def payments(self, waiting_only: bool = True) -> list[PaymentRecord]:
        return self.store.steps.payments(waiting_only=waiting_only)

    def bookings(self) -> list[Booking]:
        return self.store.steps.bookings()

    def close_payment(self, payment_id: str, status: str, staff_id: str) -> None:
        """Staff cancelled a stale payment ("cancelled") or took a due one at the counter ("paid_at_counter")."""
        self.store.steps.close_payment(payment_id, status, staff_id)
