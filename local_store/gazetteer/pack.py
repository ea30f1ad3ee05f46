"""The address pack: one read-only SQLite file built from a DTF 7.3 export, searched as the citizen types.

Inside: ``meta`` (what the pack is: schema, version, when built, from which file, whose gazetteer),
``addresses`` (one row per address, its ``id`` in the order results are shown: street, locality, house
number numerically, building, flat) and ``search``, a contentless FTS5 index of each address's folded tokens
(normalise.py), with prefix indexes for the first letters typed. ``PRAGMA user_version`` is the schema.

The pack is written to a temporary file beside ``out`` and moved over it only when complete, so a refused
or failed import never touches the pack in use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from local_store.gazetteer.address import Address, Found
from local_store.gazetteer.dtf import DtfError, Skips, read_dtf
from local_store.gazetteer.normalise import fold, is_postcode, postcode_key, tokens
from local_store.gazetteer.search import Vocabulary, plan

__all__ = ["SCHEMA_VERSION", "BuildReport", "Pack", "PackError", "PackMeta", "build_pack"]

SCHEMA_VERSION = 1
PAGE_SIZE = 4096  # on the benchmark's pack: 1 and 2 KB pages make it larger and slower; 8 and 16 KB, no better
SEARCH_BUDGET_S = 0.25  # a search taking longer than this is stopped (it returns nothing)
MAX_LIMIT = 100
_SQLITE_MAGIC = b"SQLite format 3\x00"
_META_KEYS = (
    "schema",
    "version",
    "built_at",
    "addresses",
    "streets",
    "custodian_name",
    "custodian_code",
    "source_sha256",
)
_FIRST_NUMBER = re.compile(r"(\d+)\s*([a-z]*)")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    uprn TEXT NOT NULL UNIQUE,
    sao TEXT NOT NULL, building TEXT NOT NULL, number TEXT NOT NULL, street TEXT NOT NULL,
    locality TEXT NOT NULL, town TEXT NOT NULL, postcode TEXT NOT NULL,
    in_area INTEGER NOT NULL, latitude REAL, longitude REAL,
    postcode_key TEXT NOT NULL,
    number_key TEXT NOT NULL
);
CREATE INDEX addresses_postcode ON addresses (postcode_key);
CREATE VIRTUAL TABLE search USING fts5 (
    tokens, content='', columnsize=0, detail=none, prefix='1 2 3', tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE vocabulary USING fts5vocab (search, 'row');
"""
_COLUMNS = "uprn, sao, building, number, street, locality, town, postcode, in_area, latitude, longitude"


class PackError(Exception):
    """Not a pack, a damaged one, or one of another schema: the message says which, in plain words."""


@dataclass(frozen=True)
class PackMeta:
    """What a pack is: its version, when it was built, how many addresses, whose gazetteer, from which file."""

    version: str
    built_at: str
    addresses: int
    custodian_name: str
    custodian_code: str
    source_sha256: str
    streets: int = 0


@dataclass
class BuildReport:
    """What an import made and left out: ``skipped`` has the counts by reason and the first line numbers;
    ``notes`` the same for the addresses kept without coordinates (their BLPU's line)."""

    addresses: int
    streets: int
    skipped: Skips
    seconds: float
    size_bytes: int
    version: str
    records: int = 0
    notes: Skips = field(default_factory=Skips)


def _number_sort(text: str) -> tuple[int, str]:
    """ "14A" -> (14, "a"); "10-12" -> (10, ""); "Flat 2" -> (2, ""); no number -> (-1, "")."""
    m = _FIRST_NUMBER.search(fold(text))
    return (int(m.group(1)), m.group(2)[:2]) if m else (-1, "")


def _order(a: Address) -> tuple[object, ...]:
    """Results' order: street, locality, town, house number (2 before 10), building, flat."""
    number, suffix = _number_sort(a.number)
    flat, flat_suffix = _number_sort(a.sao)
    return (
        fold(a.street),
        fold(a.locality),
        fold(a.town),
        number,
        suffix,
        fold(a.building),
        flat,
        flat_suffix,
        fold(a.sao),
    )


