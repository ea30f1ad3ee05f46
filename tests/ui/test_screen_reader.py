"""A screen reader's view: the kiosk under Xvfb with accessibility on, read from another process
through AT-SPI (Debian's python3-pyatspi), which finds and presses controls by role and name."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import make_kiosk, seed_catalogue

SYSTEM_PYTHON = "/usr/bin/python3"
READER = Path(__file__).with_name("atspi_reader.py")


def _missing() -> str | None:
    for tool in ("Xvfb", "dbus-run-session", "xvfb-run"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make system-deps installs it)"
    if not Path(SYSTEM_PYTHON).exists():
        return "Debian's system Python is not installed"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        return "python3-pyatspi is not installed (make system-deps installs it)"
    return None


@pytest.mark.skipif(_missing() is not None, reason=str(_missing()))
def test_a_screen_reader_finds_and_presses_the_home_screen_controls(tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    kiosk = make_kiosk(data)
    seed_catalogue(kiosk)
    kiosk.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "QT_QPA", "DISPLAY", "WAYLAND"))}
    env |= {
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_QPA_PLATFORM": "xcb",
        "PYTHON_KEYRING_BACKEND": "tests.memory_keyring.MemoryKeyring",
        "PYTHONPATH": str(ROOT),
        "NO_AT_BRIDGE": "0",
    }
    kiosk_cmd = f"{sys.executable} -m app run --windowed --training --data-dir {data} --exit-after 40"
    reader_cmd = f"{SYSTEM_PYTHON} {READER} dcp-kiosk 'Report a missed bin collection' 'Start now'"
    script = f"{kiosk_cmd} & kiosk=$!; {reader_cmd}; status=$?; kill $kiosk; wait $kiosk; exit $status"
    result = subprocess.run(
        ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    tree = json.loads(result.stdout.strip().splitlines()[-1])
    before = {tuple(x) for x in tree["before"]}
    assert ("push button", "Report a missed bin collection") in before
    assert ("push button", "Text size 100%, press to change") in before
    assert ("push button", "Start again") in before
    assert any(role == "text" and name == "Search for a service" for role, name in before)
    # pressed through AT-SPI, the tile opened the journey's start page
    assert ("push button", "Start now") in {tuple(x) for x in tree["after"]}
