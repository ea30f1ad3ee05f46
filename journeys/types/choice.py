"""One choice from a list: radios, select (a drop-down list) and yes/no."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from journeys.messages import msg
from journeys.types.base import AnswerType

if TYPE_CHECKING:
    from journeys.models import Question


class _Choice(AnswerType):
    """A question whose answer is one of a closed list of values."""

    verb = "answer.select"
    default_name = "name.choice"
    default_subject = "subject.choice"
    shape = "the answer is not one of the options"

    def option_for(self, raw: Any, q: Question) -> str | None:
        """The option value that raw stands for: the value itself, or a typed label (from a script or a screen reader)."""
        if raw in self.option_values(q):
            return str(raw)
        if isinstance(raw, str):
            wanted = raw.strip().casefold()
            for o in q.options:
                if o.label.en.casefold() == wanted or o.value == wanted:
                    return o.value
        return None

    def parse(self, raw: Any, q: Question, today: dt.date) -> Any:
        value = self.option_for(raw, q)
        if value is None:
            raise self.error("answer.select", q)
        return value

    def check_shape(self, value: Any, q: Question) -> bool:
        return value in self.option_values(q)


class Options(_Choice):
    """A question that lists its own options (at least two, each value once)."""

    name = "radios"
    fields = frozenset({"options"})
    has_options = True
    exclusive_options = False  # may an option be "None of these" (checkboxes only)

    def option_values(self, q: Question) -> list[str]:
        return [o.value for o in q.options]

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return next((o.label.get(lang) for o in q.options if o.value == value), str(value))

    def example(self, q: Question, today: dt.date) -> Any:
        return q.options[0].value

    def check_definition(self, q: Question) -> str | None:
        if len(q.options) < 2:
            return f"a {q.type} question needs at least two options"
        values = [o.value for o in q.options]
        if len(set(values)) != len(values):
            return f"question {q.id}: two options have the same value"
        if not self.exclusive_options and any(o.exclusive for o in q.options):
            return "only checkboxes options can be exclusive"
        return None


class Radios(Options):
    name = "radios"


class Select(Options):
    name = "select"


class YesNo(_Choice):
    name = "yes_no"
    yes_or_no = True
    default_name = "name.yes_no"
    example_value = "yes"

    def option_values(self, q: Question) -> list[str]:
        return ["yes", "no"]

    def option_for(self, raw: Any, q: Question) -> str | None:
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if isinstance(raw, str) and raw.strip().casefold() in ("yes", "no", "y", "n"):
            return "yes" if raw.strip().casefold().startswith("y") else "no"
        return super().option_for(raw, q)

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return (msg("yes_no.yes") if value == "yes" else msg("yes_no.no")).render(lang)
