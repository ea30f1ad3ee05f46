"""The confirmation says "Sent" only when the sync status names this submission's id as delivered:
not because some delivered case has the same reference (a portal numbers cases its own way)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.sync_runner import SyncStatus
from tests.ui.test_accessibility import check_answers
from ui.screens import ConfirmationScreen
from ui.window import KioskWindow


def Status(delivered_ids: tuple[str, ...], delivered_references: tuple[str, ...]) -> SyncStatus:
    """A SyncStatus as the sync thread sends it after a pass, with the portal's own case numbers."""
    return SyncStatus(
        online=True,
        waiting=0,
        needs_attention=0,
        auth_failed=False,
        catalogue_changed=False,
        delivered_ids=delivered_ids,
        delivered_references=delivered_references,
    )


def submitted(window: KioskWindow) -> ConfirmationScreen:
    check_answers(window)  # missed-bin with its example answers, on check answers
    window.submit()
    assert isinstance(window.current, ConfirmationScreen) and window.receipt is not None
    return window.current


def test_sent_when_the_submission_id_is_delivered_under_another_reference(qtbot: QtBot, window: KioskWindow) -> None:
    screen = submitted(window)
    assert window.receipt is not None
    window.on_sync_status(Status(delivered_ids=(window.receipt.submission_id,), delivered_references=("CASE-000123",)))
    assert screen.sent and "Sent to the" in screen.banner.text()


def test_not_sent_when_only_a_reference_like_ours_was_delivered(qtbot: QtBot, window: KioskWindow) -> None:
    screen = submitted(window)
    assert window.receipt is not None
    other = "0190aaaa-0000-7000-8000-000000000000"
    window.on_sync_status(Status(delivered_ids=(other,), delivered_references=(window.receipt.reference,)))
    assert not screen.sent and "being sent" in screen.banner.text()
