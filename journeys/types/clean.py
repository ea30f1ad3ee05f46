"""What every raw answer goes through before its type reads it: characters no one can see, and digits in any script.

Refused (the citizen is told to type it again): control characters (C0 and C1, except tab and new line),
text-direction embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), which can make
text read differently from what it holds, and lone surrogates. Removed: the other invisible format
characters (zero-width space, soft hyphen, byte order mark, direction marks, ...), except the zero-width
joiner and non-joiner that Urdu, Persian and the Indic scripts need. Line ends (CR LF, CR, U+2028,
U+2029) become a new line.

In a *coded* answer (numbers, money, dates, times, phone numbers, postcodes) decimal digits of any
script (Arabic-Indic, Urdu, Gujarati, Devanagari, full width, ...) become 0-9, full-width letters and
punctuation become ASCII, and the Arabic decimal and thousands separators become "." and ",". Digits
that are not decimal (superscripts, circled numbers) are left alone, so the type refuses them with its
own message. Free text keeps what was typed.
"""

from __future__ import annotations

import re
import unicodedata

# What a screen reader or a keyboard never needs in an answer, and what can disguise one.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_ENDS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: part of how words in some scripts are written
_SEPARATORS = {"\u066b": ".", "\u066c": ",", "\u3000": " "}  # Arabic decimal and thousands, ideographic space
_FULL_WIDTH = range(0xFF01, 0xFF5F)  # FF01..FF5E are ASCII 21..7E in full width


class HiddenCharacters(ValueError):
    """The answer holds a control or text-direction character (the type words the message)."""


def clean_text(text: str, *, coded: bool = False) -> str:
    """The text without invisible format characters (and in ASCII digits when coded); HiddenCharacters if refused."""
    text = text.replace("\r\n", "\n").translate(_LINE_ENDS)
    if _REFUSED.search(text):
        raise HiddenCharacters
    if text.isascii():
        return text
    kept = (ch for ch in text if ch in _JOINERS or unicodedata.category(ch) != "Cf")
    if not coded:
        return "".join(kept)
    return "".join(_ascii(ch) for ch in kept)


def _ascii(ch: str) -> str:
    if ch.isascii():
        return ch
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    if ord(ch) in _FULL_WIDTH:
        return chr(ord(ch) - 0xFEE0)
    return _SEPARATORS.get(ch, ch)


class NotAnAnswer(ValueError):
    """A raw answer of a shape no screen sends: a list or a dict inside a list or a dict."""


def clean_raw(raw: object, coded: bool | frozenset[str]) -> object:
    """A raw answer with each of its strings cleaned; ``coded`` is True, or the dict boxes that are coded."""
    if isinstance(raw, str):
        return clean_text(raw, coded=coded is True)
    if isinstance(raw, dict):
        boxes = coded if isinstance(coded, frozenset) else frozenset()
        return {k: _clean_item(v, coded is True or k in boxes) for k, v in raw.items()}
    if isinstance(raw, list | tuple | set):
        return [_clean_item(v, coded is True) for v in raw]
    return raw


def _clean_item(value: object, coded: bool) -> object:
    if isinstance(value, dict | list | tuple | set):
        raise NotAnAnswer
    return clean_text(value, coded=coded) if isinstance(value, str) else value
