"""What one DEFRA import keeps while it runs: its notes, the identifiers it has used, the components and lists it knows.

Every other module of the importer writes its notes here, so each note names the page and component it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from journeys.importers.report import Note, Severity

# A kiosk identifier: lower case letters, digits and hyphens, starting with a letter, at most 64 characters.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9-]{0,63}$")


def slug(text: Any, fallback: str) -> str:
    """A kiosk identifier made from a name, a path or a value: "fullName" -> "full-name", "/your-address" -> "your-address"."""
    words = str(text) if isinstance(text, str | int | float) and not isinstance(text, bool) else ""
    if isinstance(text, bool):
        words = "yes" if text else "no"
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", words).lower()
    words = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    if not words:
        words = fallback
    if not words[0].isalpha():
        words = f"{fallback}-{words}"
    return words[:64].rstrip("-")


def unique(wanted: str, used: set[str], reserved: tuple[str, ...] = ()) -> str:
    """wanted, or wanted-2, wanted-3, ... : the first not yet used (nor reserved); it is then used."""
    base = wanted[:60].rstrip("-")
    candidate, n = wanted, 1
    while candidate in used or candidate in reserved:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


@dataclass
class Component:
    """A DEFRA component as conditions see it: the kiosk question that asks it, and how its values map."""

    uuid: str
    where: str  # "page /x, component name (Type)"
    page: int  # index of the DEFRA page
    question: str | None  # the kiosk question id, or None when the kiosk does not ask it
    qtype: str | None  # the kiosk question type
    source_type: str  # the DEFRA type
    options_by_item: dict[str, str] = field(default_factory=dict)  # list item id -> option value
    options_by_value: dict[str, str] = field(default_factory=dict)  # str(item value) -> option value


@dataclass
class ListItem:
    """One item of a DEFRA list."""

    id: str
    text: Any
    value: Any
    raw: dict[str, Any]


@dataclass
class Context:
    """The state of one import."""

    notes: list[Note] = field(default_factory=list)
    question_ids: set[str] = field(default_factory=set)
    page_ids: set[str] = field(default_factory=set)
    components: dict[str, Component] = field(default_factory=dict)
    lists: dict[str, list[ListItem]] = field(default_factory=dict)
    list_where: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)  # condition id -> its raw wrapper
    languages: set[str] = field(default_factory=set)

    def note(self, where: str, what: str, severity: Severity = "info") -> None:
        self.notes.append(Note(where, what, severity))

    def error(self, where: str, what: str) -> None:
        self.note(where, what, "error")

    @property
    def broken(self) -> bool:
        return any(n.severity == "error" for n in self.notes)
