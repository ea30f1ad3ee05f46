"""Screenshots of the staff screens: docs/screenshots/staff-*.png, taken under Xvfb by
`make screenshots`. A throwaway training kiosk and reference portal on loopback; the outbox holds
a submission in every state: sent, refused by the portal, waiting (after a 503), being sent (set
directly, as a row is only in that state for the moment of a request) and discarded.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.cli import sync_once
from app.kiosk import Kiosk
from tools.screenshots import Shooter, training_kiosk, wait_for
from ui.staff import CheckProgressScreen, ConsoleScreen, CorrectScreen, SignInScreen

PIN = "482915"
GOOD = {
    "bin-type": "recycling",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
}


def seed(kiosk: Kiosk) -> dict[str, str]:
    store = kiosk.store
    delivered = store.outbox.submit("missed-bin", 1, dict(GOOD), assisted_by="amy", now=time.time() - 3600)
    refused = store.outbox.submit("missed-bin", 1, dict(GOOD, **{"bin-type": "purple"}), now=time.time() - 1800)
    sync_once(kiosk)  # one delivered, one refused by the portal (needs attention)
    waiting = store.outbox.submit("missed-bin", 1, dict(GOOD, **{"full-name": "Grace Hopper"}), now=time.time() - 600)
    store.outbox.mark_retry(waiting.submission_id, "http_503", "the portal answered HTTP 503", time.time() + 3600)
    sending = store.outbox.submit("missed-bin", 1, dict(GOOD), now=time.time() - 5)
    store.outbox.mark_retry(sending.submission_id, "timeout", "no answer from the portal in time", time.time() + 3600)
    gone = store.outbox.submit("missed-bin", 1, dict(GOOD), now=time.time() - 7200)
    store.outbox.discard(gone.submission_id, staff_id="amy", reason="citizen sent it twice")
    store.alerts.raise_alert(
        "database_moved_aside", "Example alert: the kiosk's database was damaged and has been moved aside."
    )
    return {
        "delivered": delivered.submission_id,
        "needs_attention": refused.submission_id,
        "pending": waiting.submission_id,
        "sending": sending.submission_id,
    }


def shoot_body(shooter: Shooter, name: str) -> None:
    """The whole scrolling page, not just what fits on the screen."""
    shooter.settle()
    assert shooter.window.current is not None
    body = shooter.window.current.findChild(QWidget, "body")
    assert body is not None
    path = shooter.out / f"{name}.png"
    body.grab().save(str(path))
    print(path)


def shoot(shooter: Shooter, name: str) -> None:
    shooter.settle()
    path = shooter.out / f"{name}.png"
    shooter.window.grab().save(str(path))
    print(path)


def staff_screens(shooter: Shooter, ids: dict[str, str]) -> None:
    w = shooter.window
    w.staff.open_sign_in()
    screen = w.current
    assert isinstance(screen, SignInScreen)
    screen.staff_id.setText("amy")
    screen.pin.setText("000000")
    screen.sign_in_button.click()
    shoot(shooter, "staff-sign-in-error")
    screen.staff_id.setText("amy")
    screen.pin.setText(PIN)
    screen.sign_in_button.click()
    assert isinstance(w.current, ConsoleScreen)
    # "being sent": the sync thread has started (which puts a crashed 'sending' row back), so set it now
    w.kiosk.store.conn.execute("UPDATE outbox SET state='sending' WHERE submission_id=?", (ids["sending"],))
    w.staff.show_console()
    shoot(shooter, "staff-console")
    shoot_body(shooter, "staff-console-full")
    w.staff.show_item(ids["needs_attention"])
    shoot_body(shooter, "staff-item-needs-attention")
    w.staff.show_item(ids["pending"])
    shoot_body(shooter, "staff-item-pending")
    w.staff.show_correct(ids["needs_attention"])
    shoot(shooter, "staff-correct")
    w.staff.show_check_progress()
    check = w.current
    assert isinstance(check, CheckProgressScreen)
    reference = w.kiosk.store.outbox.item(ids["delivered"]).reference
    edit = check.findChild(QLineEdit, "case-reference")
    assert edit is not None
    edit.setText(reference)
    check.check_button.click()
    wait_for(lambda: "received" in check.result.text())
    shoot(shooter, "staff-check-progress")
    w.staff.return_to_citizen()
    shoot(shooter, "staff-assisted-home")
    w.set_high_contrast(True)
    w.set_text_scale(2)
    w.staff.show_console()
    shoot(shooter, "staff-console-high-contrast-200")
    # a correction refused in the citizen's own words (a date that does not exist), large and high contrast
    w.staff.show_correct(ids["needs_attention"])
    correct = w.current
    for part, value in (("day", "31"), ("month", "2")):
        box = correct.findChild(QLineEdit, f"collection-date-{part}")
        assert box is not None
        box.setText(value)
    assert isinstance(correct, CorrectScreen)
    correct.send_button.click()
    shoot(shooter, "staff-correct-high-contrast-200")
    w.staff.sign_out()


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with training_kiosk("library-kiosk-3", "central-library") as kiosk:
        kiosk.staff.add("amy", "Amy Khan", PIN)
        ids = seed(kiosk)
        shooter = Shooter(kiosk, out)
        staff_screens(shooter, ids)
        shooter.window.staff.wait_for_checks()
        shooter.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
