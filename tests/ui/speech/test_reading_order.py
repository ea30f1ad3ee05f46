"""What is spoken is what the screen shows, in reading order: every screen type of every training journey.

The visible words of a screen are collected here independently of its `reading()`: every visible label
(the words of a tile, a wrapping button, a checkbox or radio are labels inside it), every visible
button's own text, and a line edit's accessible name where no visible label shows it. They are put in
reading order by where they are on the screen (top to bottom, then start to end: right to left in
Urdu), and each must appear in the screen's phrases in that order. A screen that shows a word it does
not speak fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.languages import name_in
from journeys.flow import Flow
from journeys.models import Journey, Page
from tests.helpers import training_journeys
from ui.i18n import current, tr
from ui.overlay import Overlay
from ui.reading import Spoken
from ui.screens import (
    CheckAnswersScreen,
    ConfirmationScreen,
    HomeScreen,
    LanguageScreen,
    MessageScreen,
    PaymentChoiceScreen,
    QuestionScreen,
    Screen,
    StartScreen,
)
from ui.screens.appointment import AppointmentInput
from ui.screens.inputs import ChoiceInput, PartsInput
from ui.staff.check_progress import CheckProgressScreen
from ui.staff.gate import SignInScreen
from ui.window import KioskWindow

JOURNEYS = training_journeys()
SPEECH_ONLY = ("Warning",)  # said before a warning, whose "!" shows it
PREFILLED = "We have filled this in from your last request. Change it if you need to."


# -- the screen's visible words, in reading order ---------------------------------------------


@dataclass(frozen=True)
class Seen:
    text: str
    top: int
    left: int
    right: int
    height: int


def _norm(text: str) -> str:
    """Words only: symbols drawn for the eye (▸, •, !) and punctuation go, case and spacing are folded."""
    return " ".join(re.sub(r"[^\w£]+", " ", text).split()).casefold()


def _shown_by_a_label(edit: QWidget, root: QWidget) -> bool:
    return any(lb.buddy() is edit and lb.isVisibleTo(root) and lb.text() for lb in root.findChildren(QLabel))


def visible_words(root: QWidget, rtl: bool = False) -> list[str]:
    """Every text a sighted citizen sees under `root`, in reading order."""
    seen: list[Seen] = []

    def at(widget: QWidget, text: str) -> None:
        if not _norm(text):
            return
        corner = widget.mapTo(root, QPoint(0, 0))
        seen.append(Seen(text, corner.y(), corner.x(), corner.x() + widget.width(), widget.height()))

    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel):
            at(widget, widget.text())
        elif isinstance(widget, QAbstractButton) and isinstance(widget.property("language"), str):
            # a language's button shows its own name ("اردو") and is read as the display language says it
            # ("Urdu"): the display language's voice can say that (on focus it is said in its own voice)
            at(widget, name_in(widget.property("language"), current()))
        elif isinstance(widget, QAbstractButton):
            at(widget, widget.text())  # a wrapping button has none: its words are a label inside it
        elif isinstance(widget, QLineEdit | QPlainTextEdit) and not _shown_by_a_label(widget, root):
            at(widget, widget.accessibleName())
    seen.sort(key=lambda s: (s.top, s.left))
    lines: list[list[Seen]] = []
    for s in seen:
        if lines:
            first = lines[-1][0]
            if s.top < first.top + max(4, min(first.height, s.height) // 2):
                lines[-1].append(s)
                continue
        lines.append([s])
    ordered = [s.text for line in lines for s in sorted(line, key=lambda s: -s.right if rtl else s.left)]
    return ordered


def assert_spoken_in_order(shown: list[str], spoken: list[Spoken], where: str, *, spelt: bool = False) -> None:
    """Each shown text is in the spoken phrases, after the one before it (words matched whole), and nothing
    is spoken that is not shown. `spelt`: what the engine was given, a reference spelt out ("T R N, 5 G D N"):
    letters are compared without the spaces, and the engine's own words (where focus is) may follow."""

    def norm(text: str) -> str:
        return _norm(text).replace(" ", "") if spelt else _norm(text)

    said = " " + " ".join(norm(p.text) for p in spoken) + " "
    pos = 0
    for text in shown:
        needle = norm(text) if spelt else " " + norm(text) + " "
        found = said.find(needle, pos)
        if found < 0:
            earlier = said.find(needle)
            problem = "is not spoken" if earlier < 0 else "is spoken out of order"
            raise AssertionError(
                f"{where}: {text!r} {problem}\n  shown:  {shown}\n  spoken: {[p.text for p in spoken]}"
            )
        pos = found + len(needle) - (0 if spelt else 1)
    if spelt:
        return
    everything = " " + " ".join(_norm(t) for t in shown) + " "
    for p in spoken:  # and nothing is spoken that the screen does not show (a stale or hidden text)
        words = _norm(p.text)
        for extra in SPEECH_ONLY:
            words = words.removeprefix(_norm(extra) + " ")
        assert f" {words} " in everything, f"{where}: {p.text!r} is spoken but not shown\n  shown:  {shown}"


