"""Start the Qt application: the window, the sync thread, Ctrl+C handling."""

from __future__ import annotations

import logging
import signal
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from app.config import KioskConfig
from app.kiosk import Kiosk, NotEnrolled, StoreError
from ui.i18n import tr
from ui.screens import Screen
from ui.sync_thread import SyncThread, SyncWorker
from ui.theme import stylesheet
from ui.widgets import label
from ui.window import KioskWindow

log = logging.getLogger("ui")


def start_sync(kiosk: Kiosk, window: KioskWindow, interval_ms: int) -> SyncThread:
    """The sync thread, handed its runner by app (NotEnrolled until the kiosk is enrolled)."""
    worker = SyncWorker(kiosk.sync_runner(), interval_ms)
    worker.status.connect(window.on_sync_status)
    window.outbox_grew.connect(worker.run_pass)
    thread = SyncThread(worker)
    thread.start()
    return thread


def install_crash_screen(window: KioskWindow) -> None:
    """A bug shows the 'problem with the service' screen, never a traceback.

    The log gets the exception type and where it happened, not its message, which could hold
    what the citizen typed.
    """

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        where = traceback.extract_tb(tb)[-1] if tb else None
        log.error(
            "unexpected %s at %s:%s", kind.__name__, where.filename if where else "?", where.lineno if where else "?"
        )
        try:
            window.show_problem(
                tr("Something went wrong on this kiosk. Anything you had not sent has been cleared.")
                + " "
                + tr("If you saw a reference, your request is saved and will be sent.")
            )
            window.session.wipe()
        except Exception:  # the screen itself is broken: leave it to the watchdog (systemd restarts us)
            log.error("could not show the problem screen")

    sys.excepthook = hook


def out_of_service(reason: str) -> QMainWindow:
    """What a citizen sees when the kiosk cannot open its database: a plain notice, no traceback.

    The reason (no personal data: it names the file and what is wrong) is there for staff and IT.
    """
    window = QMainWindow()
    window.setObjectName("out-of-service")
    window.setStyleSheet(stylesheet())
    page = Screen("out-of-service")
    heading = tr("Sorry, this kiosk is not working at the moment")
    page.add(label(heading, "h1"), heading)
    text = tr("Please ask a member of staff for help, or use another kiosk.")
    page.add(label(text), text)
    page.add(label(tr("For staff and IT: {reason}").format(reason=reason), "hint"))
    page.column.addStretch(1)
    window.setCentralWidget(page)
    return window


def place(window: QMainWindow, *, windowed: bool) -> None:
    """Show the window: full screen on a kiosk; in a window (demo, training) that fills the screen's free area."""
    if not windowed:
        window.showFullScreen()
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()  # where there is a window manager; with none (Xvfb), the geometry above holds


def _run(app: QApplication, exit_after: float | None, ready: Callable[[], None] | None = None) -> int:
    # Ctrl+C and SIGTERM stop the kiosk cleanly; exit() does not ask the (locked) window to close.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.exit(0))
    ticker = QTimer()  # lets Python run its signal handlers while Qt's loop runs
    ticker.start(200)
    ticker.timeout.connect(lambda: None)
    if exit_after is not None:
        QTimer.singleShot(int(exit_after * 1000), lambda: app.exit(0))
    if ready is not None:
        QTimer.singleShot(0, ready)  # the first thing the running loop does: the window is up
    return app.exec()


def run_kiosk(
    config: KioskConfig,
    *,
    windowed: bool,
    exit_after: float | None = None,
    ready: Callable[[], None] | None = None,
) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("dcp-kiosk")
    app.setApplicationDisplayName("Council services")
    try:
        kiosk = Kiosk(config)
    except StoreError as exc:
        log.error("the kiosk's database cannot be opened: %s", type(exc).__name__)
        notice = out_of_service(str(exc))
        place(notice, windowed=windowed)
        _run(app, exit_after)
        return 1  # non-zero, so that the service manager and IT see it
    window = KioskWindow(kiosk, locked=not windowed)
    install_crash_screen(window)
    try:
        sync = start_sync(kiosk, window, config.sync_interval_s * 1000)
    except NotEnrolled:
        sync = None
        window.connection.setText(tr("Not enrolled: ask a member of staff"))
    place(window, windowed=windowed)
    # The voice is made once the window is up (speech-dispatcher may take seconds to start), so that the
    # first "Listen" or held 5 speaks at once, and staff learn early if the kiosk cannot speak.
    QTimer.singleShot(500, window.speech.warm_up)
    try:
        return _run(app, exit_after, ready)
    finally:
        if sync is not None:
            sync.stop()
        window.allow_close = True
        window.close()
        kiosk.close()
