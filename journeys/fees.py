"""What a journey costs, for the check-answers page: a fee billed later, or the amount of a payment.

Words only: nothing here takes money or says that money was taken. A fee (``Journey.fee``) is a
fixed amount, plus an amount for each item over the ones it includes, when its condition holds;
its note says how it is really paid (a bill). A payment (``Journey.payment``) shows the amount to
pay, a fixed amount or the answer to its money question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeys import formatting
from journeys.messages import Message, msg
from journeys.models import Fee, Journey, Payment

__all__ = ["AmountRow", "amount_row", "fee_pence", "payment_pence"]


@dataclass(frozen=True)
class AmountRow:
    """The cost row of check answers, in the display language: a heading, the amount, how it is paid."""

    label: str | Message  # a Message when the words are the kiosk's, not the journey's
    amount: str
    note: str | None


def fee_pence(fee: Fee, answers: dict[str, Any]) -> int:
    """The fee for these (parsed) answers: the fixed amount and each item over the ones included."""
    total = fee.amount_pence
    extra = fee.each_extra
    if extra is not None:
        count = answers.get(extra.question)
        if isinstance(count, int) and not isinstance(count, bool) and count > extra.included:
            total += (count - extra.included) * extra.amount_pence
    return total


def payment_pence(payment: Payment, answers: dict[str, Any]) -> int | None:
    """What the citizen pays for these (parsed) answers: the first amount whose condition holds, else
    the fixed amount or the money answer; None when the money question is unanswered."""
    for rule in payment.amounts:
        if rule.when.evaluate(answers):
            return rule.amount_pence
    pence = payment.amount_pence if payment.amount_question is None else answers.get(payment.amount_question)
    return pence if isinstance(pence, int) and not isinstance(pence, bool) and pence > 0 else None


def amount_row(journey: Journey, answers: dict[str, Any], lang: str = "en") -> AmountRow | None:
    """The row to show, or None when the journey costs nothing for these answers."""
    payment = journey.payment
    if payment is not None:
        pence = payment_pence(payment, answers)
        if pence is None:
            return None
        return AmountRow(msg("summary.amount_to_pay"), formatting.format_money(pence, lang), None)
    fee = journey.fee
    if fee is None or (fee.when is not None and not fee.when.evaluate(answers)):
        return None
    pence = fee_pence(fee, answers)
    amount = formatting.format_money(pence, lang, whole_pounds_short=True)
    return AmountRow(fee.label.get(lang), amount, fee.note.get(lang))