def settle(qtbot: QtBot) -> None:
    """Layouts done, so geometry is where the citizen sees it."""
    QApplication.processEvents()
    qtbot.wait(1)
    QApplication.processEvents()


def check_screen(qtbot: QtBot, window: KioskWindow, where: str) -> Screen:
    settle(qtbot)
    screen = window.current
    assert screen is not None
    body = screen.page_scroll.widget()
    assert body is not None
    rtl = window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shown = visible_words(body, rtl)
    summary = screen.error_summary if isinstance(screen, QuestionScreen) else None
    if summary is not None:  # a page with errors: what is wrong comes first, then the page as it shows
        first = visible_words(summary, rtl)
        rest = list(shown)
        for text in first:
            rest.remove(text)
        shown = first + rest
    assert shown, f"{where}: nothing shown"
    assert_spoken_in_order(shown, screen.reading(), where)
    if window.speech.on:  # audio mode: what the engine is given when the screen opens, as the window tells it
        engine = window.speech.engine
        assert engine is not None
        engine.said.clear()
        window.speech.screen_shown(screen)
        words = [Spoken(w) for w in engine.said]
        assert_spoken_in_order(shown, words, where + " (said by the engine)", spelt=True)
    return screen


def check_card(qtbot: QtBot, card: Overlay, where: str) -> list[Spoken]:
    settle(qtbot)
    assert card.isVisible(), where
    spoken = card.reading()  # type: ignore[attr-defined]
    assert_spoken_in_order(visible_words(card), spoken, where)
    return spoken


# -- walking a journey through the real window ----------------------------------------------


def fill(screen: QuestionScreen, raw: dict[str, Any]) -> None:
    """The journey's example answers for this page, put into its widgets."""
    for q in screen.page.questions:
        value = raw.get(q.id)
        if value is None:
            continue
        answer = screen.inputs[q.id]
        if isinstance(answer, ChoiceInput):
            chosen = set(value) if isinstance(value, list) else {value}
            for box in answer.boxes:
                box.setChecked(box.property("value") in chosen)
        elif isinstance(answer, PartsInput):
            for part, edit in answer.edits.items():
                edit.setText(str(value.get(part, "") or ""))
        elif isinstance(answer, AppointmentInput):  # offline: the days and times that suit
            ticked = str(value.get("days", "")).split() + str(value.get("times", "")).split()
            for box in answer.days + answer.times:
                box.setChecked(box.property("value") in ticked)
        else:
            target = answer.focus_target()
            if isinstance(target, QPlainTextEdit):
                target.setPlainText(str(value))
            else:
                assert isinstance(target, QLineEdit)
                target.setText(str(value))


def open_details(qtbot: QtBot, window: KioskWindow, where: str) -> None:
    screen = window.current
    assert screen is not None
    toggles = [b for b in screen.findChildren(QPushButton, "details")]
    for toggle in toggles:
        toggle.click()
    if toggles:
        check_screen(qtbot, window, where + " (details open)")


