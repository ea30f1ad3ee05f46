"""The flow through one journey: which page comes next, and the check-answers summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.journeys.answers import AnswerError, display_answer, parse_answer
from app.journeys.schema import Journey, Page


@dataclass(frozen=True)
class FieldError:
    question_id: str
    message: str


@dataclass(frozen=True)
class SummaryRow:
    page_id: str
    question_id: str
    label: str
    answer: str


class Flow:
    """Routes a citizen through a journey's pages, one page at a time."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._index = {p.id: i for i, p in enumerate(journey.pages)}

    def first_page(self) -> Page:
        return self.journey.pages[0]

    def page(self, page_id: str) -> Page:
        return self.journey.pages[self._index[page_id]]

    def next_page(self, page_id: str, answers: dict[str, Any]) -> Page | None:
        """The page after page_id, or None when the next step is check answers."""
        i = self._index[page_id] + 1
        return self.journey.pages[i] if i < len(self.journey.pages) else None

    def previous_page(self, page_id: str, answers: dict[str, Any]) -> Page | None:
        i = self._index[page_id] - 1
        return self.journey.pages[i] if i >= 0 else None

    def route(self, answers: dict[str, Any]) -> list[Page]:
        """The pages the citizen passes through, given their answers."""
        pages: list[Page] = []
        page: Page | None = self.first_page()
        while page is not None:
            pages.append(page)
            page = self.next_page(page.id, answers)
        return pages

    def check_page(self, page: Page, raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
        """Parse the raw answers for one page: (parsed answers, errors in page order)."""
        parsed: dict[str, Any] = {}
        errors: list[FieldError] = []
        for q in page.questions:
            try:
                parsed[q.id] = parse_answer(q, raw.get(q.id))
            except AnswerError as exc:
                errors.append(FieldError(q.id, str(exc)))
        return parsed, errors

    def check_all(self, raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
        """Parse the raw answers of every page on the route (as a scripted submission must)."""
        parsed: dict[str, Any] = {}
        errors: list[FieldError] = []
        for page in self.route(raw):
            page_answers, page_errors = self.check_page(page, raw)
            parsed.update(page_answers)
            errors.extend(page_errors)
        return parsed, errors

    def summary(self, answers: dict[str, Any], lang: str = "en") -> list[SummaryRow]:
        rows = []
        for page in self.route(answers):
            for q in page.questions:
                rows.append(SummaryRow(page.id, q.id, q.label.get(lang), display_answer(q, answers.get(q.id), lang)))
        return rows

    def answers_on_route(self, answers: dict[str, Any]) -> dict[str, Any]:
        ids = {q.id for page in self.route(answers) for q in page.questions}
        return {k: v for k, v in answers.items() if k in ids}
