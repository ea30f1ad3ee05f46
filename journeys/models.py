"""The journey format (version 1): journeys are data that the portal serves and the kiosk renders.

A definition is strict JSON validated with pydantic. A bad definition is rejected with a message
that names the journey, the page and the field (see :func:`parse_journey`).

What a question of each type may carry (options, max_length, min and max, date_range, date_rules) and what
conditions can ask of it are the type's to say (journeys/types); the route through a journey is
worked out in journeys/routing.py, and the models keep thin methods that call it, so the portal
and the kiosk follow the same route.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from journeys import limits, routing
from journeys.date_rules import DateRules
from journeys.delivery import Delivery, delivery_problems
from journeys.localised import Localised, LocalisedList
from journeys.problems import located, message, summed_up
from journeys.routing import CHECK_ANSWERS, OPERATORS
from journeys.types import ANSWER_TYPES, answer_type

SCHEMA_VERSION = 1

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,63}$")]

# The question types are the registry's (journeys/types), in its order.
QUESTION_TYPES: tuple[str, ...] = tuple(ANSWER_TYPES)
if TYPE_CHECKING:
    QuestionType = str
else:
    QuestionType = Literal[QUESTION_TYPES]

Scalar = str | int | bool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: Identifier
    label: Localised
    hint: Localised | None = None
    exclusive: bool = Field(default=False, description="checkboxes only: 'None of these', cannot be combined")


class ContentBlock(_Strict):
    """Words on a page that ask nothing: a paragraph, inset text, or a details (show more) block."""

    type: Literal["paragraph", "inset", "details", "warning"]
    text: Localised
    summary: Localised | None = Field(default=None, description="details only: the line the citizen opens")

    @model_validator(mode="after")
    def _summary_for_details(self) -> ContentBlock:
        if self.type == "details" and self.summary is None:
            raise ValueError("a details block needs a summary (the line the citizen opens)")
        if self.type != "details" and self.summary is not None:
            raise ValueError(f"a {self.type} block takes no summary")
        return self


# -- conditions -------------------------------------------------------------------------------


class RelativeDate(_Strict):
    """A day counted from the day the citizen answers: ``{"days_from_today": -7}`` is a week ago."""

    days_from_today: Annotated[StrictInt, Field(ge=-limits.RELATIVE_DAYS_MAX, le=limits.RELATIVE_DAYS_MAX)]


def _bound_kind(value: Any) -> str:
    """Which kind of bound a greater_than / less_than holds, so a refusal speaks of that kind only."""
    if isinstance(value, dict | RelativeDate):
        return "relative"
    return "text" if isinstance(value, str) else "number"


# A bound: a number (number, money in pence), a text (a date YYYY-MM-DD, a time HH:MM) or a relative date.
Bound = Annotated[
    Annotated[int, Tag("number")] | Annotated[str, Tag("text")] | Annotated[RelativeDate, Tag("relative")],
    Discriminator(_bound_kind),
]
Length = Annotated[StrictInt, Field(ge=0)]


class Condition(_Strict):
    """A test of earlier answers. Either one comparison or a combination.

    Comparison: ``{"question": "bin-type", "equals": "garden"}``; the operators are ``equals``,
    ``not_equals``, ``contains`` (a checkbox ticked, or text containing words), ``greater_than``,
    ``less_than`` (number, money in pence, date ``YYYY-MM-DD`` or ``{"days_from_today": N}``, time
    ``HH:MM``), ``longer_than``, ``shorter_than``, ``length_equals`` (a text answer's length in
    characters, or how many checkboxes are ticked) and ``answered`` (true or false). Combination:
    ``{"all": [...]}``, ``{"any": [...]}`` or ``{"not": {...}}``.
    An unanswered question equals nothing, is not-equal to everything, contains nothing, is
    neither greater nor less than anything, and has no length (longer, shorter and equal are all false).
    """

    question: Identifier | None = None
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    contains: str | None = None
    greater_than: Bound | None = None
    less_than: Bound | None = None
    longer_than: Length | None = None
    shorter_than: Length | None = None
    length_equals: Length | None = None
    answered: bool | None = None
    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    # "not" is a Python keyword, so the field is not_; it is read and written as "not" (the portal
    # serves model_dump() output, with or without by_alias).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        ops = [op for op in OPERATORS if getattr(self, op) is not None]
        combos = [c for c in ("all", "any", "not_") if getattr(self, c) is not None]
        if combos:
            if self.question is not None or ops or len(combos) > 1:
                raise ValueError("a condition is either one comparison or one of all / any / not, not both")
        elif self.question is None:
            raise ValueError("a condition needs a question and an operator, or all / any / not")
        elif len(ops) != 1:
            raise ValueError(f"a condition on {self.question!r} needs exactly one of {', '.join(OPERATORS)}")
        return self

    @property
    def operator(self) -> str | None:
        return next((op for op in OPERATORS if getattr(self, op) is not None), None)

    def questions(self) -> list[str]:
        """Every question id this condition reads."""
        return [c.question for c in routing.comparisons(self) if c.question is not None]

    def comparisons(self) -> list[Condition]:
        return routing.comparisons(self)

    def describe(self) -> str:
        """The condition in words, for content designers: "bin-type is garden"."""
        return routing.describe(self)

    def evaluate(self, answers: dict[str, Any], today: dt.date | None = None) -> bool:
        """True when the (parsed) answers meet this condition (a relative date counts from today)."""
        return routing.evaluate(self, answers, today)


class Route(_Strict):
    """After the page: when the condition holds, go to a later page (or to check answers)."""

    when: Condition
    goto: Identifier = Field(description=f"a later page's id, or {CHECK_ANSWERS!r}")


# -- questions and pages ----------------------------------------------------------------------


class Question(_Strict):
    id: Identifier
    type: QuestionType
    label: Localised
    hint: Localised | None = None
    error_name: Localised | None = Field(
        default=None,
        description="what the answer is called in error messages, e.g. 'your full name' (Enter your full name)",
    )
    required: bool = True
    options: list[Option] = Field(default_factory=list)
    max_length: int | None = Field(default=None, ge=1, le=10_000, description="text and long_text")
    min: int | None = Field(default=None, description="number: smallest value; money: smallest amount in pence")
    max: int | None = Field(default=None, description="number: largest value; money: largest amount in pence")
    date_range: Literal["any", "past", "future", "today_or_past", "today_or_future"] = "any"
    date_rules: DateRules | None = Field(default=None, description="date: within the last N days, fixed days, weekday")
    reuse: Identifier | None = Field(
        default=None, description="a fact shared across journeys in one visit: name, email, phone, address, ..."
    )
    service: Identifier | None = Field(
        default=None, description="appointment: the portal's service whose live slots are offered"
    )
    outside_area: Localised | None = Field(
        default=None,
        description="address: only addresses in the council's own area (its gazetteer) are accepted; "
        "this says what to do for an address elsewhere",
    )

    @model_validator(mode="after")
    def _fields_match_type(self) -> Question:
        takes = answer_type(self.type).fields
        given = {
            "options": bool(self.options),
            "max_length": self.max_length is not None,
            "min_max": self.min is not None or self.max is not None,
            "date_range": self.date_range != "any",
            "date_rules": self.date_rules is not None,
            "service": self.service is not None,
            "outside_area": self.outside_area is not None,
        }
        for name, present in given.items():
            if present and name not in takes:
                raise ValueError(f"a {self.type} question takes no {_FIELD_WORDS[name]}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")
        problem = answer_type(self.type).check_definition(self)
        if problem:
            raise ValueError(problem)
        return self

    def option_values(self) -> list[str]:
        return answer_type(self.type).option_values(self)


_FIELD_WORDS = {
    "options": "options",
    "max_length": "max_length",
    "min_max": "min or max",
    "date_range": "date_range",
    "date_rules": "date_rules",
    "service": "service",
    "outside_area": "outside_area",
}


class Page(_Strict):
    id: Identifier
    title: Localised | None = Field(default=None, description="the heading when a page has several questions")
    content: list[ContentBlock] = Field(default_factory=list, description="shown above the questions")
    questions: list[Question] = Field(default_factory=list)
    show_when: Condition | None = Field(default=None, description="the page is skipped unless this holds")
    routes: list[Route] = Field(default_factory=list, description="after this page: the first that holds wins")

    @model_validator(mode="after")
    def _not_empty(self) -> Page:
        if not self.questions and not self.content:
            raise ValueError("a page needs at least one question or content block")
        if not self.questions and self.title is None:
            raise ValueError("a page of content only needs a title")
        if len(self.questions) > 1 and any(q.type == "appointment" for q in self.questions):
            raise ValueError("an appointment question has a page of its own")
        return self


class StartPage(_Strict):
    """What the citizen reads before they begin (GOV.UK start page)."""

    you_need: list[Localised] = Field(default_factory=list, description="what to have ready")
    time_to_complete: Localised | None = None
    other_ways: Localised | None = Field(default=None, description="phone, online, in person")


class AmountRule(_Strict):
    """An amount that applies when a condition on earlier answers holds (a discount within 14 days)."""

    when: Condition
    amount_pence: int = Field(ge=1, le=10_000_000)


class Payment(_Strict):
    """The payment step, after check answers: what is paid for and how much, and what else the citizen may do.

    The amount is the first of ``amounts`` whose condition holds, else the fixed ``amount_pence`` or the
    answer to ``amount_question``. The kiosk never takes card details: online, the citizen pays on their
    own phone through the portal; ``pay_later`` and ``pay_at_counter`` let them send the request now as
    "payment due" (offline too), and ``other_ways`` says how else to pay.
    """

    description: Localised = Field(description="what is being paid for, as the payment provider shows it")
    amount_pence: int | None = Field(default=None, ge=1, le=10_000_000)
    amount_question: Identifier | None = None
    amounts: list[AmountRule] = Field(default_factory=list, max_length=20)
    pay_later: bool = Field(default=False, description="the request may be sent now and paid later")
    pay_at_counter: bool = Field(default=False, description="the citizen may pay at this building's counter")
    other_ways: Localised = Field(description="the other ways to pay: online, by phone, at a counter")

    @model_validator(mode="after")
    def _one_amount(self) -> Payment:
        if (self.amount_pence is None) == (self.amount_question is None):
            raise ValueError("a payment needs exactly one of amount_pence and amount_question")
        return self

    @property
    def can_be_due(self) -> bool:
        """Whether the request can be sent unpaid (payment due): what the step offers offline."""
        return self.pay_later or self.pay_at_counter


class ReceiptEmail(_Strict):
    """A receipt by email, when the citizen gives an address: sent by the portal (GOV.UK Notify-shaped)."""

    question: Identifier = Field(description="an email question; the receipt is asked for only when it is answered")
    template_id: str = Field(min_length=1, max_length=64, description="the Notify template the portal sends")


class ExtraFee(_Strict):
    """A part of a fee that grows with a number answer: each item over the ones included costs more."""

    question: Identifier = Field(description="a number question: how many")
    included: int = Field(ge=0, le=1000, description="how many the fixed amount covers")
    amount_pence: int = Field(ge=1, le=10_000_000, description="the cost of each one over that")


class Fee(_Strict):
    """What a service costs, paid later (a bill): shown on check answers, never taken at the kiosk."""

    label: Localised = Field(description="the row's heading on check answers, e.g. 'Cost of the collection'")
    amount_pence: int = Field(ge=0, le=10_000_000, description="the fixed amount")
    each_extra: ExtraFee | None = None
    when: Condition | None = Field(default=None, description="the fee applies only when this holds")
    note: Localised = Field(description="how and when it is paid, in honest words: 'We send a bill after ...'")


class Journey(_Strict):
    schema_version: Literal[1] = 1
    id: Identifier
    version: int = Field(ge=1)
    title: Localised
    summary: Localised
    category: Identifier
    requires_online: bool = Field(default=False, description="payment or live booking: not offered offline")
    offline_message: Localised | None = Field(
        default=None, description="what the citizen is told when the kiosk is offline and this journey needs it"
    )
    start: StartPage | None = None
    pages: list[Page] = Field(min_length=1)
    declaration: Localised | None = None
    confirmation: Localised
    payment: Payment | None = Field(default=None, description="a payment step after check answers")
    receipt_email: ReceiptEmail | None = None
    fee: Fee | None = Field(default=None, description="a cost billed later, shown on check answers")
    delivery: Delivery | None = Field(default=None, description="where submissions go; absent: the portal")
    keywords: LocalisedList | None = Field(
        default=None, description="words people search for this service by, per language: 'sofa', 'fridge'"
    )

    @field_validator("pages")
    @classmethod
    def _unique_ids(cls, pages: list[Page]) -> list[Page]:
        seen_pages: set[str] = set()
        seen_questions: set[str] = set()
        for page in pages:
            if page.id == CHECK_ANSWERS:
                raise ValueError(f"page id {CHECK_ANSWERS!r} is reserved for the check answers page")
            if page.id in seen_pages:
                raise ValueError(f"page id {page.id!r} is used twice")
            seen_pages.add(page.id)
            for q in page.questions:
                if q.id in seen_questions:
                    raise ValueError(f"question id {q.id!r} is used twice")
                seen_questions.add(q.id)
        return pages

    @model_validator(mode="after")
    def _references(self) -> Journey:
        """Conditions read only earlier answers and routes only jump forward, so a route never loops."""
        problems: list[str] = []
        index = {p.id: i for i, p in enumerate(self.pages)}
        asked_on = {q.id: i for i, p in enumerate(self.pages) for q in p.questions}
        by_id = {q.id: q for q in self.questions()}
        if self.pages[0].show_when is not None:
            problems.append(f"page {self.pages[0].id}, field show_when: the first page cannot be skipped")
        for i, page in enumerate(self.pages):
            checks: list[tuple[str, Condition, bool]] = []
            if page.show_when is not None:
                checks.append(("show_when", page.show_when, False))
            for n, route in enumerate(page.routes, 1):
                checks.append((f"routes {n}", route.when, True))
                if route.goto != CHECK_ANSWERS and index.get(route.goto, -1) <= i:
                    problems.append(
                        f"page {page.id}, field routes {n}: goto {route.goto!r} must be a later page or {CHECK_ANSWERS!r}"
                    )
            for where, cond, same_page_ok in checks:
                for comparison in cond.comparisons():
                    qid = comparison.question or ""
                    at = asked_on.get(qid)
                    if at is None:
                        problems.append(f"page {page.id}, field {where}: there is no question {qid!r}")
                    elif at > i or (at == i and not same_page_ok):
                        problems.append(
                            f"page {page.id}, field {where}: question {qid!r} is not asked before this point"
                        )
                    else:
                        problem = routing.comparison_problem(comparison, by_id[qid])
                        if problem:
                            problems.append(f"page {page.id}, field {where}: {problem}")
        problems.extend(self._payment_problems(by_id))
        problems.extend(self._fee_problems(by_id))
        problems.extend(delivery_problems(self.delivery, self, by_id))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _payment_problems(self, by_id: dict[str, Question]) -> list[str]:
        problems = []
        payment = self.payment
        if payment is not None:
            if payment.amount_question:
                q = by_id.get(payment.amount_question)
                if q is None or q.type != "money":
                    problems.append(
                        f"field payment: amount_question {payment.amount_question!r} is not a money question"
                    )
            if not payment.can_be_due and not self.requires_online:
                problems.append(
                    "field payment: a payment that cannot be left due (pay_later, pay_at_counter) needs requires_online"
                )
            if any(q.type == "appointment" for q in by_id.values()):
                # a payment taken and then a booking refused would leave money paid for a time not booked
                problems.append("field payment: a journey takes a payment or books an appointment, not both")
            for n, rule in enumerate(payment.amounts, 1):
                problems.extend(f"field payment.amounts {n}: {p}" for p in _condition_problems(rule.when, by_id))
        if self.receipt_email is not None:
            q = by_id.get(self.receipt_email.question)
            if q is None or q.type != "email":
                problems.append(
                    f"field receipt_email: question {self.receipt_email.question!r} is not an email question"
                )
        return problems

    def _fee_problems(self, by_id: dict[str, Question]) -> list[str]:
        if self.fee is None:
            return []
        problems = []
        if self.payment is not None:
            problems.append("field fee: a journey has a fee (billed later) or a payment (taken now), not both")
        extra = self.fee.each_extra
        if extra is not None and (extra.question not in by_id or by_id[extra.question].type != "number"):
            problems.append(f"field fee.each_extra: question {extra.question!r} is not a number question")
        if self.fee.when is not None:
            problems.extend(f"field fee.when: {p}" for p in _condition_problems(self.fee.when, by_id))
        return problems

    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    def page_index(self, page_id: str) -> int:
        for i, page in enumerate(self.pages):
            if page.id == page_id:
                return i
        raise KeyError(page_id)

    def next_page(self, page_id: str, answers: dict[str, Any], today: dt.date | None = None) -> Page | None:
        """The page after page_id given the answers, or None when the next step is check answers."""
        return routing.next_page(self, page_id, answers, today)

    def route(self, answers: dict[str, Any], today: dt.date | None = None) -> list[Page]:
        """The pages the citizen passes through, given their (parsed) answers. Never loops."""
        return routing.route(self, answers, today)

    def questions_on_route(self, answers: dict[str, Any], today: dt.date | None = None) -> list[Question]:
        """The questions the citizen was asked: what a server should expect in a submission."""
        return [q for page in self.route(answers, today) for q in page.questions]


def _condition_problems(condition: Condition, by_id: dict[str, Question]) -> list[str]:
    """What is wrong with a condition on a journey's answers as a whole (a fee's, an amount's)."""
    problems = []
    for comparison in condition.comparisons():
        q = by_id.get(comparison.question or "")
        problem = routing.comparison_problem(comparison, q) if q else f"there is no question {comparison.question!r}"
        if problem:
            problems.append(problem)
    return problems