def walk(qtbot: QtBot, window: KioskWindow, journey: Journey) -> Iterator[str]:
    """Through the journey with valid answers, checking every screen; each page also once with its errors."""
    raw = Flow(journey).example()
    home = window.current
    assert isinstance(home, HomeScreen)
    tile = home.findChild(QPushButton, f"tile-{journey.id}")
    assert tile is not None
    tile.click()
    if isinstance(window.current, StartScreen):
        check_screen(qtbot, window, f"{journey.id}: start page")
        yield "start"
        window.current.start_button.click()
    pages_seen: set[str] = set()
    for _ in range(len(journey.pages) + 1):
        screen = window.current
        if not isinstance(screen, QuestionScreen):
            break
        page: Page = screen.page
        where = f"{journey.id}: page {page.id}"
        check_screen(qtbot, window, where)
        open_details(qtbot, window, where)
        yield "page"
        if PREFILLED in screen.reading_text():
            yield "prefilled"
        if page.id not in pages_seen:
            pages_seen.add(page.id)
            screen.continue_button.click()  # nothing entered: the required questions' errors
            if window.current is not screen and isinstance(window.current, QuestionScreen):
                shown = window.current
                if shown.error_summary is not None:
                    spoken = check_screen(qtbot, window, where + " (with errors)").reading()
                    assert spoken[0].text == tr("There is a problem"), (where, [p.text for p in spoken])
                    yield "errors"
                    screen = shown
                elif shown.page.id != page.id:
                    window.go_back()  # an optional page: back to fill it in
                    screen = window.current
                    assert isinstance(screen, QuestionScreen)
        fill(screen, raw)
        screen.continue_button.click()
        assert not (isinstance(window.current, QuestionScreen) and window.current.error_summary), (
            where,
            window.current.reading_text(),
        )
    check = window.current
    assert isinstance(check, CheckAnswersScreen), journey.id
    check_screen(qtbot, window, f"{journey.id}: check answers")
    spoken = check.reading()
    for row in window.session.summary():
        i = next(i for i, p in enumerate(spoken) if p.text == row.label)
        assert spoken[i + 1] == Spoken(row.answer, private=True), (journey.id, row)
    yield "check answers"
    check.send_button.click()
    if isinstance(window.current, PaymentChoiceScreen):  # the payment step: offline, sent as payment due
        check_screen(qtbot, window, f"{journey.id}: payment step")
        yield "payment step"
        window.current.findChild(QPushButton, "pay-later").click()
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    reference = confirmation.reference
    announced: list[list[Spoken]] = []
    confirmation.announced.connect(announced.append)
    for state in ("offline", "online", "sent"):
        if state == "offline":
            confirmation.set_online(False)
        elif state == "online":
            confirmation.set_online(True)
        elif state == "sent":
            confirmation.set_sent()
        check_screen(qtbot, window, f"{journey.id}: confirmation ({state})")
        for p in confirmation.reading():
            if reference in p.text:
                assert p.private, (state, p)
        yield "confirmation"
    said = [p for phrases in announced for p in phrases]
    assert said[-1].text == confirmation.banner.text()  # "Sent to ...": said as it happens
    assert all(p.private for p in said if reference in p.text)
    confirmation.set_sent()  # a later sync pass: not said again
    assert [p for phrases in announced for p in phrases] == said


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda j: j.id)
def test_every_screen_of_every_journey_speaks_what_it_shows(
    qtbot: QtBot, window: KioskWindow, journey: Journey
) -> None:
    window.online = True
    window.show_home()
    kinds = set(walk(qtbot, window, journey))
    assert {"page", "check answers", "confirmation"} <= kinds


PAGES = [(j, p) for j in JOURNEYS for p in j.pages]


@pytest.mark.parametrize(("journey", "page"), PAGES, ids=[f"{j.id}-{p.id}" for j, p in PAGES])
def test_every_page_of_every_journey(qtbot: QtBot, window: KioskWindow, journey: Journey, page: Page) -> None:
    """Every page, on the example route or not (a page shown only for some answers): fresh, with its
    details open, and with the errors of an empty answer."""
    window.session.start(journey)
    assert window.session.progress is not None
    window.session.progress.page_id = page.id
    window._show_page(page)
    where = f"{journey.id}: page {page.id}"
    screen = check_screen(qtbot, window, where)
    open_details(qtbot, window, where)
    assert isinstance(screen, QuestionScreen)
    for answers, kind in (({}, "empty"), ({q.id: BAD.get(q.type) for q in page.questions}, "wrong")):
        errors = Flow(journey).check_page(page, answers)[1]
        if not errors:
            continue
        window.session.progress.raw.update(answers)  # what was typed shows again with its errors
        window._show_page(page, errors)
        spoken = check_screen(qtbot, window, f"{where} (errors of an answer {kind})").reading()
        assert spoken[0].text == "There is a problem", (where, [p.text for p in spoken])


# Answers each question type refuses, some of them box by box (a date's day, an address's postcode).
BAD: dict[str, Any] = {
    "date": {"day": "31", "month": "2", "year": "2026"},
    "address": {"line1": "1 High Street", "line2": "", "town": "", "postcode": "NOT A CODE"},
    "email": "not an email",
    "postcode": "zzz",
    "number": "lots",
    "money": "abc",
    "phone": "12",
    "time": "25:99",
}


def test_a_second_request_with_answers_filled_in(qtbot: QtBot, window: KioskWindow) -> None:
    by_id = {j.id: j for j in JOURNEYS}
    assert "confirmation" in set(walk(qtbot, window, by_id["missed-bin"]))
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    confirmation.another.emit()  # "Do something else": the name and address are filled in
    assert "prefilled" in set(walk(qtbot, window, by_id["new-bin"]))


@pytest.mark.parametrize("journey_id", ["bulky-waste", "change-of-circumstances"])
def test_a_journey_at_200_percent_text(qtbot: QtBot, window: KioskWindow, journey_id: str) -> None:
    """Larger text stacks the check-answers rows and wraps the words: the order read is still the order shown."""
    window.set_text_scale(2)
    window.set_high_contrast(True)
    set(walk(qtbot, window, next(j for j in JOURNEYS if j.id == journey_id)))


