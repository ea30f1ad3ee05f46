"""Kiosk identifiers made from a form's words: lower case, hyphens, a letter first, unique in the journey."""

from __future__ import annotations

import re
import unicodedata

_MAX = 40  # leaves room for a suffix ("-first-name", "-2") within the format's 64


def slug(text: str, fallback: str) -> str:
    """'What’s your name?' -> 'whats-your-name'; the fallback when nothing usable is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(words) > _MAX:
        words = words[:_MAX].rsplit("-", 1)[0] if "-" in words[:_MAX] else words[:_MAX]
    words = words.strip("-")
    if not words or not words[0].isalpha():
        words = f"{fallback}-{words}".strip("-") if words else fallback
    return words[:_MAX].strip("-")


class Ids:
    """Hands out identifiers, each once: a name taken before gets "-2", "-3"."""

    def __init__(self) -> None:
        self._taken: set[str] = {"check-answers"}

    def take(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self._taken:
            n += 1
            name = f"{wanted}-{n}"
        self._taken.add(name)
        return name
