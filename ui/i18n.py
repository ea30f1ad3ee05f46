"""The one translation function of the kiosk's screens.

`tr(text)` is for the UI's own literals and `trn(one, many, n)` for the ones with a count; `text(message)`
is for what the core says to a person (journeys' messages: an id with parameters and an English
default). Every string a screen shows goes through one of them, so that adding a language is a catalogue
(app/locales/<code>.po) and nothing else. The catalogues are gettext's, read through app.languages.

The display language is the kiosk's, one at a time: `set_language(code)` switches every later call, and
the window rebuilds what it shows. `staff_tr` is the staff console's: staff screens stay in the kiosk's
working language (English) whatever the citizen chose, which is the one deliberate fallback.

`isolate(value)` keeps a left-to-right value (a reference, a postcode, a telephone number, an email
address, an amount) in its own order inside right-to-left text (Unicode bidi isolates, UAX #9).
"""

from __future__ import annotations

import unicodedata

from app import languages
from journeys import Message

__all__ = ["current", "isolate", "isolate_lines", "set_language", "staff_tr", "text", "tr", "trn"]

_lang = languages.DEFAULT

LRI, FSI, PDI, RLM = "\u2066", "\u2068", "\u2069", "\u200f"


def set_language(code: str) -> None:
    """Every later tr(), trn() and text() speaks ``code``."""
    global _lang
    _lang = code


def current() -> str:
    return _lang


def tr(text: str) -> str:
    """A UI literal in the display language (English where the catalogue has no entry)."""
    return languages.translations(_lang).gettext(text)


def trn(singular: str, plural: str, n: int) -> str:
    """A UI literal with a count, in the display language's plural form for ``n`` (not yet filled in)."""
    return languages.translations(_lang).ngettext(singular, plural, n)


def staff_tr(text: str) -> str:
    """A staff console literal: the kiosk's working language (English), whatever the citizen chose."""
    return text


def text(message: Message | str, lang: str | None = None) -> str:
    """What the core says (a message, or a plain string such as an exception's), in the display language."""
    if isinstance(message, Message):
        return message.render(lang or _lang)  # the core's messages are in the same catalogues (app.languages)
    return message


def isolate_lines(value: str) -> str:
    """An answer shown on its own, each line in its own direction in a right-to-left page: a line with no
    right-to-left letter (a telephone number, an email address, a postcode, a Latin name) left to right,
    any other by its first strong letter; and each line starts at the page's start (a right-to-left mark
    before the isolate: a line that begins with an isolate has no direction of its own, and Qt would
    align it to the left)."""
    if not value or not languages.info(_lang).right_to_left:
        return value
    return "\n".join(RLM + isolate(line, left_to_right=not _has_right_to_left(line)) for line in value.split("\n"))


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def isolate(value: str, *, left_to_right: bool = True) -> str:
    """``value`` kept in its own direction inside right-to-left text (LRI, or FSI for free text).

    In a left-to-right language it is returned as it is: nothing there reorders it."""
    if not value or not languages.info(_lang).right_to_left:
        return value
    return (LRI if left_to_right else FSI) + value + PDI