def _index_tokens(a: Address) -> str:
    words = tokens(" ".join((a.sao, a.building, a.number, a.street, a.locality, a.town)))
    number, _suffix = _number_sort(a.number)
    if number >= 0:
        words.append(str(number))  # "14A" is found by "14" too
    for name in (a.sao, a.building, a.street, a.locality):
        parts = tokens(name)
        if len(parts) > 1:
            words.append("".join(parts))  # the whole name as one token: "rosecourt", "kingsroad"
    if a.postcode:
        outward, inward = a.postcode.lower().split()
        words += [outward, inward, outward + inward]
    return " ".join(dict.fromkeys(words))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_pack(source: Path, out: Path, *, version: str | None = None) -> BuildReport:
    """Import a DTF 7.3 CSV into a pack at ``out``: DtfError refuses the file, and ``out`` is left as it was."""
    started = time.perf_counter()
    gazetteer = read_dtf(source)
    if not gazetteer.addresses:
        raise DtfError(None, "no addresses in the file: nothing to build a pack from")
    sha = _sha256(source)
    built = dt.datetime.now(dt.UTC).replace(microsecond=0)
    version = version or f"{built:%Y%m%d}-{sha[:8]}"
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            ordered = sorted(gazetteer.addresses, key=_order)
            db.executemany(
                f"INSERT INTO addresses (id, {_COLUMNS}, postcode_key, number_key) VALUES ({', '.join('?' * 14)})",
                (
                    (i, a.uprn, a.sao, a.building, a.number, a.street, a.locality, a.town, a.postcode, int(a.in_area),
                     a.latitude, a.longitude, postcode_key(a.postcode), _number_key(a.number))
                    for i, a in enumerate(ordered, 1)
                ),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO search (rowid, tokens) VALUES (?, ?)",
                ((i, _index_tokens(a)) for i, a in enumerate(ordered, 1)),
            )
            meta = {
                "schema": str(SCHEMA_VERSION),
                "version": version,
                "built_at": built.isoformat(),
                "addresses": str(len(ordered)),
                "streets": str(gazetteer.streets),
                "custodian_name": gazetteer.custodian_name,
                "custodian_code": gazetteer.custodian_code,
                "source_sha256": sha,
            }
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
            db.execute("INSERT INTO search (search) VALUES ('optimize')")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
            db.execute("VACUUM")
        finally:
            db.close()
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        with contextlib.suppress(OSError):  # the rename made durable, where the platform lets a folder be synced
            fd = os.open(out.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except (OSError, sqlite3.Error) as e:
        raise PackError(f"cannot write the pack {out}: {e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BuildReport(
        addresses=len(ordered),
        streets=gazetteer.streets,
        skipped=gazetteer.skipped,
        seconds=time.perf_counter() - started,
        size_bytes=out.stat().st_size,
        version=version,
        records=gazetteer.records,
        notes=gazetteer.notes,
    )


def _number_key(number: str) -> str:
    """The first house number as typed: "14A" -> "14a", "10-12" -> "10"."""
    m = _FIRST_NUMBER.match(fold(number))
    return m.group(1) + m.group(2)[:1] if m else ""


class Pack:
    """An open pack, read-only. Searches are bounded in time; a damaged file gives PackError, never sqlite3's."""

    def __init__(self, db: sqlite3.Connection, meta: PackMeta, vocabulary: Vocabulary, path: Path) -> None:
        self._db = db
        self._lock = threading.Lock()
        self.meta = meta
        self.vocabulary = vocabulary
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Pack:
        """Open a pack read-only, checking that it is one, of this schema, and whole (PackError if not)."""
        try:
            with path.open("rb") as f:
                magic = f.read(len(_SQLITE_MAGIC))
        except OSError as e:
            raise PackError(f"cannot open the address pack {path.name}: {e.strerror or e}") from None
        if magic != _SQLITE_MAGIC:
            raise PackError(f"{path.name} is not an address pack")
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"  # read-only; never changed in place (replaced)
        db = None
        try:
            db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            schema = db.execute("PRAGMA user_version").fetchone()[0]
            if schema != SCHEMA_VERSION:
                raise PackError(
                    f"{path.name}: an address pack of schema {schema}, this kiosk reads schema {SCHEMA_VERSION}"
                )
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise PackError(f"{path.name}: the address pack is damaged")
            rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
            missing = [k for k in _META_KEYS if k not in rows]
            if missing or rows["schema"] != str(SCHEMA_VERSION):
                raise PackError(f"{path.name}: not a whole address pack (no {', '.join(missing) or 'schema'})")
            meta = PackMeta(
                version=rows["version"],
                built_at=rows["built_at"],
                addresses=int(rows["addresses"]),
                custodian_name=rows["custodian_name"],
                custodian_code=rows["custodian_code"],
                source_sha256=rows["source_sha256"],
                streets=int(rows["streets"]),
            )
            vocabulary = Vocabulary([term for (term,) in db.execute("SELECT term FROM vocabulary")])
            count = db.execute("SELECT count(*) FROM addresses").fetchone()[0]
            if count != meta.addresses:
                raise PackError(
                    f"{path.name}: the address pack is damaged ({count} addresses, {meta.addresses} expected)"
                )
        except PackError:
            if db is not None:
                db.close()
            raise
        except (sqlite3.Error, ValueError) as e:
            if db is not None:
                db.close()
            raise PackError(f"{path.name} is not an address pack, or it is damaged ({e})") from None
        return cls(db, meta, vocabulary, path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Pack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        """One bounded query: stopped after SEARCH_BUDGET_S (-> []), a damaged file -> PackError."""
        deadline = time.monotonic() + SEARCH_BUDGET_S
        with self._lock:
            self._db.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as e:
                if "interrupt" in str(e):
                    return []
                raise PackError(f"{self.path.name}: the address pack is damaged ({e})") from None
            except sqlite3.Error as e:
                raise PackError(f"{self.path.name}: the address pack is damaged ({e})") from None
            finally:
                self._db.set_progress_handler(None, 0)

    def search(self, text: str, limit: int = 8) -> Found:
        """The addresses matching what the citizen has typed so far, best first (exact postcode or house
        number first, then by street, number and flat); ``more`` when there were more than ``limit``."""
        limit = max(1, min(limit, MAX_LIMIT))
        if is_postcode(text[:20]):
            rows = self._rows(
                f"SELECT {_COLUMNS} FROM addresses WHERE postcode_key = ? ORDER BY id LIMIT ?",
                (postcode_key(text), limit + 1),
            )
            if rows:
                return _found(rows, limit)
        # The index is walked in rowid order, which is the results' order: the first limit + 1 rows are the
        # answer and the walk stops there. With a house number typed, the exact number comes first. The
        # tight query (names whole) first; the loose one fills what is left.
        sql = (
            f"SELECT id, {_COLUMNS} FROM search CROSS JOIN addresses ON addresses.id = search.rowid"
            " WHERE search MATCH ?"
        )
        found: dict[object, tuple[object, ...]] = {}
        for query in plan(text, self.vocabulary):
            if query.number:
                rows = self._rows(sql + " ORDER BY number_key != ?, id LIMIT ?", (query.match, query.number, limit + 1))
            else:
                rows = self._rows(sql + " ORDER BY search.rowid LIMIT ?", (query.match, limit + 1))
            for row in rows:
                found.setdefault(row[0], row[1:])
            if len(found) > limit:
                break
        return _found(list(found.values()), limit)

    def example(self) -> Address | None:
        """An address of this borough with a number and a postcode, for the search box's hint: the one halfway
        through the pack, so every kiosk of a council shows the same one."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM addresses WHERE number != '' AND postcode != '' AND sao = '' AND in_area = 1 "
            "ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM addresses)",
            (),
        )
        if not rows:
            rows = self._rows(f"SELECT {_COLUMNS} FROM addresses WHERE number != '' AND postcode != '' LIMIT 1", ())
        return _address(rows[0]) if rows else None

    def by_uprn(self, uprn: str) -> Address | None:
        """The address of a UPRN, or None (not in the pack, or not a UPRN)."""
        uprn = uprn.strip()
        if not uprn.isascii() or not uprn.isdigit() or len(uprn) > 12:
            return None
        rows = self._rows(f"SELECT {_COLUMNS} FROM addresses WHERE uprn = ?", (uprn.lstrip("0") or "0",))
        return _address(rows[0]) if rows else None

    def located(self) -> int:
        """How many addresses have a latitude and longitude (for `gazetteer info`: a full scan, not for a kiosk)."""
        sql = "SELECT count(*) FROM addresses WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
        with self._lock:  # not the search's time budget: IT waits for the whole count
            try:
                return int(self._db.execute(sql).fetchone()[0])
            except sqlite3.Error as e:
                raise PackError(f"{self.path.name}: the address pack is damaged ({e})") from None

    def has_postcode(self, postcode: str, *, in_area: bool = False) -> bool:
        """Whether any address in the pack has this postcode (any spacing or case); with `in_area`, any of
        the council's own (not a cross-boundary record's)."""
        if not is_postcode(postcode[:20]):
            return False
        area = " AND in_area = 1" if in_area else ""
        sql = f"SELECT 1 FROM addresses WHERE postcode_key = ?{area} LIMIT 1"
        return bool(self._rows(sql, (postcode_key(postcode),)))


def _address(row: tuple[object, ...]) -> Address:
    uprn, sao, building, number, street, locality, town, postcode, in_area, latitude, longitude = row
    return Address(
        uprn=str(uprn),
        sao=str(sao),
        building=str(building),
        number=str(number),
        street=str(street),
        locality=str(locality),
        town=str(town),
        postcode=str(postcode),
        in_area=bool(in_area),
        latitude=latitude if isinstance(latitude, float) else None,
        longitude=longitude if isinstance(longitude, float) else None,
    )


def _found(rows: list[tuple[object, ...]], limit: int) -> Found:
    return Found(tuple(_address(row) for row in rows[:limit]), more=len(rows) > limit)
