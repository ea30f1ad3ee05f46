"""`make demo` on a virtual screen: Ctrl+C in the terminal stops it cleanly, and its window fills the screen."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import ROOT

VIRTUAL_SCREEN = ROOT / "packaging" / "virtual-screen.sh"


def _read_until(proc: subprocess.Popen[str], text: str, timeout_s: float) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"the demo never said {text!r}; it said: {lines}")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (make system-deps installs it)")
def test_ctrl_c_stops_the_demo_cleanly_on_a_virtual_screen(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_QPA", "DISPLAY", "WAYLAND"))}
    env |= {"PYTHON_KEYRING_BACKEND": "tests.memory_keyring.MemoryKeyring", "PYTHONPATH": str(ROOT)}
    cmd = ["bash", str(VIRTUAL_SCREEN), sys.executable, "-m", "app", "demo", "--data-dir", str(tmp_path / "demo")]
    # A terminal's Ctrl+C goes to every process of its foreground group: the test plays the terminal.
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _read_until(proc, "the kiosk is open", timeout_s=90)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert "X11 connection broke" not in err
    assert "Traceback" not in err and "Fatal Python error" not in err
    assert proc.returncode == 0, err[-2000:]


def test_the_demo_window_fills_the_screen(qtbot: QtBot, kiosk) -> None:
    from ui.app import place
    from ui.window import KioskWindow

    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    place(window, windowed=True)
    screen = window.screen()
    assert window.isVisible()
    assert window.size() == screen.availableGeometry().size()
