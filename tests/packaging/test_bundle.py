"""The kiosk bundle: what it must not ship, and the smoke test of a frozen build.

The frozen-build test runs when DCP_KIOSK_BUNDLE names a built bundle (`make package-test` builds
one and sets it; building takes about a minute, too slow for `make test`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
from exclusions import EXCLUDED_MODULES, is_excluded
from smoke_test import unexpected

BUNDLE = os.environ.get("DCP_KIOSK_BUNDLE")


@pytest.mark.parametrize(
    "path",
    [
        "_internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "_internal/libgtk-3.so.0",
        "_internal/libgdk-3.so.0",
        "_internal/libpangocairo-1.0.so.0",
        "_internal/libcairo.so.2",
        "_internal/libatk-1.0.so.0",
        "_internal/PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "_internal/PySide6/Qt/libexec/QtWebEngineProcess",
        "_internal\\PySide6\\plugins\\platformthemes\\libqgtk3.so",
        # PySide6-Addons besides speech (issue 14)
        "_internal/PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "_internal/PySide6/Qt/lib/libavcodec.so.61",
        "_internal/PySide6/Qt/lib/libswscale.so.8",
        "_internal/PySide6/Qt/lib/libQt6FFmpegStub-va.so.2",
        "_internal/PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "_internal/PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
        "_internal/PySide6/Qt/lib/libQt6Quick.so.6",
        "_internal/PySide6/Qt/lib/libQt6Qml.so.6",
        "_internal/PySide6/Qt/lib/libQt6QmlModels.so.6",
        "_internal/PySide6/Qt/lib/libQt63DCore.so.6",
        "_internal/PySide6/Qt/lib/libQt6Pdf.so.6",
        "_internal/PySide6/Qt/plugins/imageformats/libqpdf.so",
        "_internal/PySide6/QtMultimediaWidgets.abi3.so",
        "_internal/PySide6/Qt/lib/libQt6MultimediaWidgets.so.6",
    ],
)
def test_what_a_kiosk_must_not_ship_is_excluded(path: str) -> None:
    assert is_excluded(path)


@pytest.mark.parametrize(
    "path",
    [
        "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
        "_internal/PySide6/Qt/plugins/platforms/libqwayland.so",
        "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "_internal/PySide6/Qt/lib/libQt6Widgets.so.6",
        "_internal/libfontconfig.so.1",
        "_internal/journeys/training/missed-bin.json",
        # Speech (issue 14): QtTextToSpeech, its engines, and the QtMultimedia it links against
        "_internal/PySide6/QtTextToSpeech.abi3.so",
        "_internal/PySide6/Qt/lib/libQt6TextToSpeech.so.6",
        "_internal/PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so",
        "_internal/PySide6/Qt/plugins/texttospeech/libqtexttospeech_mock.so",
        "_internal/PySide6/Qt/lib/libQt6Multimedia.so.6",
        "_internal/PySide6/QtMultimedia.abi3.so",
        "_internal/PySide6/Qt/lib/libQt6Network.so.6",
        "_internal/PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    ],
)
def test_what_the_kiosk_needs_is_kept(path: str) -> None:
    assert not is_excluded(path)


def test_the_spec_uses_the_shared_exclusions() -> None:
    spec = (ROOT / "packaging" / "dcp-kiosk.spec").read_text(encoding="utf-8")
    assert "from exclusions import EXCLUDED_MODULES, is_excluded" in spec
    assert "excludes=EXCLUDED_MODULES" in spec and "is_excluded(b[0])" in spec
    assert "PySide6.QtWebEngineCore" in EXCLUDED_MODULES


def test_the_smoke_test_flags_every_unexpected_stderr_line() -> None:
    assert unexpected("This plugin does not support propagateSizeHints()\n") == []
    assert unexpected('\nqt.qpa.plugin: Could not load the Qt platform plugin "xcb"\n') == [
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"'
    ]
    assert unexpected("Traceback (most recent call last):") != []


@pytest.mark.skipif(not BUNDLE, reason="no bundle built: `make package-test` builds one and runs this")
def test_the_frozen_build_passes_its_smoke_test() -> None:
    assert BUNDLE is not None
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "smoke_test.py"), str(Path(BUNDLE).resolve())],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
