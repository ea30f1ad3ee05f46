"""A synthetic but realistic DTF 7.3 gazetteer (LLPG export) of a fictional borough, for tests and the benchmark.

No real council's data: the borough ("Harwood Vale", custodian code 9017), its streets, postcodes and
UPRNs are invented; the postcodes use the real UK formats (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA,
AA9A 9AA) in an invented "BB"/"B" area. Deterministic: the same ``seed`` and size give the same file.

    python -m reference_portal.gazetteer_data OUT.csv [--addresses N] [--seed S]

The file is what an LLPG system exports as DTF 7.3 CSV: a header (10), metadata (29), streets (11) with
their descriptors (15, some with a Welsh one too), BLPUs (21) and their LPIs (24), a few record types the
kiosk does not read (23 cross references, 32 classifications), change records (U and D after I), and a
trailer (99) with the record count. CRLF line ends, quoted text fields. Each BLPU has National Grid
coordinates along its street (gazetteer_places.py), in a borough-sized square around 366,000 E, 429,000 N.

The addresses below are in every file, whatever its size, so tests can name them.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reference_portal.gazetteer_places import EAST, NORTH, Street, fraction, street_line

# fmt: off
__all__ = [
    "CUSTODIAN_CODE", "CUSTODIAN_NAME", "DELETED_UPRN", "FIXTURE_ADDRESSES", "KNOWN", "NEIGHBOUR_CODE", "Known",
    "Summary", "write_dtf",
]
# fmt: on

CUSTODIAN_CODE = "9017"
CUSTODIAN_NAME = "Harwood Vale Borough Council"
NEIGHBOUR_CODE = "9018"  # a cross-boundary BLPU's custodian: the neighbouring council
TOWN = "Harwood"
FIXTURE_ADDRESSES = 300  # the unit tests' small file
VERSION = "2"  # of what the generator writes: a change that alters its output raises it (the demo rebuilds its pack)


@dataclass(frozen=True)
class Known:
    """An address every generated file has, as the pack should give it back."""

    uprn: str
    sao: str = ""
    building: str = ""
    number: str = ""
    street: str = ""
    locality: str = ""
    postcode: str = ""
    in_area: bool = True
    town: str = TOWN


# fmt: off
_HARWOOD, _PARK, _EAST, _OVER = "Little Harwood", "Queen's Park", "Eastfield", "Over Harwood"
KNOWN: dict[str, Known] = {
    "kings_road_14": Known("100017000001", number="14", street="King's Road", locality=_HARWOOD, postcode="BB2 1LB"),
    "kings_road_2": Known("100017000002", number="2", street="King's Road", locality=_HARWOOD, postcode="BB2 1LB"),
    "kings_road_10": Known("100017000003", number="10", street="King's Road", locality=_HARWOOD, postcode="BB2 1LB"),
    "kings_road_14a": Known("100017000004", number="14A", street="King's Road", locality=_HARWOOD, postcode="BB2 1LB"),
    "unit_3b": Known("100017000005", sao="Unit 3B", building="Kestrel Works, East Yard", street="King's Road",
                     locality=_HARWOOD, postcode="BB2 1LD"),
    "rose_court_flat_2": Known("100017000012", sao="Flat 2", building="Rose Court", number="3", street="Mill Lane",
                               locality=_PARK, postcode="BB10 4RC"),
    "rose_court_ground": Known("100017000015", sao="Ground Floor Flat", building="Rose Court", number="3",
                               street="Mill Lane", locality=_PARK, postcode="BB10 4RC"),
    "marszalkowska_7": Known("100017000020", number="7", street="Marszałkowska Street", locality=_EAST,
                             postcode="B7 3AX"),
    "ivy_cottage": Known("100017000021", building="Ivy Cottage", street="Church Lane", locality=_OVER,
                         postcode="BB1A 2DE"),
    "church_lane_10_12": Known("100017000022", number="10-12", street="Church Lane", locality=_OVER,
                               postcode="BB1A 2DE"),
    "castle_street_5": Known("100017000023", number="5", street="Castle Street", locality=_OVER, postcode="B17 9HT"),
    "changed_postcode": Known("100017000024", number="9", street="Castle Street", locality=_OVER, postcode="B1A 6NP"),
    "cross_boundary": Known("100017000025", number="1", street="Boundary Road", locality=_EAST, postcode="BB3 1BR",
                            in_area=False),
}
# fmt: on
DELETED_UPRN = "100017000026"  # inserted, then deleted by a D record: no address
HISTORICAL_UPRN = "100017000027"  # a demolished BLPU (logical status 8): no address
CASTLE_STREET_WELSH = "Heol y Castell"  # Castle Street's Welsh descriptor (CYM), an alternative, not an address

_FIRST = (  # noqa: SIM905
    "Abbey,Albert,Alexandra,Ash,Beech,Birch,Bishop's,Bluebell,Bolton,Bridge,Brook,Brontë,Cedar,Chapel,"
    "Chester,Chestnut,Chopin,Clifton,Clover,Curie,Daisy,Darwen,Dvořák,Elm,Fairfield,Fern,Field,Foxglove,"
    "Garden,Grange,Green,Hawthorn,Heather,Hill,Hollins,Holly,Ivy,Kościuszki,Lancaster,Laurel,Lavender,"
    "Lime,Łąkowa,Manor,Maple,Market,Meadow,Miller's,Moor,New,North,O'Connell,Oak,Ogrodowa,Old,Orchard,"
    "Ørsted,Park,Pendle,Pine,Poplar,Preston,Primrose,Priory,Queen's,Ribble,Rowan,Shear,South,Spring,"
    "St John's,St Mary's,Station,Świętokrzyska,Sycamore,Vale,Victoria,West,Whalley,Willow,Windsor,York,"
    "Żeromskiego,Acorn,Badger,Blossom,Clough,Dale,Dene,Eden,Falcon,Gorse,Heron,Kestrel,Linden,Lowther,"
    "Mersey,Nightingale,Osprey,Pennine,Quarry,Robin,Swallow,Thorn"
).split(",")
_SUFFIX = "Road Street Avenue Lane Close Crescent Drive Gardens Place Square Terrace Court Way Grove Walk Mews Row View Rise".split()  # noqa: SIM905
_LOCALITIES = (_HARWOOD, _PARK, _EAST, _OVER, "Nether Harwood", "Brookside", "Wensley Fold")
# fmt: off
_HOUSE_NAMES = (
    "Rose Cottage", "The Laurels", "Hillside", "Fernlea", "Ivy House", "The Old Rectory", "Brook Farm", "Millbrook",
    "The Willows", "Orchard House", "Meadow View", "The Coach House", "Stone Cottage", "Hazel Bank",
)
# fmt: on
_BLOCK_KINDS = ("Court", "House", "Mansions", "Lodge", "Heights")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the inward code's letters: never C I K M O V
# Districts in each real format: AA9, AA99, AA9A, A9, A99, A9A.
# fmt: off
_DISTRICTS = (
    "BB1", "BB2", "BB3", "BB4", "BB5", "BB6", "BB10", "BB11", "BB12", "BB1A", "B7", "B17", "B18", "B1A", "B2C",
)
# fmt: on


@dataclass
class Summary:
    """What a generated file holds: what the pack built from it should have."""

    path: Path
    addresses: int  # approved LPIs of live BLPUs after the changes: the pack's addresses
    streets: int  # streets with an English descriptor
    records: int  # lines in the file, header and trailer included
    postcodes: set[str] = field(default_factory=set)
    uprns: list[str] = field(default_factory=list)  # every address's UPRN, in file order


class _Writer:
    """Rows of a DTF file, numbered in PRO_ORDER, with the counts the trailer and the Summary need."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.pro_order = 0
        self.inserted: dict[tuple[int, str], list[object]] = {}  # (record type, UPRN or USRN): the I row

    def add(self, row: list[object]) -> None:
        self.rows.append(["" if v is None else v for v in row])

    def change(self, record: int, change_type: str, *rest: object) -> None:
        self.pro_order += 1
        self.add([record, change_type, self.pro_order, *rest])
        if change_type == "I":
            self.inserted[(record, str(rest[0]))] = self.rows[-1]


