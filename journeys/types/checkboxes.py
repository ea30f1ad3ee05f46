"""Checkboxes: any number of the options, kept in the order the options are listed; one may be exclusive."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from journeys.types.choice import Options

if TYPE_CHECKING:
    from journeys.models import Question


class Checkboxes(Options):
    name = "checkboxes"
    can_contain = True
    exclusive_options = True
    default_name = "name.checkboxes"
    shape = "the answer must be a list of the options"

    def parse(self, raw: Any, q: Question, today: dt.date) -> list[str]:
        items = raw if isinstance(raw, list | tuple | set) else [raw]
        chosen: set[str] = set()
        for item in items:
            value = self.option_for(item, q)
            if value is None:
                raise self.error("checkboxes.from_list", q)
            chosen.add(value)
        exclusive = [o for o in q.options if o.exclusive and o.value in chosen]
        if exclusive and len(chosen) > 1:
            raise self.error("checkboxes.exclusive", q, option=exclusive[0].label)
        return [o.value for o in q.options if o.value in chosen]

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return "\n".join(Options.display(self, v, q, lang) for v in value)

    def to_raw(self, value: Any, q: Question) -> list[str]:
        return list(value)

    def example(self, q: Question, today: dt.date) -> list[str]:
        return [next(o.value for o in q.options if not o.exclusive)]

    def check_shape(self, value: Any, q: Question) -> bool:
        return isinstance(value, list) and bool(value) and set(value) <= set(self.option_values(q))
