"""What the kiosk bundle must not ship, as data, so the spec and the tests share one list.

- QtWebEngine: a whole browser (over 100 MB) that a kiosk has no use for and that would widen
  what an attacker at the screen could reach.
- The GTK platform theme plugin (platformthemes/libqgtk3.so): it makes PyInstaller collect the
  build machine's GTK, GDK, ATK, Pango and Cairo libraries, which then shadow the kiosk's own and
  break when the two distributions differ. The kiosk draws its own theme, so it needs none.
- Host GTK libraries that arrive by any other route, for the same reason.
- What PySide6-Addons brings besides speech (issue 14: the kiosk needs QtTextToSpeech, its speechd
  and mock plugins, and libQt6Multimedia, which they link against): QtMultimedia's FFmpeg media
  backend (about 20 MB; speech-dispatcher plays the audio itself, not Qt), Qt's virtual keyboard
  input plugin with the QtQuick and QML it needs (about 17 MB; the kiosk has its own keypad), the
  PDF image plugin and QtPdf (4 MB), and the QtMultimediaWidgets, Qt3D and QtQuick Python modules.
- Not excluded, for receipts (issue 16): QtPrintSupport, its CUPS print-support plugin and the libcups it
  links against (printing through the system's printers), and segno. A receipt is written as PDF by QtGui's
  own PDF engine, so QtPdf (which reads PDFs) stays out.
- Developer-only and unused standard-library parts (tkinter, unittest, pydoc data, test suites), and
  developer tools (rich, pygments) that httpx's optional command line would import at every start.
"""

from __future__ import annotations

import re

EXCLUDED_MODULES = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.Qt3DCore",
    "PySide6.QtQuick",
    "PySide6.QtQml",
    "PySide6.QtDesigner",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtVirtualKeyboard",
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc_data",
    "test",
    "pytest",
    "hypothesis",
    "mypy",
    "PyInstaller",
    "openapi_core",
    # Developer tools that httpx's optional command line would otherwise pull in (about 110 ms of
    # every start): httpx falls back cleanly when they are absent.
    "rich",
    "pygments",
    "importlinter",
    "grimp",
]

# Matched against the destination path inside the bundle (forward slashes).
EXCLUDED_FILES = [
    r"(^|/)libQt6WebEngine[^/]*\.so",
    r"(^|/)QtWebEngineProcess$",
    r"(^|/)qtwebengine_[^/]*",
    r"(^|/)platformthemes/libqgtk3\.so$",
    r"(^|/)libgtk-3\.so",
    r"(^|/)libgdk-3\.so",
    r"(^|/)libgdk_pixbuf-2\.0\.so",
    r"(^|/)libatk-1\.0\.so",
    r"(^|/)libatk-bridge-2\.0\.so",
    r"(^|/)libpango[^/]*\.so",
    r"(^|/)libcairo[^/]*\.so",
    # PySide6-Addons, besides speech (see the docstring)
    r"(^|/)plugins/multimedia/libffmpegmediaplugin\.so$",
    r"(^|/)libav(codec|format|util|device|filter)\.so",
    r"(^|/)libsw(resample|scale)\.so",
    r"(^|/)libQt6FFmpegStub[^/]*\.so",
    r"(^|/)platforminputcontexts/libqtvirtualkeyboardplugin\.so$",
    r"(^|/)libQt6VirtualKeyboard[^/]*\.so",
    r"(^|/)libQt6Quick[^/]*\.so",
    r"(^|/)libQt6Qml[^/]*\.so",
    r"(^|/)libQt63D[^/]*\.so",
    r"(^|/)libQt6Pdf[^/]*\.so",
    r"(^|/)imageformats/libqpdf\.so$",
    r"(^|/)libQt6MultimediaWidgets\.so",
    r"(^|/)PySide6/Qt(MultimediaWidgets|Quick|Qml|3D[A-Za-z]*|Pdf[A-Za-z]*|VirtualKeyboard)\.abi3\.so$",
]

_EXCLUDED = [re.compile(p) for p in EXCLUDED_FILES]


def is_excluded(dest: str) -> bool:
    """True when a file at this path inside the bundle must not ship."""
    dest = dest.replace("\\", "/")
    return any(p.search(dest) for p in _EXCLUDED)