class _Postcodes:
    """Unique unit postcodes, handed out a few at a time to each street, never one of the known ones."""

    def __init__(self, rng: random.Random, reserved: set[str]) -> None:
        self.rng = rng
        self.used = set(reserved)

    def new(self, district: str) -> str:
        while True:
            inward = f"{self.rng.randint(1, 9)}{self.rng.choice(_INWARD_LETTERS)}{self.rng.choice(_INWARD_LETTERS)}"
            code = f"{district} {inward}"
            if code not in self.used:
                self.used.add(code)
                return code


class _Borough:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out = _Writer()
        self.usrn = 17_000_000
        self.uprn = 100_017_000_100  # the known addresses use the numbers below this
        self.addresses: list[str] = []
        self.streets = 0
        self.postcodes: set[str] = set()
        self.usrn_of: dict[str, str] = {}
        self.line = Street(0, 0, 1, 0, 0)  # the street being filled (its BLPUs stand along it)
        self.points: dict[str, tuple[float, float]] = {}  # each BLPU's (X, Y), for its flats

    def street(self, name: str, locality: str, *, welsh: str = "") -> str:
        self.usrn += 1
        usrn = str(self.usrn)
        x, y = self.rng.randint(*EAST), self.rng.randint(*NORTH)
        self.line = street_line(usrn, x, y)
        # fmt: off
        self.out.change(
            11, "I", usrn, 1, CUSTODIAN_CODE, 2, "2010-04-01", 1, 8, 1, "2010-04-01", "2020-01-15", "2010-04-01", "",
            x, y, *self.line.end, 10,
        )
        # fmt: on
        self.out.change(15, "I", usrn, name, locality, TOWN, "Lancashire", "ENG")
        self.usrn_of.setdefault(name, usrn)
        if welsh:
            self.out.change(15, "I", usrn, welsh, locality, TOWN, "Lancashire", "CYM")
        self.streets += 1
        return usrn

    def blpu(
        self, uprn: str, *, status: int = 1, custodian: str = CUSTODIAN_CODE, end: str = "", parent: str = ""
    ) -> None:
        along, side = self.rng.randint(*EAST), self.rng.randint(*NORTH)  # where along the street, which side
        x, y = self.points.get(parent) or self.line.place(fraction(along, EAST), 2 * fraction(side, NORTH) - 1)
        self.points[uprn] = (x, y)
        # fmt: off
        self.out.change(
            21, "I", uprn, status, 2, "2012-06-01", "RD04", parent, f"{x:.2f}", f"{y:.2f}", 1, custodian, "2012-06-01",
            end, "2021-03-02", "2012-06-01", "", "E05000001", "", "", "", "",
        )
        # fmt: on

    def lpi(
        self,
        uprn: str,
        usrn: str,
        postcode: str,
        *,
        sao: tuple[object, ...] = ("", "", "", "", ""),
        pao: tuple[object, ...] = ("", "", "", "", ""),
        status: int = 1,
        language: str = "ENG",
        key: int = 1,
        end: str = "",
        count: bool = True,
    ) -> None:
        # fmt: off
        self.out.change(
            24, "I", uprn, _lpi_key(uprn, key), language, status, "2012-06-01", end, "2012-06-01", "2021-03-02",
            *sao, *pao, usrn, "", "Y", postcode, TOWN, "Y", "", "", "",
        )
        # fmt: on
        if count and status == 1 and language == "ENG":
            self.addresses.append(uprn)
            self.postcodes.add(postcode)

    def next_uprn(self) -> str:
        self.uprn += 1
        return str(self.uprn)


