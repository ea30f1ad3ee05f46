"""`dcp-kiosk gazetteer import | search | info`, through main() and as a process, on the generator's borough."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from reference_portal.gazetteer_data import FIXTURE_ADDRESSES, KNOWN, Summary, write_dtf
from tests.conftest import ROOT
from tests.unit.local_store.gazetteer.dtf_rows import a_street, blpu, lpi, write

LAT_LONG = r"\t53\.\d{6},-2\.\d{6}"  # the synthetic borough is in East Lancashire


@pytest.fixture(scope="module")
def borough(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    return write_dtf(tmp_path_factory.mktemp("dtf") / "borough.csv", addresses=FIXTURE_ADDRESSES)


@pytest.fixture(scope="module")
def pack(borough: Summary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "borough.pack.sqlite"
    assert main(["gazetteer", "import", str(borough.path), "--out", str(out), "--pack-version", "2026.11"]) == 0
    return out


def test_import_says_what_it_read_and_skipped(borough: Summary, tmp_path: Path, capsys) -> None:
    source = tmp_path / "llpg.csv"
    source.write_bytes(borough.path.read_bytes())
    assert main(["gazetteer", "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "llpg.pack.sqlite").is_file()  # the default: beside the file
    assert f"{borough.addresses:,} addresses on {borough.streets:,} streets" in out
    assert "llpg.pack.sqlite" in out and " KB)" in out and "version " in out
    assert f"{borough.addresses:,} of {borough.addresses:,} addresses with latitude and longitude" in out
    assert "note:" not in out
    assert "skipped 14 records:" in out
    assert "  5  record type 32 (not read) (lines " in out
    assert "  1  LPI not approved: historical (8) (line 44)" in out


def test_search_gives_one_address_a_line_with_its_uprn(pack: Path, capsys) -> None:
    assert main(["gazetteer", "search", str(pack), "14 kings rd"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        f"{KNOWN['kings_road_14'].uprn}\t14 King's Road, Little Harwood, Harwood, BB2 1LB{LAT_LONG}", lines[0]
    )
    assert main(["gazetteer", "search", str(pack), "kings road", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1] == "(more than 2: type more of the address)"
    assert main(["gazetteer", "search", str(pack), "1 boundary road"]) == 0
    assert re.fullmatch(f"{KNOWN['cross_boundary'].uprn}\t1 Boundary Road, .*  \\(outside the area\\){LAT_LONG}\n",
                        capsys.readouterr().out)  # fmt: skip
    assert main(["gazetteer", "search", str(pack), "zzqx"]) == 0
    assert capsys.readouterr().out == "no address found\n"


def test_info(pack: Path, borough: Summary, capsys) -> None:
    assert main(["gazetteer", "info", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "version      2026.11" in out and f"addresses    {borough.addresses} on {borough.streets} streets" in out
    assert "Harwood Vale Borough Council (9017)" in out
    assert f"coordinates  {borough.addresses} of them with latitude and longitude (WGS84)" in out
    assert main(["gazetteer", "info", str(pack), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["version"] == "2026.11" and info["addresses"] == borough.addresses
    assert info["size_bytes"] == pack.stat().st_size and info["with_coordinates"] == borough.addresses


def test_addresses_without_coordinates_are_a_note_not_a_skip(tmp_path: Path, capsys) -> None:
    rows = [*a_street()]
    for n, (x, y) in enumerate([("368000.00", "428000.00"), ("", ""), ("", "428000"), ("368000", "-9")]):
        uprn = f"10001700000{n + 1}"
        rows += [blpu(uprn, order=10 + 2 * n, x=x, y=y), lpi(uprn, "17000001", order=11 + 2 * n,
                                                             pao=(str(n + 1), "", "", "", ""))]  # fmt: skip
    source = write(tmp_path / "llpg.csv", rows)
    assert main(["gazetteer", "import", str(source)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "4 addresses on 1 streets, from 12 records in " in out[0]
    at = out.index("1 of 4 addresses with latitude and longitude")
    assert out[at + 1 : at + 4] == [
        "note: 3 addresses kept without coordinates (not skipped):",
        "  2  address without coordinates: the BLPU's X_COORDINATE or Y_COORDINATE is empty (lines 6, 8)",
        "  1  address without coordinates: the BLPU's coordinates are outside the National Grid (line 10)",
    ]
    assert out[at + 4] == "nothing skipped"
    assert main(["gazetteer", "search", str(tmp_path / "llpg.pack.sqlite"), "kings road"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"100017000001\t1 King's Road, Little Harwood, Harwood, BB2 1LB\t53\.\d{6},-2\.\d{6}", lines[0])
    assert lines[1] == "100017000002\t2 King's Road, Little Harwood, Harwood, BB2 1LB"  # no coordinates, no column


def test_a_refused_file_names_its_line_and_leaves_the_pack(pack: Path, tmp_path: Path, capsys) -> None:
    live = tmp_path / "live.pack.sqlite"
    live.write_bytes(pack.read_bytes())
    before = live.read_bytes()
    bad = tmp_path / "people.csv"
    bad.write_text("name,address\nAnn,14 King's Road\n", encoding="utf-8")
    assert main(["gazetteer", "import", str(bad), "--out", str(live)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dcp-kiosk: gazetteer import: line 1: not a DTF 7.3 file")
    assert live.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.pack.sqlite", "people.csv"]


def test_not_a_pack(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    for command in ("search", "info"):
        args = ["gazetteer", command, str(junk)] + (["bb2"] if command == "search" else [])
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"dcp-kiosk: gazetteer {command}: junk.sqlite") and "Traceback" not in err


def test_as_a_process_a_binary_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    binary = tmp_path / "export.csv"
    binary.write_bytes(b"10,\x00\x01\x02" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "app", "gazetteer", "import", str(binary)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "dcp-kiosk: gazetteer import: line 1: a binary file, not a DTF CSV; the pack was not built (nothing was changed)\n"
    )
    assert not (tmp_path / "export.pack.sqlite").exists()