def test_what_the_engine_is_given_in_audio_mode(qtbot: QtBot, window: KioskWindow) -> None:
    """Through the SpeechController and Qt's mock engine: the words handed to the engine on each screen
    of a whole journey (through headphones, so the answers are said) are the screen's words in order."""
    window.speech.start()
    assert window.speech.on and window.speech.engine is not None
    check_screen(qtbot, window, "home")
    journey = next(j for j in JOURNEYS if j.id == "missed-bin")
    assert {"errors", "check answers", "confirmation"} <= set(walk(qtbot, window, journey))


def test_a_journey_right_to_left_in_urdu(qtbot: QtBot, window: KioskWindow) -> None:
    window.set_language("ur")
    window.show_home()
    check_screen(qtbot, window, "home (Urdu)")
    journey = next(j for j in JOURNEYS if j.id == "missed-bin")
    assert "errors" in set(walk(qtbot, window, journey))


@pytest.mark.parametrize("scale", [0, 2], ids=["100%", "200%"])
def test_home(qtbot: QtBot, window: KioskWindow, scale: int) -> None:
    window.set_text_scale(scale)
    check_screen(qtbot, window, "home")
    home = window.current
    assert isinstance(home, HomeScreen) and home.search is not None
    home.search.setText("sofa")
    check_screen(qtbot, window, "home, searching 'sofa'")
    home.search.setText("zzzz")
    check_screen(qtbot, window, "home, no match")
    assert "No services match your search. Try another word." in home.reading_text()
    home.search.clear()
    window.online = False
    home.set_online(False)  # online-only tiles say they need a connection
    check_screen(qtbot, window, "home, offline")


def test_language_screen(qtbot: QtBot, window: KioskWindow) -> None:
    window.show_languages()
    assert isinstance(window.current, LanguageScreen)
    check_screen(qtbot, window, "language")


def test_message_screens(qtbot: QtBot, window: KioskWindow) -> None:
    window.online = False
    window._show(MessageScreen("needs-connection", "Pay a parking fine", "This service needs a connection.", "Back"))
    check_screen(qtbot, window, "needs a connection")
    window.show_problem("Something went wrong. Your answers have not been sent and are not stored.")
    check_screen(qtbot, window, "problem")


def test_staff_sign_in(qtbot: QtBot, window: KioskWindow) -> None:
    window.staff.open_sign_in()
    screen = window.current
    assert isinstance(screen, SignInScreen)
    check_screen(qtbot, window, "staff sign in")
    screen.staff_id.setText("ada")
    screen.pin.setText("123456")
    screen.show_error("That staff id and PIN do not match.")
    spoken = check_screen(qtbot, window, "staff sign in, refused").reading()
    assert not any("123456" in p.text for p in spoken)  # a PIN is never spoken


def test_check_progress(qtbot: QtBot, window: KioskWindow) -> None:
    window.staff.show_check_progress()
    screen = window.current
    assert isinstance(screen, CheckProgressScreen)
    check_screen(qtbot, window, "check progress")
    screen.set_result("Enter your reference, for example DCP-AB2C-D3EF.")
    assert not any(p.private for p in check_screen(qtbot, window, "check progress, asked").reading())
    screen.reference.setText("dcp-ab2c-d3ef")
    screen.set_result("We could not find DCP-AB2C-D3EF. Check the reference and try again.")
    spoken = check_screen(qtbot, window, "check progress, result").reading()
    assert [p.private for p in spoken if "DCP-AB2C-D3EF." in p.text] == [True]
    announced: list[list[Spoken]] = []
    screen.announced.connect(announced.append)
    screen.set_result("DCP-AB2C-D3EF: received by the council on 1 December 2026.")
    assert announced == [[Spoken("DCP-AB2C-D3EF: received by the council on 1 December 2026.", private=True)]]


def test_cards(qtbot: QtBot, window: KioskWindow) -> None:
    journey = next(j for j in JOURNEYS if j.id == "missed-bin")
    window.session.start(journey)
    window._show_page(journey.pages[0])
    shown: list[str] = []
    for card in (window.idle_warning, window.start_again_dialog, window.help.card):
        card.shown.connect(lambda c=card: shown.append(c.objectName()))

    window.idle.warn_now()
    spoken = check_card(qtbot, window.idle_warning, "time-out warning")
    assert spoken[0].text == "Do you need more time?" and spoken[-1].text == "I need more time"
    window.idle.tick()  # the countdown's words change every second: not spoken again
    check_card(qtbot, window.idle_warning, "time-out warning, a second later")
    window.idle.more_time()

    window.start_again_dialog.ask()
    check_card(qtbot, window.start_again_dialog, "start again")
    window.start_again_dialog.ask()  # already showing: not shown again
    window.cards._keep_answers()

    window.help.ask(False)
    check_card(qtbot, window.help.card, "get help")
    window.help.refresh(True)
    check_card(qtbot, window.help.card, "get help, after a sync")
    window.help.close()
    assert shown == ["idle-warning", "start-again-dialog", "help-card"]