def _lpi_key(uprn: str, key: int = 1) -> str:
    """An LPI_KEY (14 characters): the custodian code, "L", a serial, as LLPG systems make them."""
    return f"{CUSTODIAN_CODE}L{int(uprn) % 10**8:08d}{key}"


def _pao(number: str) -> tuple[object, ...]:
    """ "14A" -> (14, "A", "", "", ""); "10-12" -> (10, "", 12, "", "")."""
    first, _, last = number.partition("-")

    def split(part: str) -> tuple[str, str]:
        digits = "".join(ch for ch in part if ch.isdigit())
        return digits, part[len(digits) :]

    start, start_suffix = split(first)
    end, end_suffix = split(last) if last else ("", "")
    return (start, start_suffix, end, end_suffix, "")


def _known(b: _Borough) -> None:
    """The named addresses, their streets, and the special cases (changes, history, Welsh, cross-boundary)."""
    k = KNOWN
    kings = b.street("King's Road", "Little Harwood")
    for key in ("kings_road_14", "kings_road_2", "kings_road_10", "kings_road_14a"):
        b.blpu(k[key].uprn)
        b.lpi(k[key].uprn, kings, "BB2 1LB", pao=_pao(k[key].number))
    unit = k["unit_3b"]  # a text field with a comma in it: quoted in the CSV
    b.blpu(unit.uprn)
    b.lpi(unit.uprn, kings, unit.postcode, sao=("3", "B", "", "", "Unit"), pao=("", "", "", "", unit.building))
    mill = b.street("Mill Lane", "Queen's Park")
    court = "100017000010"
    b.blpu(court)  # the block itself: an address too ("Rose Court, 3 Mill Lane")
    b.lpi(court, mill, "BB10 4RC", pao=("3", "", "", "", "Rose Court"))
    b.blpu("100017000011", parent=court)
    b.lpi("100017000011", mill, "BB10 4RC", sao=("1", "", "", "", "Flat"), pao=("3", "", "", "", "Rose Court"))
    b.blpu(k["rose_court_flat_2"].uprn, parent=court)
    b.lpi(
        k["rose_court_flat_2"].uprn,
        mill,
        "BB10 4RC",
        sao=("", "", "", "", "Flat 2"),
        pao=("3", "", "", "", "Rose Court"),
    )
    b.blpu("100017000013", parent=court)
    b.lpi("100017000013", mill, "BB10 4RC", sao=("10", "", "", "", "Flat"), pao=("3", "", "", "", "Rose Court"))
    b.blpu(k["rose_court_ground"].uprn, parent=court)
    b.lpi(
        k["rose_court_ground"].uprn,
        mill,
        "BB10 4RC",
        sao=("", "", "", "", "Ground Floor Flat"),
        pao=("3", "", "", "", "Rose Court"),
    )
    marsz = b.street("Marszałkowska Street", "Eastfield")
    b.blpu(k["marszalkowska_7"].uprn)
    b.lpi(k["marszalkowska_7"].uprn, marsz, "B7 3AX", pao=_pao("7"))
    church = b.street("Church Lane", "Over Harwood")
    b.blpu(k["ivy_cottage"].uprn)
    b.lpi(k["ivy_cottage"].uprn, church, "BB1A 2DE", pao=("", "", "", "", "Ivy Cottage"))
    b.blpu(k["church_lane_10_12"].uprn)
    b.lpi(k["church_lane_10_12"].uprn, church, "BB1A 2DE", pao=_pao("10-12"))
    b.lpi(k["church_lane_10_12"].uprn, church, "BB1A 2DE", pao=_pao("10"), status=3, key=2)  # alternative LPI
    castle = b.street("Castle Street", "Over Harwood", welsh=CASTLE_STREET_WELSH)
    b.blpu(k["castle_street_5"].uprn)
    b.lpi(k["castle_street_5"].uprn, castle, "B17 9HT", pao=_pao("5"))
    b.lpi(k["castle_street_5"].uprn, castle, "B17 9HT", pao=_pao("5"), language="CYM", key=2)
    b.lpi(k["castle_street_5"].uprn, castle, "B17 9HT", pao=_pao("3"), status=8, key=3, end="2011-01-01")  # historical
    b.blpu(k["changed_postcode"].uprn)
    b.lpi(k["changed_postcode"].uprn, castle, "B17 9HU", pao=_pao("9"))  # its postcode is changed by a U below
    boundary = b.street("Boundary Road", "Eastfield")
    b.blpu(k["cross_boundary"].uprn, custodian=NEIGHBOUR_CODE)
    b.lpi(k["cross_boundary"].uprn, boundary, "BB3 1BR", pao=_pao("1"))
    b.blpu(DELETED_UPRN)
    b.lpi(DELETED_UPRN, boundary, "BB3 1BR", pao=_pao("3"))
    b.blpu(HISTORICAL_UPRN, status=8, end="2015-05-05")
    b.lpi(HISTORICAL_UPRN, boundary, "BB3 1BR", pao=_pao("5"), count=False)


