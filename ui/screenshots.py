"""Take screenshots of the kiosk's screens (run under Xvfb by `make screenshots`).

It starts the reference portal on loopback with a throwaway training data directory, walks the
missed-bin journey the way a citizen would, and saves a PNG of each screen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QRadioButton

from app.cli import start_portal, sync_once
from app.config import load_config
from app.kiosk import Kiosk
from reference_portal import db as portal_db
from ui.app import start_sync
from ui.screens import ConfirmationScreen
from ui.window import KioskWindow


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected state")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def shoot(window: KioskWindow, out: Path, name: str) -> None:
    settle()
    path = out / f"{name}.png"
    window.grab().save(str(path))
    print(path)


def fill(window: KioskWindow, values: dict[str, str]) -> None:
    assert window.current is not None
    for name, text in values.items():
        edit = window.current.findChild(QLineEdit, name)
        assert edit is not None, name
        edit.setText(text)


def press(window: KioskWindow, name: str) -> None:
    assert window.current is not None
    button = window.current.findChild(QPushButton, name) or window.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        import keyring
        from keyring.backend import KeyringBackend

        class _Memory(KeyringBackend):
            priority = 1

            def __init__(self) -> None:
                super().__init__()
                self.store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

        keyring.set_keyring(_Memory())  # a throwaway kiosk: nothing goes into the real keyring
        config = load_config(data_dir=Path(tmp) / "kiosk", training=True)
        portal_path = Path(tmp) / "portal.sqlite3"
        proc, url = start_portal(portal_path)
        try:
            kiosk = Kiosk(config)
            kiosk.enrol(url, "screenshots", "training-site", portal_db.create_token(portal_path, "screenshots"))
            sync_once(kiosk)
            window = KioskWindow(kiosk)
            window.resize(1280, 900)
            window.show()
            sync = start_sync(kiosk, window, interval_ms=60_000)
            wait_for(lambda: window.online)
            shoot(window, out, "home")
            press(window, "tile-missed-bin")
            shoot(window, out, "start")
            press(window, "start-now")
            shoot(window, out, "question")
            assert window.current is not None
            radio = window.current.findChild(QRadioButton, "bin-type-recycling")
            assert radio is not None
            radio.setChecked(True)
            press(window, "continue")
            fill(window, {"collection-date-day": "31", "collection-date-month": "2", "collection-date-year": "2026"})
            press(window, "continue")
            shoot(window, out, "question-error")
            fill(window, {"collection-date-day": "3", "collection-date-month": "11"})
            press(window, "continue")
            fill(window, {"postcode": "ls14ap"})
            press(window, "continue")
            fill(window, {"address-line": "12 Park Row"})
            press(window, "continue")
            fill(window, {"full-name": "Ada Lovelace"})
            press(window, "continue")
            press(window, "continue")
            shoot(window, out, "check-answers")
            press(window, "send")
            confirmation = window.current
            assert isinstance(confirmation, ConfirmationScreen)
            wait_for(lambda: confirmation.sent)
            shoot(window, out, "confirmation")
            sync.stop()
            window.close()
            kiosk.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
