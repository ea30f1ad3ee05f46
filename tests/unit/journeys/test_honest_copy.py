"""The training journeys promise only what the kiosk and the council really do with what was asked."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from journeys import hint_text, parse_answer
from journeys.models import CHECK_ANSWERS, Journey, parse_journey

ROOT = Path(__file__).resolve().parents[3]
JOURNEYS = [
    parse_journey(json.loads(p.read_text(encoding="utf-8")))
    for p in sorted((ROOT / "journeys/training").glob("*.json"))
]


def _imported() -> list[Journey]:
    """The journeys the importers make of the test definitions (tests/data/importers): held to the same words."""
    from journeys.importers import import_definition

    found = []
    for path in sorted((ROOT / "tests/data/importers").glob("*/*.json")):
        if path.name.endswith(".walks.json"):
            continue
        made = import_definition(json.loads(path.read_text(encoding="utf-8"))).journey
        assert made is not None, path
        found.append(parse_journey(made))
    return found


IMPORTED = _imported()
# A promise to reach the citizen, and the kinds of answer it needs.
PROMISES = {
    r"\bphone you\b|\bcall you\b": {"phone"},
    r"\bemail(ed)? (you|your)\b": {"email"},
    r"\bwrite (to you|within)\b|\bby post\b": {"address"},
    r"\bcontact you\b": {"phone", "email", "address"},
}


def always_asked(journey: Journey, kinds: set[str]) -> bool:
    """A required question of one of these kinds is on every route: its page is never skipped."""
    index = {p.id: i for i, p in enumerate(journey.pages)}
    for i, page in enumerate(journey.pages):
        if page.show_when is not None or not any(q.type in kinds and q.required for q in page.questions):
            continue
        skipped = any(
            j < i and (route.goto == CHECK_ANSWERS or index[route.goto] > i)
            for j, earlier in enumerate(journey.pages)
            for route in earlier.routes
        )
        if not skipped:
            return True
    return False


@pytest.mark.parametrize("journey", JOURNEYS + IMPORTED, ids=[j.id for j in JOURNEYS + IMPORTED])
def test_what_happens_next_only_promises_contact_the_citizen_always_gave(journey: Journey) -> None:
    said = journey.confirmation.en
    for pattern, kinds in PROMISES.items():
        if re.search(pattern, said, re.IGNORECASE):
            assert always_asked(journey, kinds), f"{journey.id}: {said!r} but {kinds} is not always asked"


# Words that say something has happened, which a journey's own text can never know: only the kiosk,
# told by the portal, may say that money was taken, a time was booked or an email was sent.
HAPPENED = (
    r"\b(has|have) been (taken|paid|booked|sent|emailed)\b",
    r"\bwe have (emailed|sent|booked|taken)\b",
    r"\byour (payment|booking) is (complete|confirmed)\b",
)
# The kiosk never takes a card: a sentence may speak of card details only to say so.
CARD = r"\bcard (details|number)"


def words_of(journey: Journey) -> list[str]:
    said = [journey.confirmation.en, journey.summary.en]
    said += [journey.declaration.en] if journey.declaration else []
    said += [journey.offline_message.en] if journey.offline_message else []
    for page in journey.pages:
        said += [block.text.en for block in page.content]
        said += [q.hint.en for q in page.questions if q.hint]
    return said


@pytest.mark.parametrize("journey", JOURNEYS + IMPORTED, ids=[j.id for j in JOURNEYS + IMPORTED])
def test_no_journey_text_says_that_money_was_taken_a_time_booked_or_an_email_sent(journey: Journey) -> None:
    for text in words_of(journey):
        for pattern in HAPPENED:
            assert not re.search(pattern, text, re.IGNORECASE), f"{journey.id}: {text!r} claims what it cannot know"
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if re.search(CARD, sentence, re.IGNORECASE):
                assert "never" in sentence, f"{journey.id}: {sentence!r} speaks of card details at a kiosk"


@pytest.mark.parametrize("journey", JOURNEYS, ids=[j.id for j in JOURNEYS])
def test_the_start_page_asks_to_have_ready_only_what_the_journey_asks_for(journey: Journey) -> None:
    need = " ".join(item.en for item in journey.start.you_need) if journey.start else ""
    for thing in ("photo", "proof of", "documents", "receipt"):
        assert thing not in need, f"{journey.id}: you need {thing!r}, but no question asks for it"


DATE_QUESTIONS = [(j.id, q) for j in JOURNEYS for p in j.pages for q in p.questions if q.type == "date"]


@pytest.mark.parametrize("today", [dt.date(2026, 12, 1), dt.date(2027, 6, 5), dt.date(2031, 2, 28)])
@pytest.mark.parametrize(("journey_id", "question"), DATE_QUESTIONS, ids=[f"{j}:{q.id}" for j, q in DATE_QUESTIONS])
def test_a_date_hints_example_is_a_day_the_question_accepts(journey_id: str, question, today: dt.date) -> None:
    """An example in a hint is what the citizen copies: it must pass the question's own rules, any day."""
    hint = hint_text(question, "en", today)
    found = re.search(r"For example, (\d{1,2}) (\d{1,2}) (\d{4})", hint or "")
    if found is None:
        return
    day, month, year = found.groups()
    parse_answer(question, {"day": day, "month": month, "year": year}, today)  # raises AnswerError if not