def _street_names(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(name, locality) for every generated street: each name once per locality, the fixed ones excepted."""
    taken = {("King's Road", "Little Harwood"), ("Mill Lane", "Queen's Park"), ("Church Lane", "Over Harwood")}
    names = [f"{a} {b}" for a in _FIRST for b in _SUFFIX if f"{a} {b}" not in ("Marszałkowska Street", "Castle Street")]
    rng.shuffle(names)
    for locality in _LOCALITIES:
        for name in names:
            if (name, locality) not in taken:
                yield name, locality


def _houses(b: _Borough, usrn: str, district: str, postcodes: _Postcodes, count: int) -> int:
    """One street's properties: numbered houses (some with suffixes or ranges), named houses, converted
    houses with flats, and blocks of flats. Returns how many addresses it made."""
    rng = b.rng
    made = 0
    number = 1 if rng.random() < 0.5 else 2
    postcode = postcodes.new(district)
    in_unit = 0
    while made < count:
        if in_unit >= rng.randint(8, 18):
            postcode, in_unit = postcodes.new(district), 0
        kind = rng.random()
        uprn = b.next_uprn()
        if kind < 0.04:
            b.blpu(uprn)
            b.lpi(uprn, usrn, postcode, pao=("", "", "", "", rng.choice(_HOUSE_NAMES)))
            made += 1
        elif kind < 0.10:  # a block of flats: the block and its flats
            name = f"{rng.choice(_FIRST)} {rng.choice(_BLOCK_KINDS)}"
            pao = (number, "", "", "", name)
            b.blpu(uprn)
            b.lpi(uprn, usrn, postcode, pao=pao)
            made += 1
            for flat in range(1, rng.randint(4, 16)):
                fu = b.next_uprn()
                b.blpu(fu, parent=uprn)
                sao = (flat, "", "", "", "Flat") if flat % 2 else ("", "", "", "", f"Flat {flat}")
                b.lpi(fu, usrn, postcode, sao=sao, pao=pao)
                made += 1
            number += 2
        elif kind < 0.14:  # a house made into flats
            b.blpu(uprn)
            for i, sao_text in enumerate(
                ("Ground Floor Flat", "First Floor Flat", "Second Floor Flat")[: rng.randint(2, 3)]
            ):
                fu = uprn if i == 0 else b.next_uprn()
                if i:
                    b.blpu(fu, parent=uprn)
                b.lpi(fu, usrn, postcode, sao=("", "", "", "", sao_text), pao=(number, "", "", "", ""))
                made += 1
            number += 2
        elif kind < 0.17:
            b.blpu(uprn)
            b.lpi(uprn, usrn, postcode, pao=(number, "", number + 2, "", ""))
            made += 1
            number += 4
        else:
            suffix = "A" if kind < 0.19 else ""
            b.blpu(uprn)
            b.lpi(uprn, usrn, postcode, pao=(number, suffix, "", "", ""))
            made += 1
            number += 0 if suffix else 2
            if suffix:
                number += 2
        in_unit += 1
    return made


def write_dtf(path: Path, addresses: int = 70_000, seed: int = 17, *, changes: bool = True) -> Summary:
    """Write a DTF 7.3 CSV of about ``addresses`` addresses (exactly Summary.addresses) to ``path``."""
    rng = random.Random(seed)
    b = _Borough(rng)
    out = b.out
    out.add([10, CUSTODIAN_NAME, CUSTODIAN_CODE, "2026-11-30", 1, "2026-11-30", "03:00:00", "7.3", "F"])
    # fmt: off
    out.add(
        [
            29,
            "Harwood Vale LLPG",
            "All land and property in the borough",
            "Harwood Vale",
            "",
            "Harwood Vale BC",
            "D",
            CUSTODIAN_NAME,
            "100017000000",
            CUSTODIAN_CODE,
            "British National Grid",
            "Metres",
            "2026-11-30",
            "NLPG Classification v2",
            "2026-11-30",
            "ENG",
            "UTF-8",
        ]
    )
    # fmt: on
    _known(b)
    reserved = {k.postcode for k in KNOWN.values()} | {"B17 9HU"}
    postcodes = _Postcodes(rng, reserved)
    names = _street_names(rng)
    target = addresses + (1 if changes else 0)  # the D below takes one away
    while len(b.addresses) < target:
        name, locality = next(names)
        usrn = b.street(name, locality)
        if rng.random() < 0.05:
            out.change(12, "I", usrn, 2, 1, f"X{usrn}", 1, "2012-06-01")  # a street cross reference: not read
        left = target - len(b.addresses)
        _houses(b, usrn, rng.choice(_DISTRICTS), postcodes, min(left, rng.randint(6, 80)))
    for uprn in b.addresses[:: max(1, len(b.addresses) // 5)][:5]:
        # a few record types the kiosk does not read: classifications (32), cross references (23)
        # fmt: off
        out.change(
            32, "I", uprn, f"{CUSTODIAN_CODE}C{uprn[-8:]}", "RD04", "NLPG", "2.0", "2012-06-01", "", "2021-03-02",
            "2012-06-01",
        )
        # fmt: on
        # fmt: off
        out.change(
            23, "I", uprn, f"{CUSTODIAN_CODE}X{uprn[-8:]}", "2012-06-01", "2021-03-02", "2012-06-01", "",
            f"VOA{uprn[-6:]}", "7666VC",
        )
        # fmt: on
    if changes:
        _changes(b)
    rows = out.rows
    trailer = [99, 0, len(rows) + 1, "2026-11-30", "03:00:00"]
    rows.append(trailer)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    uprns = b.addresses
    return Summary(
        path=path, addresses=len(uprns), streets=b.streets, records=len(rows), postcodes=b.postcodes, uprns=uprns
    )


def _changes(b: _Borough) -> None:
    """U and D records after the inserts: a postcode corrected, a building renamed, one property gone."""
    k = KNOWN["changed_postcode"]
    castle_usrn = b.usrn_of["Castle Street"]
    b.out.change(
        24,
        "U",
        k.uprn,
        _lpi_key(k.uprn),
        "ENG",
        1,
        "2012-06-01",
        "",
        "2012-06-01",
        "2026-11-01",
        "",
        "",
        "",
        "",
        "",
        "9",
        "",
        "",
        "",
        "",
        castle_usrn,
        "",
        "Y",
        k.postcode,
        TOWN,
        "Y",
        "",
        "",
        "",
    )
    b.postcodes.discard("B17 9HU")
    b.postcodes.add(k.postcode)
    # The deleted property: its LPI, then its BLPU.
    for record in (24, 21):
        inserted = b.out.inserted[(record, DELETED_UPRN)]
        b.out.change(record, "D", *inserted[3:])
    b.addresses.remove(DELETED_UPRN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reference_portal.gazetteer_data", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out", type=Path, metavar="OUT.csv")
    parser.add_argument("--addresses", type=int, default=70_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    summary = write_dtf(args.out, args.addresses, args.seed)
    print(f"{summary.path}: {summary.addresses} addresses, {summary.streets} streets, {summary.records} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
