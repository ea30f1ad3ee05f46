"""AnswerType: what one question type knows about its answers, its definition and its conditions.

A type turns what a person typed (the *raw* answer: a string, a dict of day/month/year, a dict of
address lines, a list of ticked values) into the *parsed* answer the journey stores and the portal
receives, or raises AnswerError with a Message that says what to do and names the answer. Messages
never say "please", "sorry", "valid" or "invalid".

The type also tells the format what a question of its kind may carry (``fields``), what conditions
can ask of it (``ordered``, ``can_contain``, ``option_values``) and what a well-formed parsed answer
looks like (``check_shape``, the portal's check).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar

from journeys.messages import Capitalised, Message, msg

if TYPE_CHECKING:
    from journeys.models import Question

DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})


class AnswerError(ValueError):
    """The citizen's answer cannot be used; ``.message`` says what to do, ``str(error)`` in English."""

    def __init__(self, message: Message, *, parts: tuple[tuple[str, Message], ...] = ()) -> None:
        super().__init__(str(message))
        self.message = message
        self.parts = parts  # when several boxes of one answer are wrong: (box, what to do) for each


class AnswerType:
    """One question type. Subclasses set ``name`` and override what differs from plain text."""

    name: ClassVar[str]
    # The optional fields of a Question this type takes, of: options, max_length, min_max, date_range.
    fields: ClassVar[frozenset[str]] = frozenset()
    ordered: ClassVar[bool] = False  # greater_than / less_than can compare its answers
    can_contain: ClassVar[bool] = False  # a contains condition can look inside its answers
    has_options: ClassVar[bool] = False  # the question lists options (at least two)
    yes_or_no: ClassVar[bool] = False  # a condition may compare its answers with true / false
    verb: ClassVar[str] = "answer.enter"  # the message for an empty required answer: "Enter ..." or "Select ..."
    default_name: ClassVar[str] = "name.text"  # what the answer is called after Enter / Select
    default_subject: ClassVar[str] = "subject.text"  # ... and when it starts a sentence
    example_value: ClassVar[Any] = "An example answer"
    shape: ClassVar[str] = "the answer must be text"  # what a portal says of an answer check_shape refuses
    # A number, date or code rather than words: digits in any script and full-width letters are read as
    # ASCII before parse (journeys/types/clean.py). True for the whole answer, or the dict boxes that are.
    coded: ClassVar[bool | frozenset[str]] = False

    def parse(self, raw: Any, q: Question, today: dt.date) -> Any:
        """The parsed answer for a non-empty raw answer, or raise AnswerError."""
        return str(raw)

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        """How a parsed answer reads on the check-answers page."""
        return str(value)

    def to_raw(self, value: Any, q: Question) -> Any:
        """The raw form of a parsed answer, as a screen holds it: parse(to_raw(v)) == v."""
        return str(value)

    def example(self, q: Question, today: dt.date) -> Any:
        """A raw answer that parses: for `dcp-kiosk journeys example` and for tests."""
        return self.example_value

    def check_shape(self, value: Any, q: Question) -> bool:
        """Whether ``value`` is a well-formed parsed answer of this type (what a portal checks)."""
        return isinstance(value, str)

    def shape_words(self, value: Any, q: Question) -> str:
        """What is wrong with an answer that check_shape refuses, in a portal's words."""
        return self.shape

    def check_definition(self, q: Question) -> str | None:
        """A problem with a question of this type beyond the fields it takes, or None."""
        return None

    def option_values(self, q: Question) -> list[str]:
        """The answers a question of this type can have, when it is a closed list."""
        return []

    # -- helpers the types share ----------------------------------------------------------------

    def enter_name(self, q: Question) -> object:
        """The answer's name after "Enter" or "Select": the journey's error_name, or the type's default."""
        return q.error_name if q.error_name else msg(self.default_name)

    def subject(self, q: Question) -> object:
        """The answer's name starting a sentence: "Your full name", "Date"."""
        return Capitalised(q.error_name) if q.error_name else msg(self.default_subject)

    def error(self, message_id: str, q: Question, **params: object) -> AnswerError:
        """An AnswerError with the answer's names available to the message as {name} and {subject}."""
        wanted = re.findall(r"{(\w+)}", msg(message_id).default)
        names: dict[str, object] = {}
        if "name" in wanted:
            names["name"] = self.enter_name(q)
        if "subject" in wanted:
            names["subject"] = self.subject(q)
        return AnswerError(msg(message_id, **names, **params))

    def check_limits(self, value: int, q: Question, show: Any) -> None:
        """Raise when value is outside the question's min and max; ``show`` wraps a bound for the message."""
        lo, hi = q.min, q.max
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                raise self.error("answer.between", q, low=show(lo), high=show(hi))
            if lo is not None:
                raise self.error("answer.at_least", q, low=show(lo))
            raise self.error("answer.at_most", q, high=show(hi))

    def in_limits(self, value: float, q: Question) -> bool:
        return (q.min is None or value >= q.min) and (q.max is None or value <= q.max)
