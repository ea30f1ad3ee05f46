"""Assisted digital against the reference portal over loopback HTTP: the real sync thread, real
Qt screens driven with qtbot, a real SQLite file, and `dcp-kiosk portal export` as the proof."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from app.cli import main
from app.kiosk import Kiosk
from tests.conftest import Portal
from tests.helpers import enrolled_kiosk
from tests.integration.test_whole_path import complete_missed_bin
from tests.ui.windows import open_window
from ui.app import start_sync
from ui.screens import ConfirmationScreen
from ui.staff import CheckProgressScreen, ConsoleScreen, CorrectScreen, SignInScreen
from ui.window import KioskWindow

pytestmark = pytest.mark.integration
PIN = "482915"
GOOD = {
    "bin-type": "recycling",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
}


def exported(capsys: pytest.CaptureFixture[str], portal) -> list[dict]:
    capsys.readouterr()
    assert main(["portal", "export", "--db", str(portal.db)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def click(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    assert window.current is not None
    widget = window.current.findChild(QPushButton, name) or window.findChild(QPushButton, name)
    assert widget is not None, f"no button {name} on {window.current.objectName()}"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def sign_in(qtbot: QtBot, window: KioskWindow) -> None:
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    screen = window.current
    assert isinstance(screen, SignInScreen)
    qtbot.keyClicks(screen.staff_id, "amy")
    qtbot.keyClicks(screen.pin, PIN)
    click(qtbot, window, "sign-in")
    assert isinstance(window.current, ConsoleScreen)


@contextmanager
def staffed_window(qtbot: QtBot, tmp_path: Path, portal: Portal) -> Iterator[tuple[Kiosk, KioskWindow]]:
    """An enrolled kiosk with staff member amy, its catalogue fetched, in a shown window with its sync thread."""
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    kiosk.staff.add("amy", "Amy Khan", PIN)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    window = open_window(qtbot, kiosk)
    sync = start_sync(kiosk, window, interval_ms=60_000)
    qtbot.waitUntil(lambda: window.online, timeout=10_000)
    try:
        yield kiosk, window
    finally:
        window.staff.wait_for_checks()
        sync.stop()
        kiosk.close()


@pytest.fixture
def kiosk_window(qtbot: QtBot, tmp_path: Path, portal: Portal) -> Iterator[tuple[Kiosk, KioskWindow]]:
    with staffed_window(qtbot, tmp_path, portal) as pair:
        yield pair


def test_an_assisted_submission_carries_the_staff_id_to_the_portal(
    qtbot: QtBot, kiosk_window, portal, capsys: pytest.CaptureFixture[str]
) -> None:
    _kiosk, window = kiosk_window
    sign_in(qtbot, window)
    click(qtbot, window, "back-to-citizen")
    reference = complete_missed_bin(qtbot, window)
    confirmation = window.current
    assert isinstance(confirmation, ConfirmationScreen)
    qtbot.waitUntil(lambda: confirmation.sent, timeout=15_000)
    cases = exported(capsys, portal)
    assert [(c["reference"], c["assisted_by"]) for c in cases] == [(reference, "amy")]
    click(qtbot, window, "staff-sign-out")
    assert not window.staff.signed_in and window.session.progress is None
    # the next citizen, unassisted, sends nothing in amy's name
    window.staff.show_check_progress()
    assert isinstance(window.current, CheckProgressScreen)
    window.current.reference.setText(reference)
    click(qtbot, window, "check")
    screen = window.current
    qtbot.waitUntil(lambda: "received by the training portal" in screen.result.text(), timeout=10_000)
    screen.reference.setText("DCP-ZZZZ-ZZZZ")
    click(qtbot, window, "check")
    qtbot.waitUntil(lambda: "We could not find DCP-ZZZZ-ZZZZ" in screen.result.text(), timeout=10_000)


def test_correct_and_resubmit_a_refused_submission_then_sync_now(
    qtbot: QtBot, kiosk_window, portal, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk, window = kiosk_window
    bad = kiosk.store.outbox.submit("missed-bin", 1, dict(GOOD, **{"bin-type": "purple"}))
    window.outbox_grew.emit()
    qtbot.waitUntil(lambda: kiosk.store.outbox.item(bad.submission_id).state == "needs_attention", timeout=15_000)
    sign_in(qtbot, window)
    console = window.current
    assert isinstance(console, ConsoleScreen) and "Need attention (1)" in console.reading_text()
    qtbot.mouseClick(console.item_buttons[bad.submission_id], Qt.MouseButton.LeftButton)
    click(qtbot, window, "correct")
    screen = window.current
    assert isinstance(screen, CorrectScreen)
    assert "(refused by the portal)" in screen.reading_text()
    # The refused answer, "purple", is no option: focus is on its radios, none ticked.
    assert screen.findChild(QRadioButton, "bin-type-general").hasFocus()
    screen.findChild(QRadioButton, "bin-type-garden").setChecked(True)
    click(qtbot, window, "resubmit")
    assert isinstance(window.current, ConsoleScreen)
    click(qtbot, window, "sync-now")
    qtbot.waitUntil(lambda: kiosk.store.outbox.item(bad.submission_id).state == "delivered", timeout=15_000)
    qtbot.waitUntil(
        lambda: isinstance(window.current, ConsoleScreen) and "Finished" in window.current.progress_text.text(),
        timeout=15_000,
    )
    assert window.current.progress.value() == window.current.progress.maximum()
    reference = kiosk.store.outbox.item(bad.submission_id).reference
    assert [c["reference"] for c in exported(capsys, portal)] == [reference]
    actions = [e["action"] for e in kiosk.store.audit.entries()]
    assert actions.index("needs_attention") < actions.index("staff_correct") < actions.index("delivered")
