"""What the parts of one XGov import share: the notes so far, the questions made, and where each was asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.importers.report import Note, Severity
from journeys.importers.xgov.text import Ids


class Refused(ValueError):
    """A construct that cannot be converted; the message says what, in plain words, for a note."""


@dataclass
class Field:
    """One XGov input field and the kiosk question it became."""

    qid: str  # the kiosk question id
    xgov_type: str  # "RadiosField"
    kiosk_type: str  # "radios"
    page: int  # the index of the kiosk page it is asked on
    options: dict[str, str] = field(default_factory=dict)  # XGov list value (as text) -> kiosk option value
    money: bool = False  # a NumberField with a pound prefix, asked as money (pence)
    single_choice: str | None = None  # a one-item list asked as yes/no: that item's XGov value
    time_qid: str | None = None  # a date-and-time field: the time question beside the date


@dataclass
class Context:
    """The state of one conversion: notes, lists, fields by their XGov names, identifiers in use."""

    data: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)  # "section.name" and "name" -> Field
    ambiguous: set[str] = field(default_factory=set)  # bare names used in more than one section
    page_ids: Ids = field(default_factory=lambda: Ids(("check-answers",)))
    question_ids: Ids = field(default_factory=Ids)
    welsh: bool = False

    def note(self, where: str, what: str, severity: Severity = "info") -> None:
        self.notes.append(Note(where, what, severity))

    def add_field(self, section: str | None, name: str, info: Field) -> None:
        if section:
            self.fields[f"{section}.{name}"] = info
        if name in self.fields and self.fields[name].qid != info.qid:
            self.ambiguous.add(name)
        else:
            self.fields[name] = info

    def find_field(self, name: str) -> Field:
        """The field a condition names (``section.name`` or ``name``); Refused when there is none."""
        if name in self.fields and name not in self.ambiguous:
            return self.fields[name]
        if "." in name:
            bare = name.rsplit(".", 1)[1]
            if bare in self.fields and bare not in self.ambiguous:
                return self.fields[bare]
        if name in self.ambiguous:
            raise Refused(f"the field {name!r} is in more than one section: name it with its section")
        raise Refused(f"there is no input field {name!r} on any page")


def where_page(path: Any) -> str:
    return f"page {path}" if isinstance(path, str) else "a page"


def where_component(path: Any, component: Any, n: int) -> str:
    """``page /your-address, component addressField (UkAddressField)``, or by its place when it has no name."""
    if isinstance(component, dict):
        name = component.get("name")
        kind = component.get("type")
        label = name if isinstance(name, str) and name else f"#{n}"
        kind_words = f" ({kind})" if isinstance(kind, str) and kind else ""
        return f"{where_page(path)}, component {label}{kind_words}"
    return f"{where_page(path)}, component #{n}"
