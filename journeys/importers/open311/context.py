"""What one Open311 import keeps while it runs (its notes, the identifiers used) and the small readers it shares.

Everything read from the service is checked here for its type and size, so the rest of the importer works on
plain, bounded values: words cut to a length, identifiers that follow the journey format, flags as booleans.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from journeys.importers.report import Note, Severity, kind

IDENTIFIER = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# An Open311 code or key as the delivery mapping takes it (journeys/delivery.py): printable, no space at either end.
CODE = re.compile(r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,98}[^\s\x00-\x1f\x7f])?$")
_ID_MAX = 40  # leaves room for a suffix ("-2", "-time") within the format's 64


def slug(text: str, fallback: str) -> str:
    """'depth_cm' -> 'depth-cm', 'Yes please' -> 'yes-please', '1' -> 'fallback-1'; the fallback when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text[:200]).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", ascii_text).lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(words) > _ID_MAX:
        cut = words[:_ID_MAX]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if not words:
        return fallback
    if not words[0].isalpha():
        words = f"{fallback}-{words}"
    return words[: _ID_MAX + len(fallback) + 1].strip("-")


def code_of(value: Any) -> str | None:
    """An Open311 code or key as text (a JSON number is taken as its digits), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and CODE.fullmatch(value):
        return value
    return None


def flag(value: Any) -> bool | None:
    """true/false, also as the words XML turns them into; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def order_of(value: Any) -> float | None:
    """An attribute's `order` as a number (also as words of digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip()[:30])
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


@dataclass
class Context:
    """The state of one import: its notes and the page and question identifiers taken."""

    notes: list[Note] = field(default_factory=list)
    taken: set[str] = field(default_factory=lambda: {"check-answers"})

    def note(self, where: str, what: str, severity: Severity = "info") -> None:
        self.notes.append(Note(where, what, severity))

    def error(self, where: str, what: str) -> None:
        self.note(where, what, "error")

    def take(self, wanted: str) -> str:
        """wanted, or wanted-2, wanted-3 ...: the first not yet used as a page or question id; it is then used."""
        base = wanted[:58].rstrip("-")
        candidate, n = wanted, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate

    def words(self, value: Any, where: str, what: str, limit: int) -> str | None:
        """Words for the citizen: spaces tidied, cut at `limit` characters (with a note); None when there are none."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.note(where, f"the {what} should be words, not {kind(value)}: left out", "changed")
            return None
        tidy = " ".join(value[: limit * 4].split())
        if not tidy:
            return None
        if len(tidy) > limit:
            cut = tidy[:limit].rsplit(" ", 1)[0] if " " in tidy[:limit] else tidy[:limit]
            self.note(where, f"the {what} is longer than {limit} characters: cut short", "changed")
            tidy = cut.rstrip(" ,;:") + "…"
        return tidy
