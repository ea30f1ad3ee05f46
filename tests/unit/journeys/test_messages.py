"""Messages, not sentences: every message id the core uses has an English default, each id is listed
once, and a message renders in another language through a translate function, falling back to English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from journeys import AnswerError, Message, parse_answer
from journeys.messages import MESSAGES, msg
from journeys.models import Question

PACKAGE = Path(__file__).resolve().parents[3] / "journeys"
# msg("id"), error("id", ...), and the ids the types name in class attributes and tables
_USE = re.compile(
    r"""(?:msg|error)\(\s*"([a-z0-9_.]+)"|"((?:name|subject|answer|date|time|yes_no|address|summary|checkboxes|postcode|email|phone|number|money)\.[a-z0-9_.]+)\""""
)


def ids_used() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "messages.py" or "importers" in path.parts:  # an import's notes are for IT, in English
            continue
        for a, b in _USE.findall(path.read_text(encoding="utf-8")):
            found.add(a or b)
    return found


def test_every_message_id_the_core_uses_has_an_english_default() -> None:
    used = ids_used()
    assert len(used) > 40  # the scan finds them (a broken pattern would find none and pass)
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"message ids without an English default in journeys/messages.py: {missing}"
    assert all(MESSAGES[i].strip() for i in used)


def test_message_ids_are_listed_once_and_every_listed_one_is_used() -> None:
    tree = ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8"))
    table = next(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == "MESSAGES"
    )
    assert isinstance(table, ast.Dict)
    keys = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"message ids listed twice: {duplicates}"
    unused = sorted(set(keys) - ids_used())
    assert not unused, f"messages nothing uses: {unused}"


def test_an_answer_error_carries_a_message_and_reads_as_english() -> None:
    q = Question.model_validate({"id": "when", "type": "date", "label": {"en": "When?"}})
    try:
        parse_answer(q, {"day": "31", "month": "2", "year": "2026"})
    except AnswerError as exc:
        assert isinstance(exc.message, Message)
        assert exc.message.id == "date.real"
        assert str(exc) == str(exc.message) == "Date must be a real date"
    else:
        raise AssertionError("31 February parsed")


def test_a_message_renders_through_translate_and_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeys import messages

    monkeypatch.setattr(messages, "_catalogues", None)  # the core alone: no catalogues registered
    q = Question.model_validate(
        {"id": "n", "type": "text", "label": {"en": "Name"}, "error_name": {"en": "your name", "pl": "imię"}}
    )
    message = msg("answer.enter", name=q.error_name)
    polish = {"answer.enter": "Wpisz {name}"}
    assert message.render("pl", polish.get) == "Wpisz imię"
    assert message.render("pl") == "Enter imię"  # no template: the English default, with the journey's own words
    assert message.render("ur", {"answer.enter": "{missing} x"}.get) == "Enter your name"  # a bad template
    assert message == "Enter your name" and message == msg("answer.enter", name=q.error_name)


def test_with_the_apps_catalogues_a_message_finds_its_words_in_them() -> None:
    from app import languages  # registers the gettext catalogues with the core

    q = Question.model_validate(
        {"id": "n", "type": "text", "label": {"en": "Name"}, "error_name": {"en": "your name", "pl": "imię"}}
    )
    said = msg("answer.enter", name=q.error_name).render("pl")
    assert said == languages.message_template("pl", "answer.enter", "Enter {name}").format(name="imię")
    assert said != "Enter imię" and said.endswith("imię")


def test_numbers_in_messages_follow_the_language() -> None:
    message = msg("answer.too_long", subject=msg("subject.text"), limit=12000)
    assert str(message) == "Your answer must be 12,000 characters or fewer"
    assert "12\xa0000" in message.render("pl")
