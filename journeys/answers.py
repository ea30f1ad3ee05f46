"""Parse what people type into typed answers, with GOV.UK-style error messages.

Each parser takes the raw input (a string; a dict of day/month/year for dates; a dict of lines for
an address; a list of values for checkboxes) and returns the normalised answer, or raises
AnswerError with a message that says what to do and names the answer. Messages never say
"please", "sorry", "valid" or "invalid".

Parsed values: text, choices, email and postcode are strings; number is an int; money is an int
of pence; phone is E.164 (``+441134960000``); date is ``YYYY-MM-DD``; time is ``HH:MM`` (24 hour);
checkboxes is a list of option values in the order the options are listed; address is a dict with
``line1``, ``line2``, ``town`` and ``postcode``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers

from journeys.models import ADDRESS_PARTS, Question


class AnswerError(ValueError):
    """The citizen's answer cannot be used; str(error) is the message to show them."""


EMAIL_MAX = 254
TEXT_MAX = 200
LONG_TEXT_MAX = 1200
ADDRESS_LINE_MAX = 100

# "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA", and GIR 0AA (Girobank).
_POSTCODE = re.compile(r"^(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_TIME = re.compile(r"^(\d{1,2})(?:[:.\s]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})

# What each type of answer is called when the journey does not say (error_name):
# (the form after "Enter"/"Select", the form that starts a sentence).
_DEFAULT_NAMES: dict[str, tuple[str, str]] = {
    "text": ("your answer", "Your answer"),
    "long_text": ("your answer", "Your answer"),
    "number": ("a number", "The number"),
    "money": ("an amount", "The amount"),
    "email": ("an email address", "Email address"),
    "phone": ("a telephone number", "Telephone number"),
    "postcode": ("a postcode", "Postcode"),
    "address": ("an address", "Address"),
    "date": ("a date", "Date"),
    "time": ("a time", "Time"),
    "radios": ("an answer", "Answer"),
    "select": ("an answer", "Answer"),
    "yes_no": ("yes or no", "Answer"),
    "checkboxes": ("at least one option", "Answer"),
}


def enter_name(q: Question) -> str:
    """The answer's name as it follows "Enter" or "Select": "your full name"."""
    return q.error_name.en if q.error_name else _DEFAULT_NAMES[q.type][0]


def subject_name(q: Question) -> str:
    """The answer's name as it starts a sentence: "Your full name"."""
    if q.error_name:
        text = q.error_name.en
        return text[:1].upper() + text[1:]
    return _DEFAULT_NAMES[q.type][1]


def _pounds(pence: int) -> str:
    pounds, p = divmod(pence, 100)
    return f"£{pounds:,}" if p == 0 else f"£{pounds:,}.{p:02d}"


# -- parsers ----------------------------------------------------------------------------------


def parse_postcode(raw: str, q: Question) -> str:
    compact = re.sub(r"[\s\-.]+", "", str(raw)).upper()
    m = _POSTCODE.match(compact)
    if not m:
        raise AnswerError("Enter a full UK postcode, like LS1 4AP")
    return f"{m.group(1)} {m.group(2)}"


