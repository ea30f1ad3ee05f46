"""Money: pounds and pence as people type them (12, 12.5, £12.50, 1,250.00, 50p, and 12,50 with a decimal
comma as Polish and many other languages write it), kept as whole pence."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from journeys import formatting
from journeys.messages import Amount
from journeys.types.base import DASHES
from journeys.types.number import Number, _clamp

if TYPE_CHECKING:
    from journeys.models import Question


class Money(Number):
    name = "money"
    default_name = "name.money"
    default_subject = "subject.money"
    shape = "the answer must be a whole number of pence"

    def parse(self, raw: Any, q: Question, today: dt.date) -> int:
        text = re.sub(r"\s", "", str(raw)).translate(DASHES).lower()
        if text.count(",") == 1 and "." not in text and re.search(r",[0-9]{1,2}p?$", text):
            text = text.replace(",", ".")  # a decimal comma, as Polish writes 12,50: never read as 1250
        text = text.replace(",", "")
        text = text.removeprefix("gbp").removeprefix("£")
        negative = text.startswith("-")
        text = text.lstrip("-").removeprefix("£")
        if text.endswith("p") and re.fullmatch(r"[0-9]{1,3}p", text):
            pence = int(text[:-1])
        else:
            if not re.fullmatch(r"[0-9]{1,12}(\.[0-9]{0,20})?|\.[0-9]{1,20}", text):
                raise self.error("money.format", q)
            amount = Decimal(text)
            if amount != amount.quantize(Decimal("0.01")):
                raise self.error("money.pence", q)
            pence = int(amount * 100)
        if negative and pence:
            raise self.error("money.negative", q)
        self.check_limits(pence, q, Amount)
        return pence

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return formatting.format_money(value, lang)

    def to_raw(self, value: Any, q: Question) -> str:
        return f"{value // 100}.{value % 100:02d}"

    def example(self, q: Question, today: dt.date) -> str:
        return self.to_raw(_clamp(1000, q), q)

    def right_kind(self, value: Any) -> bool:
        return not isinstance(value, bool) and isinstance(value, int)

    def check_definition(self, q: Question) -> str | None:
        if q.min is not None and q.min < 0:
            return "money cannot be less than 0 pence"
        return None
