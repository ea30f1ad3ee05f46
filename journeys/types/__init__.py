"""The question types: one AnswerType per type, found through one registry keyed by the type's name.

Adding a type is one new module here with its AnswerType subclass, and one line in ``_REGISTERED``;
the journey format (which fields a question takes, which conditions it supports), the flow and the
portal's check of answers all ask the registry.

Parsed values: text, choices, email and postcode are strings; number is an int; money is an int
of pence; phone is E.164 (``+441134960000``); date is ``YYYY-MM-DD``; time is ``HH:MM`` (24 hour);
checkboxes is a list of option values in the order the options are listed; address is a dict with
``line1``, ``line2``, ``town`` and ``postcode``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from journeys.messages import msg
from journeys.types.address import ADDRESS_PARTS, Address
from journeys.types.appointment import Appointment
from journeys.types.base import AnswerError, AnswerType
from journeys.types.checkboxes import Checkboxes
from journeys.types.choice import Radios, Select, YesNo
from journeys.types.clean import HiddenCharacters, NotAnAnswer, clean_raw
from journeys.types.date import Date
from journeys.types.email import Email
from journeys.types.money import Money
from journeys.types.number import Number
from journeys.types.phone import Phone
from journeys.types.postcode import Postcode
from journeys.types.text import LongText, Text
from journeys.types.time import Time

if TYPE_CHECKING:
    from journeys.models import Question

__all__ = [
    "ADDRESS_PARTS",
    "ANSWER_TYPES",
    "AnswerError",
    "AnswerType",
    "answer_type",
    "display_answer",
    "example_raw",
    "hint_text",
    "is_empty",
    "parse_answer",
    "to_raw",
]

# In the order the journey format lists them (the JSON Schema's enum follows it).
_REGISTERED: tuple[type[AnswerType], ...] = (
    Text,
    LongText,
    Number,
    Money,
    Email,
    Phone,
    Postcode,
    Address,
    Date,
    Time,
    Radios,
    Checkboxes,
    Select,
    YesNo,
    Appointment,
)

ANSWER_TYPES: dict[str, AnswerType] = {cls.name: cls() for cls in _REGISTERED}


def answer_type(name: str) -> AnswerType:
    """The AnswerType of a question type; KeyError for a name the format does not have."""
    return ANSWER_TYPES[name]


def is_empty(raw: Any) -> bool:
    """Whether a raw answer is blank: nothing, spaces, no ticks, or every box of a group empty."""
    if raw is None:
        return True
    if isinstance(raw, dict):
        return all(not str(v if v is not None else "").strip() for v in raw.values())
    if isinstance(raw, list | tuple | set):
        return len(raw) == 0
    if isinstance(raw, bool | int | float):
        return False
    return not str(raw).strip()


def parse_answer(q: Question, raw: Any, today: dt.date | None = None) -> Any:
    """Return the normalised answer (None when optional and empty) or raise AnswerError.

    Every raw answer is cleaned first (journeys/types/clean.py): control and text-direction characters
    are refused, invisible ones removed, and a coded answer's digits read in any script.
    """
    kind = answer_type(q.type)
    try:
        raw = clean_raw(raw, kind.coded)
    except HiddenCharacters:
        raise kind.error("answer.hidden", q) from None
    except NotAnAnswer:
        raise kind.error(kind.verb, q) from None
    if is_empty(raw):
        if q.required:
            raise kind.error(kind.verb, q)
        return None
    return kind.parse(raw, q, today or dt.date.today())


def display_answer(q: Question, value: Any, lang: str = "en") -> str:
    """How an answer reads on the check-answers page, in the display language."""
    if value is None or value == [] or value == {}:
        return msg("summary.not_given").render(lang)
    return answer_type(q.type).display(value, q, lang)


def to_raw(q: Question, value: Any) -> Any:
    """The raw form of a parsed answer, as a screen would hold it: parse_answer(q, to_raw(q, v)) == v.

    Used to offer a fact given earlier in the visit, pre-filled, in the next journey.
    """
    return None if value is None else answer_type(q.type).to_raw(value, q)


def example_raw(q: Question, today: dt.date | None = None) -> Any:
    """A raw answer that parses: for `dcp-kiosk journeys example` and for tests."""
    return answer_type(q.type).example(q, today or dt.date.today())


EXAMPLE = "{example}"


def hint_text(q: Question, lang: str, today: dt.date | None = None) -> str | None:
    """The question's hint in `lang`. In a date question's hint, `{example}` becomes a day that keeps the
    question's own rules ("For example, {example}" -> "For example, 27 11 2026"), so it never goes stale."""
    text = q.hint.get(lang) if q.hint else None
    if text and EXAMPLE in text and q.type == "date":
        boxes = example_raw(q, today)
        text = text.replace(EXAMPLE, f"{boxes['day']} {boxes['month']} {boxes['year']}")
    return text
