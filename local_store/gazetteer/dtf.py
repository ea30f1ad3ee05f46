"""Read a GeoPlace DTF 7.3 CSV (an LLPG export) into the addresses a citizen can pick, and what was left out.

The records read, by their DTF 7.3 field positions (docs/gazetteer.md lists them and the source):
10 header (custodian, version "7.3", file type), 11 street, 15 street descriptor, 21 BLPU, 24 LPI,
29 metadata, 99 trailer (its record count is checked). Change types I/U/D are applied in PRO_ORDER,
then in line order; every other record type is skipped and counted.

An address is an approved LPI (logical status 1, no end date) of a live BLPU (logical status 1, no end
date), on a street that has a descriptor, with a valid postcode (or none). One address per UPRN: its
English LPI when it has one (a Welsh LPI of the same UPRN is an alternative, skipped). Its latitude and
longitude are its BLPU's X_COORDINATE and Y_COORDINATE (British National Grid) converted to WGS84
(coords.py); an address whose BLPU has none, or unusable ones, is kept without them and counted as a note.

Two kinds of trouble:
- ``DtfError(line, message)``: the file as a whole is unusable (not text, not DTF 7.3, cut short, a trailer
  that disagrees, too big, a line too long, too many malformed records). Nothing is built from it.
- a counted skip with its line number (``Skips``): one bad or unwanted record; the rest is read.
A note (``Gazetteer.notes``, counted the same way) is not trouble: an address kept without coordinates.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from local_store.gazetteer.address import Address
from local_store.gazetteer.coords import grid_point, to_wgs84
from local_store.gazetteer.normalise import is_postcode, postcode_key

__all__ = ["MAX_FILE_BYTES", "MAX_LINE_BYTES", "MAX_RECORDS", "DtfError", "Gazetteer", "Skips", "read_dtf"]

MAX_FILE_BYTES = 2 * 1024**3  # 2 GB: a large county's LLPG is a few hundred MB
MAX_LINE_BYTES = 4096  # the longest DTF 7.3 record is well under 1,000 characters
MAX_RECORDS = 10_000_000
MAX_TEXT = 100  # the longest DTF 7.3 text field (a street descriptor) is 100 characters
MAX_MALFORMED_SHARE = 0.10  # more malformed records than this: not a usable file
EXAMPLES = 5  # line numbers kept per skip reason

# The number of fields of each record type read, in DTF 7.3.
WIDTH = {10: 9, 11: 20, 15: 9, 21: 23, 24: 30, 29: 17, 99: 5}
LPI_STATUS = {3: "alternative", 6: "provisional", 8: "historical", 9: "rejected"}


class DtfError(ValueError):
    """A file that cannot be used at all: ``line`` (1-based; None for the file as a whole) and what is wrong."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass
class Skips:
    """What was left out and why: a count per reason and the first few line numbers of each."""

    counts: Counter[str] = field(default_factory=Counter)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, line: int) -> None:
        self.counts[reason] += 1
        examples = self.lines.setdefault(reason, [])
        if len(examples) < EXAMPLES:
            examples.append(line)

    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Gazetteer:
    """What a DTF file gives the pack: its custodian, its addresses (in file order) and its skips."""

    custodian_name: str
    custodian_code: str
    addresses: list[Address]
    streets: int
    records: int
    skipped: Skips
    notes: Skips = field(default_factory=Skips)  # addresses kept without coordinates, by reason, with lines


class _Malformed(Exception):
    """One record that cannot be read: skipped and counted, the rest of the file goes on."""


@dataclass
class _Lpi:
    line: int
    uprn: str
    language: str
    status: int
    ended: bool
    sao: str
    building: str
    number: str
    usrn: str
    postcode: str
    town: str


class _Blpu(NamedTuple):  # a tuple: one per property, made faster than a dataclass
    live: bool
    custodian: str
    grid: tuple[float, float] | str  # (easting, northing), or why there are no coordinates
    line: int


NOT_CONVERTED = "address without coordinates: PROJ could not convert its BLPU's coordinates"


def _lines(binary: io.BufferedIOBase) -> Iterator[str]:
    """The file's lines, decoded one by one (so an error names its line), each at most MAX_LINE_BYTES long
    (a longer one is refused, not read whole)."""
    number = 0
    while True:
        number += 1
        raw = binary.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise DtfError(number, f"a line longer than {MAX_LINE_BYTES} bytes: not a DTF record")
        if b"\x00" in raw:
            raise DtfError(number, "a binary file, not a DTF CSV")
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DtfError(number, "not UTF-8 text (is it the DTF CSV export?)") from None


