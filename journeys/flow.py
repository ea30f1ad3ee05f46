"""The flow through one journey: which page comes next, answer checks, and the check-answers summary.

The routing itself (conditions, skipped pages, forward jumps) is journeys/routing.py, which the
portal uses too; this module adds what only the kiosk needs: parsing the citizen's input page by page, dropping
answers that fell off the route, and the summary with its Change targets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from journeys.messages import Message
from journeys.models import Journey, Page
from journeys.types import AnswerError, display_answer, example_raw, parse_answer


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer: the question, and what to do as a Message (``str()`` is English).

    ``part`` names the box of a several-box answer (an address's "postcode") when the problem is that
    box's alone; None when it is the whole answer's. One answer may have an error for each of its boxes.
    A screen may also raise words it has already put in the display language (a time taken at the portal
    meanwhile): then ``message`` is that str.
    """

    question_id: str
    message: Message | str
    part: str | None = None


@dataclass(frozen=True)
class SummaryRow:
    """One row of check answers, in the display language."""

    page_id: str  # the Change target
    question_id: str
    label: str
    answer: str


class Flow:
    """Routes a citizen through a journey's pages, one page at a time.

    ``answers`` are always the parsed answers (what :meth:`check_page` returns), never raw input.
    """

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._index = {p.id: i for i, p in enumerate(journey.pages)}

    def first_page(self) -> Page:
        return self.journey.pages[0]

    def page(self, page_id: str) -> Page:
        return self.journey.pages[self._index[page_id]]

    def next_page(self, page_id: str, answers: dict[str, Any]) -> Page | None:
        """The page after page_id, or None when the next step is check answers."""
        return self.journey.next_page(page_id, answers)

    def previous_page(self, page_id: str, answers: dict[str, Any]) -> Page | None:
        """The page before page_id on the route the answers take (None on the first page).

        A page that is not on the route (the citizen is changing an answer) goes back to the last
        page of the route that comes before it.
        """
        route = self.route(answers)
        ids = [p.id for p in route]
        if page_id in ids:
            i = ids.index(page_id)
            return route[i - 1] if i > 0 else None
        here = self._index[page_id]
        earlier = [p for p in route if self._index[p.id] < here]
        return earlier[-1] if earlier else None

    def route(self, answers: dict[str, Any]) -> list[Page]:
        """The pages the citizen passes through, given their answers."""
        return self.journey.route(answers)

    def next_to_answer(self, page_id: str, answers: dict[str, Any]) -> Page | None:
        """After a change: the first later page on the route with a question not yet answered.

        None means every page on the route is answered, so the citizen goes back to check answers.
        """
        route = self.route(answers)
        ids = [p.id for p in route]
        start = ids.index(page_id) + 1 if page_id in ids else 0
        for page in route[start:]:
            if any(q.id not in answers for q in page.questions):
                return page
        return None

    def check_page(
        self, page: Page, raw: dict[str, Any], *, today: dt.date | None = None
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """Parse the raw answers for one page: (parsed answers, errors in page order)."""
        parsed: dict[str, Any] = {}
        errors: list[FieldError] = []
        for q in page.questions:
            try:
                parsed[q.id] = parse_answer(q, raw.get(q.id), today)
            except AnswerError as exc:
                if exc.parts:
                    errors.extend(FieldError(q.id, message, part) for part, message in exc.parts)
                else:
                    errors.append(FieldError(q.id, exc.message))
        return parsed, errors

    def check_all(
        self, raw: dict[str, Any], *, today: dt.date | None = None
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """Parse the raw answers of every page on the route (as a scripted submission must).

        The route is followed as the citizen would follow it: each page's parsed answers decide the
        next page. Answers to questions off the route are left out. An answer with an error counts
        as unanswered for the routing, so every error on the likely route is reported at once.
        """
        parsed: dict[str, Any] = {}
        errors: list[FieldError] = []
        page: Page | None = self.first_page()
        while page is not None:
            page_answers, page_errors = self.check_page(page, raw, today=today)
            parsed.update(page_answers)
            errors.extend(page_errors)
            page = self.next_page(page.id, parsed)
        return parsed, errors

    def summary(self, answers: dict[str, Any], lang: str = "en") -> list[SummaryRow]:
        """One row per question on the route, in order; each row's page is its Change target."""
        rows = []
        for page in self.route(answers):
            for q in page.questions:
                rows.append(SummaryRow(page.id, q.id, q.label.get(lang), display_answer(q, answers.get(q.id), lang)))
        return rows

    def answers_on_route(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers without those that fell off the route (an earlier answer changed)."""
        ids = {q.id for page in self.route(answers) for q in page.questions}
        return {k: v for k, v in answers.items() if k in ids}

    def example(self, *, today: dt.date | None = None) -> dict[str, Any]:
        """Raw answers that complete the journey: the first option of every choice, plausible text."""
        raw: dict[str, Any] = {}
        parsed: dict[str, Any] = {}
        page: Page | None = self.first_page()
        while page is not None:
            for q in page.questions:
                raw[q.id] = example_raw(q, today)
            page_answers, _ = self.check_page(page, raw, today=today)
            parsed.update(page_answers)
            page = self.next_page(page.id, parsed)
        return raw
