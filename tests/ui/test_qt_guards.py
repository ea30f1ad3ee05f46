"""The Qt guards (tests/plugins/qt_guards.py) really fail a test that leaves a QThread running or
a QTimer active: a tiny test file is run by pytest in a subprocess, with the guards loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LEAKY = """
import threading

from PySide6.QtCore import QThread, QTimer

KEEP = []
STOP = threading.Event()


class Spinner(QThread):
    def run(self):
        STOP.wait(30)


def test_leaves_a_thread_running(qapp):
    thread = Spinner()
    KEEP.append(thread)
    thread.start()


def test_leaves_a_timer_active(qapp):
    timer = QTimer()
    KEEP.append(timer)
    timer.start(60_000)


def test_leaves_a_single_shot_pending(qapp):
    QTimer.singleShot(60_000, lambda: None)


def test_cleans_up_after_itself(qapp, qtbot):
    STOP.set()
    thread = Spinner()
    thread.start()
    thread.wait()
    timer = QTimer()
    timer.start(60_000)
    timer.stop()
    fired = []
    QTimer.singleShot(1, lambda: fired.append(1))
    qtbot.waitUntil(lambda: fired == [1])
"""


def test_a_test_leaving_a_thread_or_a_timer_behind_is_reported(tmp_path: Path) -> None:
    (tmp_path / "test_leaky.py").write_text(LEAKY)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("CI", None)  # with CI set, pytest does not shorten the summary lines, so each message shows twice
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.plugins.qt_guards", "-p", "no:cacheprovider", "-q", "-rE"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "4 passed, 3 errors" in out, out  # each test body passes; its teardown reports the leak
    assert "a QThread was left running by the test, started at:" in out
    assert out.count("a QTimer was left active by the test, started at:") == 2
    assert "test_leaky.py:18 (test_leaves_a_thread_running)" in out  # where it was started
    for name in ("test_leaves_a_thread_running", "test_leaves_a_timer_active", "test_leaves_a_single_shot_pending"):
        assert f"ERROR test_leaky.py::{name}" in out, out