def parse_email(raw: str, q: Question) -> str:
    value = str(raw).strip()
    if len(value) > EMAIL_MAX:
        raise AnswerError(f"{subject_name(q)} must be {EMAIL_MAX} characters or fewer")
    if not _EMAIL.match(value) or ".." in value:
        raise AnswerError(f"Enter {enter_name(q)} in the correct format, like name@example.com")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def parse_phone(raw: str, q: Question) -> str:
    text = str(raw).strip().translate(_DASHES)
    bad = AnswerError(f"Enter {enter_name(q)}, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
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


def parse_text(raw: str, q: Question) -> str:
    value = str(raw).strip()
    if q.type == "long_text":
        value = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n"))
    else:
        value = re.sub(r"\s+", " ", value)
    limit = q.max_length or (LONG_TEXT_MAX if q.type == "long_text" else TEXT_MAX)
    if len(value) > limit:
        raise AnswerError(f"{subject_name(q)} must be {limit:,} characters or fewer")
    return value


def _limits(q: Question, value: int, show: Any) -> None:
    lo, hi = q.min, q.max
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo is not None and hi is not None:
            raise AnswerError(f"{subject_name(q)} must be between {show(lo)} and {show(hi)}")
        if lo is not None:
            raise AnswerError(f"{subject_name(q)} must be {show(lo)} or more")
        raise AnswerError(f"{subject_name(q)} must be {show(hi)} or less")


def parse_number(raw: Any, q: Question) -> int:
    text = re.sub(r"[\s,]", "", str(raw)).translate(_DASHES)
    if re.fullmatch(r"-?\d+\.0*", text):
        text = text.split(".")[0]
    if re.fullmatch(r"-?\d+\.\d+", text):
        raise AnswerError(f"{subject_name(q)} must be a whole number")
    if not re.fullmatch(r"-?\d{1,15}", text):
        raise AnswerError(f"{subject_name(q)} must be a number, like 5")
    value = int(text)
    _limits(q, value, lambda n: f"{n:,}")
    return value


def parse_money(raw: Any, q: Question) -> int:
    """Pounds and pence as people type them: 12, 12.5, £12.50, 1,250.00, 50p. Returns pence."""
    text = re.sub(r"[\s,]", "", str(raw)).translate(_DASHES).lower()
    text = text.removeprefix("gbp").removeprefix("£")
    negative = text.startswith("-")
    text = text.lstrip("-").removeprefix("£")
    if text.endswith("p") and re.fullmatch(r"\d{1,3}p", text):
        pence = int(text[:-1])
    else:
        if not re.fullmatch(r"\d{1,12}(\.\d*)?|\.\d+", text):
            raise AnswerError(f"{subject_name(q)} must be an amount of money, like 12.50 or 150")
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
            raise AnswerError(f"{subject_name(q)} must be an amount of money, like 12.50 or 150") from None
        if amount != amount.quantize(Decimal("0.01")):
            raise AnswerError(f"{subject_name(q)} must be in pounds and pence, like 12.50")
        pence = int(amount * 100)
    if negative and pence:
        raise AnswerError(f"{subject_name(q)} must be £0 or more")
    _limits(q, pence, _pounds)
    return pence


def _date_parts(raw: Any) -> dict[str, str]:
    if isinstance(raw, dict):
        return {k: str(raw.get(k) or "").strip() for k in ("day", "month", "year")}
    text = str(raw).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)  # ISO, from a script
    if m:
        return {"day": m.group(3), "month": m.group(2), "year": m.group(1)}
    pieces = [p for p in re.split(r"[\s/.\-,]+", text) if p]
    if len(pieces) == 3:
        return dict(zip(("day", "month", "year"), pieces, strict=True))
    return {"day": "", "month": "", "year": text}


def parse_date(raw: Any, q: Question, today: dt.date | None = None) -> str:
    parts = _date_parts(raw)
    subject = subject_name(q)
    missing = [k for k in ("day", "month", "year") if not parts[k]]
    if len(missing) == 3:
        raise AnswerError(f"Enter {enter_name(q)}")
    if missing:
        raise AnswerError(f"{subject} must include a {' and '.join(missing)}")
    month_text = parts["month"].lower().rstrip(".")
    month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else None)
    day, year = parts["day"].lower(), parts["year"]
    day = re.sub(r"(st|nd|rd|th)$", "", day)
    if month is None or not day.isdigit() or not year.isdigit():
        raise AnswerError(f"{subject} must be a real date")
    if len(year) != 4:
        raise AnswerError("Year must include 4 numbers")
    try:
        value = dt.date(int(year), month, int(day))
    except ValueError:
        raise AnswerError(f"{subject} must be a real date") from None
    today = today or dt.date.today()
    rules = {
        "past": (value < today, "must be in the past"),
        "today_or_past": (value <= today, "must be today or in the past"),
        "future": (value > today, "must be in the future"),
        "today_or_future": (value >= today, "must be today or in the future"),
    }
    if q.date_range in rules:
        ok, words = rules[q.date_range]
        if not ok:
            raise AnswerError(f"{subject} {words}")
    return value.isoformat()


