"""Text folded for matching addresses: what the pack indexes and what a citizen types become the same tokens.

- case and diacritics: "Marszałkowska" == "marszalkowska" (NFKD, combining marks dropped, and a table for
  the letters that do not decompose: ł, ø, đ, ß, æ, œ, ı, þ, ð, ħ);
- apostrophes join, other punctuation separates: "King's" == "Kings", "Rose-Court" == "rose court";
- street words and their abbreviations are one token: "Rd" == "Road", "Gdns" == "Gardens", "Flt" == "Flat"
  (a token is always folded to the long form, on both sides);
- postcodes with or without the space: "BB2 1LB", "bb21lb" (``postcode_key``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ABBREVIATIONS", "fold", "is_postcode", "postcode_key", "tokens"]

# Letters NFKD leaves whole (they are letters of their own, not a letter and a mark).
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
    }
)
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘`´ʼ", ""))
_NOT_WORD = re.compile(r"[^0-9a-z]+")

# The short form -> the long one. Both sides fold to the long form, so either matches either.
ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "cresc": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gdn": "gardens",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "ct": "court",
    "hse": "house",
    "flt": "flat",
    "gr": "grove",
    "mws": "mews",
}

_POSTCODE = re.compile(r"^[a-z]{1,2}[0-9][0-9a-z]?[0-9][a-z]{2}$")


def fold(text: str) -> str:
    """Lower case, no diacritics, apostrophes dropped, other punctuation as spaces, single-spaced."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", text.lower()).strip()


def tokens(text: str) -> list[str]:
    """The matching tokens of a text, in order: folded words, abbreviations in their long form."""
    return [ABBREVIATIONS.get(word, word) for word in fold(text).split()]


def postcode_key(text: str) -> str:
    """A postcode as one token, no space, lower case: "BB2 1LB" -> "bb21lb"."""
    return fold(text).replace(" ", "")


def is_postcode(text: str) -> bool:
    """A whole UK postcode in any format (A9 9AA ... AA9A 9AA), with or without its space, any case."""
    return bool(_POSTCODE.match(postcode_key(text)))
