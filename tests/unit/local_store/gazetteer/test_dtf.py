"""The DTF 7.3 import: every record type and change type, skips counted by reason and line, hostile files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_store.gazetteer import dtf
from local_store.gazetteer.dtf import DtfError, read_dtf
from reference_portal.gazetteer_data import DELETED_UPRN, HISTORICAL_UPRN, KNOWN, Summary, write_dtf
from tests.unit.local_store.gazetteer.dtf_rows import (
    HEADER,
    a_street,
    blpu,
    descriptor,
    house,
    lpi,
    street,
    text,
    write,
)

U1, U2, U3 = "100017000001", "100017000002", "100017000003"
S1, S2 = "17000001", "17000002"


def refused(path: Path) -> DtfError:
    with pytest.raises(DtfError) as caught:
        read_dtf(path)
    return caught.value


# --- The generated borough, whole -------------------------------------------------------------------------------


def test_the_borough_reads_as_generated(dtf_fixture: Summary) -> None:
    g = read_dtf(dtf_fixture.path)
    assert len(g.addresses) == dtf_fixture.addresses
    assert [a.uprn for a in g.addresses] == dtf_fixture.uprns
    assert g.streets == dtf_fixture.streets and g.records == dtf_fixture.records
    assert (g.custodian_name, g.custodian_code) == ("Harwood Vale Borough Council", "9017")
    by_uprn = {a.uprn: a for a in g.addresses}
    for name, known in KNOWN.items():
        a = by_uprn[known.uprn]
        got = (a.sao, a.building, a.number, a.street, a.locality, a.town, a.postcode, a.in_area)
        want = (known.sao, known.building, known.number, known.street, known.locality, known.town, known.postcode,
                known.in_area)  # fmt: skip
        assert got == want, name
    assert DELETED_UPRN not in by_uprn and HISTORICAL_UPRN not in by_uprn
    counts = g.skipped.counts
    assert counts["record type 32 (not read)"] == 5 and counts["record type 23 (not read)"] == 5
    assert counts["LPI not approved: alternative (3)"] == 1
    assert counts["LPI not approved: historical (8)"] == 1
    assert counts["Welsh (CYM) alternative of an English LPI"] == 1
    assert counts["BLPU not live (not approved, or ended)"] == 1
    assert not [k for k in counts if k.startswith("malformed")]


def test_without_changes_the_deleted_address_is_there(tmp_path: Path) -> None:
    g = read_dtf(write_dtf(tmp_path / "g.csv", addresses=50, changes=False).path)
    by_uprn = {a.uprn: a for a in g.addresses}
    assert DELETED_UPRN in by_uprn
    assert by_uprn[KNOWN["changed_postcode"].uprn].postcode == "B17 9HU"  # before its U


# --- Change types ---------------------------------------------------------------------------------------------


def test_insert_update_delete_of_every_record_type(tmp_path: Path) -> None:
    rows = [
        *a_street(S1, "Kings Road"),
        street(S2, order=3),
        descriptor(S2, "Mill Lane", order=4),
        *house(U1, S1, "14"),
        *house(U2, S1, "16", order=20),
        *house(U3, S2, "3", order=30),
        descriptor(S1, "King's Road", change="U", order=40),  # 15 U: the street renamed
        lpi(U1, S1, change="U", order=41, pao=("14", "A", "", "", "")),  # 24 U
        blpu(U2, change="U", order=42, status="8", end="2020-01-01"),  # 21 U: demolished
        street(S2, change="U", order=43),  # 11 U
        lpi(U3, S2, change="D", order=44),  # 24 D
        blpu(U3, change="D", order=45),  # 21 D
        descriptor(S2, "Mill Lane", change="D", order=46),  # 15 D
        street(S2, change="D", order=47),  # 11 D
    ]
    g = read_dtf(write(tmp_path / "c.csv", rows))
    assert [(a.uprn, a.number, a.street) for a in g.addresses] == [(U1, "14A", "King's Road")]
    assert g.skipped.counts == {"BLPU not live (not approved, or ended)": 1}
    assert g.streets == 1


def test_changes_apply_in_pro_order_then_line_order(tmp_path: Path) -> None:
    rows = [
        *a_street(),
        lpi(U1, S1, change="U", order=50, pao=("2", "", "", "", "")),  # earlier in the file, later in PRO_ORDER
        blpu(U1, order=10),
        lpi(U1, S1, order=11, pao=("1", "", "", "", "")),
        lpi(U1, S1, change="U", order=50, pao=("3", "", "", "", "")),  # same PRO_ORDER: the later line wins
    ]
    g = read_dtf(write(tmp_path / "o.csv", rows))
    assert [a.number for a in g.addresses] == ["3"]
    assert not g.skipped.counts  # the first U found its record: it came after the I


def test_update_or_delete_of_an_unknown_record_is_counted_not_fatal(tmp_path: Path) -> None:
    rows = [*a_street(), *house(U1, S1), lpi(U2, S1, change="U", order=30), blpu(U3, change="D", order=31)]
    g = read_dtf(write(tmp_path / "u.csv", rows))
    assert [a.uprn for a in g.addresses] == [U1]
    assert g.skipped.lines == {"update of a record not in the file": [6], "delete of a record not in the file": [7]}


def test_an_insert_of_a_record_already_there_replaces_it(tmp_path: Path) -> None:
    rows = [*a_street(), *house(U1, S1, "1"), lpi(U1, S1, order=30, pao=("5", "", "", "", ""))]
    g = read_dtf(write(tmp_path / "r.csv", rows))
    assert [a.number for a in g.addresses] == ["5"]
    assert g.skipped.lines == {"insert of a record already there (replaced)": [6]}


# --- What becomes an address ------------------------------------------------------------------------------------


def test_only_approved_lpis_of_live_blpus_on_known_streets(tmp_path: Path) -> None:
    u = [f"1000170000{n:02d}" for n in range(10, 22)]
    rows = [
        *a_street(),
        *house(u[0], S1, "1"),
        blpu(u[1]), lpi(u[1], S1, status="6"),  # provisional
        blpu(u[2]), lpi(u[2], S1, status="8", end="2001-01-01"),  # historical
        blpu(u[3]), lpi(u[3], S1, end="2020-01-01"),  # ended
        blpu(u[4], status="8", end="2015-01-01"), lpi(u[4], S1),  # demolished BLPU
        blpu(u[5], end="2019-01-01"), lpi(u[5], S1),  # ended BLPU
        lpi(u[6], S1),  # no BLPU
        blpu(u[7]), lpi(u[7], "17000099"),  # no street
        blpu(u[8]), lpi(u[8], S1, language="CYM", key="9017L000000082"),
        lpi(u[8], S1, key="9017L000000081"),  # English and Welsh: the English one
        blpu(u[9]), lpi(u[9], S1, language="CYM", pao=("9", "", "", "", "")),  # Welsh only: kept
        blpu(u[10]), lpi(u[10], S1, postcode="NOT A CODE"),
        blpu(u[11], custodian="9018"), lpi(u[11], S1, pao=("11", "", "", "", "")),  # cross-boundary
    ]  # fmt: skip
    g = read_dtf(write(tmp_path / "k.csv", rows))
    assert [(a.uprn, a.in_area) for a in g.addresses] == [(u[0], True), (u[8], True), (u[9], True), (u[11], False)]
    assert g.skipped.lines == {
        "LPI not approved: provisional (6)": [7],
        "LPI not approved: historical (8)": [9],
        "LPI ended (it has an end date)": [11],
        "BLPU not live (not approved, or ended)": [13, 15],
        "LPI of a UPRN with no BLPU in the file": [16],
        "LPI of a street (USRN) with no descriptor in the file": [18],
        "Welsh (CYM) alternative of an English LPI": [20],
        "postcode not a UK postcode": [25],
    }


def test_the_parts_of_an_address(tmp_path: Path) -> None:
    rows = [
        *a_street(S1, "KING'S ROAD"),  # capitals, as many LLPGs keep them
        blpu(U1), lpi(U1, S1, sao=("", "", "", "", "FLAT 2"), pao=("", "", "", "", "ROSE COURT"), town="HARWOOD"),
        blpu(U2), lpi(U2, S1, sao=("3", "B", "", "", "Unit"), pao=("10", "", "12", "", ""), postcode="bb21lb"),
        blpu(U3), lpi(U3, S1, pao=("2", "A", "2", "C", "The Old Mill, East Yard")),
    ]  # fmt: skip
    g = read_dtf(write(tmp_path / "p.csv", rows))
    parts = [(a.sao, a.building, a.number, a.street, a.town, a.postcode) for a in g.addresses]
    assert parts == [
        ("Flat 2", "Rose Court", "", "King's Road", "Harwood", "BB2 1LB"),
        ("Unit 3B", "", "10-12", "King's Road", "Harwood", "BB2 1LB"),
        ("", "The Old Mill, East Yard", "2A-2C", "King's Road", "Harwood", "BB2 1LB"),
    ]


def test_a_bom_crlf_and_quoted_commas(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    body = text([*a_street(S1, "Mill Lane, East"), *house(U1, S1)])
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    g = read_dtf(path)
    assert [a.street for a in g.addresses] == ["Mill Lane, East"]


# --- One bad record: skipped with its line, the rest read ------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (lpi(U2, S1)[:-1], "malformed: wrong number of fields for a type 24 record"),
        (["21", "I", "9", "12AB", *blpu(U2)[4:]], "malformed: UPRN not a number"),
        (["24", "X", *lpi(U2, S1)[2:]], "malformed: change type not I, U or D"),
        (["24", "I", "first", *lpi(U2, S1)[3:]], "malformed: PRO_ORDER not a number"),
        (lpi(U2, S1, sao=("", "", "", "", "x" * 91)), "malformed: a field too long"),
        (lpi(U2, S1, pao=("fourteen", "", "", "", "")), "malformed: a number field not a number"),
        (["2x", "I", "1"], "malformed: record type not a number"),
    ],
)
def test_a_malformed_record_is_skipped_with_its_line(tmp_path: Path, bad: list[str], reason: str) -> None:
    rows = [*a_street(), *house(U1, S1), blpu(U2, order=20), bad]
    g = read_dtf(write(tmp_path / "m.csv", rows))
    assert [a.uprn for a in g.addresses] == [U1]
    assert g.skipped.lines[reason] == [7]


def test_other_record_types_are_counted_by_type(tmp_path: Path) -> None:
    others = [["12", "I", "5", S1, "2", "1", "X1", "1", "2012-06-01"], ["30", "I", "6", U1, "k", "", "", "", "", ""]]
    g = read_dtf(write(tmp_path / "o.csv", [*a_street(), *others, *house(U1, S1)]))
    assert g.skipped.lines == {"record type 12 (not read)": [4], "record type 30 (not read)": [5]}
    assert len(g.addresses) == 1


# --- A file that cannot be used: DtfError with the line -------------------------------------------------------


def test_not_a_dtf_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,address\nAnn,14 King's Road\n", encoding="utf-8")
    e = refused(path)
    assert e.line == 1 and "header record (10)" in e.message


def test_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in refused(path).message or "UTF-8" in refused(path).message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(text([*a_street(S1, "Ulica Łąkowa")]).encode("utf-8").replace("Ł".encode(), b"\xa3"))
    e = refused(path)
    assert e.line == 3 and "UTF-8" in e.message


def test_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"")
    assert "no trailer" in refused(tmp_path / "x.csv").message


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ([*HEADER[:7], "7.2", "F"], "DTF version '7.2'"),
        ([*HEADER[:8], "C"], "change-only"),
        ([*HEADER[:2], "LA", *HEADER[3:]], "custodian code"),
        (HEADER[:8], "header record (10)"),
    ],
)
def test_a_header_that_is_not_dtf_7_3(tmp_path: Path, header: list[str], words: str) -> None:
    e = refused(write(tmp_path / "h.csv", [*a_street(), *house(U1, S1)], header=header))
    assert e.line == 1 and words in e.message


def test_a_file_cut_short_has_no_trailer(tmp_path: Path) -> None:
    e = refused(write(tmp_path / "t.csv", [*a_street(), *house(U1, S1)], trailer=False))
    assert e.line is None and "cut short" in e.message


def test_a_trailer_whose_count_disagrees(tmp_path: Path) -> None:
    e = refused(write(tmp_path / "t.csv", [*a_street(), *house(U1, S1)], count=40))
    assert e.line == 6 and "counts 40 records, the file has 6" in e.message


def test_records_after_the_trailer_or_a_second_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text([*a_street()]) + text([*house(U1, S1)]), encoding="utf-8")
    e = refused(path)
    assert e.line == 5 and "after the trailer" in e.message
    e = refused(write(tmp_path / "h.csv", [*a_street(), HEADER]))
    assert e.line == 4 and "second header" in e.message


def test_one_volume_of_several(tmp_path: Path) -> None:
    path = write(tmp_path / "v.csv", [*a_street()])
    path.write_text(path.read_text().replace("99,0,", "99,2,"))
    assert "one volume of several" in refused(path).message


def test_a_line_too_long(tmp_path: Path) -> None:
    rows = [*a_street(), descriptor(S1, "x" * 5000)]
    e = refused(write(tmp_path / "l.csv", rows))
    assert e.line == 4 and "longer than 4096" in e.message


def test_a_file_too_big_and_too_many_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "b.csv", [*a_street(), *house(U1, S1)])
    monkeypatch.setattr(dtf, "MAX_FILE_BYTES", 100)
    assert "bytes: more than" in refused(path).message
    monkeypatch.setattr(dtf, "MAX_FILE_BYTES", 2 * 1024**3)
    monkeypatch.setattr(dtf, "MAX_RECORDS", 4)
    e = refused(path)
    assert e.line == 5 and "more than 4 records" in e.message


def test_too_many_malformed_records_is_not_a_usable_file(tmp_path: Path) -> None:
    rows = [*a_street(), *house(U1, S1)] + [lpi(U2, S1)[:10] for _ in range(12)]
    e = refused(write(tmp_path / "m.csv", rows))
    assert e.line == 6 and "12 of 16 records are malformed" in e.message


def test_an_unreadable_path(tmp_path: Path) -> None:
    e = refused(tmp_path / "missing.csv")
    assert e.line is None and "cannot read missing.csv" in e.message
    assert str(DtfError(7, "bad")) == "line 7: bad" and str(DtfError(None, "bad")) == "bad"