def parse_time(raw: Any, q: Question) -> str:
    """9am, 9:30am, 9.30 pm, 14:30, 1430, midday, noon, midnight. Returns HH:MM."""
    text = str(raw).strip().lower()
    named = {"midday": "12:00", "noon": "12:00", "12 noon": "12:00", "midnight": "00:00", "12 midnight": "00:00"}
    if text in named:
        return named[text]
    m = _TIME.fullmatch(text)
    problem = AnswerError(f"{subject_name(q)} must be a real time, like 9:30am or 14:30")
    if not m:
        raise problem
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    suffix = (m.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise problem
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif m.group(2) is None and len(m.group(1)) <= 2:
        raise AnswerError(f"{subject_name(q)} must include am or pm, or be a 24-hour time like 14:30")
    if hour > 23 or minute > 59:
        raise problem
    return f"{hour:02d}:{minute:02d}"


def _option_for(q: Question, raw: Any) -> str | None:
    values = q.option_values()
    if raw in values:
        return str(raw)
    if isinstance(raw, str):  # a typed label, from a script or a screen reader's entry
        wanted = raw.strip().casefold()
        if q.type == "yes_no" and wanted in ("yes", "no", "y", "n"):
            return "yes" if wanted.startswith("y") else "no"
        for o in q.options:
            if o.label.en.casefold() == wanted or o.value == wanted:
                return o.value
    if q.type == "yes_no" and isinstance(raw, bool):
        return "yes" if raw else "no"
    return None


def parse_choice(raw: Any, q: Question) -> str:
    value = _option_for(q, raw)
    if value is None:
        raise AnswerError(f"Select {enter_name(q)}")
    return value


def parse_checkboxes(raw: Any, q: Question) -> list[str]:
    items = raw if isinstance(raw, list | tuple | set) else [raw]
    chosen: set[str] = set()
    for item in items:
        value = _option_for(q, item)
        if value is None:
            raise AnswerError(f"Select {enter_name(q)} from the list")
        chosen.add(value)
    exclusive = [o for o in q.options if o.exclusive and o.value in chosen]
    if exclusive and len(chosen) > 1:
        raise AnswerError(f"Select {enter_name(q)}, or select ‘{exclusive[0].label.en}’, but not both")
    return [o.value for o in q.options if o.value in chosen]


def parse_address(raw: Any, q: Question) -> dict[str, str]:
    if isinstance(raw, str):  # one line per part, or comma separated, from a script
        pieces = [p.strip() for p in re.split(r"[\n,]", raw) if p.strip()]
        if len(pieces) < 3:
            raise AnswerError(f"Enter {enter_name(q)}: the building and street, the town or city, and the postcode")
        raw = {"line1": pieces[0], "line2": ", ".join(pieces[1:-2]), "town": pieces[-2], "postcode": pieces[-1]}
    if not isinstance(raw, dict):
        raise AnswerError(f"Enter {enter_name(q)}")
    parts = {k: re.sub(r"\s+", " ", str(raw.get(k) or "")).strip() for k in ADDRESS_PARTS}
    if not parts["line1"]:
        raise AnswerError("Enter address line 1, typically the building and street")
    if not parts["town"]:
        raise AnswerError("Enter town or city")
    if not parts["postcode"]:
        raise AnswerError("Enter a postcode")
    for key, name in (("line1", "Address line 1"), ("line2", "Address line 2"), ("town", "Town or city")):
        if len(parts[key]) > ADDRESS_LINE_MAX:
            raise AnswerError(f"{name} must be {ADDRESS_LINE_MAX} characters or fewer")
    parts["postcode"] = parse_postcode(parts["postcode"], q)
    return parts


def is_empty(raw: Any) -> bool:
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
    """Return the normalised answer (None when optional and empty) or raise AnswerError."""
    if is_empty(raw):
        if q.required:
            verb = "Select" if q.type in ("radios", "select", "yes_no", "checkboxes") else "Enter"
            raise AnswerError(f"{verb} {enter_name(q)}")
        return None
    kind = q.type
    if kind == "postcode":
        return parse_postcode(str(raw), q)
    if kind == "email":
        return parse_email(str(raw), q)
    if kind == "phone":
        return parse_phone(str(raw), q)
    if kind == "date":
        return parse_date(raw, q, today)
    if kind == "time":
        return parse_time(raw, q)
    if kind in ("radios", "select", "yes_no"):
        return parse_choice(raw, q)
    if kind == "checkboxes":
        return parse_checkboxes(raw, q)
    if kind == "number":
        return parse_number(raw, q)
    if kind == "money":
        return parse_money(raw, q)
    if kind == "address":
        return parse_address(raw, q)
    return parse_text(str(raw), q)


# -- showing answers --------------------------------------------------------------------------


def display_time(value: str) -> str:
    hour, minute = (int(p) for p in value.split(":"))
    if (hour, minute) == (12, 0):
        return "midday"
    if (hour, minute) == (0, 0):
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    h12 = hour % 12 or 12
    return f"{h12}{suffix}" if minute == 0 else f"{h12}:{minute:02d}{suffix}"


def display_phone(value: str) -> str:
    number = phonenumbers.parse(value, "GB")
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def display_answer(q: Question, value: Any, lang: str = "en") -> str:
    """How an answer reads on the check-answers page."""
    if value is None or value == [] or value == {}:
        return "Not given"
    labels = {o.value: o.label.get(lang) for o in q.options}
    if q.type in ("radios", "select"):
        return labels.get(value, str(value))
    if q.type == "checkboxes":
        return "\n".join(labels.get(v, str(v)) for v in value)
    if q.type == "yes_no":
        return "Yes" if value == "yes" else "No"
    if q.type == "date":
        d = dt.date.fromisoformat(value)
        return f"{d.day} {d.strftime('%B')} {d.year}"
    if q.type == "time":
        return display_time(value)
    if q.type == "money":
        return f"£{value // 100:,}.{value % 100:02d}"
    if q.type == "number":
        return f"{value:,}"
    if q.type == "phone":
        return display_phone(value)
    if q.type == "address":
        return "\n".join(value[k] for k in ADDRESS_PARTS if value.get(k))
    return str(value)


def to_raw(q: Question, value: Any) -> Any:
    """The raw form of a parsed answer, as a screen would hold it: parse_answer(q, to_raw(q, v)) == v.

    Used to offer a fact given earlier in the visit, pre-filled, in the next journey.
    """
    if value is None:
        return None
    if q.type == "date":
        d = dt.date.fromisoformat(value)
        return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
    if q.type == "money":
        return f"{value // 100}.{value % 100:02d}"
    if q.type == "phone":
        return display_phone(value)
    if q.type == "checkboxes":
        return list(value)
    if q.type == "address":
        return dict(value)
    return str(value)


_EXAMPLE_TEXT = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "0113 496 0000",
    "address-line": "12 Park Row",
    "postcode": "LS1 4AP",
}


def example_raw(q: Question, today: dt.date | None = None) -> Any:
    """A raw answer that parses: for `dcp-kiosk journeys example` and for tests."""
    today = today or dt.date.today()
    if q.type in ("radios", "select"):
        return q.options[0].value
    if q.type == "checkboxes":
        return [next(o.value for o in q.options if not o.exclusive)]
    if q.type == "yes_no":
        return "yes"
    if q.type == "date":
        shift = {"past": -30, "today_or_past": -30, "future": 30, "today_or_future": 30}.get(q.date_range, -7)
        d = today + dt.timedelta(days=shift)
        return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
    if q.type == "time":
        return "10:30"
    if q.type in ("number", "money"):
        value = 1000 if q.type == "money" else 1
        if q.min is not None:
            value = max(value, q.min)
        if q.max is not None:
            value = min(value, q.max)
        return str(value) if q.type == "number" else to_raw(q, value)
    if q.type == "email":
        return "ada@example.com"
    if q.type == "phone":
        return "0113 496 0000"
    if q.type == "postcode":
        return "LS1 4AP"
    if q.type == "address":
        return {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"}
    text = _EXAMPLE_TEXT.get(q.reuse or "", "An example answer")
    return text[: q.max_length] if q.max_length else text
