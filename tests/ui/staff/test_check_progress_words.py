"""Check progress in words: an Open311 report is received, then open or closed (GeoReport v2's two states)."""

from __future__ import annotations

from app.kiosk import CaseStatus
from ui.staff.check_progress import case_text


def test_an_open_report_says_it_was_received_and_is_still_open() -> None:
    said = case_text(
        CaseStatus("found", "DCP-AB2C-D3EF", "open", "2026-12-02T09:15:00.000+00:00"), service="Report graffiti"
    )
    assert said == ("DCP-AB2C-D3EF (Report graffiti): received by the council on 2 December 2026. It is still open.")


def test_a_closed_report_says_so() -> None:
    said = case_text(CaseStatus("found", "DCP-AB2C-D3EF", "closed", None))
    assert said == "DCP-AB2C-D3EF: received by the council. It has been closed."


def test_the_portals_received_is_unchanged() -> None:
    said = case_text(CaseStatus("found", "DCP-AB2C-D3EF", "received", None), training=True)
    assert said == "DCP-AB2C-D3EF: received by the training portal."
