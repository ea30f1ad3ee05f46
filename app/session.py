"""One citizen's session: where they are in a journey, their answers, and the wipe."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.journeys.engine import FieldError, Flow, SummaryRow
from app.journeys.schema import Journey, Page


@dataclass
class JourneyProgress:
    journey: Journey
    flow: Flow
    raw: dict[str, Any] = field(default_factory=dict)  # what was typed, to show again on Back/Change
    answers: dict[str, Any] = field(default_factory=dict)  # parsed, normalised answers
    page_id: str = ""
    history: list[str] = field(default_factory=list)
    returning_to_check: bool = False

    @property
    def page(self) -> Page:
        return self.flow.page(self.page_id)


class Session:
    """Holds everything one citizen has entered; wipe() forgets it all."""

    def __init__(self) -> None:
        self.language = "en"
        self.progress: JourneyProgress | None = None

    def start(self, journey: Journey) -> Page:
        flow = Flow(journey)
        first = flow.first_page()
        self.progress = JourneyProgress(journey, flow, page_id=first.id)
        return first

    def _p(self) -> JourneyProgress:
        if self.progress is None:
            raise RuntimeError("no journey in progress")
        return self.progress

    def answer_page(self, raw: dict[str, Any]) -> list[FieldError] | Page | None:
        """Check this page's answers. Errors, or the next page, or None for check answers."""
        p = self._p()
        p.raw.update(raw)
        parsed, errors = p.flow.check_page(p.page, raw)
        if errors:
            return errors
        p.answers.update(parsed)
        p.answers = p.flow.answers_on_route(p.answers)
        nxt = None if p.returning_to_check else p.flow.next_page(p.page_id, p.answers)
        if nxt is not None:
            p.history.append(p.page_id)
            p.page_id = nxt.id
        return nxt

    def back(self) -> Page | None:
        """The previous page, or None when Back leaves the journey."""
        p = self._p()
        if p.returning_to_check or not p.history:
            return None
        p.page_id = p.history.pop()
        return p.page

    def change(self, page_id: str) -> Page:
        p = self._p()
        p.page_id = page_id
        p.returning_to_check = True
        return p.page

    def summary(self) -> list[SummaryRow]:
        p = self._p()
        p.returning_to_check = False
        return p.flow.summary(p.answers, self.language)

    def wipe(self) -> None:
        """Forget every answer and all navigation history."""
        if self.progress is not None:
            self.progress.raw.clear()
            self.progress.answers.clear()
            self.progress.history.clear()
        self.progress = None
        self.language = "en"
