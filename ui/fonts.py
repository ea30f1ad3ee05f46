"""The fonts each language is drawn with.

Each script has its Noto font first (app.languages.SCRIPT_FONTS: Noto Naskh Arabic for Urdu, Noto Sans Gujarati,
Noto Sans Gurmukhi), then the kiosk's Latin font for the references, postcodes and English words inside
the text. The fonts come from the system (fonts-noto-core) or, in the bundle, from the fonts folder the
bundle carries beside the code (registered once at start).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QWidget

from app.languages import Language

__all__ = ["FONTS_DIR", "apply_fonts", "families", "register_bundled_fonts", "set_font_for"]

log = logging.getLogger("ui")

# In the bundle: the Noto files the spec copies in (packaging/dcp-kiosk.spec). From a checkout: none.
FONTS_DIR = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "fonts"

_base: list[str] = []
_registered = False


def register_bundled_fonts() -> None:
    """Make the bundle's fonts known to Qt (nothing to do where the system has them)."""
    global _registered
    if _registered or not FONTS_DIR.is_dir():
        return
    _registered = True
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("font %s could not be loaded", path.name)


def families(language: Language) -> list[str]:
    """The font families for ``language``'s words, best first: its script's font, then the kiosk's own.

    Only the script's font goes before the kiosk's: Qt warns for every family in the list that lacks a
    script it meets, so a word in another script (a language's own name on its button) gets its own font."""
    app = QGuiApplication.instance()
    if not _base and isinstance(app, QGuiApplication):
        font = app.font()
        _base.extend(font.families() or [font.family()])
    register_bundled_fonts()
    available = set(QFontDatabase.families())
    wanted = [f for f in language.fonts if f in available]
    return [*wanted, *[f for f in _base if f not in wanted]]


def apply_fonts(language: Language) -> None:
    """The application's fonts for ``language``: its script's font first, then the Latin one."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    wanted = families(language)
    font = app.font()
    if wanted != font.families():
        font.setFamilies(wanted)
        QGuiApplication.setFont(font)


def set_font_for(widget: QWidget, language: Language) -> None:
    """Draw ``widget``'s words in ``language``'s fonts (a language's name on its button)."""
    font = QFont(widget.font())
    font.setFamilies(families(language))
    widget.setFont(font)
