"""What the screens show, word by word, for the language tests: every visible text with the widget and
font it is drawn in, the glyphs that font draws, and a pseudo-language that marks every translated word."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from PySide6.QtGui import QFont, QRawFont, QTextLayout
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from tools import catalogues
from tools.journey_po import localised

# The pseudo-language: every entry of the kiosk's catalogue is ⟦its English⟧, every journey text ⟪its English⟫.
PSEUDO = "qps"
KIOSK_OPEN, KIOSK_CLOSE = "⟦", "⟧"
JOURNEY_OPEN, JOURNEY_CLOSE = "⟪", "⟫"
_MARKED = re.compile(
    f"{KIOSK_OPEN}[^{KIOSK_OPEN}{KIOSK_CLOSE}]*{KIOSK_CLOSE}|{JOURNEY_OPEN}[^{JOURNEY_OPEN}{JOURNEY_CLOSE}]*{JOURNEY_CLOSE}"
)


def _pseudo(text: str) -> str:
    return f"{KIOSK_OPEN}{text}{KIOSK_CLOSE}"


def write_pseudo_catalogue(locales: Path) -> None:
    """locales/qps.po: the template with every entry translated as ⟦English⟧ (plurals too)."""
    template = catalogues.template()
    catalog = Catalog(locale=None, project="pseudo")  # no locale: two plural forms, as English
    for message in template:
        if not message.id:
            continue
        string: Any = (
            tuple(_pseudo(s) for s in message.id) if isinstance(message.id, tuple | list) else _pseudo(message.id)
        )
        catalog.add(message.id, string, context=message.context)
    catalogues.write(catalog, locales / f"{PSEUDO}.po")


def pseudo_journey(document: dict[str, Any]) -> dict[str, Any]:
    """A journey document with every localised text also in the pseudo-language, as ⟪English⟫."""
    for _pointer, node in localised(document):
        english = node["en"]
        node[PSEUDO] = (
            [f"{JOURNEY_OPEN}{w}{JOURNEY_CLOSE}"[:40] for w in english]
            if isinstance(english, list)
            else f"{JOURNEY_OPEN}{english}{JOURNEY_CLOSE}"
        )
    return document


def unmarked(text: str) -> str:
    """What is left of a text once every translated piece is taken out (innermost first: a journey's words
    inside a kiosk message)."""
    while True:
        shorter = _MARKED.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def letters(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("L"))


def shown_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """Every text a person sees or a screen reader says on the window as it is: labels, buttons, placeholders,
    and each control's accessible name and description."""
    for w in root.findChildren(QWidget):
        if not (w.isVisible() and w.width() > 0 and w.window() is root.window()):
            continue
        if isinstance(w, QLabel) and w.text().strip():
            yield w, w.text()
        if isinstance(w, QAbstractButton) and w.text().strip():
            yield w, w.text()
        if isinstance(w, QLineEdit) and w.placeholderText():
            yield w, w.placeholderText()
        if isinstance(w, QAbstractButton | QLineEdit):
            for said in (w.accessibleName(), w.accessibleDescription()):
                if said.strip():
                    yield w, said


def missing_glyphs(text: str, font: QFont) -> list[str]:
    """The characters of ``text`` that ``font`` (with Qt's fallback fonts) draws as the missing-glyph box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    found = []
    flags = (
        QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphIndexes | QTextLayout.GlyphRunRetrievalFlag.RetrieveStringIndexes
    )
    for run in layout.glyphRuns(-1, -1, flags):
        for glyph, index in zip(run.glyphIndexes(), run.stringIndexes(), strict=False):
            if glyph == 0 and 0 <= index < len(text):
                ch = text[index]
                if unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp"):
                    found.append(ch)
    return found


def script_letters(text: str, script: str) -> set[str]:
    """The letters of ``text`` in a script (by the first word of their Unicode name: ARABIC, GUJARATI...)."""
    return {ch for ch in letters(text) if unicodedata.name(ch, "").split(" ")[0] == script}


def uncovered(letters_: set[str], family: str) -> set[str]:
    """The letters a font family has no glyph for (QRawFont coverage)."""
    raw = QRawFont.fromFont(QFont(family))
    return {ch for ch in letters_ if not raw.supportsCharacter(ord(ch))}


def app() -> QApplication:
    found = QApplication.instance()
    assert isinstance(found, QApplication)
    return found
