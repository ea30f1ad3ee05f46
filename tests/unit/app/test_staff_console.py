"""The staff console's use cases on a real SQLite file: views audited once, corrections checked by the journey."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import InvalidTransition
from app.kiosk import Kiosk
from app.staff_console import NOT_A_QUESTION, FieldError, StaffConsole
from journeys import AnswerError, parse_answer
from journeys.models import Question
from tests.helpers import (
    MISSED_BIN_DAY,
    MISSED_BIN_DAY_TEXT,
    MISSED_BIN_RAW,
    make_kiosk,
    recent_weekday,
    seed_catalogue,
)


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path)
    seed_catalogue(k)
    yield k
    k.close()


@pytest.fixture
def console(kiosk: Kiosk) -> StaffConsole:
    return StaffConsole(kiosk)


def missed_bin_question(kiosk: Kiosk, question_id: str) -> Question:
    journey = kiosk.journey("missed-bin", 1)
    assert journey is not None
    return next(q for q in journey.questions() if q.id == question_id)


def refused_submission(kiosk: Kiosk) -> str:
    journey = kiosk.journey("missed-bin", 1)
    assert journey is not None
    receipt = kiosk.submit_raw(journey, dict(MISSED_BIN_RAW))
    assert not isinstance(receipt, list)
    kiosk.store.outbox.mark_needs_attention(receipt.submission_id, "invalid_answers", "postcode: not in our area")
    return receipt.submission_id


def audited(kiosk: Kiosk, action: str) -> list[dict[str, object]]:
    return [e for e in kiosk.store.audit.entries() if e["action"] == action]


def parse_message(q: Question, raw: object) -> str:
    with pytest.raises(AnswerError) as exc:
        parse_answer(q, raw)
    return str(exc.value)


def test_the_item_view_shows_the_journeys_display_and_is_audited_once(kiosk: Kiosk, console: StaffConsole) -> None:
    sid = refused_submission(kiosk)
    view = console.item(sid, "amy")
    assert view.item.state == "needs_attention" and not view.unreadable
    assert view.answers is not None
    rows = {r.question_id: (r.label, r.answer) for r in view.answers}
    assert rows["collection-date"] == ("When should it have been collected?", MISSED_BIN_DAY_TEXT)
    assert rows["postcode"][1] == "LS1 4AP"
    assert [(e["staff_id"], e["subject"]) for e in audited(kiosk, "staff_viewed_answers")] == [("amy", sid)]


def test_the_correction_form_holds_the_stored_answers_raw_and_flags_what_the_portal_named(
    kiosk: Kiosk, console: StaffConsole
) -> None:
    sid = refused_submission(kiosk)
    form = console.correction(sid, "amy")
    rows = {r.question_id: r for r in form.rows}
    assert list(rows) == ["bin-type", "collection-date", "postcode", "address-line", "full-name", "email"]
    assert rows["collection-date"].raw == MISSED_BIN_RAW["collection-date"]
    assert rows["postcode"].raw == "LS1 4AP" and rows["postcode"].refused
    assert not rows["bin-type"].refused and rows["email"].raw == ""
    assert len(audited(kiosk, "staff_viewed_answers")) == 1


@pytest.mark.parametrize(
    ("question_id", "typed"),
    [
        ("collection-date", "31 Nov 2026"),
        ("collection-date", "3 Nov 26"),
        ("collection-date", "Nov 2026"),
        ("postcode", "ls1"),
        ("postcode", ""),
    ],
)
def test_a_correction_the_journey_refuses_is_refused_with_the_citizens_message(
    kiosk: Kiosk, console: StaffConsole, question_id: str, typed: str
) -> None:
    sid = refused_submission(kiosk)
    before = kiosk.store.outbox.answers(sid)
    result = console.correct(sid, "amy", {question_id: typed})
    expected = parse_message(missed_bin_question(kiosk, question_id), typed)
    assert not result.ok and result.changed == []
    assert result.errors == [FieldError(question_id, expected)]
    assert kiosk.store.outbox.answers(sid) == before and kiosk.store.outbox.item(sid).state == "needs_attention"
    assert audited(kiosk, "staff_correct") == []


def test_a_good_correction_is_stored_as_the_journey_stores_it_and_audited_once(
    kiosk: Kiosk, console: StaffConsole
) -> None:
    sid = refused_submission(kiosk)
    day = recent_weekday(MISSED_BIN_DAY)  # the weekday before: inside the journey's date rules
    result = console.correct(sid, "amy", {"collection-date": f"{day.day} {day:%b %Y}", "postcode": "ls2 7hy"})
    assert result.ok and result.errors == []
    assert result.changed == ["collection-date", "postcode"]
    answers = kiosk.store.outbox.answers(sid)
    assert answers is not None
    assert (answers["collection-date"], answers["postcode"]) == (day.isoformat(), "LS2 7HY")
    assert answers["full-name"] == "Ada Lovelace"  # untouched answers stay as they were
    assert kiosk.store.outbox.item(sid).state == "pending"
    entries = audited(kiosk, "staff_correct")
    assert [(e["staff_id"], e["detail"]) for e in entries] == [("amy", "changed: collection-date, postcode")]
    assert "LS2" not in str(kiosk.store.audit.entries()) and day.isoformat() not in str(kiosk.store.audit.entries())


def test_the_form_sent_back_unchanged_changes_nothing(kiosk: Kiosk, console: StaffConsole) -> None:
    sid = refused_submission(kiosk)
    before = kiosk.store.outbox.answers(sid)
    form = console.correction(sid, "amy")
    result = console.correct(sid, "amy", {r.question_id: r.raw for r in form.rows})
    assert result.ok and result.changed == []
    assert kiosk.store.outbox.answers(sid) == before


def test_an_answer_to_no_question_and_a_submission_not_refused_are_refused(kiosk: Kiosk, console: StaffConsole) -> None:
    sid = refused_submission(kiosk)
    result = console.correct(sid, "amy", {"favourite-colour": "blue"})
    assert result.errors == [FieldError("favourite-colour", NOT_A_QUESTION)]
    console.retry(sid, "amy")
    with pytest.raises(InvalidTransition):
        console.correct(sid, "amy", {"postcode": "LS2 7HY"})
    assert [i.submission_id for i in console.outbox("pending")] == [sid]
    console.discard(sid, "amy", "a test submission")
    assert console.counts().by_state.get("discarded") == 1
    assert console.item(sid, "amy").answers is None


def test_answers_the_keyring_cannot_open_are_shown_as_unreadable(tmp_path: Path) -> None:
    import keyring

    from local_store.vault import KEYRING_SERVICE, key_name

    kiosk = make_kiosk(tmp_path)
    seed_catalogue(kiosk)
    sid = refused_submission(kiosk)
    install_id = kiosk.store.install_id
    epoch = int(kiosk.store.conn.execute("SELECT value FROM meta WHERE key='epoch'").fetchone()[0])
    kiosk.close()
    keyring.delete_password(KEYRING_SERVICE, key_name(install_id, epoch))
    again = make_kiosk(tmp_path)
    try:
        view = StaffConsole(again).item(sid, "amy")
    finally:
        again.close()
    assert view.unreadable and view.answers is None and view.item.reference


def test_a_date_is_corrected_as_of_the_day_the_citizen_sent_it(kiosk: Kiosk, console: StaffConsole) -> None:
    """Missed bin: "in the last 14 days" of the day it was sent, not of the day staff correct it."""
    sid = refused_submission(kiosk)
    with kiosk.store.conn:
        kiosk.store.conn.execute("UPDATE outbox SET created_at = created_at - 20 * 86400 WHERE submission_id=?", (sid,))
    sent = dt.date.fromtimestamp(kiosk.store.outbox.item(sid).created_at)
    day = recent_weekday(sent)  # a day the journey accepted when it was sent; 20 days ago today
    result = console.correct(sid, "amy", {"collection-date": f"{day.day} {day:%b %Y}"})
    assert result.ok, result.errors
    assert kiosk.store.outbox.answers(sid)["collection-date"] == day.isoformat()


def test_a_correction_keeps_the_payment_and_the_receipt_email_the_submission_carries(
    kiosk: Kiosk, console: StaffConsole
) -> None:
    from app.payments import due
    from journeys.flow import Flow

    journey = kiosk.journey("pay-parking-fine", 2)
    assert journey is not None
    answers, errors = Flow(journey).check_all(Flow(journey).example())
    assert not errors and answers["email"]
    receipt = kiosk.submit(journey, answers, payment=due(3500, "later"))
    kiosk.store.outbox.mark_needs_attention(receipt.submission_id, "invalid_answers", "pcn-number: not one of ours")
    result = console.correct(receipt.submission_id, "amy", {"pcn-number": "LS87654321"})
    assert result.ok and result.changed == ["pcn-number"]
    kept = kiosk.store.outbox.answers(receipt.submission_id)
    assert kept is not None and kept["pcn-number"] == "LS87654321"
    assert kept["_payment"] == due(3500, "later")  # still payment due: the portal must still hear it
    assert kept["_receipt_email"]["reference"] == receipt.reference
