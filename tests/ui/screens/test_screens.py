"""The screens with real widgets (offscreen): errors, Back, Change, and Start again wipes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from journeys.models import parse_journey
from tests.helpers import make_kiosk
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
    for name, text in (("collection-date-day", "2"), ("collection-date-month", "11"), ("collection-date-year", "2026")):
        window.current.findChild(QLineEdit, name).setText(text)
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
    from tests.helpers import seed_catalogue

    kiosk = make_kiosk(tmp_path)
    seed_catalogue(kiosk)
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
    for name, text in (("collection-date-day", "²"), ("collection-date-month", "11"), ("collection-date-year", "2026")):
        window.current.findChild(QLineEdit, name).setText(text)
    press(qtbot, window, "continue")
    screen = window.current
    assert isinstance(screen, QuestionScreen) and screen.objectName() == "page-when"  # still here, answers kept
    assert screen.error_summary is not None and "There is a problem" in screen.reading_text()
    assert window.current.findChild(QLineEdit, "collection-date-month").text() == "11"
    # Arabic-Indic digits are what a citizen means by 2: read as 2, the page moves on
    window.current.findChild(QLineEdit, "collection-date-day").setText("٢")
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
