"""The address pack over real HTTP: the portal serves the pack its catalogue names, the kiosk fetches it
when it syncs, checks it, switches to it atomically and finds addresses with no connection; a download
that is not the pack is never used; a found address reaches the portal with its UPRN."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import gazetteer as app_gazetteer
from app.kiosk import Kiosk
from journeys.flow import Flow
from local_store.gazetteer import build_pack
from reference_portal.gazetteer_data import KNOWN, write_dtf
from tests.conftest import Portal
from tests.helpers import enrolled_kiosk

pytestmark = pytest.mark.integration
KINGS_ROAD_14 = KNOWN["kings_road_14"]


def _pack(folder: Path, name: str, addresses: int, seed: int) -> Path:
    source = folder / f"{name}.csv"
    write_dtf(source, addresses=addresses, seed=seed)
    pack = folder / f"{name}.sqlite"
    build_pack(source, pack)
    return pack


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two different packs of the same borough (the second a later export, with more addresses)."""
    folder = tmp_path_factory.mktemp("packs")
    return _pack(folder, "first", 300, 17), _pack(folder, "second", 340, 17)


@pytest.fixture
def served(tmp_path: Path, packs: tuple[Path, Path]) -> Iterator[Portal]:
    portal = Portal(db=tmp_path / "portal.sqlite3", gazetteer=packs[0])
    portal.start()
    yield portal
    portal.stop()


@pytest.fixture
def kiosk(tmp_path: Path, served: Portal, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kiosk]:
    monkeypatch.setattr(app_gazetteer, "RECHECK_S", 0.0)  # a switch is seen at the next search
    found = enrolled_kiosk(tmp_path / "kiosk", served)
    yield found
    found.close()


def _sync(kiosk: Kiosk) -> str | None:
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
    assert report.online
    return report.pack_version


def _pack_downloads(portal: Portal) -> int:
    return sum(1 for r in portal.requests() if r["path"] == "/api/v1/packs/gazetteer")


def test_the_portal_serves_the_pack_its_catalogue_names(served: Portal, packs: tuple[Path, Path]) -> None:
    token = served.token("kiosk-9")
    entry = served.get("/api/v1/catalogue", token).json()["packs"]["gazetteer"]
    response = served.get("/api/v1/packs/gazetteer", token)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.sqlite3"
    assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
    assert len(response.content) == entry["size"] == packs[0].stat().st_size
    assert response.headers["X-Pack-Version"] == entry["version"]
    assert httpx.get(served.url + "/api/v1/packs/gazetteer").status_code == 401  # a device token is needed


def test_a_portal_with_no_pack_names_none_and_the_kiosk_types_addresses(portal: Portal, tmp_path: Path) -> None:
    token = portal.token("kiosk-9")
    assert "packs" not in portal.get("/api/v1/catalogue", token).json()
    assert portal.get("/api/v1/packs/gazetteer", token).status_code == 404
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    try:
        assert _sync(kiosk) is None
        assert not kiosk.addresses.available()
        assert kiosk.addresses.find("BB2 1LB").addresses == ()
    finally:
        kiosk.close()


def test_a_kiosk_fetches_the_pack_once_and_finds_addresses_offline(kiosk: Kiosk, served: Portal) -> None:
    assert not kiosk.addresses.available()  # before the first sync: typing
    version = _sync(kiosk)
    assert version is not None and version == kiosk.status().address_pack
    assert kiosk.status().address_count > 300
    assert _sync(kiosk) is None  # the same version: not fetched again
    assert _pack_downloads(served) == 1
    served.stop()  # the building's connection goes down
    for typed in ("BB2 1LB", "bb21lb", "14 kings rd"):
        found = kiosk.addresses.find(typed).addresses
        assert KINGS_ROAD_14.uprn in [a.uprn for a in found], typed
    first = next(a for a in kiosk.addresses.find("14 king's road").addresses if a.uprn == KINGS_ROAD_14.uprn)
    assert first.lines() == {
        "line1": "14 King's Road",
        "line2": "Little Harwood",
        "town": "Harwood",
        "postcode": "BB2 1LB",
        "uprn": KINGS_ROAD_14.uprn,
    }


def test_a_new_pack_replaces_the_old_one_atomically(kiosk: Kiosk, served: Portal, packs: tuple[Path, Path]) -> None:
    first = _sync(kiosk)
    before = kiosk.addresses.info()
    assert before is not None
    served.stop()
    served.gazetteer = packs[1]  # the council publishes a new export
    served.start()
    second = _sync(kiosk)
    assert second is not None and second != first
    after = kiosk.addresses.info()
    assert after is not None and after.installed.version == second
    assert after.meta.addresses > before.meta.addresses
    folder = after.installed.path.parent
    assert sorted(p.name for p in folder.glob("gazetteer-*.sqlite")) == sorted(
        [f"gazetteer-{first}.sqlite", f"gazetteer-{second}.sqlite"]
    )  # the one before is kept, for a search that opened it just before the switch
    assert not list(folder.glob("*.part"))


def test_a_download_that_is_not_the_pack_is_never_used(kiosk: Kiosk, served: Portal) -> None:
    served.set_faults(kind="captive", paths=["/api/v1/packs"])  # a 200 web page instead of the pack
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
    assert report.online and report.pack_version is None and report.last_error_class == "bad_pack"
    assert not kiosk.addresses.available()
    assert [a.kind for a in kiosk.alerts()] == ["address_pack"]
    folder = kiosk.addresses.shelf.folder
    assert not list(folder.glob("*.part")) and not list(folder.glob("gazetteer-*"))
    served.clear_faults()
    assert _sync(kiosk) is not None  # a new engine (a restart) tries again, and the good pack is used
    assert kiosk.addresses.available()


def test_a_dropped_download_is_tried_again_at_the_next_catalogue_pass(kiosk: Kiosk, served: Portal) -> None:
    served.set_faults(kind="drop", paths=["/api/v1/packs"], count=1)
    with kiosk.sync_engine() as engine:
        engine.catalogue_interval = 0.0
        report = engine.run_once()
        assert report.pack_version is None and report.last_error_class is not None
        assert not kiosk.addresses.available()
        assert engine.run_once().pack_version is not None
    assert kiosk.addresses.available()


def test_a_found_address_reaches_the_portal_with_its_uprn(kiosk: Kiosk, served: Portal) -> None:
    _sync(kiosk)
    entry = next(e for e in kiosk.catalogue() if e.id == "bulky-waste")
    journey = kiosk.journey(entry.id, entry.version)
    assert journey is not None
    chosen = next(a for a in kiosk.addresses.find("BB2 1LB").addresses if a.uprn == KINGS_ROAD_14.uprn)
    raw = {**Flow(journey).example(), "address": chosen.lines()}
    receipt = kiosk.submit_raw(journey, raw)
    assert not isinstance(receipt, list), receipt
    _sync(kiosk)
    (delivered,) = served.export()
    answers = delivered["answers"]
    assert isinstance(answers, dict)
    assert answers["address"] == chosen.lines()
