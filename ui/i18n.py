"""The one translation function of the kiosk's screens.

`tr(text)` is for the UI's own literals; `text(message)` is for what the core says to a person
(journeys' messages: an id with parameters and an English default). Every string a screen shows
goes through one of them, so that adding a language is a catalogue and nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from journeys import Message

__all__ = ["text", "tr"]


def tr(text: str) -> str:
    """A UI literal in the display language (English until catalogues are installed)."""
    return QCoreApplication.translate("kiosk", text)


def _template(message_id: str) -> str | None:
    """The display language's template for one of the core's message ids, or None (then English)."""
    found = QCoreApplication.translate("messages", message_id)
    return None if found == message_id else found


def text(message: Message | str, lang: str = "en") -> str:
    """What the core says (a message, or a plain string such as an exception's), in the display language."""
    if isinstance(message, Message):
        return message.render(lang, _template)
    return message
