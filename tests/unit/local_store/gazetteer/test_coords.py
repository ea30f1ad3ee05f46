"""Latitude and longitude in the pack: a BLPU's National Grid X/Y converted to WGS84 at build time, with pyproj.

The known point is a published OSTN02 example (the one the OSTN02 ports, such as Geo::Coordinates::OSTN02,
give as "the actual answer"): grid reference TR 143 599, easting 614,300, northing 159,900 (in east Kent),
whose ETRS89 position is 51.297880 N, 1.072628 E. ETRS89 is within a metre of WGS84 in Great Britain, and the
Helmert transformation PROJ uses without the OSTN15 grid is good to a few metres, so 1e-4 degrees (about
11 m of latitude, 7 m of longitude here) is the tolerance: a swapped X and Y, or the wrong datum (OSGB36
latitude and longitude, as a "ballpark" conversion gives: 60 m south and 120 m east of it here) fail it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyproj
import pytest

from local_store.gazetteer import Pack, build_pack
from local_store.gazetteer.coords import grid_point, to_wgs84
from local_store.gazetteer.dtf import read_dtf
from reference_portal.gazetteer_data import KNOWN, Summary
from tests.unit.local_store.gazetteer.dtf_rows import a_street, blpu, lpi, write

OS_EXAMPLE = (614_300.0, 159_900.0)  # TR 143 599
OS_EXAMPLE_WGS84 = (51.297880, 1.072628)
TOLERANCE = 1e-4
S1 = "17000001"


def near(got: tuple[float | None, float | None], want: tuple[float, float]) -> bool:
    lat, lon = got
    return lat is not None and lon is not None and abs(lat - want[0]) < TOLERANCE and abs(lon - want[1]) < TOLERANCE


def decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


# --- The conversion --------------------------------------------------------------------------------------------


def test_the_os_example_point() -> None:
    [point] = to_wgs84([OS_EXAMPLE])
    assert point is not None and near(point, OS_EXAMPLE_WGS84), point
    assert decimals(point[0]) <= 6 and decimals(point[1]) <= 6


def test_a_batch_keeps_its_order_and_an_empty_one_is_empty() -> None:
    harwood = (368_000.0, 428_000.0)  # East Lancashire
    a, b, c = to_wgs84([OS_EXAMPLE, harwood, OS_EXAMPLE])
    assert a == c and near(a, OS_EXAMPLE_WGS84)  # type: ignore[arg-type]
    assert b is not None and 53.7 < b[0] < 53.8 and -2.55 < b[1] < -2.45
    assert to_wgs84([]) == []


def test_pyproj_never_uses_the_network() -> None:
    to_wgs84([OS_EXAMPLE])
    assert not pyproj.network.is_network_enabled()


@pytest.mark.parametrize(
    ("x", "y", "want"),
    [
        ("614300.00", "159900.00", (614300.0, 159900.0)),
        (" 614300 ", "159900", (614300.0, 159900.0)),
        ("0", "0", (0.0, 0.0)),
        ("700000", "1300000", (700000.0, 1300000.0)),
        ("", "159900", "empty"),
        ("614300", "  ", "empty"),
        ("abc", "159900", "not a number"),
        ("614300", "1,5", "not a number"),
        ("nan", "159900", "not a number"),
        ("614300", "inf", "not a number"),
        ("-0.5", "159900", "outside the National Grid"),
        ("700000.01", "159900", "outside the National Grid"),
        ("614300", "1300001", "outside the National Grid"),
        ("1e9", "159900", "outside the National Grid"),
    ],
)
def test_grid_point(x: str, y: str, want: tuple[float, float] | str) -> None:
    got = grid_point(x, y)
    if isinstance(want, str):
        assert isinstance(got, str) and want in got
    else:
        assert got == want


# --- Through the import and the pack -------------------------------------------------------------------------


def test_a_known_point_through_the_pack(tmp_path: Path) -> None:
    src = write(
        tmp_path / "g.csv",
        [*a_street(S1), blpu("100017000001", order=10, x="614300.00", y="159900.00"), lpi("100017000001", S1)],
    )
    report = build_pack(src, tmp_path / "p.sqlite")
    assert not report.notes.counts
    with Pack.open(tmp_path / "p.sqlite") as pack:
        address = pack.by_uprn("100017000001")
        assert address is not None and near((address.latitude, address.longitude), OS_EXAMPLE_WGS84)
        [found] = pack.search("14 kings road").addresses
        assert (found.latitude, found.longitude) == (address.latitude, address.longitude)
        assert pack.located() == 1


def test_no_or_bad_coordinates_keep_the_address_and_are_noted(tmp_path: Path) -> None:
    cases = {  # UPRN: (X, Y)
        "100017000001": ("614300.00", "159900.00"),  # good
        "100017000002": ("", ""),
        "100017000003": ("614300.00", ""),
        "100017000004": ("abc", "159900.00"),
        "100017000005": ("nan", "159900.00"),
        "100017000006": ("-1", "159900.00"),
        "100017000007": ("614300.00", "1300000.5"),
    }
    rows = [*a_street(S1)]
    for n, (uprn, (x, y)) in enumerate(cases.items()):
        rows += [
            blpu(uprn, order=10 + 2 * n, x=x, y=y),
            lpi(uprn, S1, order=11 + 2 * n, pao=(str(n + 1), "", "", "", "")),
        ]
    src = write(tmp_path / "g.csv", rows)
    report = build_pack(src, tmp_path / "p.sqlite")
    assert report.addresses == 7 and not report.skipped.counts  # a note, not a skip
    notes = report.notes
    assert notes.total() == 6
    empty, not_number, off_grid = (
        next(k for k in notes.counts if what in k) for what in ("empty", "not a number", "outside the National Grid")
    )
    assert (notes.counts[empty], notes.counts[not_number], notes.counts[off_grid]) == (2, 2, 2)
    assert notes.lines[empty] == [6, 8]  # the BLPUs' lines (header 1, street 2-3, then BLPU and LPI pairs)
    assert notes.lines[not_number] == [10, 12] and notes.lines[off_grid] == [14, 16]
    with Pack.open(tmp_path / "p.sqlite") as pack:
        assert pack.located() == 1
        good = pack.by_uprn("100017000001")
        assert good is not None and near((good.latitude, good.longitude), OS_EXAMPLE_WGS84)
        for uprn in list(cases)[1:]:
            address = pack.by_uprn(uprn)
            assert address is not None and (address.latitude, address.longitude) == (None, None), uprn


def test_a_blpu_update_moves_the_address(tmp_path: Path) -> None:
    uprn = "100017000001"
    rows = [
        *a_street(S1),
        blpu(uprn, order=10, x="", y=""),
        lpi(uprn, S1, order=11),
        blpu(uprn, change="U", order=12, x="614300.00", y="159900.00"),
    ]
    g = read_dtf(write(tmp_path / "g.csv", rows))
    [address] = g.addresses
    assert near((address.latitude, address.longitude), OS_EXAMPLE_WGS84) and not g.notes.counts


# --- The generator's borough ---------------------------------------------------------------------------------


def test_every_generated_address_has_plausible_coordinates(dtf_fixture: Summary, built, pack: Pack) -> None:
    _summary, report, _out = built
    assert not report.notes.counts and pack.located() == dtf_fixture.addresses
    points = {}
    for uprn in dtf_fixture.uprns:
        address = pack.by_uprn(uprn)
        assert address is not None and address.latitude is not None and address.longitude is not None
        assert 53.65 < address.latitude < 53.85 and -2.65 < address.longitude < -2.35, uprn  # East Lancashire
        points[uprn] = (address.latitude, address.longitude)
    assert len(set(points.values())) > 0.7 * len(points)  # spread over the streets, not one spot
    # A flat stands where its building does; two houses of one street are near each other (under 1.5 km).
    assert points[KNOWN["rose_court_flat_2"].uprn] == points[KNOWN["rose_court_ground"].uprn]
    (a_lat, a_lon), (b_lat, b_lon) = points[KNOWN["kings_road_2"].uprn], points[KNOWN["kings_road_14"].uprn]
    assert abs(a_lat - b_lat) < 0.015 and abs(a_lon - b_lon) < 0.025


def test_the_generated_blpus_are_on_the_grid_where_the_docs_say(dtf_fixture: Summary) -> None:
    with dtf_fixture.path.open(encoding="utf-8", newline="") as f:
        blpus = [row for row in csv.reader(f) if row[0] == "21"]
    assert blpus
    for row in blpus:
        x, y = float(row[9]), float(row[10])
        assert 359_000 < x < 373_000 and 423_000 < y < 435_000, row[3]
