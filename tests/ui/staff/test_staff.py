"""Staff sign-in, lock-out, assisted mode, the console's actions and its accessibility: real Qt
widgets (offscreen) on a real SQLite file, driven with qtbot. No portal here: see
tests/integration/test_assisted.py for the same with the reference portal."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from journeys import FieldError
from tests.ui.test_accessibility import problems
from ui.screens import HomeScreen, QuestionScreen
from ui.staff import CheckProgressScreen, ConsoleScreen, CorrectScreen, ItemScreen, SignInScreen
from ui.theme import TEXT_SCALES
from ui.window import KioskWindow

PIN = "482915"
# As the citizen's pages store them (parsed), with a bin type the portal refuses.
ANSWERS = {
    "bin-type": "purple",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
    "email": None,
}


@pytest.fixture
def staffed(window: KioskWindow) -> KioskWindow:
    window.kiosk.staff.add("amy", "Amy Khan", PIN)
    return window


def sign_in(qtbot: QtBot, window: KioskWindow, staff_id: str = "amy", pin: str = PIN) -> None:
    qtbot.keyClick(
        QApplication.focusWidget() or window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    screen = window.current
    assert isinstance(screen, SignInScreen)
    qtbot.keyClicks(screen.staff_id, staff_id)
    qtbot.keyClick(screen.staff_id, Qt.Key.Key_Return)
    assert screen.pin.hasFocus()
    qtbot.keyClicks(screen.pin, pin)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)


def audit(window: KioskWindow, action: str) -> list[dict]:
    return [e for e in window.kiosk.store.audit.entries() if e["action"] == action]


def click(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    assert window.current is not None
    widget = window.current.findChild(QPushButton, name) or window.findChild(QPushButton, name)
    assert widget is not None and widget.isVisible(), f"no button {name} on {window.current.objectName()}"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def seed_every_state(window: KioskWindow) -> dict[str, str]:
    """One submission in each outbox state; returns state -> submission id."""
    store = window.kiosk.store
    ids = {}
    for state in ("needs_attention", "pending", "sending", "delivered", "discarded"):
        saved = store.outbox.submit("missed-bin", 1, dict(ANSWERS), assisted_by="amy" if state == "pending" else None)
        ids[state] = saved.submission_id
    store.outbox.mark_needs_attention(
        ids["needs_attention"],
        "invalid_answers",
        "Answers do not match the journey: Which bin was not collected: the answer is not one of the options",
    )
    store.outbox.mark_retry(ids["pending"], "http_503", "the portal answered HTTP 503", 0.0)
    store.conn.execute("UPDATE outbox SET state='sending' WHERE submission_id=?", (ids["sending"],))
    store.outbox.mark_delivered(ids["delivered"], "DCP-SENT-0001")
    store.outbox.discard(ids["discarded"], staff_id="amy", reason="duplicate")
    return ids


def test_sign_in_shows_the_console_and_the_assisted_banner(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    sign_in(qtbot, window)
    assert isinstance(window.current, ConsoleScreen)
    assert window.staff.bar.isVisible() and window.staff.assisted.text() == "Assisted by Amy Khan"
    assert [e["staff_id"] for e in audit(window, "staff_sign_in")] == ["amy"]
    click(qtbot, window, "back-to-citizen")
    assert isinstance(window.current, HomeScreen) and window.staff.signed_in


def test_a_wrong_pin_says_so_and_five_lock_the_id(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    for i in range(5):
        sign_in(qtbot, window, pin="000001")
        screen = window.current
        assert isinstance(screen, SignInScreen) and screen.error.isVisible()
        assert screen.pin.text() == "" and screen.pin.hasFocus()
        expected = "locked for 5 minutes" if i == 4 else "The staff id or PIN is not right."
        assert expected in screen.error.text()
        click(qtbot, window, "sign-in-cancel")
    sign_in(qtbot, window)  # the right PIN, but the id is locked
    assert isinstance(window.current, SignInScreen) and "locked" in window.current.error.text()
    assert not window.staff.signed_in and len(audit(window, "staff_locked_out")) == 1


def test_signing_out_wipes_the_citizens_session(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    window.open_journey("missed-bin", 1)
    click(qtbot, window, "start-now")
    assert isinstance(window.current, QuestionScreen)
    sign_in(qtbot, window)
    click(qtbot, window, "back-to-citizen")
    assert isinstance(window.current, QuestionScreen)  # back where the citizen was
    window.set_high_contrast(True)
    click(qtbot, window, "staff-sign-out")
    assert isinstance(window.current, HomeScreen) and window.session.progress is None
    assert not window.staff.signed_in and not window.staff.bar.isVisible() and not window.high_contrast
    assert [e["detail"] for e in audit(window, "staff_sign_out")] == ["signed out"]


def test_the_idle_time_out_signs_staff_out_too(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    sign_in(qtbot, window)
    click(qtbot, window, "back-to-citizen")
    assert window.idle.waiting  # a signed-in kiosk is never left to wait forever
    window.idle.warn_now(seconds=1)
    window.idle.tick()
    assert not window.staff.signed_in and isinstance(window.current, HomeScreen)
    assert [e["detail"] for e in audit(window, "staff_sign_out")] == ["session ended"]


def test_the_console_lists_every_state_with_ages(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    console = window.current
    assert isinstance(console, ConsoleScreen)
    text = console.reading_text()
    for heading in ("Need attention (1)", "Waiting to send (1)", "Being sent (1)", "Sent (1)", "Discarded (1)"):
        assert heading in text
    assert set(console.item_buttons) == set(ids.values())
    assert "the portal refused an answer" in text and "seconds old" in text and "assisted by amy" in text
    assert "not enrolled" in text  # the alerts the console works out
    assert "Ada" not in text  # no answers on the list


def test_the_answers_show_on_the_staff_screen_only_and_never_in_logs(
    qtbot: QtBot, staffed: KioskWindow, caplog: pytest.LogCaptureFixture
) -> None:
    window = staffed
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    caplog.set_level(logging.DEBUG)
    qtbot.mouseClick(window.current.item_buttons[ids["needs_attention"]], Qt.MouseButton.LeftButton)
    screen = window.current
    assert isinstance(screen, ItemScreen)
    shown = [w.text() for w in screen.findChildren(QLabel)]
    assert "Ada Lovelace" in shown and "Which bin was not collected?" in shown
    assert "the answer is not one of the options" in screen.findChild(QLabel, "portal-message").text()
    assert "Ada" not in caplog.text and "purple" not in caplog.text
    assert audit(window, "staff_viewed_answers")[0]["subject"] == ids["needs_attention"]


def test_retry_from_the_console(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    grew = []
    window.outbox_grew.connect(lambda: grew.append(1))
    window.staff.show_item(ids["needs_attention"])
    click(qtbot, window, "retry")
    assert isinstance(window.current, ConsoleScreen) and "will be sent again now" in window.current.notice.text()
    assert window.kiosk.store.outbox.item(ids["needs_attention"]).state == "pending" and grew
    assert audit(window, "staff_retry")[0]["staff_id"] == "amy"


def test_discard_needs_a_reason_and_is_audited(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    window.staff.show_item(ids["pending"])
    click(qtbot, window, "discard")
    screen = window.current
    assert isinstance(screen, ItemScreen) and "A reason is needed" in screen.error.text()
    assert window.kiosk.store.outbox.item(ids["pending"]).state == "pending"
    qtbot.keyClicks(screen.findChild(QLineEdit, "discard-reason"), "citizen asked to cancel")
    click(qtbot, window, "discard")
    assert isinstance(window.current, ConsoleScreen)
    assert window.kiosk.store.outbox.item(ids["pending"]).state == "discarded"
    assert window.kiosk.store.outbox.answers(ids["pending"]) is None
    entry = audit(window, "discard")[-1]
    assert (entry["staff_id"], entry["detail"], entry["subject"]) == ("amy", "citizen asked to cancel", ids["pending"])


def test_correct_and_resubmit_from_the_console(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    ids = seed_every_state(window)
    sign_in(qtbot, window)
    window.staff.show_item(ids["needs_attention"])
    click(qtbot, window, "correct")
    screen = window.current
    assert isinstance(screen, CorrectScreen)
    # The citizen's own radios: "purple" is no option, so none is ticked, and focus is on the first.
    first = screen.findChild(QRadioButton, "bin-type-general")
    assert first.hasFocus() and not any(b.isChecked() for b in screen.findChildren(QRadioButton))
    # A badly formed date is refused with the words the citizen's page uses, and nothing is stored.
    screen.findChild(QLineEdit, "collection-date-day").setText("31")
    screen.findChild(QLineEdit, "collection-date-month").setText("2")
    qtbot.keyClick(first, Qt.Key.Key_Down)  # arrow keys move through the radios, as on the citizen's page
    click(qtbot, window, "resubmit")
    screen = window.current
    assert isinstance(screen, CorrectScreen) and "must be a real date" in screen.reading_text()
    assert window.kiosk.store.outbox.answers(ids["needs_attention"]) == ANSWERS
    screen.findChild(QLineEdit, "collection-date-day").setText("3")
    screen.findChild(QLineEdit, "collection-date-month").setText("11")
    screen.findChild(QRadioButton, "bin-type-recycling").setChecked(True)
    click(qtbot, window, "resubmit")
    assert isinstance(window.current, ConsoleScreen) and "corrected" in window.current.notice.text()
    assert window.kiosk.store.outbox.answers(ids["needs_attention"]) == dict(ANSWERS, **{"bin-type": "recycling"})
    assert window.kiosk.store.outbox.item(ids["needs_attention"]).state == "pending"
    entries = audit(window, "staff_correct")
    assert len(entries) == 1 and entries[0]["detail"] == "changed: bin-type"  # the date, put back, is unchanged


def test_check_progress_offline_and_for_a_request_still_on_the_kiosk(qtbot: QtBot, window: KioskWindow) -> None:
    saved = window.kiosk.store.outbox.submit("missed-bin", 1, dict(ANSWERS))
    reference = window.kiosk.store.outbox.item(saved.submission_id).reference
    click(qtbot, window, "check-progress")
    screen = window.current
    assert isinstance(screen, CheckProgressScreen) and screen.reference.hasFocus()
    qtbot.keyClicks(screen.reference, "DCP-ABCD-EFGH")
    qtbot.keyClick(screen.reference, Qt.Key.Key_Return)
    assert screen.result.text().startswith("We cannot check this right now")
    screen.reference.setText(reference.lower().replace("-", " - "))
    click(qtbot, window, "check")
    assert "is saved on this kiosk and will be sent" in screen.result.text()
    click(qtbot, window, "back")
    assert isinstance(window.current, HomeScreen)


def test_sync_now_on_a_kiosk_that_is_not_enrolled_says_so(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    sign_in(qtbot, window)
    click(qtbot, window, "sync-now")
    assert "not enrolled" in window.current.progress_text.text()


def test_staff_can_close_a_locked_kiosk(qtbot: QtBot, kiosk) -> None:
    kiosk.staff.add("amy", "Amy Khan", PIN)
    window = KioskWindow(kiosk, locked=True)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.close() is False
    sign_in(qtbot, window)
    click(qtbot, window, "close-kiosk")
    assert not window.isVisible() and audit(window, "staff_closed_kiosk")


STAFF_VIEWS = {
    "sign-in": lambda w, ids: (
        w.staff._end("x"),
        w.staff.open_sign_in(),
        w.current.show_error("The staff id or PIN is not right."),
    ),
    "console": lambda w, ids: w.staff.show_console("Alert marked as dealt with."),
    "item": lambda w, ids: w.staff.show_item(ids["needs_attention"]),
    "item-pending": lambda w, ids: w.staff.show_item(ids["pending"]),
    "correct": lambda w, ids: w.staff.show_correct(
        ids["needs_attention"], [FieldError("bin-type", "Select which bin was not collected")]
    ),
    "check-progress": lambda w, ids: (
        w.staff.show_check_progress(),
        w.current.set_result("We cannot check this right now. Please try again later, or ask a member of staff."),
    ),
}


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
@pytest.mark.parametrize("scale", range(len(TEXT_SCALES)), ids=lambda i: f"{round(TEXT_SCALES[i] * 100)}%")
def test_staff_screens_are_named_large_and_unclipped(
    qtbot: QtBot, staffed: KioskWindow, scale: int, theme: str
) -> None:
    window = staffed
    ids = seed_every_state(window)
    window.kiosk.store.alerts.raise_alert("database_moved_aside", "The kiosk's database was damaged and moved aside.")
    sign_in(qtbot, window)
    window.set_high_contrast(theme == "high-contrast")
    window.set_text_scale(scale)
    found = {}
    for view, show in STAFF_VIEWS.items():
        if view != "sign-in" and not window.staff.signed_in:
            sign_in(qtbot, window)
        show(window, ids)
        QApplication.processEvents()
        qtbot.wait(1)
        found[view] = problems(window)
    assert found == {view: [] for view in STAFF_VIEWS}
