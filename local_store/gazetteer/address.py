"""One address from the council's gazetteer (LLPG), as the kiosk shows it and a journey stores it.

The pack (local_store/gazetteer/pack.py) gives these back from a search, best first. The fields are
the gazetteer's own parts, already in the case a letter would use ("King's Road", not "KING'S ROAD"):

- ``sao``: the secondary addressable object, "Flat 2", "Unit 3B", "Ground Floor Flat" ("" if none);
- ``building``: the primary object's name, "Rose Court" ("" if none);
- ``number``: the primary object's number or range, "14", "14A", "10-12" ("" if none);
- ``street``, ``locality``, ``town``, ``postcode`` ("BB2 1LB");
- ``uprn``: the Unique Property Reference Number, digits, as a string (up to 12 digits);
- ``in_area``: the council is the address's own custodian (a cross-boundary record is not);
- ``latitude`` / ``longitude``: WGS84, when the gazetteer gives them (Open311 sends them).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Address", "Found"]


@dataclass(frozen=True)
class Address:
    uprn: str
    sao: str = ""
    building: str = ""
    number: str = ""
    street: str = ""
    locality: str = ""
    town: str = ""
    postcode: str = ""
    in_area: bool = True
    latitude: float | None = None
    longitude: float | None = None

    @property
    def street_line(self) -> str:
        """ "14 King's Road", or the street alone for a building with no number."""
        return f"{self.number} {self.street}".strip() if self.number else self.street

    def lines(self) -> dict[str, str]:
        """The address question's answer: line1, line2, town, postcode (the four boxes), and the UPRN.

        "Flat 2" / "14 King's Road"; "Flat 2, Rose Court" / "King's Road, Little Harwood";
        "14 King's Road" / "" when there is nothing else."""
        first = [part for part in (self.sao, self.building) if part]
        if first:
            line1, rest = ", ".join(first), [self.street_line, self.locality]
        else:
            line1, rest = self.street_line, [self.locality]
        return {
            "line1": line1,
            "line2": ", ".join(part for part in rest if part),
            "town": self.town,
            "postcode": self.postcode,
            "uprn": self.uprn,
        }

    def one_line(self) -> str:
        """The whole address on one line, in postal order: what a result row shows and speech reads."""
        parts = self.lines()
        return ", ".join(parts[k] for k in ("line1", "line2", "town", "postcode") if parts[k])


@dataclass(frozen=True)
class Found:
    """What a search found: the addresses to show, best first, and whether there were more than these."""

    addresses: tuple[Address, ...]
    more: bool = False
