"""Qt guards for every test: a test that leaves a QThread running or a QTimer active fails.

After napari's conftest (`_dangling_qthreads`, `_dangling_qtimers`): QThread.start, QTimer.start
and QTimer.singleShot are wrapped for the test to note who started what; when the test and its
fixtures are done (pytest-qt has closed the test's widgets), anything still running is reported
as a teardown error naming where it was started, and then stopped, so the next test starts clean.
"""

from __future__ import annotations

import traceback
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

THREAD_GRACE_MS = 1000  # a thread told to stop may take a moment to leave its loop


def _where() -> str:
    """The first frame outside this file and Qt's wrappers: the code that started the thread or timer."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename != __file__:
            return f"{frame.filename}:{frame.lineno} ({frame.name})"
    return "?"


def _alive(obj: Any) -> bool:
    from shiboken6 import isValid

    return bool(isValid(obj))


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from PySide6.QtCore import QThread

    started: weakref.WeakKeyDictionary[QThread, str] = weakref.WeakKeyDictionary()
    base_start = QThread.start

    def start(self: QThread, *args: Any) -> None:
        started[self] = _where()
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    dangling = []
    for thread, where in list(started.items()):
        if _alive(thread) and thread.isRunning() and not thread.wait(THREAD_GRACE_MS):
            dangling.append(where)
            thread.quit()
            thread.wait(2000)
    if dangling:
        pytest.fail("a QThread was left running by the test, started at:\n  " + "\n  ".join(dangling), pytrace=False)


@pytest.fixture(autouse=True)
def _dangling_qtimers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from PySide6.QtCore import QTimer

    started: weakref.WeakKeyDictionary[QTimer, str] = weakref.WeakKeyDictionary()
    single_shots: list[tuple[QTimer, str]] = []
    base_start = QTimer.start
    base_single_shot = QTimer.singleShot

    def start(self: QTimer, *args: Any) -> None:
        started[self] = _where()
        base_start(self, *args)

    def single_shot(msec: int, *args: Any) -> None:
        # the common forms: singleShot(ms, callable) and singleShot(ms, context, callable)
        if len(args) == 1 and callable(args[0]):
            context, slot = None, args[0]
        elif len(args) == 2 and callable(args[1]) and not isinstance(args[1], str):
            context, slot = args
        else:
            base_single_shot(msec, *args)
            return
        timer = QTimer(context)
        timer.setSingleShot(True)
        entry = (timer, _where())
        single_shots.append(entry)

        def fired() -> None:
            if entry in single_shots:
                single_shots.remove(entry)
            slot()

        timer.timeout.connect(fired)
        base_start(timer, msec)

    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    yield
    dangling = []
    for timer, where in [*started.items(), *single_shots]:
        if _alive(timer) and timer.isActive():
            dangling.append(where)
            timer.stop()
    single_shots.clear()
    if dangling:
        pytest.fail("a QTimer was left active by the test, started at:\n  " + "\n  ".join(dangling), pytrace=False)
