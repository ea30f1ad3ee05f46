"""Payments: the kiosk asks the portal for a payment and shows its hand-off link; it never sees a card.

The portal creates a GOV.UK Pay-shaped payment and answers with an opaque, single-use link to
itself, which the kiosk shows as a QR code for the citizen's own phone; the portal sends the phone
on to the payment provider. The kiosk follows the payment's state and says "paid" only when the
portal says ``success``. The network calls here run on a worker thread (ui/live.py); what they
return is plain data. Recording a payment for staff happens on the screen's thread, through Kiosk.

A citizen may instead send the request unpaid, "payment due", when the journey allows it (to pay
later, or at the counter): the submission carries ``{"method", "amount", "status": "due"}`` and the
reference is the one to quote when paying.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.live import LiveUnavailable, calling

if TYPE_CHECKING:
    from sync.client import PortalClient

log = logging.getLogger("kiosk")

__all__ = ["EXPIRED", "OUTCOMES", "PaymentView", "cancel_payment", "create_payment", "due", "paid", "payment_status"]

EXPIRED = "P0020"  # GOV.UK Pay: the payment was not finished within 90 minutes
# What the citizen is told, from the portal's state: only "paid" says that money was taken.
OUTCOMES = ("waiting", "paid", "failed", "cancelled", "expired", "error")


@dataclass(frozen=True)
class PaymentView:
    """A payment as the screens show it (no card data exists anywhere in the kiosk)."""

    payment_id: str
    amount: int
    status: str
    finished: bool
    code: str | None
    provider_id: str | None
    hand_off_url: str | None

    @property
    def outcome(self) -> str:
        if self.status == "success":
            return "paid"
        if self.status == "failed":
            return "expired" if self.code == EXPIRED else "failed"
        if self.status == "cancelled":
            return "cancelled"
        if self.status == "error" or (self.finished and self.status not in ("success", "failed", "cancelled")):
            return "error"
        return "waiting"


def _view(info: Any) -> PaymentView:
    return PaymentView(
        info.payment_id, info.amount, info.status, info.finished, info.code, info.provider_id, info.hand_off_url
    )


def create_payment(
    client: PortalClient, *, submission_id: str, reference: str, amount: int, description: str, attempt: int
) -> PaymentView:
    """A new payment at the portal. Each attempt has its own Idempotency-Key, so a retried request never
    makes a second payment, and a new attempt after a failed one is a new payment. LiveUnavailable if not."""
    with calling("payment"):
        info = client.create_payment(
            amount=amount,
            reference=reference,
            description=description,
            submission_id=submission_id,
            idempotency_key=f"{submission_id}.pay.{attempt}",
        )
    if info.amount != amount or info.reference != reference:
        raise LiveUnavailable("refused", "the portal created a payment for another amount or reference")
    return _view(info)


def payment_status(client: PortalClient, payment_id: str) -> PaymentView:
    with calling("payment"):
        return _view(client.payment(payment_id))


def cancel_payment(client: PortalClient, payment_id: str) -> None:
    """Cancel a payment not finished; one that finished meanwhile is left as it is (its state says what happened)."""
    from sync.live import PaymentFinished

    try:
        with calling("payment"):
            client.cancel_payment(payment_id)
    except LiveUnavailable as exc:
        if not isinstance(exc.__cause__, PaymentFinished):
            raise


def paid(view: PaymentView) -> dict[str, Any]:
    """What the submission carries for a payment the portal said succeeded."""
    if view.outcome != "paid":
        raise ValueError("only a payment the portal says succeeded is paid")
    return {
        "method": "online",
        "amount": view.amount,
        "status": "success",
        "payment_id": view.payment_id,
        "provider_id": view.provider_id,
    }


def due(amount: int, method: str) -> dict[str, Any]:
    """What the submission carries for a request sent unpaid: to pay later, or at the counter."""
    if method not in ("later", "counter"):
        raise ValueError(method)
    return {"method": method, "amount": amount, "status": "due", "payment_id": None, "provider_id": None}
