"""Reports delivered to the reference Open311 server (/open311/v2/ on the reference portal), over real HTTP.

The journeys (tests/open311_journeys.py) are published to the portal, a kiosk syncs them and the
address pack, IT connects the kiosk to the Open311 endpoint as `dcp-kiosk open311 connect` does, and
citizens' submissions go through the sync engine: every datatype, location by the pack's coordinates
and by a typed address, JSON and XML, a lost response after commit reconciled, tokens, permanent and
transient errors, and the status read back for check progress.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest

from app.kiosk import Kiosk
from app.open311 import api_key_name, connect
from journeys.models import Journey
from local_store import KEYRING_SERVICE
from local_store.gazetteer import build_pack
from local_store.gazetteer.pack import Pack
from reference_portal import db
from reference_portal.gazetteer_data import write_dtf
from sync.engine import BACKOFF_CAP
from sync.open311_delivery import SUBMISSION_ATTRIBUTE
from tests.conftest import Portal
from tests.helpers import MISSED_BIN_RAW, enrolled_kiosk
from tests.open311_journeys import (
    FLY_TIPPING,
    FLY_TIPPING_RAW,
    GRAFFITI,
    GRAFFITI_RAW,
    KINGS_ROAD,
    POTHOLE,
    pothole_raw,
)

pytestmark = pytest.mark.integration
BASE = "/open311/v2"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    write_dtf(folder / "borough.csv", addresses=300, seed=19)
    build_pack(folder / "borough.csv", folder / "borough.sqlite")
    return folder / "borough.sqlite"


@pytest.fixture
def served(tmp_path: Path, pack: Path) -> Iterator[Portal]:
    portal = Portal(db=tmp_path / "portal.sqlite3", gazetteer=pack)
    portal.start()
    for journey in (POTHOLE, FLY_TIPPING, GRAFFITI):
        portal._admin("PUT", "/admin/journeys", json=journey)
    yield portal
    portal.stop()


def the_api_key(portal: Portal) -> str:
    return str(db.read_admin_file(portal.db)["open311_api_key"])


def connected(tmp_path: Path, portal: Portal, fmt: str = "json") -> Kiosk:
    """An enrolled kiosk with the journeys and the pack, connected to the Open311 endpoint."""
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    sync(kiosk)
    done = connect(kiosk.config, portal.url + BASE, "harwood-vale", fmt, the_api_key(portal) + "\n")
    assert {"pothole", "fly-tipping", "street-light", "graffiti"} <= set(done.services)
    assert "not refused" in done.key_check
    return kiosk


@pytest.fixture
def kiosk(tmp_path: Path, served: Portal) -> Iterator[Kiosk]:
    found = connected(tmp_path, served)
    yield found
    found.close()


def sync(kiosk: Kiosk, later: float = 0.0) -> Any:
    with kiosk.sync_engine() as engine:
        return engine.run_once(now=time.time() + later if later else None)


def journey(kiosk: Kiosk, journey_id: str) -> Journey:
    entry = next(e for e in kiosk.catalogue() if e.id == journey_id)
    found = kiosk.journey(entry.id, entry.version)
    assert found is not None
    return found


def submit(kiosk: Kiosk, journey_id: str, raw: dict[str, Any]) -> str:
    receipt = kiosk.submit_raw(journey(kiosk, journey_id), raw)
    assert not isinstance(receipt, list), receipt
    return receipt.submission_id


def stored(portal: Portal) -> list[dict[str, Any]]:
    """Every request the Open311 server holds, straight from its database (contact fields included)."""
    conn = sqlite3.connect(portal.db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM open311_requests ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [dict(r) | {"attributes": json.loads(r["attributes"]), "contact": json.loads(r["contact"])} for r in rows]


def ours(portal: Portal, submission_id: str) -> list[dict[str, Any]]:
    return [r for r in stored(portal) if r["attributes"].get(SUBMISSION_ATTRIBUTE) == submission_id]


def posts(portal: Portal) -> int:
    """Reports posted (connect's empty test report, refused with 400, is not one)."""
    return sum(
        1
        for r in portal.requests()
        if r["method"] == "POST" and str(r["path"]).startswith(BASE + "/requests") and r["status"] != 400
    )


def test_every_datatype_reaches_the_service_and_its_id_is_the_case_number(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "pothole-report", pothole_raw())
    report = sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "delivered", (item.last_error_class, item.last_error_message)
    [request] = ours(served, sid)
    assert item.server_reference == request["service_request_id"] and item.server_reference.startswith("HV-")
    assert report.delivered_references == [item.server_reference]  # what the confirmation screen shows
    attributes = request["attributes"]
    assert attributes["depth_cm"] == "12"  # number
    assert attributes["landmark"] == "Bus stop 14"  # string
    noticed = attributes["noticed_at"]  # datetime: the date and the time questions, with the kiosk's offset
    assert noticed[11:19] == "08:30:00" and (noticed.endswith("Z") or noticed[-6] in "+-"), noticed
    assert attributes["road_type"] == "footway"  # singlevaluelist: the option's value mapped to the key
    assert sorted(attributes["hazards"]) == ["cover", "water"]  # multivaluelist, one mapped
    assert attributes["details"] == "Cars swerve round it"  # text
    assert attributes["uprn"] == KINGS_ROAD["uprn"]
    assert request["description"].startswith("A deep pothole by the bus stop")
    assert f"kiosk reference {item.reference}." in request["description"]
    assert request["address_string"] == "14 King's Road, Little Harwood, Harwood, BB2 1LB"
    assert request["address_id"] == KINGS_ROAD["uprn"]
    assert request["contact"] == {"first_name": "Sam", "last_name": "Patel", "email": "sam@example.org"}
    assert sid not in {row["submission_id"] for row in served.export()}  # not sent to the portal as well


def test_the_location_is_the_packs_latitude_and_longitude(kiosk: Kiosk, served: Portal, pack: Path) -> None:
    opened = Pack.open(pack)
    try:
        address = opened.by_uprn(KINGS_ROAD["uprn"])
    finally:
        opened.close()
    assert address is not None and address.latitude is not None and address.longitude is not None
    sid = submit(kiosk, "pothole-report", pothole_raw())
    sync(kiosk)
    [request] = ours(served, sid)
    assert request["lat"] == pytest.approx(address.latitude, abs=1e-6)
    assert request["long"] == pytest.approx(address.longitude, abs=1e-6)


def test_a_typed_address_goes_as_its_words_alone(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "graffiti-report", GRAFFITI_RAW)
    sync(kiosk)
    [request] = ours(served, sid)
    assert request["address_string"] == "3 Mill Lane, Harwood Vale, BB2 1LB"
    assert request["lat"] is None and request["address_id"] is None and "uprn" not in request["attributes"]
    assert request["service_code"] == "graffiti" and request["description"].startswith("Paint on the bus shelter")


def test_an_xml_endpoint_takes_the_same_report(tmp_path: Path, served: Portal) -> None:
    kiosk = connected(tmp_path, served, fmt="xml")
    try:
        sid = submit(kiosk, "pothole-report", pothole_raw())
        sync(kiosk)
        item = kiosk.store.outbox.item(sid)
        assert item.state == "delivered"
        [request] = ours(served, sid)
        assert item.server_reference == request["service_request_id"]
        assert all(str(r["path"]).endswith(".xml") for r in served.requests() if str(r["path"]).startswith(BASE))
        case = kiosk.case_check(item.reference)()
        assert (case.kind, case.status) == ("found", "open")
    finally:
        kiosk.close()


def test_a_lost_answer_after_the_server_stored_it_is_reconciled_not_sent_twice(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "pothole-report", pothole_raw())
    served.set_faults(kind="lost_response", count=1, paths=[BASE + "/requests"])
    sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "pending" and item.last_error_class.startswith("open311_"), item.last_error_class
    assert len(ours(served, sid)) == 1  # it was stored: only the answer was lost
    served.clear_faults()
    before = len(served.requests())
    sync(kiosk, later=BACKOFF_CAP + 1)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "delivered"
    [request] = ours(served, sid)
    assert item.server_reference == request["service_request_id"]
    retry = [r for r in served.requests()[before:] if str(r["path"]).startswith(BASE)]
    assert [(r["method"], str(r["path"]).split("?")[0]) for r in retry] == [("GET", BASE + "/requests.json")]
    assert posts(served) == 1


def test_a_report_that_never_arrived_is_posted_on_the_retry(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "pothole-report", pothole_raw())
    served.set_faults(kind="http_503", count=1, paths=[BASE + "/requests"])
    sync(kiosk)
    assert kiosk.store.outbox.item(sid).last_error_class == "open311_http_503"
    assert ours(served, sid) == []
    served.clear_faults()
    sync(kiosk, later=BACKOFF_CAP + 1)
    assert kiosk.store.outbox.item(sid).state == "delivered"
    assert len(ours(served, sid)) == 1


def test_a_token_answer_is_followed_to_the_request_id(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "fly-tipping-report", FLY_TIPPING_RAW)
    served.set_faults(kind="lost_response", count=1, paths=[BASE + "/tokens"])  # the first ask about it is lost
    sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "pending"
    sent = kiosk.store.remote.get(sid)
    assert sent is not None and sent.token
    served.clear_faults()
    sync(kiosk, later=BACKOFF_CAP + 1)
    item = kiosk.store.outbox.item(sid)
    [request] = ours(served, sid)
    assert item.state == "delivered" and item.server_reference == request["service_request_id"]
    assert request["token"] == sent.token
    assert (
        request["attributes"]["waste_type"] == ["bags", "furniture"] and request["attributes"]["amount"] == "car_boot"
    )
    assert posts(served) == 1
    assert kiosk.store.remote.get(sid) is None  # delivered: the note is gone


def test_a_report_the_server_refuses_waits_for_staff_with_its_reason(kiosk: Kiosk, served: Portal) -> None:
    broken = dict(
        POTHOLE, id="pothole-unmapped", delivery={"open311": {"service_code": "pothole", "location": "where"}}
    )
    served._admin("PUT", "/admin/journeys", json=broken)  # depth_cm (required by the service) is not mapped
    sync(kiosk)
    sid = submit(kiosk, "pothole-unmapped", pothole_raw())
    report = sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "needs_attention" and item.last_error_class == "open311_rejected"
    assert "attribute[depth_cm] is required" in (item.last_error_message or "")
    assert report.online and report.needs_attention == 1
    assert ours(served, sid) == []
    key = the_api_key(served)
    assert key not in (item.last_error_message or "")
    assert key.encode() not in Path(kiosk.store.path).read_bytes()


def test_an_unwell_open311_server_never_holds_up_the_portal(kiosk: Kiosk, served: Portal) -> None:
    first = submit(kiosk, "pothole-report", pothole_raw())
    second = submit(kiosk, "graffiti-report", GRAFFITI_RAW)
    bin_entry = next(e for e in kiosk.catalogue() if e.id == "missed-bin")
    bin_journey = kiosk.journey(bin_entry.id, bin_entry.version)
    assert bin_journey is not None
    receipt = kiosk.submit_raw(bin_journey, MISSED_BIN_RAW)
    assert not isinstance(receipt, list)
    served.set_faults(kind="http_500", paths=[BASE])
    report = sync(kiosk)
    assert kiosk.store.outbox.item(receipt.submission_id).state == "delivered"  # the portal's own went
    assert kiosk.store.outbox.item(first).last_error_class == "open311_http_500"
    second_item = kiosk.store.outbox.item(second)
    assert second_item.state == "pending" and second_item.attempts == 0  # not tried: the server was unwell
    assert posts(served) == 1
    assert report.online and report.last_error_class == "open311_http_500"
    assert kiosk.status().last_sync_at is not None  # the portal was reached: it counts as a sync


def test_a_refused_api_key_waits_and_tells_it(kiosk: Kiosk, served: Portal) -> None:
    keyring.set_password(KEYRING_SERVICE, api_key_name(kiosk.store), "not-the-key")
    sid = submit(kiosk, "pothole-report", pothole_raw())
    sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    assert item.state == "pending" and item.last_error_class == "open311_api_key"
    assert [a.kind for a in kiosk.store.alerts.list()] == ["open311"]
    keyring.set_password(KEYRING_SERVICE, api_key_name(kiosk.store), the_api_key(served))
    sync(kiosk, later=BACKOFF_CAP + 1)
    assert kiosk.store.outbox.item(sid).state == "delivered"
    assert len(ours(served, sid)) == 1


def test_with_no_endpoint_set_up_a_report_waits(tmp_path: Path, served: Portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "alone", served)
    try:
        sync(kiosk)
        sid = submit(kiosk, "graffiti-report", GRAFFITI_RAW)
        report = sync(kiosk)
        item = kiosk.store.outbox.item(sid)
        assert item.state == "pending" and item.last_error_class == "open311_not_configured"
        assert report.online and stored(served) == []
        assert sid not in {row["submission_id"] for row in served.export()}  # never sent to the portal instead
        assert any(a.kind == "open311" for a in kiosk.store.alerts.list())
    finally:
        kiosk.close()


def test_check_progress_asks_the_open311_server(kiosk: Kiosk, served: Portal) -> None:
    sid = submit(kiosk, "pothole-report", pothole_raw())
    sync(kiosk)
    item = kiosk.store.outbox.item(sid)
    case = kiosk.case_check(item.reference)()
    assert (case.kind, case.status, case.reference) == ("found", "open", item.reference)
    secret = db.read_admin_file(served.db)["admin_secret"]
    response = httpx.put(
        served.url + f"/admin/open311/requests/{item.server_reference}",
        json={"status": "closed", "status_notes": "Filled in"},
        headers={"X-Admin-Secret": secret},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert kiosk.case_check(item.reference)().status == "closed"
    served.stop()
    assert kiosk.case_check(item.reference)().kind == "unavailable"


def test_doctor_checks_the_open311_endpoint(tmp_path: Path, served: Portal) -> None:
    from app.doctor import FAIL, OK, WARN, check_open311

    alone = enrolled_kiosk(tmp_path / "alone", served)
    try:
        sync(alone)
        check = check_open311(alone.config)
        assert check.status == FAIL and "graffiti-report v1" in check.detail and "open311 connect" in check.fix
    finally:
        alone.close()
    kiosk = connected(tmp_path, served)
    try:
        check = check_open311(kiosk.config)
        assert check.status == OK and "4 services; 4 journeys deliver to it" in check.detail, check
        elsewhere = dict(
            GRAFFITI, id="bins-report", delivery={"open311": {"service_code": "missed-bins", "location": "where"}}
        )
        served._admin("PUT", "/admin/journeys", json=elsewhere)
        sync(kiosk)
        check = check_open311(kiosk.config)
        assert check.status == WARN and "does not list missed-bins, which bins-report v1" in check.detail, check
        keyring.delete_password(KEYRING_SERVICE, api_key_name(kiosk.store))
        assert check_open311(kiosk.config).status == FAIL
    finally:
        kiosk.close()


IMPORTED = sorted(
    p for p in (Path(__file__).parents[1] / "data" / "importers" / "open311").glob("*.json") if ".walks." not in p.name
)


@pytest.mark.parametrize("bundle", IMPORTED, ids=lambda p: p.stem)
def test_a_journey_made_from_a_service_definition_delivers_every_walk(
    kiosk: Kiosk, served: Portal, bundle: Path
) -> None:
    """The importer's journey (journeys/importers/open311) is usable end to end: published on the portal,
    synced, and each of its walks accepted by the Open311 service it was made from."""
    from journeys.importers import import_definition

    imported = import_definition(
        json.loads(bundle.read_text(encoding="utf-8")), "open311", journey_id=f"made-{bundle.stem}"
    )
    assert imported.usable and imported.journey is not None
    served._admin("PUT", "/admin/journeys", json=imported.journey)
    sync(kiosk)
    walks = json.loads(bundle.with_name(f"{bundle.stem}.walks.json").read_text(encoding="utf-8"))
    sids = [submit(kiosk, f"made-{bundle.stem}", walk["answers"]) for walk in walks]
    sync(kiosk)
    for sid in sids:
        item = kiosk.store.outbox.item(sid)
        assert item.state == "delivered", (bundle.stem, item.last_error_class, item.last_error_message)
        [request] = ours(served, sid)
        assert request["service_code"] == imported.journey["delivery"]["open311"]["service_code"]
        assert item.server_reference == request["service_request_id"]