def _digits(value: str, name: str, most: int, *, empty: bool = False) -> str:
    value = value.strip()
    if not value and empty:
        return ""
    if not value.isascii() or not value.isdigit() or len(value) > most:
        raise _Malformed(f"{name} not a number")
    return value.lstrip("0") or "0"


def _text(value: str, most: int = MAX_TEXT) -> str:
    value = " ".join(value.split())
    if len(value) > most:
        raise _Malformed("a field too long")
    return _letter_case(value)


def _letter_case(value: str) -> str:
    """An ALL CAPITALS value (as many LLPGs keep them) in the case a letter uses: "KING'S ROAD" -> "King's Road"."""
    if not value or value != value.upper() or not any(ch.isalpha() for ch in value):
        return value

    def word(w: str) -> str:
        return "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-"))

    return " ".join(word(w) for w in value.split(" "))


def _range(start: str, start_suffix: str, end: str, end_suffix: str) -> str:
    """SAO/PAO numbers as written: "14", "14A", "10-12", "2A-2C" ("" when there is no number)."""
    first = _digits(start, "a number field", 4, empty=True)
    last = _digits(end, "a number field", 4, empty=True)
    for suffix in (start_suffix, end_suffix):
        if len(suffix.strip()) > 2:
            raise _Malformed("a field too long")
    text = f"{first}{start_suffix.strip().upper()}" if first else ""
    if last:
        text = f"{text}-{last}{end_suffix.strip().upper()}" if text else f"{last}{end_suffix.strip().upper()}"
    return text


def _status(value: str) -> int:
    return int(_digits(value, "a logical status", 1))


