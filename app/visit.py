"""One citizen's session: where they are in a journey, their answers, facts reused across journeys, and the wipe.

A visit can hold several journeys. Questions tagged with a ``reuse`` key (name, email, phone,
address, ...) remember their answer for the rest of the visit; the next journey that asks a
question with the same key and type shows it pre-filled, and the citizen can change it. Nothing
here is written to disk; :meth:`Session.wipe` forgets everything, :meth:`Session.finish` ends one
journey but keeps the facts for the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journeys import to_raw
from journeys.fees import AmountRow, amount_row
from journeys.flow import FieldError, Flow, SummaryRow
from journeys.models import Journey, Page, Question

# Types whose answers can stand in for each other when a fact is reused.
_COMPATIBLE = {"long_text": "text"}
# Facts that are a part of an address: which part.
_ADDRESS_PART = {"postcode": "postcode", "address-line": "line1"}


def _kind(question_type: str) -> str:
    return _COMPATIBLE.get(question_type, question_type)


@dataclass
class JourneyProgress:
    journey: Journey
    flow: Flow
    raw: dict[str, Any] = field(default_factory=dict)  # what was typed, to show again on Back/Change
    answers: dict[str, Any] = field(default_factory=dict)  # parsed, normalised answers
    page_id: str = ""
    returning_to_check: bool = False
    changing: str | None = None  # the page a Change from check answers opened: Back there returns, focus goes back
    prefilled: set[str] = field(default_factory=set)  # question ids offered from earlier in the visit

    @property
    def page(self) -> Page:
        return self.flow.page(self.page_id)


@dataclass(frozen=True)
class Fact:
    """One thing the citizen told us earlier in this visit, as a parsed answer of a question type."""

    kind: str
    value: Any


class Session:
    """Holds everything one citizen has entered; wipe() forgets it all."""

    def __init__(self, in_area: Callable[[Any], bool | None] | None = None) -> None:
        self.language = "en"
        self.progress: JourneyProgress | None = None
        self.facts: dict[str, Fact] = {}
        # Whether an address answer is in the council's area (None: cannot tell), for questions with outside_area.
        self.in_area = in_area

    def start(self, journey: Journey) -> Page:
        """Begin a journey; facts from earlier in the visit are offered in its reuse questions."""
        flow = Flow(journey)
        first = flow.first_page()
        self.progress = JourneyProgress(journey, flow, page_id=first.id)
        self._prefill(self.progress)
        return first

    def _p(self) -> JourneyProgress:
        if self.progress is None:
            raise RuntimeError("no journey in progress")
        return self.progress

    def _prefill(self, p: JourneyProgress) -> None:
        for q in p.journey.questions():
            if q.id in p.raw:
                continue
            fact = self.facts.get(q.reuse) if q.reuse else None
            if fact is not None and fact.kind == _kind(q.type):
                p.raw[q.id] = to_raw(q, fact.value)
                p.prefilled.add(q.id)
            elif q.type == "address" and q.reuse == "address" and (parts := self._address_parts()):
                p.raw[q.id] = parts  # the town is still to give
                p.prefilled.add(q.id)

    def _address_parts(self) -> dict[str, str] | None:
        """An address in part, from a postcode and a house number and street given earlier (no town)."""
        postcode, line = self.facts.get("postcode"), self.facts.get("address-line")
        if postcode is None and line is None:
            return None
        return {
            "line1": str(line.value) if line else "",
            "line2": "",
            "town": "",
            "postcode": str(postcode.value) if postcode else "",
        }

    def _remember(self, questions: list[Question], parsed: dict[str, Any]) -> None:
        for q in questions:
            value = parsed.get(q.id)
            if q.reuse and value is not None:
                self.facts[q.reuse] = Fact(_kind(q.type), value)
                if q.type == "address":  # an address also answers "postcode" and "house number and street"
                    self.facts["postcode"] = Fact("postcode", value["postcode"])
                    self.facts["address-line"] = Fact("text", value["line1"])
                elif (
                    q.reuse in _ADDRESS_PART
                    and (address := self.facts.get("address")) is not None
                    and address.value[_ADDRESS_PART[q.reuse]] != value
                ):
                    del self.facts["address"]  # a newer address than the one kept: offer its parts instead

    def _outside_area(self, questions: list[Question], parsed: dict[str, Any]) -> list[FieldError]:
        """The journey's own words for an address outside the council's area, where a question asks for one
        inside it. With no address pack the kiosk cannot tell, and takes the address (staff or the portal check)."""
        if self.in_area is None:
            return []
        return [
            FieldError(q.id, q.outside_area.get(self.language))
            for q in questions
            if q.type == "address" and q.outside_area and q.id in parsed and self.in_area(parsed[q.id]) is False
        ]

    def answer_page(self, raw: dict[str, Any]) -> list[FieldError] | Page | None:
        """Check this page's answers. Errors, or the next page, or None for check answers.

        Answers that fall off the route because of this page are dropped (as GOV.UK services do).
        After a Change, the citizen goes on to any page the change newly put on their route, and
        then back to check answers.
        """
        p = self._p()
        p.raw.update(raw)
        parsed, errors = p.flow.check_page(p.page, raw)
        errors = errors or self._outside_area(p.page.questions, parsed)
        if errors:
            return errors
        p.answers.update(parsed)
        p.answers = p.flow.answers_on_route(p.answers)
        on_route = {q.id for page in p.flow.route(p.answers) for q in page.questions}
        p.raw = {k: v for k, v in p.raw.items() if k in on_route or k in p.prefilled}
        self._remember(p.page.questions, parsed)
        if p.returning_to_check:
            nxt = p.flow.next_to_answer(p.page_id, p.answers)
        else:
            nxt = p.flow.next_page(p.page_id, p.answers)
        if nxt is not None:
            p.page_id = nxt.id
        return nxt

    def back(self) -> Page | None:
        """The previous page on the journey's route, or None when Back leaves the journey (or returns to check answers).

        Back follows the route the answers take (journeys/routing.py), so it never skips a page
        or repeats one, however the citizen got here: on the page a Change opened it returns to
        check answers (``returning_to_check`` says so); on a page that change added to the
        route, it goes to the page before it.
        """
        p = self._p()
        if p.returning_to_check and p.page_id == p.changing:
            return None
        previous = p.flow.previous_page(p.page_id, p.answers)
        if previous is None:
            return None
        p.page_id = previous.id
        return previous

    def back_from_check(self) -> Page:
        """Back on check answers: the last page of the route (the page the citizen answered last)."""
        p = self._p()
        p.page_id = p.flow.route(p.answers)[-1].id
        p.returning_to_check = False
        p.changing = None
        return p.page

    def change(self, page_id: str) -> Page:
        """Go to a page from check answers; answering it returns there (see answer_page).

        A page the change put on the route (sent there by check answers) keeps the Change's own
        page as the one Back returns from and the row that takes focus on check answers.
        """
        p = self._p()
        if not p.returning_to_check:
            p.changing = page_id
        p.page_id = page_id
        p.returning_to_check = True
        return p.page

    def first_unanswered(self) -> Page | None:
        """The first page on the route with a question not yet answered, or None when all are.

        Check answers should only be shown (and Send only offered) when this is None. A change
        can put new pages on the route; if the citizen goes Back to check answers before
        answering them, send them here with change(page.id).
        """
        p = self._p()
        for page in p.flow.route(p.answers):
            if any(q.id not in p.answers for q in page.questions):
                return page
        return None

    def summary(self) -> list[SummaryRow]:
        p = self._p()
        p.returning_to_check = False
        return p.flow.summary(p.answers, self.language)

    def amount(self) -> AmountRow | None:
        """What the journey costs for these answers (a fee billed later, or the amount of a payment), or None."""
        p = self._p()
        return amount_row(p.journey, p.answers, self.language)

    def focus_row(self) -> str | None:
        """On check answers after a Change: the first question of the changed page, whose row takes focus."""
        p = self._p()
        page = p.flow.page(p.changing) if p.changing else None
        return page.questions[0].id if page is not None and page.questions else None

    def finish(self) -> None:
        """End the journey (sent, or abandoned) but keep this visit's facts for the next journey."""
        if self.progress is not None:
            self.progress.raw.clear()
            self.progress.answers.clear()
            self.progress.changing = None
        self.progress = None

    def wipe(self) -> None:
        """Forget every answer, every fact and all navigation history: the citizen has gone."""
        self.finish()
        self.facts.clear()
        self.language = "en"
