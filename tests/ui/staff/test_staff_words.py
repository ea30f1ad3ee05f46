"""What the staff screens say: journeys by their titles, the portal's refusals in plain words (the raw
code kept for IT), and corrections made with the citizen's own widgets. Real Qt widgets (offscreen)
on a real SQLite outbox, driven with qtbot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from journeys.flow import Flow
from tests.helpers import recent_weekday
from tests.ui.staff.test_staff import ANSWERS, click, seed_every_state, sign_in
from ui.staff import CheckProgressScreen, ConsoleScreen, CorrectScreen, ItemScreen
from ui.window import KioskWindow

PIN = "482915"
REFUSED = "Answers do not match the journey: Which bin was not collected: the answer is not one of the options"


def staffed(window: KioskWindow) -> KioskWindow:
    window.kiosk.staff.add("amy", "Amy Khan", PIN)
    return window


def shown(screen: QWidget, name: str) -> str:
    found = screen.findChild(QLabel, name)
    assert found is not None and found.isVisibleTo(screen), f"no label {name}"
    return found.text()


def test_the_console_and_a_submission_name_the_journey_by_its_title(qtbot: QtBot, window: KioskWindow) -> None:
    staffed(window)
    seed_every_state(window)
    window.kiosk.store.outbox.submit("old-service", 2, {"full-name": "Ada Lovelace"})
    sign_in(qtbot, window)
    console = window.current
    assert isinstance(console, ConsoleScreen)
    text = console.reading_text()
    assert text.count("Report a missed bin collection") == 5 and "missed-bin" not in text
    assert "old-service (a service this kiosk does not know)" in text
    # the list says the problem in words: no raw codes
    assert "the portal refused an answer" in text and "HTTP 503 from the portal" in text
    assert "invalid_answers" not in text and "http_503" not in text
    old = next(i for i in window.kiosk.store.outbox.items() if i.journey_id == "old-service")
    window.staff.show_item(old.submission_id)
    assert "Service: old-service (a service this kiosk does not know), version 2" in window.current.reading_text()


def test_a_refused_submission_says_what_the_portal_refused_in_plain_words(qtbot: QtBot, window: KioskWindow) -> None:
    staffed(window)
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    window.staff.show_item(ids["needs_attention"])
    screen = window.current
    assert isinstance(screen, ItemScreen)
    assert "Service: Report a missed bin collection, version 1" in screen.reading_text()
    assert shown(screen, "portal-message") == (
        "The portal did not accept 'Which bin was not collected?': "
        "the answer is not one of the options the portal offers."
    )
    assert shown(screen, "portal-todo") == "Correct the answer with the citizen, then resubmit."
    assert shown(screen, "portal-technical") == "Technical details for IT: invalid_answers: " + REFUSED


def test_check_progress_names_the_service_of_a_request_still_on_the_kiosk(qtbot: QtBot, window: KioskWindow) -> None:
    saved = window.kiosk.store.outbox.submit("missed-bin", 1, dict(ANSWERS))
    reference = window.kiosk.store.outbox.item(saved.submission_id).reference
    click(qtbot, window, "check-progress")
    screen = window.current
    assert isinstance(screen, CheckProgressScreen)
    qtbot.keyClicks(screen.reference, reference)
    qtbot.keyClick(screen.reference, Qt.Key.Key_Return)
    assert screen.result.text() == (
        f"{reference} (Report a missed bin collection) is saved on this kiosk and will be sent to the council "
        "when the connection is back."
    )


def test_a_date_is_corrected_through_the_date_widget(qtbot: QtBot, window: KioskWindow) -> None:
    staffed(window)
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    window.staff.show_correct(ids["needs_attention"])
    screen = window.current
    assert isinstance(screen, CorrectScreen)
    # what the portal refused, in plain words, above the answers
    assert "The portal did not accept 'Which bin was not collected?'" in shown(screen, "portal-message")
    day = screen.findChild(QLineEdit, "collection-date-day")
    month = screen.findChild(QLineEdit, "collection-date-month")
    assert (day.text(), month.text()) == ("3", "11")  # pre-filled with the stored answer
    year = screen.findChild(QLineEdit, "collection-date-year")
    new = recent_weekday()  # inside the journey's rules (a weekday in the last 14 days) as of the day it was sent
    for box, typed in ((day, str(new.day)), (month, str(new.month)), (year, str(new.year))):
        box.selectAll()
        qtbot.keyClicks(box, typed)
    qtbot.mouseClick(screen.findChild(QRadioButton, "bin-type-recycling"), Qt.MouseButton.LeftButton)
    click(qtbot, window, "resubmit")
    assert isinstance(window.current, ConsoleScreen)
    stored = window.kiosk.store.outbox.answers(ids["needs_attention"])
    assert stored == dict(ANSWERS, **{"bin-type": "recycling", "collection-date": new.isoformat()})
    assert window.kiosk.store.outbox.item(ids["needs_attention"]).state == "pending"


def refused_bulky(window: KioskWindow, **changes: Any) -> str:
    journey = window.kiosk.journey("bulky-waste", 2)
    assert journey is not None
    raw = Flow(journey).example(today=dt.date.today())
    answers, errors = Flow(journey).check_all(raw)
    assert errors == []
    answers.update(changes)
    saved = window.kiosk.store.outbox.submit("bulky-waste", 2, answers)
    window.kiosk.store.outbox.mark_needs_attention(
        saved.submission_id, "invalid_answers", "Answers do not match the journey: What do you want us to collect: no"
    )
    return saved.submission_id


def test_a_checkbox_is_corrected_by_ticking_and_its_follow_up_question_is_asked(
    qtbot: QtBot, window: KioskWindow
) -> None:
    staffed(window)
    sid = refused_bulky(window, items=["sofa"])
    sign_in(qtbot, window)
    window.staff.show_correct(sid)
    screen = window.current
    assert isinstance(screen, CorrectScreen)
    sofa = screen.findChild(QCheckBox, "items-sofa")
    other = screen.findChild(QCheckBox, "items-other")
    assert sofa.isChecked() and not other.isChecked()  # pre-filled
    assert "other-items" not in screen.inputs  # "other" is not ticked: not on the route
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_Space)  # ticked by keys, as on the citizen's page
    assert other.isChecked()
    click(qtbot, window, "resubmit")
    screen = window.current
    # ticking "Other" brings "What are the other items?" onto the route: it is asked, with the journey's words
    assert isinstance(screen, CorrectScreen), "the correction was stored without the follow-up answer"
    assert "other-items" in screen.inputs, "the follow-up question is not on the correction screen"
    assert "Enter what the other items are" in screen.reading_text()
    assert screen.findChild(QCheckBox, "items-other").isChecked()  # what staff ticked is kept
    box = screen.findChild(QPlainTextEdit, "other-items")
    assert box.hasFocus()  # focus goes to the answer the journey asks for, not to the first one refused
    qtbot.keyClicks(box, "A garden bench")
    click(qtbot, window, "resubmit")
    assert isinstance(window.current, ConsoleScreen)
    stored = window.kiosk.store.outbox.answers(sid)
    assert stored is not None
    assert (stored["items"], stored["other-items"]) == (["sofa", "other"], "A garden bench")
    assert window.kiosk.store.outbox.item(sid).state == "pending"


def test_a_bad_correction_is_refused_with_the_journeys_own_message(qtbot: QtBot, window: KioskWindow) -> None:
    staffed(window)
    sid = refused_bulky(window)
    before = window.kiosk.store.outbox.answers(sid)
    sign_in(qtbot, window)
    window.staff.show_correct(sid)
    count = window.current.findChild(QLineEdit, "item-count")
    count.selectAll()
    qtbot.keyClicks(count, "11")
    click(qtbot, window, "resubmit")
    screen = window.current
    assert isinstance(screen, CorrectScreen)
    assert "The number of items must be between 1 and 10" in screen.reading_text()
    assert screen.findChild(QLineEdit, "item-count").text() == "11"
    assert window.kiosk.store.outbox.answers(sid) == before
    assert window.kiosk.store.outbox.item(sid).state == "needs_attention"


def test_a_submission_waiting_after_a_failed_try_says_it_is_sent_again_by_itself(
    qtbot: QtBot, window: KioskWindow
) -> None:
    staffed(window)
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    window.staff.show_item(ids["pending"])
    screen = window.current
    assert shown(screen, "portal-message") == "The last try to send it did not get through: HTTP 503 from the portal."
    assert shown(screen, "portal-todo") == "Nothing needs doing: the kiosk sends it again by itself."
    assert shown(screen, "portal-technical") == "Technical details for IT: http_503: the portal answered HTTP 503"
    window.staff.show_item(ids["delivered"])
    assert window.current.findChild(QLabel, "portal-message") is None
