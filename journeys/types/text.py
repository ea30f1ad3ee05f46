"""Text and long text: one line (spaces squeezed) or several (line ends kept), up to a length."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys.types.base import AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

TEXT_MAX = 200
LONG_TEXT_MAX = 1200
SHAPE_MAX = 10_000  # what a portal accepts at most, whatever the question says

_EXAMPLES = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "0113 496 0000",
    "address-line": "12 Park Row",
    "postcode": "LS1 4AP",
}


class Text(AnswerType):
    name = "text"
    fields = frozenset({"max_length"})
    can_contain = True
    limit = TEXT_MAX

    def clean(self, raw: str) -> str:
        return re.sub(r"\s+", " ", raw.strip())

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        value = self.clean(str(raw))
        limit = q.max_length or self.limit
        if len(value) > limit:
            raise self.error("answer.too_long", q, limit=limit)
        return value

    def example(self, q: Question, today: dt.date) -> str:
        text = _EXAMPLES.get(q.reuse or "", "An example answer")
        return text[: q.max_length] if q.max_length else text

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, str) and len(value) <= (q.max_length or SHAPE_MAX)

    def shape_words(self, value: Any, q: Question) -> str:
        return "the answer is too long" if isinstance(value, str) else self.shape


class LongText(Text):
    name = "long_text"
    limit = LONG_TEXT_MAX

    def clean(self, raw: str) -> str:
        return "\n".join(line.rstrip() for line in raw.strip().replace("\r\n", "\n").split("\n"))
