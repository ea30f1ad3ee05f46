"""Time of day: 9am, 9:30am, 9.30 pm, 14:30, 1430, midday, noon, midnight; kept as HH:MM (24 hour)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys import formatting
from journeys.messages import msg
from journeys.types.base import AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

_TIME = re.compile(r"^([0-9]{1,2})(?:[:.\s]?([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_SHAPE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_NAMED = {"midday": "12:00", "noon": "12:00", "12 noon": "12:00", "midnight": "00:00", "12 midnight": "00:00"}


class Time(AnswerType):
    name = "time"
    ordered = True
    default_name = "name.time"
    default_subject = "subject.time"
    shape = "the answer must be a time (HH:MM)"
    coded = True
    example_value = "10:30"

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        text = str(raw).strip().lower()
        if text in _NAMED:
            return _NAMED[text]
        m = _TIME.fullmatch(text)
        problem = self.error("time.format", q)
        if not m:
            raise problem
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        suffix = (m.group(3) or "").replace(".", "")
        if suffix:
            if not 1 <= hour <= 12:
                raise problem
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        elif m.group(2) is None and len(m.group(1)) <= 2:
            raise self.error("time.am_pm", q)
        if hour > 23 or minute > 59:
            raise problem
        return f"{hour:02d}:{minute:02d}"

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return time_words(value, lang)

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, str) and bool(_SHAPE.match(value))


def time_words(value: str, lang: str = "en") -> str:
    """A time kept as HH:MM, as a person reads it: "9am", "2:30pm", "midday"; the locale's short form outside English."""
    hour, minute = (int(p) for p in value.split(":"))
    if (hour, minute) == (12, 0):
        return msg("time.midday").render(lang)
    if (hour, minute) == (0, 0):
        return msg("time.midnight").render(lang)
    if lang != "en":
        return formatting.format_time(dt.time(hour, minute), lang)
    suffix = "am" if hour < 12 else "pm"  # GOV.UK style: 9am, 2:30pm
    h12 = hour % 12 or 12
    return f"{h12}{suffix}" if minute == 0 else f"{h12}:{minute:02d}{suffix}"
