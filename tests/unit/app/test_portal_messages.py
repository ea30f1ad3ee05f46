"""The portal's refusals in plain words for staff, the refused answer named by its question, the raw
text kept for IT; and journeys named by their titles. A real SQLite kiosk, and for the words the
reference portal really sends, the reference portal over HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import sync_once
from app.kiosk import Kiosk
from app.portal_messages import explain, short_words
from app.staff_console import StaffConsole
from journeys.models import Journey
from tests.helpers import make_kiosk, seed_catalogue, synced_kiosk

GOOD = {
    "bin-type": "recycling",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
}


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path)
    seed_catalogue(k)
    yield k
    k.close()


def missed_bin(kiosk: Kiosk) -> Journey:
    journey = kiosk.journey("missed-bin", 1)
    assert journey is not None
    return journey


def words(explanation: object) -> list[str]:
    assert explanation is not None
    return [str(s) for s in explanation.sentences]  # type: ignore[attr-defined]


def test_what_the_reference_portal_refuses_reads_as_plain_words_naming_the_question(
    tmp_path: Path, portal: object, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk, _ = synced_kiosk(tmp_path / "k", portal)
    try:
        refused = kiosk.store.outbox.submit(
            "missed-bin", 1, dict(GOOD, **{"postcode": "NOT A POSTCODE", "bin-type": "purple"})
        )
        caplog.set_level(logging.DEBUG)
        sync_once(kiosk)
        console = StaffConsole(kiosk)
        item = console.get(refused.submission_id)
        assert item.state == "needs_attention" and item.last_error_class == "invalid_answers"
        explanation = console.explain(item)
        assert explanation is not None
        assert words(explanation) == [
            "The portal did not accept 'Which bin was not collected?': "
            "the answer is not one of the options the portal offers.",
            "The portal did not accept 'What is the postcode of the property?': it is not a UK postcode.",
        ]
        assert str(explanation.advice) == "Correct the answers with the citizen, then resubmit."
        assert explanation.question_ids == ("bin-type", "postcode")
        # the raw code and the portal's own words stay for IT
        assert explanation.technical.startswith("invalid_answers: Answers do not match the journey: ")
        assert "the answer must be a UK postcode" in explanation.technical
        assert "NOT A POSTCODE" not in caplog.text and "must be a UK postcode" not in caplog.text
    finally:
        kiosk.close()


def test_a_field_error_the_kiosk_does_not_know_keeps_the_portals_words(kiosk: Kiosk) -> None:
    journey = missed_bin(kiosk)
    said = explain(
        "invalid_answers", "Answers do not match the journey: postcode: not in our area; colour: red", journey
    )
    assert words(said) == [
        "The portal did not accept 'What is the postcode of the property?': not in our area.",
        "The portal did not accept an answer. It said: colour: red",
    ]


@pytest.mark.parametrize(
    ("error_class", "message", "first"),
    [
        ("journey_not_offered", "this journey or version is not offered", "The portal no longer offers this service"),
        ("http_410", "gone", "The portal no longer offers this service"),
        ("idempotency_conflict", "the key was used", "The portal already has a different submission"),
        ("unreadable", "RecordUnreadable", "The answers cannot be opened on this kiosk"),
        ("http_400", "the request does not follow the contract", "The portal refused this submission (HTTP 400)"),
        ("weird_new_thing", "zz top", "The portal refused this submission for a reason this kiosk does not know"),
    ],
)
def test_every_recorded_problem_has_an_honest_sentence_and_the_raw_text(
    kiosk: Kiosk, error_class: str, message: str, first: str
) -> None:
    said = explain(error_class, message, missed_bin(kiosk))
    assert said is not None and str(said.sentences[0]).startswith(first)
    assert said.technical == f"{error_class}: {message}"
    if error_class == "weird_new_thing":
        assert "zz top" in str(said.sentences[0])  # unknown: the portal's own words are shown too
    assert explain(None, None, None) is None


def test_the_console_list_says_a_problem_in_a_few_words() -> None:
    assert str(short_words("invalid_answers")) == "the portal refused an answer"
    assert str(short_words("http_503")) == "HTTP 503 from the portal"
    assert str(short_words("what")) == "a problem this kiosk does not know (what)"


def test_journeys_are_named_by_their_title_and_an_unknown_one_says_so(kiosk: Kiosk) -> None:
    console = StaffConsole(kiosk)
    assert str(console.journey_name("missed-bin", 1)) == "Report a missed bin collection"
    assert str(console.journey_name("missed-bin", 7)) == "Report a missed bin collection"  # another version
    assert str(console.journey_name("old-service", 2)) == "old-service (a service this kiosk does not know)"


def test_a_submission_waiting_to_be_sent_again_says_so_whatever_the_last_try_met() -> None:
    said = explain("unreachable", "could not reach the portal (ConnectError)", None, retrying=True)
    assert said is not None
    assert str(said.sentences[0]) == "The last try to send it did not get through: the portal could not be reached."
    assert str(said.advice) == "Nothing needs doing: the kiosk sends it again by itself."


def test_an_open311_refusal_gives_the_servers_words_and_what_to_do() -> None:
    said = "the Open311 server refused it (HTTP 400): attribute[depth_cm] is required: About how deep is it?"
    e = explain("open311_rejected", said, None)
    assert e is not None
    assert "street reports system (Open311) refused this report" in e.sentences[0].render("en")
    assert "attribute[depth_cm] is required" in e.sentences[0].render("en")
    assert "resubmit" in e.advice.render("en")
    assert e.technical.startswith("open311_rejected: ")


def test_a_report_that_may_have_arrived_asks_staff_to_look_before_retrying() -> None:
    e = explain("open311_unconfirmed", "Look for kiosk reference TRN-AAAA-BBBB", None)
    assert e is not None
    assert "discard this; if it is not, retry it" in e.advice.render("en")


@pytest.mark.parametrize(
    ("error_class", "words"),
    [
        ("open311_http_503", "HTTP 503 from the street reports system"),
        ("open311_unreachable", "the street reports system could not be reached"),
        ("open311_api_key", "the street reports system refused the kiosk's key"),
        ("open311_not_configured", "no street reports system is set up on this kiosk"),
        ("open311_token_pending", "received, waiting for its number"),
    ],
)
def test_open311_problems_have_short_words(error_class: str, words: str) -> None:
    assert short_words(error_class).render("en") == words
