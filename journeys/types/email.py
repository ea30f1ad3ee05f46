"""Email address: trimmed, the domain in lower case."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys.types.base import AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Email(AnswerType):
    name = "email"
    default_name = "name.email"
    default_subject = "subject.email"
    shape = "the answer must be an email address"
    example_value = "ada@example.com"

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        value = str(raw).strip()
        if len(value) > EMAIL_MAX:
            raise self.error("answer.too_long", q, limit=EMAIL_MAX)
        if not _EMAIL.match(value) or ".." in value:
            raise self.error("email.format", q)
        local, domain = value.rsplit("@", 1)
        return f"{local}@{domain.lower()}"

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, str) and bool(_SHAPE.match(value)) and len(value) <= EMAIL_MAX
