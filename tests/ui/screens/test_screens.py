"""The screens with real widgets (offscreen): errors, Back, Change, and Start again wipes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from journeys.models import parse_journey
from tests.helpers import make_kiosk, recent_weekday
from ui.screens import CheckAnswersScreen, HomeScreen, QuestionScreen
from ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[3]


def kiosk_with_catalogue(tmp_path: Path):
    """A kiosk whose cache holds the training missed-bin journey, as a sync would leave it."""
    import json

    kiosk = make_kiosk(tmp_path)
    definition = json.loads((ROOT / "journeys/training/missed-bin.json").read_text())
    journey = parse_journey(definition)
    kiosk.store.cache.put_journey(journey.id, journey.version, definition)
    kiosk.store.cache.put_catalogue(
        {
            "schema_version": 1,
            "journeys": [
                {
                    "id": journey.id,
                    "version": journey.version,
                    "title": {"en": journey.title.en},
                    "summary": {"en": journey.summary.en},
                    "category": journey.category,
                }
            ],
        },
        '"v1"',
    )
    return kiosk


def window_for(qtbot: QtBot, tmp_path: Path) -> KioskWindow:
    window = KioskWindow(kiosk_with_catalogue(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def press(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    assert window.current is not None
    button = window.current.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_home_lists_the_cached_catalogue(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path)
    assert isinstance(window.current, HomeScreen)
    assert [t.accessibleName() for t in window.current.tiles] == ["Report a missed bin collection"]
    assert QApplication.focusWidget() is window.current.tiles[0]


def test_empty_catalogue_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    window = KioskWindow(make_kiosk(tmp_path))
    qtbot.addWidget(window)
    assert isinstance(window.current, HomeScreen)
    assert "Please ask a member of staff" in window.current.reading_text()


def test_an_unanswered_question_moves_focus_to_the_error_summary(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path)
    press(qtbot, window, "tile-missed-bin")
    press(qtbot, window, "start-now")
    press(qtbot, window, "continue")
    screen = window.current
    assert isinstance(screen, QuestionScreen) and screen.error_summary is not None
    assert QApplication.focusWidget() is screen.error_summary
    assert "Select which bin was not collected" in screen.reading_text()
    # the error link takes the citizen to the field
    link = screen.findChild(QPushButton, "error-link-bin-type")
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert isinstance(QApplication.focusWidget(), QRadioButton)


def test_keyboard_alone_enter_continues_and_back_keeps_answers(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the first tile has focus
    assert window.current is not None and window.current.objectName() == "start"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Start now has focus
    assert window.current is not None and window.current.objectName() == "page-which-bin"
    radio = QApplication.focusWidget()
    assert isinstance(radio, QRadioButton)
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    assert radio.isChecked()
    window.current.findChild(QPushButton, "continue").setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current.objectName() == "page-when"
    press(qtbot, window, "back")
    assert window.current.objectName() == "page-which-bin"
    assert window.current.findChild(QRadioButton, radio.objectName()).isChecked()


def test_change_returns_to_check_answers_and_start_again_wipes(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path)
    press(qtbot, window, "tile-missed-bin")
    press(qtbot, window, "start-now")
    window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
    press(qtbot, window, "continue")
    day = recent_weekday()
    for name, text in (
        ("collection-date-day", day.day),
        ("collection-date-month", day.month),
        ("collection-date-year", day.year),
    ):
        window.current.findChild(QLineEdit, name).setText(str(text))
    press(qtbot, window, "continue")
    window.current.findChild(QLineEdit, "postcode").setText("SW1A 1AA")
    press(qtbot, window, "continue")
    window.current.findChild(QLineEdit, "address-line").setText("1 High Street")
    press(qtbot, window, "continue")
    window.current.findChild(QLineEdit, "full-name").setText("Grace Hopper")
    press(qtbot, window, "continue")
    press(qtbot, window, "continue")
    assert isinstance(window.current, CheckAnswersScreen)
    press(qtbot, window, "change-postcode")
    edit = window.current.findChild(QLineEdit, "postcode")
    assert edit.text() == "SW1A 1AA"
    edit.setText("ls1 4ap")
    press(qtbot, window, "continue")
    assert isinstance(window.current, CheckAnswersScreen)  # straight back, not through the rest
    assert "LS1 4AP" in window.current.reading_text()

    QGuiApplication.clipboard().setText("Grace Hopper")
    old = window.current
    qtbot.mouseClick(window.findChild(QPushButton, "start-again-top"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.findChild(QPushButton, "confirm-clear"), Qt.MouseButton.LeftButton)
    assert isinstance(window.current, HomeScreen)
    assert window.session.progress is None
    assert QGuiApplication.clipboard().text() == ""
    qtbot.waitUntil(lambda: not _alive(old))


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def test_online_only_services_say_when_they_cannot_be_used(qtbot: QtBot, tmp_path: Path) -> None:
    from app.sync_runner import SyncStatus
    from tests.helpers import seed_catalogue, training_journeys

    kiosk = make_kiosk(tmp_path)
    # a payment that cannot be left due (no training journey is one now: the parking fine can be paid later)
    journeys = [
        j.model_copy(update={"requires_online": True}) if j.id == "pay-parking-fine" else j for j in training_journeys()
    ]
    seed_catalogue(kiosk, journeys)
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    home = window.current
    assert isinstance(home, HomeScreen)
    tile = home.findChild(QPushButton, "tile-pay-parking-fine")
    assert "Needs a connection" in tile.accessibleDescription()  # not known to be online yet
    window.on_sync_status(
        SyncStatus(online=True, waiting=0, needs_attention=0, auth_failed=False, catalogue_changed=False)
    )
    assert window.current is home  # updated in place, not rebuilt under the citizen's finger
    assert "Needs a connection" not in tile.accessibleDescription()
    window.on_sync_status(
        SyncStatus(online=False, waiting=0, needs_attention=0, auth_failed=False, catalogue_changed=False)
    )
    assert "Needs a connection" in tile.accessibleDescription()
    kiosk.close()


def test_a_superscript_or_hidden_character_in_a_box_is_an_error_on_the_page_not_a_crash(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = window_for(qtbot, tmp_path)
    press(qtbot, window, "tile-missed-bin")
    press(qtbot, window, "start-now")
    window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
    press(qtbot, window, "continue")
    day = recent_weekday()
    for name, text in (
        ("collection-date-day", "²"),
        ("collection-date-month", day.month),
        ("collection-date-year", day.year),
    ):
        window.current.findChild(QLineEdit, name).setText(str(text))
    press(qtbot, window, "continue")
    screen = window.current
    assert isinstance(screen, QuestionScreen) and screen.objectName() == "page-when"  # still here, answers kept
    assert screen.error_summary is not None and "There is a problem" in screen.reading_text()
    assert window.current.findChild(QLineEdit, "collection-date-month").text() == str(day.month)
    # Arabic-Indic digits are what a citizen means: read as ASCII digits, the page moves on
    arabic = str(day.day).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    window.current.findChild(QLineEdit, "collection-date-day").setText(arabic)
    press(qtbot, window, "continue")
    assert window.current.objectName() == "page-postcode"
    # a text-direction override in a name is refused with words, not accepted or crashed on
    window.current.findChild(QLineEdit, "postcode").setText("SW1A 1AA")
    press(qtbot, window, "continue")
    window.current.findChild(QLineEdit, "address-line").setText("1 High Street")
    press(qtbot, window, "continue")
    window.current.findChild(QLineEdit, "full-name").setText("Grace\u202eHopper")
    press(qtbot, window, "continue")
    screen = window.current
    assert isinstance(screen, QuestionScreen) and screen.error_summary is not None
    assert "characters you can see" in screen.reading_text()


# -- check answers: Change and Back, focus, amounts, the summary-list layout -------------------------------------


def missed_bin_to_check_answers(qtbot: QtBot, window: KioskWindow) -> None:
    press(qtbot, window, "tile-missed-bin")
    press(qtbot, window, "start-now")
    window.current.findChild(QRadioButton, "bin-type-general").setChecked(True)
    press(qtbot, window, "continue")
    day = recent_weekday()
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        window.current.findChild(QLineEdit, f"collection-date-{part}").setText(str(value))
    for name, text in (("", ""), ("postcode", "LS1 4AP"), ("address-line", "1 High Street"), ("full-name", "Ada")):
        if name:
            window.current.findChild(QLineEdit, name).setText(text)
        press(qtbot, window, "continue")
    press(qtbot, window, "continue")  # email is optional
    assert isinstance(window.current, CheckAnswersScreen)


def test_back_after_a_change_walks_the_journeys_own_route(qtbot: QtBot, window: KioskWindow) -> None:
    missed_bin_to_check_answers(qtbot, window)
    press(qtbot, window, "change-full-name")
    window.current.findChild(QLineEdit, "full-name").setText("Ada King")
    press(qtbot, window, "continue")
    assert isinstance(window.current, CheckAnswersScreen)
    walked = []
    for _ in range(3):
        press(qtbot, window, "back")
        walked.append(window.current.objectName())
    assert walked == ["page-contact", "page-name", "page-address"]


def test_after_a_change_focus_returns_to_the_row_that_was_changed(qtbot: QtBot, window: KioskWindow) -> None:
    missed_bin_to_check_answers(qtbot, window)
    press(qtbot, window, "change-postcode")
    press(qtbot, window, "back")  # Back on the changed page: check answers, focus on its row
    assert isinstance(window.current, CheckAnswersScreen)
    assert QApplication.focusWidget().objectName() == "change-postcode"
    press(qtbot, window, "change-address-line")
    press(qtbot, window, "continue")
    assert isinstance(window.current, CheckAnswersScreen)
    assert QApplication.focusWidget().objectName() == "change-address-line"


def _check_answers_of(window: KioskWindow, journey_id: str, raw: dict) -> CheckAnswersScreen:
    entry = next(e for e in window.kiosk.catalogue() if e.id == journey_id)
    journey = window.kiosk.journey(entry.id, entry.version)
    page = window.session.start(journey)
    while page is not None:
        result = window.session.answer_page({q.id: raw.get(q.id, "") for q in page.questions})
        assert not isinstance(result, list), result
        page = result
    window.show_check_answers()
    assert isinstance(window.current, CheckAnswersScreen)
    return window.current


GARDEN_WASTE = {
    "address": {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"},
    "bin-count": "2",
    "need-new-bins": "no",
    "start-month": "april",
    "council-tax-reduction": "no",
    "full-name": "Ada Lovelace",
    "email": "ada@example.com",
}


def test_check_answers_shows_what_the_journey_costs_without_saying_it_was_paid(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen = _check_answers_of(window, "garden-waste-permit", GARDEN_WASTE)
    text = screen.reading_text()
    assert "£85" in text  # £45 for the first bin and £40 for the second
    assert "Cost for a year: £85. We email the bill. Nothing is paid at this kiosk." in text


def _label(screen: CheckAnswersScreen, text: str) -> QLabel:
    found = [w for w in screen.findChildren(QLabel) if w.text() == text and w.isVisible()]
    assert len(found) == 1, text
    return found[0]


def _geometry(screen: CheckAnswersScreen, text: str) -> QRect:
    w = _label(screen, text)
    return QRect(w.mapTo(screen, QPoint(0, 0)), w.size())


def test_check_answers_rows_are_side_by_side_at_100_percent_and_stacked_at_200(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen = _check_answers_of(window, "garden-waste-permit", GARDEN_WASTE)
    qtbot.wait(10)
    question, answer = _geometry(screen, "What is your full name?"), _geometry(screen, "Ada Lovelace")
    assert abs(question.top() - answer.top()) < 8, (question, answer)  # one row: the answer beside its question
    assert answer.left() >= question.right()
    assert question.width() < screen.width() * 0.45
    change = screen.findChild(QPushButton, "change-full-name").geometry()
    assert change.height() <= 2 * question.height() + 40  # a row is a line, not ~180 px per answer
    window.set_text_scale(2)
    qtbot.waitUntil(
        lambda: _geometry(screen, "Ada Lovelace").top() >= _geometry(screen, "What is your full name?").bottom()
    )
    question, answer = _geometry(screen, "What is your full name?"), _geometry(screen, "Ada Lovelace")
    assert answer.left() <= question.left() + 4  # stacked: the answer under its question


# -- the home screen's search ----------------------------------------------------------------------------------


def _search(qtbot: QtBot, window: KioskWindow, typed: str) -> list[str]:
    home = window.current
    assert isinstance(home, HomeScreen) and home.search is not None
    home.search.clear()
    qtbot.keyClicks(home.search, typed)
    return [t.objectName() for t in home.visible_tiles()]


def test_search_finds_services_by_their_keywords_and_word_starts(qtbot: QtBot, window: KioskWindow) -> None:
    assert _search(qtbot, window, "sofa") == ["tile-bulky-waste"]
    assert _search(qtbot, window, "SOFA!") == ["tile-bulky-waste"]  # case and punctuation do not matter
    assert _search(qtbot, window, "fridg") == ["tile-bulky-waste"]  # the start of a word
    assert "tile-pothole" in _search(qtbot, window, "pot-hole")
    assert "tile-missed-bin" in _search(qtbot, window, "bins")
    assert _search(qtbot, window, "xyzzy") == []
    assert window.current.findChild(QLabel, "no-match").isVisible()


def test_check_progress_says_where_a_citizen_really_finds_their_reference(window: KioskWindow) -> None:
    tile = window.current.findChild(QPushButton, "check-progress")
    summary = tile.accessibleDescription()
    assert "receipt" not in summary  # the kiosk gives no receipt
    assert "screen" in summary and "email" in summary