class CatalogueEntry(_Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Localised
    summary: Localised
    category: Identifier
    requires_online: bool = False
    keywords: LocalisedList | None = None


MAX_PACK_BYTES = 256 * 1024 * 1024  # an address pack of a large county is tens of megabytes


class PackEntry(_Strict):
    """A data pack the journeys expect, served by the portal: its version and the hash it must have."""

    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=1, le=MAX_PACK_BYTES)


class CataloguePacks(_Strict):
    gazetteer: PackEntry | None = Field(default=None, description="the address pack (GET /packs/gazetteer)")


class Catalogue(_Strict):
    schema_version: Literal[1] = 1
    journeys: list[CatalogueEntry]
    packs: CataloguePacks | None = None


class JourneyFormatError(ValueError):
    """A journey definition that does not follow the format; the message names where."""


def parse_journey(definition: Any) -> Journey:
    """Validate one definition; raise JourneyFormatError naming the journey, page and field.

    The format's limits (journeys/limits.py) are checked first, so nothing recursive sees a definition beyond them.
    """
    journey_id = (
        limits.name(definition.get("id"), "<no usable id>") if isinstance(definition, dict) else "<not an object>"
    )
    try:
        limits.check_journey(definition)
        return Journey.model_validate(definition)
    except limits.LimitExceeded as exc:
        raise JourneyFormatError(f"journey {journey_id}: {exc}") from None
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = located(definition, tuple(err["loc"]))
            problems.append(f"{where}: {message(err)}" if where else message(err))
        raise JourneyFormatError(f"journey {journey_id}: " + summed_up(problems)) from None


def parse_catalogue(data: Any) -> Catalogue:
    """Validate a catalogue (limits first, as for a journey); raise JourneyFormatError naming the field."""
    try:
        limits.check_catalogue(data)
        return Catalogue.model_validate(data)
    except limits.LimitExceeded as exc:
        raise JourneyFormatError(f"catalogue: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise JourneyFormatError(f"catalogue: {where or 'the whole catalogue'}: {first['msg']}") from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a journey definition, for content designers' editors (docs/journey-schema.json)."""
    schema = Journey.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dcp-kiosk journey definition, format version 1"
    return schema
