"""Property-based tests over every training journey (hypothesis).

For random answers: the route never loops, never reaches a page its conditions exclude, and the
summary holds exactly the answers on the route taken. A citizen's random walk through a Session
(answering, going back, changing answers from check answers) always ends at check answers with
every page on the route answered and nothing off the route kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.visit import Session
from journeys import AnswerError, display_answer, parse_answer, to_raw
from journeys.flow import Flow
from journeys.models import CHECK_ANSWERS, Journey, Page, Question, parse_journey

ROOT = Path(__file__).resolve().parents[3]
JOURNEYS = [
    parse_journey(json.loads(p.read_text(encoding="utf-8")))
    for p in sorted((ROOT / "journeys" / "training").glob("*.json"))
]
IDS = [j.id for j in JOURNEYS]
# Kept small for the default run; JOURNEY_EXAMPLES=500 for a thorough one.
EXAMPLES = int(os.environ.get("JOURNEY_EXAMPLES", "20"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TODAY = dt.date.today()
TEXT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,.'-]{0,30}", fullmatch=True)
POSTCODES = st.sampled_from(["LS1 4AP", "SW1A 1AA", "M1 1AE", "B33 8TH", "EC1A 1BB"])
PHONES = st.sampled_from(["+441134960000", "+447700900982", "+442079460000", "+12025550123"])
EMAILS = st.sampled_from(["ada@example.com", "a.b+c@sub.example.co.uk", "x@y.org"])


def _squash(text: str) -> str:
    return " ".join(text.split())


def _dates(q: Question) -> st.SearchStrategy[str]:
    lo, hi = -3000, 3000
    lo, hi = {
        "past": (lo, -1),
        "today_or_past": (lo, 0),
        "future": (1, hi),
        "today_or_future": (0, hi),
    }.get(q.date_range, (lo, hi))
    rules = q.date_rules
    if rules is not None and rules.within_days is not None:
        lo, hi = max(lo, -rules.within_days), min(hi, 0)
    days = st.integers(lo, hi).map(lambda d: TODAY + dt.timedelta(days=d))
    if rules is not None:  # fixed days and weekdays: keep the dates the question's rules accept
        days = days.filter(lambda day: _keeps_rules(q, day))
    return days.map(lambda day: day.isoformat())


def _keeps_rules(q: Question, day: dt.date) -> bool:
    try:
        parse_answer(q, day.isoformat(), TODAY)
    except AnswerError:
        return False
    return True


def value_of(q: Question) -> st.SearchStrategy[Any]:
    """Parsed answers a question can hold (what the routing sees)."""
    kind = q.type
    if kind in ("radios", "select", "yes_no"):
        return st.sampled_from(q.option_values())
    if kind == "checkboxes":
        plain = [o.value for o in q.options if not o.exclusive]
        exclusive = [o.value for o in q.options if o.exclusive]
        subsets = st.lists(st.sampled_from(plain), min_size=1, unique=True).map(
            lambda vs: [v for v in plain if v in vs]
        )
        return st.one_of(subsets, *(st.just([v]) for v in exclusive))
    if kind == "number":
        return st.integers(q.min if q.min is not None else -1000, q.max if q.max is not None else 1000)
    if kind == "money":
        return st.integers(q.min if q.min is not None else 0, q.max if q.max is not None else 10_000_000)
    if kind == "date":
        return _dates(q)
    if kind == "time":
        return st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
    if kind == "postcode":
        return POSTCODES
    if kind == "phone":
        return PHONES
    if kind == "email":
        return EMAILS
    if kind == "address":
        return st.builds(
            lambda line1, town, pc: {
                "line1": _squash(line1) or "1 High St",
                "line2": "",
                "town": _squash(town) or "Leeds",
                "postcode": pc,
            },
            TEXT,
            TEXT,
            POSTCODES,
        )
    if kind == "appointment":  # a request made offline (a held slot needs the portal: tests/integration)
        return st.builds(
            lambda days, times: {"kind": "request", "days": days, "times": times},
            st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri"]), min_size=1, unique=True).map(
                lambda ds: [d for d in ("mon", "tue", "wed", "thu", "fri") if d in ds]
            ),
            st.sampled_from([["morning"], ["afternoon"], ["morning", "afternoon"]]),
        )
    limit = q.max_length or 200
    return TEXT.map(lambda s: _squash(s)[:limit].strip() or "x")


@st.composite
def answers_for(draw: st.DrawFn, journey: Journey, allow_missing: bool = True) -> dict[str, Any]:
    """Random parsed answers to every question; some left out, as on a journey not yet finished."""
    answers: dict[str, Any] = {}
    for q in journey.questions():
        choice = draw(st.sampled_from(["value", "value", "value", "missing", "none"] if allow_missing else ["value"]))
        if choice == "value" or (not allow_missing):
            answers[q.id] = draw(value_of(q))
        elif choice == "none" and not q.required:
            answers[q.id] = None
    return answers


def expected_next(journey: Journey, page: Page, answers: dict[str, Any]) -> str | None:
    """The next page worked out independently of the engine: first route that holds, then skip excluded pages."""
    index = [p.id for p in journey.pages]
    target = index.index(page.id) + 1
    for route in page.routes:
        if route.when.evaluate(answers):
            if route.goto == CHECK_ANSWERS:
                return None
            target = index.index(route.goto)
            break
    for candidate in journey.pages[target:]:
        if candidate.show_when is None or candidate.show_when.evaluate(answers):
            return candidate.id
    return None


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
@SETTINGS
@given(data=st.data())
def test_the_route_never_loops_and_never_reaches_an_excluded_page(journey: Journey, data: st.DataObject) -> None:
    answers = data.draw(answers_for(journey))
    flow = Flow(journey)
    route = flow.route(answers)
    ids = [p.id for p in route]
    order = [p.id for p in journey.pages]
    assert len(ids) == len(set(ids)) <= len(journey.pages)
    assert [order.index(i) for i in ids] == sorted(order.index(i) for i in ids), "the route only moves forward"
    assert ids[0] == journey.pages[0].id
    seen: dict[str, Any] = {}  # conditions see only the answers given on the route so far
    for here, there in zip(ids, [*ids[1:], None], strict=True):
        page = flow.page(here)
        assert page.show_when is None or page.show_when.evaluate(seen), f"{page.id} is excluded"
        seen.update({q.id: answers[q.id] for q in page.questions if q.id in answers})
        assert expected_next(journey, page, seen) == there
        assert flow.next_page(here, answers) == (flow.page(there) if there else None)
    for i, page_id in enumerate(ids):
        assert flow.previous_page(page_id, answers) == (route[i - 1] if i else None)


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
@SETTINGS
@given(data=st.data())
def test_the_summary_holds_exactly_the_answers_on_the_route(journey: Journey, data: st.DataObject) -> None:
    answers = data.draw(answers_for(journey))
    flow = Flow(journey)
    on_route = [q for p in flow.route(answers) for q in p.questions]
    rows = flow.summary(answers)
    assert [r.question_id for r in rows] == [q.id for q in on_route]
    kept = flow.answers_on_route(answers)
    assert set(kept) <= {q.id for q in on_route}
    assert set(kept) == {q.id for q in on_route if q.id in answers}
    for row, q in zip(rows, on_route, strict=True):
        assert row.answer == display_answer(q, kept.get(q.id))
        assert q in flow.page(row.page_id).questions  # the Change target asks this question
    assert flow.route(kept) == flow.route(answers), "dropping off-route answers does not change the route"


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
@SETTINGS
@given(data=st.data())
def test_every_answer_survives_the_trip_through_what_a_screen_holds(journey: Journey, data: st.DataObject) -> None:
    answers = data.draw(answers_for(journey, allow_missing=False))
    for q in journey.questions():
        assert parse_answer(q, to_raw(q, answers[q.id]), TODAY) == answers[q.id], q.id


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
@SETTINGS
@given(data=st.data())
def test_a_random_walk_through_a_session_ends_at_check_answers(journey: Journey, data: st.DataObject) -> None:
    session = Session()
    page: Page | None = session.start(journey)
    steps = 0
    visits = 0
    while True:
        steps += 1
        assert steps < 10 * len(journey.pages) + 20, "the walk never reached check answers"
        if page is None:
            missing = session.first_unanswered()
            if missing is not None:  # Back to check answers before a page a change added: go there
                page = session.change(missing.id)
                continue
            # check answers: sometimes change an answer, otherwise done
            rows = session.summary()
            p = session.progress
            assert p is not None
            on_route = {q.id for pg in p.flow.route(p.answers) for q in pg.questions}
            assert set(p.answers) == on_route, "every question on the route answered, nothing else kept"
            assert [r.question_id for r in rows] == [q.id for pg in p.flow.route(p.answers) for q in pg.questions]
            if visits >= 3 or not data.draw(st.booleans()):
                break
            visits += 1
            page = session.change(data.draw(st.sampled_from(sorted({r.page_id for r in rows}))))
            continue
        action = data.draw(st.sampled_from(["answer", "answer", "answer", "back", "nonsense"]))
        if action == "back":
            previous = session.back()
            if previous is not None:
                page = previous
                continue
            assert session.progress is not None
            if session.progress.returning_to_check:
                page = None  # the UI shows check answers again
            # Back on the first page leaves the journey in the UI; here the walk carries on
            continue
        if action == "nonsense":
            raw = {q.id: "\x00?" for q in page.questions}
            result = session.answer_page(raw)
            if isinstance(result, list):
                assert {e.question_id for e in result} <= {q.id for q in page.questions}
                continue
            page = result
            continue
        raw = {q.id: to_raw(q, data.draw(value_of(q))) for q in page.questions}
        result = session.answer_page(raw)
        assert not isinstance(result, list), result
        page = result
    session.wipe()
    assert session.progress is None and session.facts == {}
