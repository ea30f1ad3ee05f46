"""The payment step, after check answers: how to pay, then the QR code for the citizen's own phone.

The kiosk never asks for, shows or handles card details. `PaymentChoiceScreen` shows what is being
paid for and the amount, and the ways on the journey allows: pay now on your phone (online only),
pay at the counter, pay later; and the other ways to pay. `PaymentWaitingScreen` shows the portal's
single-use hand-off link as a large QR code and waits: the window follows the payment's state and
moves on only when the portal says what happened. Neither screen says "paid": the confirmation
does, and only for a payment the portal said succeeded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.i18n import isolate, tr
from ui.screens.base import Screen
from ui.widgets import Tile, button, label

__all__ = ["PaymentChoiceScreen", "PaymentWaitingScreen", "outcome_words"]

QR_PX = 360  # about 9 cm on a 24-inch kiosk screen: a phone camera reads it from arm's length


def outcome_words(outcome: str) -> str:
    """What the citizen is told when a payment did not go through (never that it did: the confirmation says that)."""
    if outcome == "failed":
        return tr(
            "Your payment did not go through. No money was taken. You can try again or choose another way to pay."
        )
    if outcome == "cancelled":
        return tr("The payment was cancelled. No money was taken.")
    if outcome == "expired":
        return tr("The payment was not finished in time, so it has expired. No money was taken.")
    if outcome == "error":
        return tr(
            "The payment service had a problem. No money was taken. You can try again or choose another way to pay."
        )
    return tr(
        "We could not start a payment just now. No money was taken. You can try again or choose another way to pay."
    )


class PaymentChoiceScreen(Screen):
    """What is paid for, the amount, and the ways to pay that this journey and the connection allow."""

    pay_now = Signal()
    pay_due = Signal(str)  # "counter" or "later": the request is sent now, payment due
    back = Signal()

    def __init__(
        self,
        description: str,
        amount: str,
        other_ways: str,
        *,
        online: bool,
        pay_later: bool,
        pay_at_counter: bool,
        notice: str | None = None,
    ) -> None:
        super().__init__("payment")
        self.back_button = self._back_link(self.back)
        heading = tr("Pay {amount}").format(amount=isolate(amount))
        self.add(label(heading, "h1"), heading)
        self.add(label(description), description)
        if notice:
            warning = label(notice, "warning")
            warning.setObjectName("payment-notice")
            warning.setAccessibleName(notice)
            self.add(warning, notice)
        self.choices: list[Tile] = []
        if online:
            self._choice(
                "pay-now",
                tr("Pay now on your phone"),
                tr(
                    "Scan a code with your phone's camera and pay on the council's payment page. "
                    "The kiosk never asks for your card details."
                ),
            ).clicked.connect(self.pay_now.emit)
        else:
            offline = tr("Paying now needs a connection, and this kiosk is offline right now.")
            self.add(label(offline, "warning"), offline)
        if pay_at_counter:
            self._choice(
                "pay-counter",
                tr("Pay at the counter"),
                tr(
                    "Send this now, then pay a member of staff at the counter in this building. "
                    "Show them your reference."
                ),
            ).clicked.connect(lambda: self.pay_due.emit("counter"))
        if pay_later:
            self._choice(
                "pay-later",
                tr("Pay later"),
                tr("Send this now and pay later in one of the other ways below. Quote your reference when you pay."),
            ).clicked.connect(lambda: self.pay_due.emit("later"))
        other = tr("Other ways to pay")
        self.add(label(other, "h2"), other)
        self.add(label(other_ways), other_ways)
        self.column.addStretch(1)

    def _choice(self, name: str, title: str, summary: str) -> Tile:
        tile = Tile(title, summary)
        tile.setObjectName(name)
        self.add(tile, f"{title}. {summary}")
        self.choices.append(tile)
        return tile

    def first_focus(self) -> QWidget | None:
        return self.choices[0] if self.choices else self.back_button


class PaymentWaitingScreen(Screen):
    """The hand-off link as a QR code, and the payment's progress; Cancel stops it."""

    cancel = Signal()

    def __init__(self, amount: str, hand_off_url: str, *, training: bool = False) -> None:
        super().__init__("payment-waiting")
        from ui.qr import qr_pixmap

        heading = tr("Scan this code with your phone")
        self.add(label(heading, "h1"), heading)
        # The code beside what to do, so that both are in view at once (the row mirrors right to left).
        row = QWidget()
        beside = QHBoxLayout(row)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(32)
        code = QLabel()
        code.setObjectName("payment-qr")
        code.setPixmap(qr_pixmap(hand_off_url, QR_PX))
        code.setFixedSize(QR_PX, QR_PX)
        code.setAccessibleName(tr("QR code that opens the council's payment page on your phone"))
        self.qr = code
        beside.addWidget(code, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(16)
        due = tr("Amount: {amount}").format(amount=isolate(amount))
        self.status = label(tr("Waiting for your payment."), "warning")
        self.status.setObjectName("payment-status")
        steps = (
            tr("1. Open your phone's camera and point it at the code."),
            tr("2. Your phone opens the council's payment page. Pay there: the kiosk never sees your card."),
            tr("3. Keep this screen open. It changes when the payment has gone through."),
        )
        for widget in (label(due, "h2"), self.status, *(label(step) for step in steps)):
            words.addWidget(widget)
        words.addStretch(1)
        beside.addLayout(words, 1)
        self.add(row)
        self.add_reading(due, widget=row)
        self.set_reading(self.status, self.status.text())
        self.add_reading(*steps, widget=row)
        self.add_reading(code.accessibleName(), widget=row)
        if training:
            note = tr("Training: the payment page is a simulator. No money is taken.")
            self.add(label(note, "hint"), note)
        no_phone = tr("No phone? Cancel this payment, then choose another way to pay.")
        self.add(label(no_phone), no_phone)
        stop = button(tr("Cancel this payment"), "secondary")
        stop.setObjectName("cancel-payment")
        stop.clicked.connect(self.cancel.emit)
        self.cancel_button = stop
        self._row(stop)
        self.add_reading(tr("Cancel this payment"), widget=stop)
        self.column.addStretch(1)

    def set_status(self, words: str) -> None:
        """The payment's progress in words ("The payment page is open on your phone")."""
        if words != self.status.text():
            self.status.setText(words)
            self.status.setAccessibleName(words)
            self.set_reading(self.status, words)
            self.announce(words)

    def first_focus(self) -> QWidget | None:
        """Nothing takes focus at first, so the page stays at its top (the code in view): Tab reaches Cancel."""
        return None
