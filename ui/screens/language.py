"""Choose the language of the screens and the journeys; which languages read right to left."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from app import languages as kiosk_languages
from ui.fonts import set_font_for
from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import button, label

__all__ = ["LanguageScreen"]


class LanguageScreen(Screen):
    """Choose the language of the screens and the journeys."""

    chosen = Signal(str)
    back = Signal()

    def __init__(self, languages: list[str], current: str) -> None:
        super().__init__("language")
        self.back_button = self._back_link(self.back)
        heading = tr("Choose a language")
        self.add(label(heading, "h1"), heading)
        self.buttons: list[QPushButton] = []
        for code in languages:
            language = kiosk_languages.info(code)
            name = language.name
            b = button(name, "secondary" if code != current else "", name=name)
            b.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if language.right_to_left else Qt.LayoutDirection.LeftToRight
            )
            set_font_for(b, language)
            b.setObjectName(f"language-{code}")
            b.setProperty("language", code)  # audio mode says its name in its own voice
            b.clicked.connect(lambda _=False, c=code: self.chosen.emit(c))
            self._row(b)
            self.buttons.append(b)
            self.add_reading(kiosk_languages.name_in(code, current))  # in the display language's voice
        if len(languages) == 1:
            only = tr("The services on this kiosk are in English only at the moment. A member of staff can help.")
            self.add(label(only), only)
        else:
            note = tr("Some services may be in English only. A member of staff can help.")
            self.add(label(note, "hint"), note)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.buttons[0] if self.buttons else self.back_button
