"""Date rules a date question can state, beyond date_range: recent, inside fixed days, a weekday."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["ISO_DAY", "DateRules"]

ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class DateRules(BaseModel):
    """What a date answer must also be, beyond date_range: recent, inside fixed days, a weekday.

    ``within_days``: today or one of the N days before it (a report of something that happened);
    ``not_before`` / ``not_after``: fixed days (YYYY-MM-DD), each allowed itself; ``weekday``:
    Monday to Friday. "Not in the future" is ``date_range: today_or_past``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    within_days: int | None = Field(default=None, ge=1, le=3660, description="today or in the last N days")
    not_before: str | None = Field(default=None, max_length=10, description="the earliest day allowed, YYYY-MM-DD")
    not_after: str | None = Field(default=None, max_length=10, description="the latest day allowed, YYYY-MM-DD")
    weekday: bool = Field(default=False, description="Monday to Friday only")

    @model_validator(mode="after")
    def _rules_that_can_hold(self) -> DateRules:
        days = {}
        for name in ("not_before", "not_after"):
            value = getattr(self, name)
            if value is None:
                continue
            if not re.fullmatch(ISO_DAY, value):
                raise ValueError(f"{name} {value!r} must be a day written YYYY-MM-DD")
            try:
                days[name] = dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{name} {value!r} is not a real date") from None
            if not 1900 <= days[name].year <= 2199:
                raise ValueError(f"{name} must be between 1900 and 2199")
        if len(days) == 2 and days["not_before"] > days["not_after"]:
            raise ValueError("not_before is after not_after: no date could be given")
        if self.within_days is None and not days and not self.weekday:
            raise ValueError("date_rules needs at least one rule (within_days, not_before, not_after, weekday)")
        return self
