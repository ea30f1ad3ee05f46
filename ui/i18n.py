"""The one translation function of the kiosk's screens.

`tr(text)` is for the UI's own literals; `text(message)` is for what the core says to a person
(journeys' messages: an id with parameters and an English default). Every string a screen shows
goes through one of them, so that adding a language is a catalogue and nothing else.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication

__all__ = ["Renderable", "text", "tr"]


def tr(text: str) -> str:
    """A UI literal in the display language (English until catalogues are installed)."""
    return QCoreApplication.translate("kiosk", text)


@runtime_checkable
class Renderable(Protocol):
    """What the core's messages offer: `str(m)` is English, `render` gives the words in a language."""

    def render(self, lang: str, translate: object) -> str: ...


def text(message: Renderable | str, lang: str = "en") -> str:
    """What the core says (a message, or a plain string from older code), in the display language."""
    if isinstance(message, str):
        return message
    if isinstance(message, Renderable):
        return message.render(lang, tr)
    return str(message)
