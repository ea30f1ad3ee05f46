"""Everything the journey core says to a person, as a message id with parameters and an English default.

The core never builds a sentence itself: it returns a :class:`Message`, and whoever shows it turns it
into words (the UI through its one translation function, the CLI and the tests with ``str()``, which is
the English text). A translation is a template looked up by the message id; a missing one falls back to
the English default, so a new message never shows as a blank.

Parameters are filled in the display language as well: an int is a number of that locale ("1,200"),
another Message is rendered in the same language, and anything with ``get(lang)`` (a journey's own
localised string) gives its text in that language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from journeys import formatting

Translate = Callable[[str], "str | None"]
Catalogues = Callable[[str, str, str], "str | None"]  # (language, message id, English) -> template, or None

_catalogues: Catalogues | None = None


def use_catalogues(catalogues: Catalogues | None) -> None:
    """Where a Message finds its words in another language when no ``translate`` is given (the app's
    gettext catalogues, app/languages.py). Without one, every language is English."""
    global _catalogues
    _catalogues = catalogues


def _from_catalogues(lang: str) -> Translate | None:
    found = _catalogues
    if found is None or lang == "en":
        return None
    return lambda message_id: found(lang, message_id, MESSAGES.get(message_id, ""))


# id -> English default. Each id is used once; tests/unit/journeys/test_messages.py checks that every id
# the core uses is here and that no id is listed twice.
MESSAGES: dict[str, str] = {
    # what an answer is called when the journey does not say (error_name): after "Enter" / "Select"
    "name.text": "your answer",
    "name.number": "a number",
    "name.money": "an amount",
    "name.email": "an email address",
    "name.phone": "a telephone number",
    "name.postcode": "a postcode",
    "name.address": "an address",
    "name.date": "a date",
    "name.time": "a time",
    "name.choice": "an answer",
    "name.yes_no": "yes or no",
    "name.checkboxes": "at least one option",
    # ... and the form that starts a sentence
    "subject.text": "Your answer",
    "subject.number": "The number",
    "subject.money": "The amount",
    "subject.email": "Email address",
    "subject.phone": "Telephone number",
    "subject.postcode": "Postcode",
    "subject.address": "Address",
    "subject.date": "Date",
    "subject.time": "Time",
    "subject.choice": "Answer",
    "name.appointment": "a time for your appointment",
    "subject.appointment": "Your appointment",
    # answers that are missing
    "answer.enter": "Enter {name}",
    "answer.select": "Select {name}",
    # lengths and ranges
    "answer.too_long": "{subject} must be {limit} characters or fewer",
    "answer.between": "{subject} must be between {low} and {high}",
    "answer.at_least": "{subject} must be {low} or more",
    "answer.at_most": "{subject} must be {high} or less",
    # control characters and text-direction overrides (journeys/types/clean.py)
    "answer.hidden": "{subject} must only include characters you can see: type it again",
    # postcode, email, phone
    "postcode.format": "Enter a full UK postcode, like LS1 4AP",
    "email.format": "Enter {name} in the correct format, like name@example.com",
    "phone.format": "Enter {name}, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
    # number and money
    "number.whole": "{subject} must be a whole number",
    "number.format": "{subject} must be a number, like 5",
    "money.format": "{subject} must be an amount of money, like 12.50 or 150",
    "money.pence": "{subject} must be in pounds and pence, like 12.50",
    "money.negative": "{subject} must be £0 or more",
    # date
    "date.missing_parts": "{subject} must include a {parts}",
    "date.part.day": "day",
    "date.part.month": "month",
    "date.part.year": "year",
    "date.parts.and": "{first} and {second}",
    "date.real": "{subject} must be a real date",
    "date.year_digits": "Year must include 4 numbers",
    "date.past": "{subject} must be in the past",
    "date.today_or_past": "{subject} must be today or in the past",
    "date.future": "{subject} must be in the future",
    "date.today_or_future": "{subject} must be today or in the future",
    "date.within_days": "{subject} must be in the last {days} days",
    "date.within_one_day": "{subject} must be today or yesterday",
    "date.not_before": "{subject} must be the same as or after {day}",
    "date.not_after": "{subject} must be the same as or before {day}",
    "date.weekday": "{subject} must be a weekday (Monday to Friday)",
    # time
    "time.format": "{subject} must be a real time, like 9:30am or 14:30",
    "time.am_pm": "{subject} must include am or pm, or be a 24-hour time like 14:30",
    "time.midday": "midday",
    "time.midnight": "midnight",
    # choices
    "checkboxes.from_list": "Select {name} from the list",
    "checkboxes.exclusive": "Select {name}, or select ‘{option}’, but not both",
    "yes_no.yes": "Yes",
    "yes_no.no": "No",
    # address
    "address.lines": "Enter {name}: the building and street, the town or city, and the postcode",
    "address.line1": "Enter address line 1, typically the building and street",
    "address.choose": "Choose your address from the list, or choose I can't find my address",
    "address.town": "Enter town or city",
    "address.postcode": "Enter a postcode",
    "address.too_long": "{part} must be {limit} characters or fewer",
    "address.part.line1": "Address line 1",
    "address.part.line2": "Address line 2",
    "address.part.town": "Town or city",
    # appointments: a slot held online, or a request made offline
    "appointment.slot": "{day}, {start} to {end}",
    "appointment.held": "{slot}, {place}. Held for you until {until}: it is booked when you send this",
    "appointment.booked": "{slot}, {place}",
    "appointment.request": "Not booked yet. Days that suit you: {days}. Times: {times}",
    "appointment.days": "Select at least one day that suits you",
    "appointment.times": "Select mornings, afternoons or both",
    "appointment.morning": "mornings",
    "appointment.afternoon": "afternoons",
    # check answers
    "summary.not_given": "Not given",
    "summary.amount_to_pay": "Amount to pay",
}


@dataclass(frozen=True, eq=False)
class Message:
    """Words for a person: an id, an English template with ``{named}`` parameters, and the parameters.

    ``str(message)`` is the English text. A Message equals another with the same id, default and
    parameters, and equals a str that is its English text (so ``FieldError("q", "Enter a date")``
    still compares as it did when the core spoke plain English).
    """

    id: str
    default: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str = "en", translate: Translate | None = None) -> str:
        """The words in ``lang``: ``translate(id)`` may give a template in that language, else English."""
        if translate is None:
            translate = _from_catalogues(lang)
        template = (translate(self.id) if translate else None) or self.default
        values = {name: _render_param(value, lang, translate) for name, value in self.params.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with a bad placeholder: say it in English
            return self.default.format(**values)

    def __str__(self) -> str:
        return self.render("en")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.id, self.default, dict(self.params)) == (other.id, other.default, dict(other.params))
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


@dataclass(frozen=True)
class Capitalised:
    """A parameter shown with its first letter in capitals: a journey's error_name starting a sentence."""

    inner: object

    def render(self, lang: str = "en", translate: Translate | None = None) -> str:
        text = _render_param(self.inner, lang, translate)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Amount:
    """A parameter that is an amount of money in pence, shown in the locale's currency format."""

    pence: int

    def render(self, lang: str = "en", translate: Translate | None = None) -> str:
        return formatting.format_money(self.pence, lang, whole_pounds_short=True)


@dataclass(frozen=True)
class Day:
    """A parameter that is a day, shown as the locale writes a date ("1 April 2026")."""

    value: dt.date

    def render(self, lang: str = "en", translate: Translate | None = None) -> str:
        return formatting.format_date(self.value, lang)


def msg(message_id: str, **params: object) -> Message:
    """The message ``message_id`` with its English default; a KeyError names an id missing from MESSAGES."""
    return Message(message_id, MESSAGES[message_id], params)


def _render_param(value: object, lang: str, translate: Translate | None) -> str:
    render: Any = getattr(value, "render", None)
    if callable(render):
        return str(render(lang, translate))
    get: Any = getattr(value, "get", None)
    if callable(get) and not isinstance(value, Mapping):
        return str(get(lang))  # a journey's Localised string
    if isinstance(value, int) and not isinstance(value, bool):
        return formatting.format_number(value, lang)
    return str(value)
