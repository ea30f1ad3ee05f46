"""The synthetic gazetteer: deterministic, in DTF 7.3's shape, with the cases the import must meet."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from reference_portal.gazetteer_data import KNOWN, Summary, main, write_dtf

# The six UK postcode formats: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA.
FORMATS = {
    "A9": re.compile(r"^[A-Z]\d \d[A-Z]{2}$"),
    "A99": re.compile(r"^[A-Z]\d\d \d[A-Z]{2}$"),
    "AA9": re.compile(r"^[A-Z]{2}\d \d[A-Z]{2}$"),
    "AA99": re.compile(r"^[A-Z]{2}\d\d \d[A-Z]{2}$"),
    "A9A": re.compile(r"^[A-Z]\d[A-Z] \d[A-Z]{2}$"),
    "AA9A": re.compile(r"^[A-Z]{2}\d[A-Z] \d[A-Z]{2}$"),
}
WIDTH = {"10": 9, "11": 20, "15": 9, "21": 23, "24": 30, "29": 17, "99": 5}


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_same_seed_same_bytes_other_seed_other_file(tmp_path: Path) -> None:
    a = write_dtf(tmp_path / "a.csv", addresses=120, seed=3)
    b = write_dtf(tmp_path / "b.csv", addresses=120, seed=3)
    c = write_dtf(tmp_path / "c.csv", addresses=120, seed=4)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()


def test_the_fixture_has_every_record_type_in_dtf_widths(dtf_fixture: Summary) -> None:
    data = rows(dtf_fixture.path)
    assert data[0][0] == "10" and data[0][7] == "7.3"
    assert data[-1][0] == "99" and int(data[-1][2]) == len(data) == dtf_fixture.records
    for row in data:
        if row[0] in WIDTH:
            assert len(row) == WIDTH[row[0]], row
    kinds = {row[0] for row in data}
    assert {"10", "11", "15", "21", "24", "29", "99", "23", "32"} <= kinds
    changes = {(row[0], row[1]) for row in data if row[0] in ("21", "24")}
    assert {("24", "I"), ("24", "U"), ("24", "D"), ("21", "I"), ("21", "D")} <= changes
    assert {row[6] for row in data if row[0] == "24"} >= {"1", "3", "8"}  # approved, alternative, historical
    assert any(row[0] == "24" and row[5] == "CYM" for row in data)
    assert any(row[0] == "15" and row[8] == "CYM" for row in data)
    assert any(row[0] == "21" and row[12] != "9017" for row in data)  # cross-boundary
    assert dtf_fixture.path.read_bytes().count(b"\r\n") == len(data)


def test_postcodes_in_every_real_format(tmp_path: Path) -> None:
    summary = write_dtf(tmp_path / "g.csv", addresses=3000)
    found = {name for name, rx in FORMATS.items() for pc in summary.postcodes if rx.match(pc)}
    assert found == set(FORMATS)
    assert all(any(rx.match(pc) for rx in FORMATS.values()) for pc in summary.postcodes)
    assert abs(summary.addresses - 3000) < 20


def test_known_addresses_are_in_the_file(dtf_fixture: Summary) -> None:
    text = dtf_fixture.path.read_text(encoding="utf-8")
    for known in KNOWN.values():
        assert f'"{known.uprn}"' in text
    assert "Marszałkowska Street" in text and "King's Road" in text
    assert '"Kestrel Works, East Yard"' in text  # a quoted field with a comma
    assert KNOWN["changed_postcode"].uprn in dtf_fixture.uprns


def test_command_line_writes_a_file(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "x.csv"), "--addresses", "50", "--seed", "2"]) == 0
    assert (tmp_path / "x.csv").stat().st_size > 1000
    assert "addresses" in capsys.readouterr().out
