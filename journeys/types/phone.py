"""Telephone number: UK numbers as people write them, or international ones; kept in E.164 (+441134960000)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import phonenumbers

from journeys import formatting
from journeys.types.base import DASHES, AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

_SHAPE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


class Phone(AnswerType):
    name = "phone"
    default_name = "name.phone"
    default_subject = "subject.phone"
    shape = "the answer must be a phone number"
    coded = True
    example_value = "0113 496 0000"

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        text = str(raw).strip().translate(DASHES)
        bad = self.error("phone.format", q)
        if re.search(r"[A-Za-z]", re.sub(r"^(tel|phone)\s*:?", "", text, flags=re.I)):
            raise bad
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            raise bad from None
        national = str(number.national_number)
        # Valid by the numbering plan, or an 11-digit UK number (Ofcom's drama ranges are not in the plan).
        uk_shaped = number.country_code == 44 and len(national) == 10 and phonenumbers.is_possible_number(number)
        if not (phonenumbers.is_valid_number(number) or uk_shaped):
            raise bad
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return formatting.format_phone(value)

    def to_raw(self, value: Any, q: Question) -> str:
        return formatting.format_phone(value)

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, str) and bool(_SHAPE.match(value))
