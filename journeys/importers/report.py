"""What an import gives back: the kiosk journey it made, and a note for every construct it changed or left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DEFAULT_CATEGORY", "DEFAULT_CONFIRMATION", "ImportFailed", "Imported", "Note", "Severity", "kind"]

# None of the formats has the kiosk's home-screen category: an import goes under "Other services"
# unless the council names one (`dcp-kiosk journeys import --category`).
DEFAULT_CATEGORY = "other-services"
# What happens next, for a definition that does not say: it promises nothing the kiosk cannot know (no contact
# when no way to reach the citizen was asked for, no email).
DEFAULT_CONFIRMATION = {
    "en": "Keep your reference. Quote it if you get in touch with the council about this request.",
    "cy": "Cadwch eich cyfeirnod. Rhowch ef os byddwch yn cysylltu â'r cyngor am y cais hwn.",
}

# info: mapped with a small, harmless difference (a heading kept as a paragraph);
# changed: mapped to something different that keeps the meaning (a map question asks for a description);
# left_out: no kiosk equivalent, and the journey says what to do instead (bring a file to the counter);
# error: the definition is broken here; the journey would not be usable.
Severity = Literal["info", "changed", "left_out", "error"]


@dataclass(frozen=True)
class Note:
    """One thing a person should know about the import, and where in the definition it is."""

    where: str  # "page /your-address, component addressField (UkAddressField)"; "" for the whole form
    what: str  # plain words: what was done, or what is wrong, and what to do about it
    severity: Severity = "info"

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.what}" if self.where else f"{self.severity}: {self.what}"


@dataclass
class Imported:
    """The kiosk definition (a JSON-ready dict in the journey format) and the notes of the import."""

    format: str  # "xgov", "govuk-forms", "defra" or "open311"
    journey: dict[str, Any] | None
    notes: list[Note] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """A journey was made and nothing in the definition was broken."""
        return self.journey is not None and not any(n.severity == "error" for n in self.notes)


class ImportFailed(ValueError):
    """The definition cannot be imported at all (not JSON of the format, beyond the limits); names where."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def kind(value: Any) -> str:
    """What a JSON value is, in words, for a message about a wrong type."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "words"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
