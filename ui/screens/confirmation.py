"""The confirmation: the reference, whether the request has been sent, what was paid or booked, what happens next.

The payment and appointment details are the receipt's own lines (ui/receipt.py), so the screen, the
printed receipt and speech say the same. "Print a receipt" asks the window to print; "paid" appears
only when the portal said the payment succeeded (the lines come from what the submission carries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.i18n import isolate, tr
from ui.screens.base import Screen
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.receipt import ReceiptLine

__all__ = ["ConfirmationScreen"]


class ConfirmationScreen(Screen):
    """The reference, whether it has been sent, and what happens next."""

    finished = Signal()
    another = Signal()
    print_receipt = Signal()

    def __init__(
        self,
        title: str,
        reference: str,
        what_next: str,
        online: bool,
        training: bool = False,
        *,
        details: Sequence[ReceiptLine] = (),
        receipt_email: bool = False,
        can_print: bool = False,
    ) -> None:
        super().__init__("confirmation")
        panel = QFrame()
        panel.setProperty("role", "panel")
        panel.setObjectName("reference-panel")
        # Focus starts here, so the page opens at its top (the reference in view at every text size); Tab
        # goes on to Print a receipt, Finish and Do something else.
        panel.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.panel = panel
        box = QVBoxLayout(panel)
        box.setContentsMargins(32, 32, 32, 32)
        done = tr("Request saved")
        box.addWidget(label(done, "h1"))
        box.addWidget(label(tr("Your reference is")))
        ref = label(reference, "reference")
        ref.setObjectName("reference")
        ref.setAccessibleName(tr("Your reference is") + " " + " ".join(reference))
        box.addWidget(ref)
        panel.setAccessibleName(done)  # the reference is read as private, after it (see add_reading below)
        self.add(panel)
        self.add_reading(done, tr("Your reference is"))
        self.add_reading(reference, private=True, spell=True)
        self.banner = label("", "h2")
        self.banner.setObjectName("sent-banner")
        self.add(self.banner)
        self.set_reading(self.banner, "")  # read after the reference, as the words are when read
        self.reference = reference
        self.training = training
        self.sent = False
        self.set_online(online)
        self.add(label(title, "hint"), title)
        if details:
            self._details(details)
        if receipt_email:
            emailed = tr("The council will email you a receipt when this request reaches them.")
            self.add(label(emailed), emailed)
        heading = tr("What happens next")
        self.add(label(heading, "h1"), heading)
        self.add(label(what_next), what_next)
        keep = tr("Write down your reference or take a photo of this screen.")
        self.add(label(keep), keep)
        another = button(tr("Do something else"), "secondary")
        another.setObjectName("another")
        another.setAccessibleDescription(tr("Start another request. Your name and address are filled in for you."))
        another.clicked.connect(self.another.emit)
        finish = button(tr("Finish"))
        finish.setObjectName("finish")
        finish.setAccessibleDescription(tr("Clear the screen for the next person"))
        finish.clicked.connect(self.finished.emit)
        self.finish_button = finish
        self.print_button: QWidget | None = None
        if can_print:
            printing = button(tr("Print a receipt"), "secondary")
            printing.setObjectName("print-receipt")
            printing.setAccessibleDescription(tr("Your reference and what happens next, with no personal details"))
            printing.clicked.connect(self.print_receipt.emit)
            self.print_button = printing
            self._row(printing)
            self.add_reading(tr("Print a receipt"), widget=printing)
        self.printed = label("", "warning")
        self.printed.setObjectName("print-result")
        self.printed.hide()
        self.add(self.printed)
        self._row(finish, another)
        self.add_reading(tr("Finish"), tr("Do something else"))
        self.column.addStretch(1)

    def _details(self, details: Sequence[ReceiptLine]) -> None:
        """What was paid or booked, a line each: the receipt's own lines."""
        from ui.screens.check_answers import SummaryList

        rows = SummaryList()
        rows.setObjectName("details")
        for line in details:
            value = isolate(line.value) if line.left_to_right else line.value
            key, shown = label(line.label, "summary-key"), label(value)
            shown.setObjectName("detail-" + "".join(c if c.isalnum() else "-" for c in line.label.lower())[:40])
            rows.add_row(key, shown, None)
            self.add_reading(f"{line.label}: {line.value}", spell=False)
        self.add(rows)

    def set_printed(self, words: str) -> None:
        """What happened to the receipt, said as it happens."""
        self.printed.setText(words)
        self.printed.setAccessibleName(words)
        self.printed.show()
        self.set_reading(self.printed, words)
        self.announce(words)

    def _banner_text(self, text: str) -> None:
        changed = self.banner.text() not in ("", text)  # not when the screen is made, nor the same words again
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        private = self.reference in text  # offline it names the reference
        self.set_reading(self.banner, text, private=private)
        if changed:
            self.announce(text, private=private)  # "Sent to the council": said as it happens

    def set_online(self, online: bool) -> None:
        """Say honestly where the request is: sent, being sent, or waiting for the connection."""
        if self.sent:
            return
        if online:
            self._banner_text(
                tr("Saved. It is being sent to the training portal now.")
                if self.training
                else tr("Saved. It is being sent to the council now.")
            )
        else:
            self._banner_text(
                tr("Saved. It will be sent when the connection is back. Your reference is {reference}.").format(
                    reference=isolate(self.reference)
                )
            )

    def set_sent(self) -> None:
        self.sent = True
        self._banner_text(
            tr("Sent to the training portal. Nothing goes to the council in training mode.")
            if self.training
            else tr("Sent to the council.")
        )

    def first_focus(self) -> QWidget | None:
        return self.panel
