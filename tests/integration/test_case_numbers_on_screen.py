"""A council portal that numbers its own cases (CASE-000001), through the real screens: the
citizen's confirmation says "Sent" once the sync thread delivers their submission, and the staff
console shows the council's case number beside the kiosk's reference.

The confirmation matches the delivery by submission id: the portal's reference is not the kiosk's."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.conftest import Portal
from tests.integration.test_assisted import click, sign_in, staffed_window
from tests.integration.test_whole_path import complete_missed_bin
from ui.screens import ConfirmationScreen
from ui.staff import CheckProgressScreen, ConsoleScreen, ItemScreen

pytestmark = pytest.mark.integration


def test_sent_and_the_council_case_number_with_a_portal_that_numbers_its_cases(
    qtbot: QtBot, tmp_path: Path, case_portal: Portal
) -> None:
    with staffed_window(qtbot, tmp_path, case_portal) as (kiosk, window):
        reference = complete_missed_bin(qtbot, window)
        confirmation = window.current
        assert isinstance(confirmation, ConfirmationScreen) and reference.startswith("TRN-")
        qtbot.waitUntil(lambda: confirmation.sent, timeout=15_000)
        assert "Sent to the training portal" in confirmation.banner.text()
        [item] = kiosk.store.outbox.items("delivered")
        assert item.reference == reference and item.server_reference == "CASE-000001"

        sign_in(qtbot, window)
        console = window.current
        assert isinstance(console, ConsoleScreen)
        assert f"{reference}. Report a missed bin collection" in console.reading_text()
        assert "council case CASE-000001" in console.reading_text()
        window.staff.show_item(item.submission_id)
        screen = window.current
        assert isinstance(screen, ItemScreen)
        assert "Council case number: CASE-000001" in [w.text() for w in screen.findChildren(QLabel)]
        # Check progress with the citizen's reference: the portal is asked for its own case number.
        window.staff.show_check_progress()
        check = window.current
        assert isinstance(check, CheckProgressScreen)
        check.reference.setText(reference)
        click(qtbot, window, "check")
        qtbot.waitUntil(
            lambda: (
                f"{reference} (Report a missed bin collection): received by the training portal" in check.result.text()
            ),
            timeout=10_000,
        )
    assert [c["reference"] for c in case_portal.export()] == ["CASE-000001"]
