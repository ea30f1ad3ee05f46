"""UK postcode: any case and spacing in, "LS1 4AP" out."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys.messages import msg
from journeys.types.base import AnswerError, AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

# "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA", and GIR 0AA (Girobank).
_POSTCODE = re.compile(r"^(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def parse_postcode(raw: Any) -> str:
    """The postcode in capitals with one space, or AnswerError (also used by the address type)."""
    compact = re.sub(r"[\s\-.]+", "", str(raw)).upper()
    m = _POSTCODE.match(compact) if compact.isascii() else None  # "ß".upper() is "SS"
    if not m:
        raise AnswerError(msg("postcode.format"))
    return f"{m.group(1)} {m.group(2)}"


class Postcode(AnswerType):
    name = "postcode"
    default_name = "name.postcode"
    default_subject = "subject.postcode"
    shape = "the answer must be a UK postcode"
    coded = True
    example_value = "LS1 4AP"

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        return parse_postcode(raw)

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, str) and bool(_SHAPE.match(value.upper()))
