"""The address pack: built from the generated borough, searched as a citizen types, refused when damaged."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from local_store.gazetteer import Address, BuildReport, DtfError, Pack, PackError, build_pack
from local_store.gazetteer.pack import SCHEMA_VERSION
from reference_portal.gazetteer_data import DELETED_UPRN, KNOWN, Summary

Built = tuple[Summary, BuildReport, Path]
KINGS = [KNOWN[k].uprn for k in ("kings_road_2", "kings_road_10", "kings_road_14", "kings_road_14a")]


def uprns(pack: Pack, text: str, limit: int = 8) -> list[str]:
    return [a.uprn for a in pack.search(text, limit).addresses]


def first(pack: Pack, text: str) -> Address:
    found = pack.search(text).addresses
    assert found, text
    return found[0]


# --- Build ------------------------------------------------------------------------------------------------------


def test_the_report_and_the_meta(built: Built) -> None:
    summary, report, out = built
    assert (report.addresses, report.streets, report.records) == (summary.addresses, summary.streets, summary.records)
    assert report.version == "2026.11-test" and report.size_bytes == out.stat().st_size > 0 and report.seconds > 0
    assert report.skipped.counts["LPI not approved: historical (8)"] == 1
    with Pack.open(out) as pack:
        meta = pack.meta
    assert (meta.version, meta.addresses, meta.streets) == ("2026.11-test", summary.addresses, summary.streets)
    assert (meta.custodian_name, meta.custodian_code) == ("Harwood Vale Borough Council", "9017")
    assert len(meta.source_sha256) == 64 and meta.built_at[:2] == "20"


def test_the_pack_file(built: Built) -> None:
    db = sqlite3.connect(f"file:{built[2]}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # vacuumed
        assert db.execute("SELECT count(*) FROM addresses").fetchone()[0] == built[0].addresses
    finally:
        db.close()
    assert not [p for p in built[2].parent.iterdir() if p.name.endswith(".tmp")]


def test_every_address_is_in_the_pack(built: Built, pack: Pack) -> None:
    for uprn in built[0].uprns:
        assert pack.by_uprn(uprn) is not None
    assert pack.by_uprn(DELETED_UPRN) is None


# --- Search -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["BB2 1LB", "bb2 1lb", "bb21lb", "BB21LB", " BB2  1LB "])
def test_a_postcode_with_or_without_the_space(pack: Pack, typed: str) -> None:
    assert uprns(pack, typed) == KINGS  # numerically: 2, 10, 14, 14A


def test_a_partial_postcode(pack: Pack) -> None:
    for typed, start in (("bb2 1", "BB2 1"), ("BB10 4", "BB10 4"), ("b1a 6", "B1A 6"), ("bb21l", "BB2 1L")):
        found = pack.search(typed).addresses
        assert found and all(a.postcode.startswith(start) for a in found), typed


def test_a_street(pack: Pack) -> None:
    found = pack.search("kings road").addresses
    assert {a.street for a in found} == {"King's Road"}
    assert [a.uprn for a in found if a.number] == KINGS
    assert uprns(pack, "King's Rd") == uprns(pack, "kings road") == uprns(pack, "KINGS ROAD ")


def test_the_last_word_is_a_prefix(pack: Pack) -> None:
    assert {a.street for a in pack.search("kings ro").addresses} == {"King's Road"}
    assert {a.street for a in pack.search("marsz").addresses} == {"Marszałkowska Street"}
    assert pack.search("kings ro ").addresses == ()  # a space: "ro" is a whole word, and none is


def test_number_and_street_exact_first(pack: Pack) -> None:
    assert uprns(pack, "14 kings rd") == [KNOWN["kings_road_14"].uprn, KNOWN["kings_road_14a"].uprn]
    assert first(pack, "14a kings road").uprn == KNOWN["kings_road_14a"].uprn
    assert first(pack, "kings road 10").uprn == KNOWN["kings_road_10"].uprn
    assert first(pack, "10 church lane").number == "10-12"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Kngs Road", "kings_road_2"),
        ("Kings Raod", "kings_road_2"),
        ("14 Kimgs Rd", "kings_road_14"),
        ("Marszalkowska", "marszalkowska_7"),
        ("marszałkowska street", "marszalkowska_7"),
        ("Marszalkowsak Street", "marszalkowska_7"),
        ("7 marszlkow", "marszalkowska_7"),
        ("Ivy Cotage", "ivy_cottage"),
    ],
)
def test_typos_and_no_diacritics(pack: Pack, typed: str, key: str) -> None:
    assert KNOWN[key].uprn in uprns(pack, typed), typed


def test_buildings_and_flats(pack: Pack) -> None:
    assert first(pack, "ivy cottage").uprn == KNOWN["ivy_cottage"].uprn
    assert first(pack, "flat 2 rose court").uprn == KNOWN["rose_court_flat_2"].uprn
    assert first(pack, "flt 2 rose ct").uprn == KNOWN["rose_court_flat_2"].uprn
    assert first(pack, "ground floor flat rose").uprn == KNOWN["rose_court_ground"].uprn
    rose = pack.search("rose court", limit=20).addresses
    assert rose[0].building == "Rose Court" and rose[0].sao == ""  # the building named so, before "Rose Cottage"
    flats = [a.sao for a in rose if a.building == "Rose Court"]
    assert flats == ["", "Ground Floor Flat", "Flat 1", "Flat 2", "Flat 10"]  # numerically: 2 before 10
    assert first(pack, "unit 3b kestrel").sao == "Unit 3B"


def test_limit_and_more(pack: Pack) -> None:
    five = pack.search("kings road", limit=5)
    assert len(five.addresses) == 5 and not five.more
    three = pack.search("kings road", limit=3)
    assert [a.uprn for a in three.addresses] == [a.uprn for a in five.addresses[:3]] and three.more
    assert pack.search("bb21lb", limit=2).more


def test_an_address_comes_back_whole(pack: Pack) -> None:
    a = first(pack, "flat 2 rose court")
    assert a.lines() == {
        "line1": "Flat 2, Rose Court",
        "line2": "3 Mill Lane, Queen's Park",
        "town": "Harwood",
        "postcode": "BB10 4RC",
        "uprn": KNOWN["rose_court_flat_2"].uprn,
    }
    assert not first(pack, "1 boundary road").in_area and first(pack, "14 kings road").in_area


@pytest.mark.parametrize("typed", ["", " ", "k", "1", "%", "zzqx", "99999 kings road", "ZZ9 9ZZ", "qqqqqq street"])
def test_nothing(pack: Pack, typed: str) -> None:
    assert pack.search(typed) == pack.search(typed, limit=3) and pack.search(typed).addresses == ()


@pytest.mark.parametrize(
    "typed", ['"', "kings*", "kings AND road", "NEAR(kings road)", "kings OR", "-kings", "^kings", "kings:road", "(("]
)
def test_query_syntax_is_only_text(pack: Pack, typed: str) -> None:
    found = pack.search(typed)  # no FTS5 syntax error reaches the caller
    assert all(isinstance(a, Address) for a in found.addresses)


def test_a_long_text_is_cut(pack: Pack) -> None:
    assert first(pack, "kings road " * 100).street == "King's Road"
    assert pack.search("x" * 100_000).addresses == ()


# --- by_uprn, has_postcode --------------------------------------------------------------------------------------


def test_by_uprn(pack: Pack) -> None:
    a = pack.by_uprn(KNOWN["marszalkowska_7"].uprn)
    assert a is not None and (a.number, a.street, a.postcode) == ("7", "Marszałkowska Street", "B7 3AX")
    assert pack.by_uprn(" " + KNOWN["marszalkowska_7"].uprn + " ") == a
    for junk in ("", "999999999999", "abc", "1" * 13, "12 OR 1=1"):
        assert pack.by_uprn(junk) is None


def test_has_postcode(pack: Pack) -> None:
    for typed in ("BB2 1LB", "bb21lb", " bb2 1LB", "B1A 6NP"):
        assert pack.has_postcode(typed), typed
    for typed in ("B17 9HU", "ZZ9 9ZZ", "BB2", "", "not a postcode"):  # B17 9HU: changed away by a U
        assert not pack.has_postcode(typed), typed


# --- Damage, refusal, atomic replace ----------------------------------------------------------------------------


def test_not_a_pack(tmp_path: Path) -> None:
    (tmp_path / "text.sqlite").write_text("hello")
    (tmp_path / "empty.sqlite").write_bytes(b"")
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.close()
    for path, words in (
        (tmp_path / "text.sqlite", "not an address pack"),
        (tmp_path / "empty.sqlite", "not an address pack"),
        (tmp_path / "missing.sqlite", "cannot open"),
        (other, "schema 0"),
        (tmp_path, "cannot open"),
    ):
        with pytest.raises(PackError, match=words):
            Pack.open(path)


def test_another_schema_or_no_meta(built: Built, tmp_path: Path) -> None:
    for sql, words in (
        (f"PRAGMA user_version = {SCHEMA_VERSION + 1}", f"schema {SCHEMA_VERSION + 1}"),
        ("DELETE FROM meta WHERE key = 'version'", "no version"),
        ("DELETE FROM addresses WHERE id = 1", "damaged"),
    ):
        copy = tmp_path / "copy.sqlite"
        shutil.copy(built[2], copy)
        db = sqlite3.connect(copy)
        db.execute(sql)
        db.commit()
        db.close()
        with pytest.raises(PackError, match=words):
            Pack.open(copy)


@pytest.mark.parametrize("where", ["cut", "middle"])
def test_a_damaged_pack(built: Built, tmp_path: Path, where: str) -> None:
    copy = tmp_path / "damaged.sqlite"
    data = bytearray(built[2].read_bytes())
    if where == "cut":
        data = data[: len(data) // 2]
    else:
        for i in range(4096 * 3, len(data) - 4096, 4096 * 2):
            data[i : i + 400] = b"\xa5" * 400  # the page header and cells: not a b-tree page any more
    copy.write_bytes(bytes(data))
    with pytest.raises(PackError, match="damaged"):
        Pack.open(copy)  # found when it is opened (quick_check), not at a citizen's keystroke


def test_opened_read_only(pack: Pack) -> None:
    with pytest.raises(sqlite3.OperationalError):
        pack._db.execute("DELETE FROM addresses")


def test_a_refused_import_leaves_the_old_pack_byte_identical(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "live.pack.sqlite"
    shutil.copy(built[2], out)
    before = out.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(built[0].path.read_bytes()[:-300])  # cut short: no trailer
    with pytest.raises(DtfError, match="cut short"):
        build_pack(bad, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "live.pack.sqlite"]


def test_a_failed_write_leaves_the_old_pack_too(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "live.pack.sqlite"
    shutil.copy(built[2], out)
    before = out.read_bytes()

    def no_rename(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(PackError, match="No space left"):
        build_pack(built[0].path, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.pack.sqlite"]


def test_a_file_with_no_addresses_is_refused(tmp_path: Path) -> None:
    from tests.unit.local_store.gazetteer.dtf_rows import a_street, write

    with pytest.raises(DtfError, match="no addresses"):
        build_pack(write(tmp_path / "s.csv", a_street()), tmp_path / "s.pack")
    assert not (tmp_path / "s.pack").exists()


def test_a_name_typed_whole_comes_before_its_words_apart(tmp_path: Path) -> None:
    """ "rose court": Rose Court (on Mill Lane) before Rose Cottage on Abbey Court, which sorts first by street."""
    from tests.unit.local_store.gazetteer.dtf_rows import blpu, descriptor, lpi, street, write

    rows = [
        street("17000001"), descriptor("17000001", "Abbey Court"),
        street("17000002"), descriptor("17000002", "Mill Lane"),
        blpu("100017000001"), lpi("100017000001", "17000001", pao=("", "", "", "", "Rose Cottage")),
        blpu("100017000002"), lpi("100017000002", "17000002", pao=("3", "", "", "", "Rose Court")),
    ]  # fmt: skip
    build_pack(write(tmp_path / "r.csv", rows), tmp_path / "r.pack")
    with Pack.open(tmp_path / "r.pack") as pack:
        assert [a.building for a in pack.search("rose court").addresses] == ["Rose Court", "Rose Cottage"]
        assert [a.building for a in pack.search("rose cour").addresses] == ["Rose Court", "Rose Cottage"]
        assert [a.building for a in pack.search("rose").addresses] == ["Rose Cottage", "Rose Court"]  # by street
