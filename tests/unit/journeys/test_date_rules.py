"""Date rules a journey can state: within the last N days, not before / not after a day, a weekday."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from journeys import AnswerError, example_raw, parse_answer
from journeys.models import JourneyFormatError, Question, parse_journey

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 11, 25)  # a Wednesday


def missed_bin_date() -> Question:
    definition = json.loads((ROOT / "journeys/training/missed-bin.json").read_text(encoding="utf-8"))
    journey = parse_journey(definition)
    return next(q for q in journey.questions() if q.id == "collection-date")


def date_question(**kw: Any) -> Question:
    return Question.model_validate({"id": "d", "type": "date", "label": {"en": "When?"}, **kw})


def refusal(q: Question, typed: str, today: dt.date = TODAY) -> str:
    with pytest.raises(AnswerError) as info:
        parse_answer(q, typed, today)
    return str(info.value)


def test_a_missed_bin_date_in_2030_or_on_a_saturday_is_refused() -> None:
    q = missed_bin_date()
    assert refusal(q, "4/11/2030") == "Date must be today or in the past"
    assert refusal(q, "21/11/2026") == "Date must be a weekday (Monday to Friday)"
    assert refusal(q, "3/11/2026") == "Date must be in the last 14 days"
    assert parse_answer(q, "20/11/2026", TODAY) == "2026-11-20"  # a Friday last week
    assert parse_answer(q, "11/11/2026", TODAY) == "2026-11-11"  # 14 days ago


def test_each_rule_has_its_own_message() -> None:
    assert refusal(date_question(date_rules={"within_days": 1}), "23/11/2026") == "Date must be today or yesterday"
    assert refusal(date_question(date_rules={"within_days": 7}), "26/11/2026") == "Date must be in the last 7 days"
    q = date_question(date_rules={"not_before": "2026-04-01", "not_after": "2027-03-31"})
    assert refusal(q, "31/3/2026") == "Date must be the same as or after 1 April 2026"
    assert refusal(q, "1/4/2027") == "Date must be the same as or before 31 March 2027"
    assert parse_answer(q, "1/4/2026", TODAY) == "2026-04-01"
    weekday = date_question(date_rules={"weekday": True}, error_name={"en": "the date"})
    assert refusal(weekday, "22/11/2026") == "The date must be a weekday (Monday to Friday)"


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"date_rules": {"within_days": 0}}, "greater than or equal to 1"),
        ({"date_rules": {"within_days": 100_000}}, "less than or equal to 3660"),
        ({"date_rules": {"not_before": "2027-01-01", "not_after": "2026-01-01"}}, "not_before is after not_after"),
        ({"date_rules": {"not_before": "1/1/2026"}}, "YYYY-MM-DD"),
        ({"date_rules": {"not_before": "2026-02-30"}}, "not a real date"),
        ({"date_rules": {"not_after": "2300-01-01"}}, "between 1900 and 2199"),
        ({"date_rules": {}}, "at least one rule"),
        ({"date_rules": {"weekday": False}}, "at least one rule"),
        ({"date_rules": {"within_days": 7}, "date_range": "future"}, "within_days asks for a recent date"),
        ({"date_rules": {"sunday": True}}, "not part of the journey format"),
    ],
)
def test_rules_that_cannot_work_are_refused_naming_the_field(fields: dict[str, Any], problem: str) -> None:
    definition = json.loads((ROOT / "journeys/training/missed-bin.json").read_text(encoding="utf-8"))
    q = definition["pages"][1]["questions"][0]
    q.pop("date_rules", None)
    q.pop("date_range", None)
    q.update(fields)
    with pytest.raises(JourneyFormatError) as info:
        parse_journey(definition)
    assert "question collection-date" in str(info.value) and problem in str(info.value)


def test_a_text_question_takes_no_date_rules() -> None:
    with pytest.raises(ValueError, match="takes no date_rules"):
        Question.model_validate({"id": "t", "type": "text", "label": {"en": "T"}, "date_rules": {"weekday": True}})


@pytest.mark.parametrize("today", [TODAY + dt.timedelta(days=n) for n in range(7)])
def test_the_example_answer_keeps_every_rule(today: dt.date) -> None:
    for q in (
        missed_bin_date(),
        date_question(date_range="future", date_rules={"weekday": True}),
        date_question(date_rules={"within_days": 1, "weekday": True}),
    ):
        try:
            parse_answer(q, example_raw(q, today), today)
        except AnswerError as exc:  # within one day and a weekday cannot both hold on a Sunday or Monday
            assert q.date_rules is not None and q.date_rules.within_days == 1 and today.weekday() in (6, 0), exc


def test_the_reference_portal_serves_and_accepts_journeys_with_date_rules() -> None:
    from reference_portal.server import load_journeys
    from reference_portal.validation import validate_answers

    journeys = load_journeys()
    journey = journeys[("missed-bin", 1)]
    served = parse_journey(journey.model_dump(mode="json"))  # what a kiosk reads back from the portal
    assert served.questions()[1].date_rules == missed_bin_date().date_rules
    answers = {"bin-type": "general", "collection-date": "2026-11-20", "postcode": "LS1 4AP", "full-name": "Ada"}
    answers["address-line"] = "1 High Street"
    assert validate_answers(journey, answers) == []
