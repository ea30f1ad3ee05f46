"""One GOV.UK Forms question page as kiosk pages, by its answer type (the simple types; answers.py has the rest)."""

from __future__ import annotations

from typing import Any

from journeys.importers.govuk_forms.answers import address, file, name, selection
from journeys.importers.govuk_forms.blocks import Asking, Block, Builder
from journeys.importers.govuk_forms.ids import slug
from journeys.importers.govuk_forms.source import Step


def build(b: Builder, step: Step) -> Block | None:
    """The block for a step, or None (with an error note) when it cannot be asked at the kiosk at all."""
    r = b.reader
    kind = step.answer_type
    label = step.text(r, "question_text")
    if label is None:
        r.note(step.where, "the question has no question_text: 'Question N' stands in for it", "error")
        label = {"en": f"Question {step.number}"}
    short = step.data.get("question_short_name")
    base = slug(short if isinstance(short, str) and short.strip() else label["en"], f"question-{step.number}")
    s = Asking(b, step, label, base, f"{step.where}, answer_type {kind}")
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        r.note(s.where, f"answer type {kind!r} is not one GOV.UK Forms has: the page is left out", "error")
        return None
    return handler(s)


def _text(s: Asking) -> Block:
    input_type = s.step.settings(s.r).get("input_type", "single_line")
    if input_type == "long_text":
        s.once()
        return s.single("long_text", max_length=4999)
    if input_type != "single_line":
        s.r.note(s.where, f"input_type {input_type!r} is neither single_line nor long_text: one line is asked", "error")
    return s.many_as_lines("text", 499)


def _long_text(s: Asking) -> Block:
    s.once()
    return s.single("long_text", max_length=4999)


def _nino(s: Asking) -> Block:
    s.r.note(
        s.where,
        "the kiosk has no National Insurance number type: it is asked as text (up to 13 characters) and its "
        "format is not checked at the kiosk",
        "changed",
    )
    s.once()
    hint = s.hint() or s.b.words("For example, QQ 12 34 56 C", "Er enghraifft, QQ 12 34 56 C")
    return s.single("text", max_length=13, hint=hint)


def _number(s: Asking) -> Block:
    s.r.note(s.where, "the kiosk takes whole numbers (0 or more); GOV.UK Forms also takes decimals", "changed")
    s.once()
    return s.single("number", min=0)


def _plain(qtype: str) -> Any:
    def handler(s: Asking) -> Block:
        s.once()
        return s.single(qtype)

    return handler


def _date(s: Asking) -> Block:
    s.once()
    input_type = s.step.settings(s.r).get("input_type", "other_date")
    if input_type not in ("date_of_birth", "other_date"):
        s.r.note(s.where, f"input_type {input_type!r} is neither date_of_birth nor other_date: any date is taken")
    return s.single("date", date_range="today_or_past" if input_type == "date_of_birth" else None)


_HANDLERS: dict[str, Any] = {
    "text": _text,
    "single_line": lambda s: s.many_as_lines("text", 499),
    "long_text": _long_text,
    "organisation_name": lambda s: s.many_as_lines("text", 499),
    "email": _plain("email"),
    "phone_number": _plain("phone"),
    "national_insurance_number": _nino,
    "number": _number,
    "date": _date,
    "name": name,
    "address": address,
    "selection": selection,
    "file": file,
}