class _Reader:
    """One pass over the file: records checked, then changes applied in order, then addresses made."""

    def __init__(self) -> None:
        self.skips = Skips()
        self.notes = Skips()
        self.custodian_name = ""
        self.custodian_code = ""
        self.records = 0
        self.malformed = 0
        self.changes: list[tuple[int, int, int, str, list[str]]] = []  # (PRO_ORDER, line, type, change, row)
        self.trailer: list[str] | None = None

    def read(self, path: Path) -> Gazetteer:
        try:
            size = path.stat().st_size
        except OSError as e:
            raise DtfError(None, f"cannot read {path.name}: {e.strerror or e}") from None
        if size > MAX_FILE_BYTES:
            raise DtfError(
                None, f"{size:,} bytes: more than the {MAX_FILE_BYTES // 1024**3} GB a gazetteer file may be"
            )
        try:
            with path.open("rb") as binary:
                self._records(csv.reader(_lines(binary)))
        except csv.Error as e:
            raise DtfError(self.records + 1, f"not CSV: {e}") from None
        except OSError as e:
            raise DtfError(None, f"cannot read {path.name}: {e.strerror or e}") from None
        if self.trailer is None:
            raise DtfError(None, "no trailer record (99): the file is cut short or is not a DTF 7.3 file")
        data = self.records - 2
        if data > 0 and self.malformed > max(10, data * MAX_MALFORMED_SHARE):
            first = min(min(v) for k, v in self.skips.lines.items() if k.startswith("malformed"))
            raise DtfError(first, f"{self.malformed:,} of {data:,} records are malformed: not a usable DTF 7.3 file")
        return self._apply()

    def _records(self, reader: Iterator[list[str]]) -> None:
        line = 0
        for row in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            self.records += 1
            if self.records > MAX_RECORDS:
                raise DtfError(line, f"more than {MAX_RECORDS:,} records: not one council's gazetteer")
            if self.trailer is not None:
                raise DtfError(line, "a record after the trailer (99)")
            kind = row[0].strip()
            if self.records == 1:
                self._header(row, line)
                continue
            if not kind.isascii() or not kind.isdigit() or len(kind) > 2:
                self._malformed("record type not a number", line)
                continue
            record = int(kind)
            if record not in WIDTH:
                self.skips.add(f"record type {record} (not read)", line)
                continue
            if len(row) != WIDTH[record]:
                self._malformed(f"wrong number of fields for a type {record} record", line)
                continue
            if record == 10:
                raise DtfError(line, "a second header record (10): two files joined?")
            if record == 99:
                self._check_trailer(row, line)
            elif record == 29:
                self.custodian_name = self.custodian_name or " ".join(row[7].split())[:MAX_TEXT]
            else:
                try:
                    change = row[1].strip().upper()
                    if change not in ("I", "U", "D"):
                        raise _Malformed("change type not I, U or D")
                    order = int(_digits(row[2], "PRO_ORDER", 18))
                except _Malformed as e:
                    self._malformed(str(e), line)
                    continue
                self.changes.append((order, line, record, change, row))

    def _malformed(self, what: str, line: int) -> None:
        self.malformed += 1
        self.skips.add(f"malformed: {what}", line)

    def _header(self, row: list[str], line: int) -> None:
        if row[0].strip() != "10" or len(row) != WIDTH[10]:
            raise DtfError(line, "not a DTF 7.3 file: it does not begin with a header record (10)")
        version = row[7].strip()
        if not version.startswith("7.3"):
            raise DtfError(line, f"DTF version {version[:20]!r}: this reads DTF 7.3 only")
        if row[8].strip().upper() not in ("F", ""):
            raise DtfError(line, "a change-only file (file type C): export the whole gazetteer (file type F)")
        self.custodian_name = " ".join(row[1].split())[:MAX_TEXT]
        try:
            self.custodian_code = _digits(row[2], "LOCAL_CUSTODIAN_CODE", 4)
        except _Malformed:
            raise DtfError(line, "the header's custodian code is not a number") from None

    def _check_trailer(self, row: list[str], line: int) -> None:
        self.trailer = row
        try:
            nxt = int(_digits(row[1], "NEXT_VOLUME_NUMBER", 6, empty=True) or 0)
            count = int(_digits(row[2], "RECORD_COUNT", 12))
        except _Malformed as e:
            raise DtfError(line, f"the trailer's {e}") from None
        if nxt:
            raise DtfError(line, f"one volume of several (the next is {nxt}): join the volumes into one file")
        if count not in (self.records, self.records - 1):
            raise DtfError(line, f"the trailer counts {count:,} records, the file has {self.records:,}: cut short?")

    def _apply(self) -> Gazetteer:
        """The changes in PRO_ORDER, then line order; then the addresses."""
        self.changes.sort(key=lambda c: (c[0], c[1]))
        tables: dict[int, dict[Any, tuple[int, Any]]] = {15: {}, 21: {}, 24: {}, 11: {}}
        for _order, line, record, change, row in self.changes:
            try:
                key, value = self._parse(record, row, line)
            except _Malformed as e:
                self._malformed(str(e), line)
                continue
            table = tables[record]
            if change == "I":
                if key in table:
                    self.skips.add("insert of a record already there (replaced)", line)
                table[key] = (line, value)
            elif key not in table:
                self.skips.add(f"{'update' if change == 'U' else 'delete'} of a record not in the file", line)
            elif change == "U":
                table[key] = (table[key][0], value)  # it keeps its place in the file's order
            else:
                del table[key]
        descriptors: dict[str, dict[str, tuple[str, str, str]]] = {}
        for (usrn, language), (_line, names) in tables[15].items():
            descriptors.setdefault(usrn, {})[language] = names
        blpus = {uprn: value for uprn, (_line, value) in tables[21].items()}
        lpis: list[_Lpi] = [value for _line, value in sorted(tables[24].values(), key=lambda entry: entry[0])]
        return Gazetteer(
            custodian_name=self.custodian_name,
            custodian_code=self.custodian_code,
            addresses=self._addresses(lpis, blpus, descriptors),
            streets=len(descriptors),
            records=self.records,
            skipped=self.skips,
            notes=self.notes,
        )

    def _parse(self, record: int, row: list[str], line: int) -> tuple[Any, Any]:
        if record == 11:
            return _digits(row[3], "USRN", 8), None
        if record == 15:
            usrn = _digits(row[3], "USRN", 8)
            value = (_text(row[4]), _text(row[5]), _text(row[6]))
            return (usrn, row[8].strip().upper()[:3] or "ENG"), value
        if record == 21:
            uprn = _digits(row[3], "UPRN", 12)
            live = _status(row[4]) == 1 and not row[14].strip()
            custodian = _digits(row[12], "LOCAL_CUSTODIAN_CODE", 4, empty=True)
            return uprn, _Blpu(live, custodian, grid_point(row[9], row[10]), line)  # 10 X_, 11 Y_COORDINATE
        uprn = _digits(row[3], "UPRN", 12)
        key = row[4].strip()
        if not key or len(key) > 14:
            raise _Malformed("LPI_KEY empty or too long")
        sao_text, pao_text = _text(row[15], 90), _text(row[20], 90)
        sao_number = _range(row[11], row[12], row[13], row[14])
        lpi = _Lpi(
            line=line,
            uprn=uprn,
            language=row[5].strip().upper()[:3],
            status=_status(row[6]),
            ended=bool(row[8].strip()),
            sao=" ".join(part for part in (sao_text, sao_number) if part),
            building=pao_text,
            number=_range(row[16], row[17], row[18], row[19]),
            usrn=_digits(row[21], "USRN", 8),
            postcode=" ".join(row[24].split()).upper()[:20],
            town=_text(row[25], 30),
        )
        return key, lpi

    def _addresses(
        self, lpis: list[_Lpi], blpus: dict[str, _Blpu], streets: dict[str, dict[str, tuple[str, str, str]]]
    ) -> list[Address]:
        english = {lpi.uprn for lpi in lpis if lpi.status == 1 and not lpi.ended and lpi.language == "ENG"}
        done: set[str] = set()
        chosen: list[_Lpi] = []
        for lpi in lpis:
            reason = self._why_not(lpi, blpus, streets, english, done)
            if reason:
                self.skips.add(reason, lpi.line)
                continue
            done.add(lpi.uprn)
            chosen.append(lpi)
        out: list[Address] = []
        for lpi, point in zip(chosen, self._points([blpus[lpi.uprn] for lpi in chosen]), strict=True):
            names = streets[lpi.usrn]
            street, locality, town = names.get(lpi.language) or names.get("ENG") or next(iter(names.values()))
            key = postcode_key(lpi.postcode)
            postcode = f"{key[:-3]} {key[-3:]}".upper() if key else ""
            out.append(
                Address(
                    uprn=lpi.uprn,
                    sao=lpi.sao,
                    building=lpi.building,
                    number=lpi.number,
                    street=street,
                    locality=locality,
                    town=lpi.town or town,
                    postcode=postcode,
                    in_area=blpus[lpi.uprn].custodian in ("", self.custodian_code),
                    latitude=point[0] if point else None,
                    longitude=point[1] if point else None,
                )
            )
        return out

    def _points(self, blpus: list[_Blpu]) -> list[tuple[float, float] | None]:
        """Each address's BLPU's point as (latitude, longitude), all converted in one batch; None, counted as a
        note with the BLPU's line, where it has none."""
        on_grid = [(i, blpu.grid) for i, blpu in enumerate(blpus) if not isinstance(blpu.grid, str)]
        out: list[tuple[float, float] | None] = [None] * len(blpus)
        for (i, _grid), point in zip(on_grid, to_wgs84([grid for _i, grid in on_grid]), strict=True):
            out[i] = point
        for blpu, point in zip(blpus, out, strict=True):
            if point is None:
                self.notes.add(blpu.grid if isinstance(blpu.grid, str) else NOT_CONVERTED, blpu.line)
        return out

    @staticmethod
    def _why_not(
        lpi: _Lpi,
        blpus: dict[str, _Blpu],
        streets: dict[str, dict[str, tuple[str, str, str]]],
        english: set[str],
        done: set[str],
    ) -> str:
        if lpi.status != 1:
            return f"LPI not approved: {LPI_STATUS.get(lpi.status, 'logical status')} ({lpi.status})"
        if lpi.ended:
            return "LPI ended (it has an end date)"
        if lpi.uprn not in blpus:
            return "LPI of a UPRN with no BLPU in the file"
        if not blpus[lpi.uprn].live:
            return "BLPU not live (not approved, or ended)"
        if lpi.language != "ENG" and lpi.uprn in english:
            return f"{'Welsh (CYM)' if lpi.language == 'CYM' else lpi.language} alternative of an English LPI"
        if lpi.uprn in done:
            return "a second approved LPI of one UPRN"
        if lpi.usrn not in streets:
            return "LPI of a street (USRN) with no descriptor in the file"
        if lpi.postcode and not is_postcode(lpi.postcode):
            return "postcode not a UK postcode"
        return ""


def read_dtf(path: Path) -> Gazetteer:
    """Read a DTF 7.3 CSV. Raises DtfError for a file that cannot be used; skips and counts bad records."""
    return _Reader().read(path)
