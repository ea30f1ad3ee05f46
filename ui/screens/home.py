"""Home: the catalogue as large tiles grouped by category, with a search box.

Search matches each word typed against the start of the words of a service's title, summary,
category and keywords (the journey's own search words, in the display language), ignoring case and
punctuation: "sofa" finds bulky waste, "fridg" finds it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from app.languages import Language, name_in
from journeys.models import CatalogueEntry
from ui.flow import FlowLayout
from ui.fonts import set_font_for
from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import Tile, button, label

__all__ = ["HomeScreen", "category_name", "matches", "search_words"]


def search_words(text: str) -> list[str]:
    """The words of a text as search compares them: case folded, punctuation dropped ("Pot-hole!" -> pot, hole)."""
    return re.findall(r"\w+", text.casefold())


def matches(query: str, words: Iterable[str]) -> bool:
    """Every word typed is the start of one of the words ("sof" finds "sofa"); an empty query matches all."""
    known = list(words)
    return all(any(w.startswith(typed) for w in known) for typed in search_words(query))


def _category_names() -> dict[str, str]:
    """The council's service categories, in the display language."""
    return {
        "benefits": tr("Benefits"),
        "bins-and-recycling": tr("Bins and recycling"),
        "business-and-licensing": tr("Business and licensing"),
        "council-tax": tr("Council tax"),
        "health-and-social-care": tr("Health and social care"),
        "housing": tr("Housing"),
        "libraries": tr("Libraries"),
        "other-services": tr("Other services"),
        "parking": tr("Parking"),
        "planning-and-building": tr("Planning and building"),
        "roads-and-transport": tr("Roads and transport"),
        "schools-and-education": tr("Schools and education"),
        "streets-and-environment": tr("Streets and environment"),
    }


def category_name(category: str) -> str:
    """'bins-and-recycling' -> 'Bins and recycling', in the display language; a category the kiosk does not
    know is shown as the journey names it, in English (the one fallback: say so in the journey's data)."""
    known = _category_names().get(category)
    if known is not None:
        return known
    words = category.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


class HomeScreen(Screen):
    """The catalogue as large tiles grouped by category, with a search box."""

    chosen = Signal(str, int)
    language_chosen = Signal(str)

    def __init__(
        self,
        entries: list[CatalogueEntry],
        lang: str = "en",
        online: bool = True,
        languages: list[Language] | None = None,
    ) -> None:
        super().__init__("home")
        self.language_buttons: list[QPushButton] = []
        if languages and len(languages) > 1:
            self._language_row(languages, lang)
        heading = tr("What would you like to do?")
        self.add(label(heading, "h1"), heading)
        self.tiles: list[QPushButton] = []
        self.search: QLineEdit | None = None
        if not entries:
            text = tr("Services are not available on this kiosk yet. Please ask a member of staff.")
            self.add(label(text), text)
            self.column.addStretch(1)
            return
        search_label = label(tr("Search for a service"), "h2")
        self.add(search_label, tr("Search for a service"))
        search = QLineEdit()
        search.setObjectName("search")
        search.setAccessibleName(tr("Search for a service"))
        search.setAccessibleDescription(tr("Type a word, like bin or council tax"))
        search.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        search.setProperty("spoken_aloud", True)  # a search word is not personal data: audio mode echoes it aloud
        search.textChanged.connect(self._filter)
        search_label.setBuddy(search)
        self.add(search)
        self.search = search
        self.no_match = label(tr("No services match your search. Try another word."), "hint")
        self.no_match.setObjectName("no-match")
        self.no_match.hide()
        self.add(self.no_match, self.no_match.text())  # read only while it shows
        self._headings: dict[str, QLabel] = {}
        self._tile_category: dict[QPushButton, str] = {}
        self._tile_words: dict[QPushButton, list[str]] = {}
        self._needs_connection: dict[Tile, tuple[str, str]] = {}  # tiles of journeys that need a connection
        by_category: dict[str, list[CatalogueEntry]] = {}
        for entry in entries:
            by_category.setdefault(entry.category, []).append(entry)
        for category, items in by_category.items():
            heading_label = label(category_name(category), "h2")
            self.add(heading_label, category_name(category))
            self._headings[category] = heading_label
            for entry in items:
                title, summary = entry.title.get(lang), entry.summary.get(lang)
                if lang != "en" and lang not in (entry.title.model_extra or {}):
                    only = tr("In English only")
                    summary = f"{summary} ({only})"
                t = Tile(title, summary)
                if entry.requires_online:
                    self._needs_connection[t] = (title, summary)
                t.setObjectName(f"tile-{entry.id}")
                t.clicked.connect(lambda _=False, e=entry: self.chosen.emit(e.id, e.version))
                self.add(t, f"{title}. {summary}")
                self.tiles.append(t)
                self._tile_category[t] = category
                # the display language's words and the English ones: "bin" finds a service in any language
                keywords = " ".join({*entry.keywords.get(lang), *entry.keywords.en}) if entry.keywords else ""
                english = f"{entry.title.en} {entry.summary.en}" if lang != "en" else ""
                self._tile_words[t] = search_words(f"{title} {summary} {category_name(category)} {keywords} {english}")
        self.column.addStretch(1)
        self.set_online(online)

    def _language_row(self, languages: list[Language], lang: str) -> None:
        """Every language in its own script and name, one touch away: English, اردو, ગુજરાતી, ਪੰਜਾਬੀ, Polski."""
        row = QWidget()
        row.setObjectName("home-languages")
        flow = FlowLayout(row, spacing=8)
        flow.setContentsMargins(0, 0, 0, 0)
        for language in languages:
            b = button(language.name, "" if language.code == lang else "secondary", name=language.name)
            b.setObjectName(f"home-language-{language.code}")
            b.setProperty("language", language.code)  # audio mode says its name in its own voice
            b.setCheckable(True)
            b.setChecked(language.code == lang)
            b.setAccessibleDescription(tr("Show the kiosk in this language"))
            b.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if language.right_to_left else Qt.LayoutDirection.LeftToRight
            )
            set_font_for(b, language)
            b.clicked.connect(lambda _=False, c=language.code: self.language_chosen.emit(c))
            flow.addWidget(b)
            self.language_buttons.append(b)
        self.add(row)
        # read in the display language's voice: each name as this language says it ("Urdu", not "اردو")
        self.add_reading(*[name_in(language.code, lang) for language in languages], widget=row)

    def set_online(self, online: bool) -> None:
        """Say on the tiles of online-only journeys whether they can be used now (no rebuild)."""
        for t, (title, summary) in self._needs_connection.items():
            shown = summary if online else tr("Needs a connection: not available right now")
            t.set_summary(shown)
            self.set_reading(t, f"{title}. {shown}")

    def _filter(self, text: str) -> None:
        shown_categories = set()
        for tile in self.tiles:
            visible = matches(text, self._tile_words[tile])
            tile.setVisible(visible)
            if visible:
                shown_categories.add(self._tile_category[tile])
        for category, heading in self._headings.items():
            heading.setVisible(category in shown_categories)
        self.no_match.setVisible(not shown_categories)

    def visible_tiles(self) -> list[QPushButton]:
        return [t for t in self.tiles if not t.isHidden()]

    def first_focus(self) -> QWidget | None:
        return self.tiles[0] if self.tiles else None
