"""The receipt of the request just saved: its content for the confirmation and speech, and printing it.

The content is ui/receipt.py's (the reference, what was paid or booked, what happens next, and no
personal data). On a live kiosk it goes to the configured printer; in training it is written to a
PDF in the data folder and the citizen is told so; a printer that fails is told to staff as an alert
and to the citizen in plain words, with the reference still on the screen.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.kiosk import Kiosk, Receipt
from journeys.models import Journey
from ui.i18n import tr
from ui.receipt import ReceiptContent, print_receipt, receipt_content

log = logging.getLogger("ui")

__all__ = ["print_for", "receipt_for"]


def receipt_for(journey: Journey, receipt: Receipt, lang: str, *, training: bool) -> ReceiptContent:
    payment = receipt.payment
    other_ways = (
        journey.payment.other_ways.get(lang) if journey.payment and payment and payment["status"] == "due" else None
    )
    return receipt_content(
        service=journey.title.get(lang),
        reference=receipt.reference,
        issued_at=dt.datetime.now(dt.UTC),
        next_steps=journey.confirmation.get(lang),
        lang=lang,
        training=training,
        payment=payment,
        appointment=receipt.appointments[0] if receipt.appointments else None,
        other_ways_to_pay=other_ways,
    )


def print_for(kiosk: Kiosk, content: ReceiptContent) -> str:
    """Print (or, in training, save as a PDF) and say what happened, in the citizen's words."""
    config = kiosk.config
    pdf = None
    if config.training:
        folder = config.data_dir / "receipts"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("receipt folder not made: %s", type(exc).__name__)
        pdf = folder / f"{content.reference}.pdf"
    outcome = print_receipt(content, pdf_path=pdf, printer_name=config.receipt_printer, paper=config.receipt_paper)
    if outcome.ok:
        if config.training:
            return tr("Training: the receipt was saved as a file on this kiosk, not printed.")
        return tr("Your receipt has been sent to the printer.")
    kiosk.raise_alert("printer", f"A receipt could not be printed: {outcome.where}")
    return tr("The receipt could not be printed. Write down your reference or take a photo of this screen.")
