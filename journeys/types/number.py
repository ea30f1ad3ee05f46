"""Number: a whole number, as people type it ("1,000", "12.0"), within the question's min and max."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys import formatting
from journeys.types.base import DASHES, AnswerType

if TYPE_CHECKING:
    from journeys.models import Question


class Number(AnswerType):
    name = "number"
    fields = frozenset({"min_max"})
    ordered = True
    default_name = "name.number"
    default_subject = "subject.number"
    shape = "the answer must be a number"
    coded = True

    def parse(self, raw: Any, q: Question, today: dt.date) -> int:
        text = re.sub(r"[\s,]", "", str(raw)).translate(DASHES)
        if re.fullmatch(r"-?[0-9]+\.0*", text):
            text = text.split(".")[0]
        if re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
            raise self.error("number.whole", q)
        if not re.fullmatch(r"-?[0-9]{1,15}", text):
            raise self.error("number.format", q)
        value = int(text)
        self.check_limits(value, q, int)
        return value

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return formatting.format_number(value, lang)

    def example(self, q: Question, today: dt.date) -> str:
        return str(_clamp(1, q))

    def check_shape(self, value: Any, q: Question) -> bool:
        return self.right_kind(value) and self.in_limits(value, q)

    def right_kind(self, value: Any) -> bool:
        return not isinstance(value, bool) and isinstance(value, int | float)

    def shape_words(self, value: Any, q: Question) -> str:
        return "the answer is out of range" if self.right_kind(value) else self.shape


def _clamp(value: int, q: Question) -> int:
    if q.min is not None:
        value = max(value, q.min)
    if q.max is not None:
        value = min(value, q.max)
    return value
