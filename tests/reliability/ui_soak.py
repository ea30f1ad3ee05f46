"""Simulated citizen sessions through the real KioskWindow, and the process's resource figures.

Used by tests/reliability/test_ui_soak.py (under pytest-qt) and benchmarks/bench_soak.py (a plain
script): both hand in a window already shown, with its sync thread running. A session is what a
citizen does at the kiosk: the missed-bin journey from the home screen to the confirmation, with a
typo corrected, sometimes a changed answer, a larger text size or another language, and sometimes
walking away half-way (the idle time-out's wipe). Input goes through QTest, as a finger or keyboard
would; between sessions the event loop runs as the kiosk's own does (posted events, deferred deletes).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QRadioButton, QStyle
from shiboken6 import isValid

from tests.helpers import recent_weekday
from ui.screens import CheckAnswersScreen, ConfirmationScreen, HomeScreen, QuestionScreen
from ui.window import KioskWindow


@dataclass(frozen=True)
class Resources:
    """One sample of what the process holds."""

    sessions: int
    rss_kb: int
    qobjects: int  # QObjects reachable from the application: top-level widgets and their children
    widgets: int  # QApplication.allWidgets()
    wrappers: int  # gc-tracked Python wrappers of live QObjects (Shiboken), styles apart
    dead_wrappers: int  # wrappers whose C++ object is gone (see sample())
    style_wrappers: int  # wrappers of live QStyles (see sample())
    fds: int  # /proc/self/fd
    threads: int  # threading.enumerate()
    tasks: int  # /proc/self/task: every OS thread, Qt's and SQLite's included
    true_refs: int  # sys.getrefcount(True): fell at each emit with PySide6 6.12.0 (see test_ui_soak)

    def row(self) -> dict[str, int]:
        return asdict(self)


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def settle(ms: int = 0) -> None:
    """What the kiosk's event loop does between two touches: posted events, then deferred deletes."""
    deadline = time.monotonic() + ms / 1000
    while True:
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if time.monotonic() >= deadline:
            return
        time.sleep(0.005)


def sample(sessions: int) -> Resources:
    """The figures, at a settled moment. Counting the QObjects with findChildren() gives every
    C++-owned child (scroll bars, layouts, gestures) a Python wrapper; PySide keeps the wrappers
    of the current screen's children after that screen is deleted, so each sample leaves about
    ten dead wrappers behind. They are the measurement's, not the kiosk's (a run that does not
    sample leaves none), so they are counted apart from the live ones. So are the wrappers of styles:
    a widget whose Python code asks for `self.style()` (the banner's steady buttons measure themselves)
    keeps that style's wrapper, and a new style sheet (text size, contrast) makes a new style; how many
    are alive at a sample depends on which button last measured itself, not on how many sessions ran
    (seen: 161, then 162 from session 30 to 120, with the seed 3179022550)."""
    settle()
    gc.collect()
    app = QApplication.instance()
    assert app is not None
    tops = app.topLevelWidgets()
    reachable = 1 + len(app.findChildren(QObject)) + sum(1 + len(w.findChildren(QObject)) for w in tops)
    wrapped = [o for o in gc.get_objects() if isinstance(o, QObject)]
    live = sum(1 for o in wrapped if isValid(o))
    styles = sum(1 for o in wrapped if isValid(o) and isinstance(o, QStyle))
    return Resources(
        sessions=sessions,
        rss_kb=rss_kb(),
        qobjects=reachable,
        widgets=len(app.allWidgets()),
        wrappers=live - styles,
        dead_wrappers=len(wrapped) - live,
        style_wrappers=styles,
        fds=len(os.listdir("/proc/self/fd")),
        threads=threading.active_count(),
        tasks=len(os.listdir("/proc/self/task")),
        true_refs=sys.getrefcount(True),
    )


class Citizen:
    """Drives one KioskWindow through sessions; returns the references the confirmation showed."""

    def __init__(self, window: KioskWindow, rng: random.Random) -> None:
        self.window = window
        self.rng = rng

    def _find(self, kind: type, name: str):  # -> the widget
        current = self.window.current
        assert current is not None
        found = current.findChild(kind, name) or self.window.findChild(kind, name)
        assert found is not None, f"no {kind.__name__} {name} on {current.objectName()}"
        return found

    def click(self, name: str) -> None:
        QTest.mouseClick(self._find(QPushButton, name), Qt.MouseButton.LeftButton)
        settle()

    def type(self, name: str, text: str) -> None:
        edit = self._find(QLineEdit, name)
        edit.clear()
        QTest.keyClicks(edit, text)

    def session(self, n: int) -> str | None:
        """One citizen. Returns the reference shown, or None when they walked away."""
        w, rng = self.window, self.rng
        assert isinstance(w.current, HomeScreen), w.current
        if rng.random() < 0.1:
            self.click("text-size")
        if rng.random() < 0.05:
            self.click("contrast")
        if rng.random() < 0.05 and len(w.languages()) > 1:
            self.click("language")
            code = rng.choice([c for c in w.languages() if c != "en"])
            self.click(f"language-{code}")
        self.click("tile-missed-bin")
        self.click("start-now")
        assert isinstance(w.current, QuestionScreen)
        bin_type = rng.choice(["recycling", "general", "garden"])
        QTest.mouseClick(self._find(QRadioButton, f"bin-type-{bin_type}"), Qt.MouseButton.LeftButton)
        self.click("continue")
        if rng.random() < 0.5:  # a typo first: the page says what is wrong and keeps them there
            self.type("collection-date-day", "31")
            self.type("collection-date-month", "2")
            self.type("collection-date-year", "2026")
            self.click("continue")
            assert w.current is not None and w.current.objectName() == "page-when"
        day = recent_weekday(dt.date.today() - dt.timedelta(days=rng.randint(0, 10)))  # the journey's date rules
        self.type("collection-date-day", str(day.day))
        self.type("collection-date-month", str(day.month))
        self.type("collection-date-year", str(day.year))
        self.click("continue")
        if rng.random() < 0.1:  # walks away: the idle time-out wipes the session
            w.start_again()
            settle()
            return None
        self.type("postcode", rng.choice(["ls14ap", "LS1 4AP", "ls2 8bh"]))
        self.click("continue")
        self.type("address-line", f"{n % 200 + 1} Park Row")
        self.click("continue")
        self.type("full-name", f"Citizen {n}")
        self.click("continue")
        self.click("continue")  # email is optional
        assert isinstance(w.current, CheckAnswersScreen)
        if rng.random() < 0.2:  # changes an answer from the check-answers page
            self.click("change-full-name")
            self.type("full-name", f"Citizen {n} Smith")
            self.click("continue")
            while not isinstance(w.current, CheckAnswersScreen):
                self.click("continue")
        self.click("send")
        confirmation = w.current
        assert isinstance(confirmation, ConfirmationScreen), confirmation
        reference = confirmation.reference
        if rng.random() < 0.8:
            self.click("finish")
        else:
            self.click("another")  # another request: the session goes on, then the idle wipe
            w.start_again()
            settle()
        return reference
